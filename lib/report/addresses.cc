// Addresses: the bare address of a report or header field, address lists, xtext. See addresses.hh.
#include "report/addresses.hh"

#include <cstdint>

#include "base/strings.hh"
#include "mime/decode.hh"
#include "report/chars.hh"
#include "report/fields.hh"

namespace carom::report {


namespace {

// RFC 6533 utf-8-addr-xtext / unitext escapes: "\x{HHHH}".
std::string unescape_embedded_unicode(std::string_view s) {
    if (s.find("\\x{") == std::string_view::npos) return std::string(s);
    std::string r;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.compare(i, 3, "\\x{") == 0) {
            std::size_t e = s.find('}', i + 3);
            if (e != std::string_view::npos && e - i - 3 >= 1 && e - i - 3 <= 6) {
                std::uint32_t cp = 0;
                bool ok = true;
                for (std::size_t k = i + 3; k < e; ++k) {
                    int d = hexval(s[k]);
                    if (d < 0) ok = false;
                    else cp = cp * 16 + static_cast<std::uint32_t>(d);
                }
                if (ok) {
                    append_utf8(r, cp);
                    i = e;
                    continue;
                }
            }
        }
        r.push_back(s[i]);
    }
    return r;
}

// RFC 5322 atext (RFC 6532: and any byte of a UTF-8 sequence).
bool is_atext(char c) {
    if (is_alpha(c) || is_digit(c) || static_cast<unsigned char>(c) >= 0x80) return true;
    for (char a : std::string_view("!#$%&'*+-/=?^_`{|}~"))
        if (c == a) return true;
    return false;
}

// A local part that needs no quotes: atext words separated by single dots.
bool is_dot_atom(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i + 1] == '.') return false;  // s does not end in '.': i + 1 is in range
        } else if (!is_atext(s[i])) {
            return false;
        }
    }
    return true;
}

// The offset of the quote that closes the quoted string opening at s[0] ('\\' escapes the next
// byte), or npos.
std::size_t closing_quote(std::string_view s) {
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (s[i] == '\\') ++i;
        else if (s[i] == '"') return i;
    }
    return std::string_view::npos;
}

}  // namespace

std::string unquote_address(std::string a) {
    if (a.size() < 2 || a.front() != '"') return a;
    std::size_t close = closing_quote(a);
    if (close == std::string::npos) return a;
    if (close == a.size() - 1) {
        // "local@domain" wrapped whole: the address inside, its local part quoted only when it
        // needs it.
        std::string_view in = std::string_view(a).substr(1, close - 1);
        std::size_t at = in.rfind('@');
        if (at == std::string_view::npos || at == 0 || at + 1 == in.size()) return a;
        std::string_view local = in.substr(0, at), domain = in.substr(at + 1);
        for (char c : domain)
            if (c == ' ' || c == '\t' || c == '"' || c == '\\') return a;
        if (is_dot_atom(local)) return std::string(in);
        return '"' + std::string(local) + "\"@" + std::string(domain);
    }
    // "local"@domain: the quotes go when the local part is a dot-atom (RFC 5321 4.1.2: the
    // same mailbox, written without them).
    if (a[close + 1] != '@' || close + 2 == a.size()) return a;
    std::string_view local = std::string_view(a).substr(1, close - 1);
    if (!is_dot_atom(local)) return a;
    return std::string(local) + a.substr(close + 1);
}

std::string xtext_decode(std::string_view s) {
    if (s.find('+') == std::string_view::npos) return std::string(s);  // nothing encoded: a copy
    std::string r;
    r.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+' && i + 2 < s.size() + 0 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0 &&
            (is_digit(s[i + 1]) || (s[i + 1] >= 'A' && s[i + 1] <= 'F')) &&
            (is_digit(s[i + 2]) || (s[i + 2] >= 'A' && s[i + 2] <= 'F'))) {
            r.push_back(static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else {
            r.push_back(s[i]);
        }
    }
    return r;
}

