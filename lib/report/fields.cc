// Field-level helpers: one "Name: value" line, type prefixes, comments, status and reply codes,
// the SMTP command a diagnostic names. See fields.hh.
#include "base/strings.hh"
#include "report/fields.hh"

#include "mime/decode.hh"
#include "report/chars.hh"

namespace carom::report {


std::string strip_comments(std::string_view s) {
    if (s.find('(') == std::string_view::npos) return std::string(s);  // no comment: the loop copies s
    std::string r;
    r.reserve(s.size());
    bool quoted = false;
    int depth = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\\' && i + 1 < s.size() && (quoted || depth > 0)) {
            if (depth == 0) {
                r.push_back(c);
                r.push_back(s[i + 1]);
            }
            ++i;
            continue;
        }
        if (depth == 0 && c == '"') quoted = !quoted;
        if (!quoted) {
            if (c == '(') {
                ++depth;
                continue;
            }
            if (c == ')' && depth > 0) {
                --depth;
                continue;
            }
        }
        if (depth == 0) r.push_back(c);
    }
    return r;
}

bool split_field(std::string_view line, std::string_view &name, std::string_view &value) {
    // One forward scan: white space, the name, white space, ':'. Most lines handed here are
    // prose, rejected at their first word; the colon is never searched for along the line.
    auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    static constexpr auto kNameChar = [] {
        struct Table {
            bool t[256];
        } r{};
        for (int c = 0; c < 256; ++c)
            r.t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        return r;
    }();
    auto name_char = [](char c) { return kNameChar.t[static_cast<unsigned char>(c)]; };
    const std::size_t size = line.size() < 65 ? line.size() : 65;  // the colon is at offset 64 at most
    std::size_t i = 0;
    while (i < size && ws(line[i])) ++i;
    const std::size_t b = i;
    while (i < size && name_char(line[i])) ++i;
    const std::size_t e = i;
    while (i < size && ws(line[i])) ++i;
    if (e == b || i >= size || line[i] != ':') return false;
    name = line.substr(b, e - b);
    value = trim(line.substr(i + 1));
    return true;
}

std::string_view strip_type_view(std::string_view value) {
    std::string_view v = trim(value);
    std::size_t semi = v.find(';');
    if (semi != std::string_view::npos && semi > 0 && semi < 20) {
        bool token = true;
        for (std::size_t k = 0; k < semi; ++k) {
            char c = v[k];
            if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == ' ' || c == '\t')) token = false;
        }
        if (token) v = trim(v.substr(semi + 1));
    }
    return v;
}

std::string strip_type(std::string_view value) { return std::string(strip_type_view(value)); }

std::string find_status(std::string_view s) {
    for (std::size_t i = 0; i + 4 < s.size() + 0; ++i) {
        char c = s[i];
        if (c != '2' && c != '4' && c != '5') continue;
        if (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.')) continue;
        if (s[i + 1] != '.') continue;
        std::size_t j = i + 2, k = j;
        while (k < s.size() && is_digit(s[k]) && k - j < 4) ++k;
        if (k == j || k - j > 3 || k >= s.size() || s[k] != '.') continue;
        std::size_t m = k + 1, n = m;
        while (n < s.size() && is_digit(s[n]) && n - m < 4) ++n;
        if (n == m || n - m > 3) continue;
        if (n < s.size() && (is_digit(s[n]) || (s[n] == '.' && n + 1 < s.size() && is_digit(s[n + 1])))) continue;
        return std::string(s.substr(i, n - i));
    }
    return "";
}

std::string leading_reply_code(std::string_view text) {
    std::string_view t = trim(text);
    if (t.size() < 3) return "";
    if (!(t[0] >= '2' && t[0] <= '5') || !is_digit(t[1]) || !is_digit(t[2])) return "";
    if (t.size() > 3 && (is_digit(t[3]) || t[3] == '.')) return "";
    return std::string(t.substr(0, 3));
}

std::string command_from_text(std::string_view text) {
    struct Cmd {
        std::string_view needle;
        const char *cmd;
    };
    static constexpr Cmd kCmds[] = {
        {"rcpt to", "RCPT"}, {"mail from", "MAIL"}, {"end of data", "DATA"}, {"data command", "DATA"},
        {"ehlo", "EHLO"},    {"helo", "HELO"},      {"connect to", "CONN"},  {"data", "DATA"},
    };
    // Leads in order of preference: the first occurrence of the first lead followed by a command
    // wins, else that of the second, else that of the third.
    static constexpr std::string_view kLeads[] = {"in reply to ", "after ", "reply to "};
    auto command_after = [](std::string_view rest) -> const char * {
        for (const Cmd &c : kCmds)
            if (rest.size() >= c.needle.size() && iequals(rest.substr(0, c.needle.size()), c.needle)) return c.cmd;
        return nullptr;
    };
    // One pass, no lower-case copy: only a byte that can start a lead ('i', 'a', 'r' in either
    // case; a table gives the lead's number + 1) is looked at further.
    static constexpr auto kStarts = [] {
        struct Table {
            unsigned char t[256];
        } r{};
        r.t['i'] = r.t['I'] = 1;
        r.t['a'] = r.t['A'] = 2;
        r.t['r'] = r.t['R'] = 3;
        return r;
    }();
    const char *found[3] = {nullptr, nullptr, nullptr};
    for (std::size_t p = 0; p < text.size(); ++p) {
        const int k1 = kStarts.t[static_cast<unsigned char>(text[p])];
        if (k1 == 0) continue;
        const int k = k1 - 1;
        if (found[k]) continue;
        const std::string_view lead = kLeads[k];
        if (text.size() - p < lead.size() || !iequals(text.substr(p, lead.size()), lead)) continue;
        if (const char *cmd = command_after(text.substr(p + lead.size()))) {
            if (k == 0) return cmd;
            found[k] = cmd;
        }
    }
    for (const char *f : found)
        if (f) return f;
    return "";
}

}  // namespace carom::report