namespace {

// The common shapes, "local@domain" and "<local@domain>" of plain bytes (letters, digits and
// ". _ + - = @", not ending in '.'): the general steps of bare_address would return exactly the
// address, so it is taken as it is. False for any other shape.
bool plain_address(std::string_view t, std::string_view &address) {
    static constexpr auto kPlain = [] {
        struct Table {
            bool t[256];
        } r{};
        for (int c = 0; c < 256; ++c)
            r.t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                     c == '_' || c == '+' || c == '-' || c == '=' || c == '@';
        return r;
    }();
    std::string_view a = t;
    if (a.size() >= 2 && a.front() == '<' && a.back() == '>') a = a.substr(1, a.size() - 2);
    if (a.empty() || a.back() == '.') return false;
    for (char c : a)
        if (!kPlain.t[static_cast<unsigned char>(c)]) return false;
    address = a;
    return true;
}

// The address part of a comment-free mailbox: inside the last <...> that holds an '@' (a display
// name may itself look like an address), else the first <...>; after an unclosed '<'; without
// brackets, the word holding '@' ("Name user@example.org" written without brackets).
std::string_view address_part(std::string_view t) {
    // (A '>' before the first '<' closes nothing: the scan starts at the first '<', if any.)
    std::size_t lt = std::string_view::npos, best_lt = std::string_view::npos, best_gt = 0;
    for (std::size_t i = t.find('<'); i < t.size(); ++i) {
        if (t[i] == '<') lt = i;
        else if (t[i] == '>' && lt != std::string_view::npos) {
            std::string_view in = t.substr(lt + 1, i - lt - 1);
            if (best_lt == std::string_view::npos || in.find('@') != std::string_view::npos) {
                best_lt = lt;
                best_gt = i;
            }
            lt = std::string_view::npos;
        }
    }
    if (best_lt != std::string_view::npos) return trim(t.substr(best_lt + 1, best_gt - best_lt - 1));
    if (lt != std::string_view::npos) return trim(t.substr(lt + 1));  // "<user@example.org" without '>'
    std::size_t at = t.rfind('@');
    if (at != std::string_view::npos && t.find(' ') != std::string_view::npos && t.front() != '"') {
        std::size_t b = t.rfind(' ', at);
        std::size_t e = t.find(' ', at);
        b = b == std::string_view::npos ? 0 : b + 1;
        return t.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
    }
    return t;
}

// Drops what surrounds an address in prose and URLs: "mailto:", "smtp:", trailing punctuation,
// stray brackets and single quotes.
std::string_view without_wrapping(std::string_view t) {
    if (!t.empty() && (t[0] | 0x20) == 'm' && istarts_with(t, "mailto:")) t.remove_prefix(7);
    if (!t.empty() && (t[0] | 0x20) == 's' && istarts_with(t, "smtp:")) t.remove_prefix(5);
    while (!t.empty() && (t.back() == ',' || t.back() == ';' || t.back() == '.' || t.back() == ':')) t.remove_suffix(1);
    while (!t.empty() && (t.front() == '<' || t.front() == '\'')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == '>' || t.back() == '\'')) t.remove_suffix(1);
    return trim(t);
}

}  // namespace

std::string bare_address(std::string_view value) {
    // Views all the way: the only copies are the comment-free text when there are comments, and
    // the result.
    std::string_view t = strip_type_view(value);
    if (std::string_view plain; plain_address(t, plain)) return std::string(plain);
    std::string uncommented;
    if (t.find('(') != std::string_view::npos) {
        uncommented = strip_comments(t);
        t = uncommented;
    }
    t = without_wrapping(address_part(trim(t)));
    return unquote_address(unescape_embedded_unicode(t));
}

void append_address_list(std::string_view value, std::vector<std::string> &out) {
    const std::size_t base = out.size();  // the limit counts this value's addresses
    std::string uncommented;
    std::string_view v = value;
    if (value.find('(') != std::string_view::npos) {
        uncommented = strip_comments(value);
        v = uncommented;
    }
    std::size_t start = 0;
    bool quoted = false, angle = false;
    auto take = [&](std::size_t end) {
        std::string_view item = trim(v.substr(start, end - start));
        // group syntax: "name: a, b;" → drop "name:" (outside brackets and quotes)
        std::size_t colon = item.find(':');
        if (colon != std::string_view::npos && item.find('<') > colon && item.find('"') > colon &&
            item.find('@') > colon)
            item = trim(item.substr(colon + 1));
        std::string a = bare_address(item);
        if (!a.empty()) out.push_back(std::move(a));
    };
    // Only these bytes change the state below; the others are skipped with one table lookup.
    static constexpr auto kSpecial = [] {
        struct Table {
            bool t[256];
        } r{};
        for (unsigned char c : {'\\', '"', '<', '>', ',', ';'}) r.t[c] = true;
        return r;
    }();
    for (std::size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (!kSpecial.t[static_cast<unsigned char>(c)]) continue;
        if (c == '\\' && quoted) {
            ++i;
            continue;
        }
        if (c == '"') quoted = !quoted;
        else if (!quoted && c == '<') angle = true;
        else if (!quoted && c == '>') angle = false;
        else if (!quoted && !angle && (c == ',' || c == ';')) {
            take(i);
            start = i + 1;
        }
        if (out.size() - base >= 10000) return;
    }
    take(v.size());
}

std::vector<std::string> address_list(std::string_view value) {
    std::vector<std::string> out;
    append_address_list(value, out);
    return out;
}

}  // namespace carom::report
