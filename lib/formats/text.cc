#include "formats/text.hh"

#include <cctype>
#include <cstring>

namespace carom::formats {
namespace {

inline char lc(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Characters allowed in the local part / domain of the addresses bounces print.
inline bool addr_char(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u >= 0x80 || c == '.' || c == '-' || c == '_' || c == '+' || c == '=' ||
           c == '%' || c == '!' || c == '#' || c == '$' || c == '&' || c == '\'' || c == '*' || c == '/' ||
           c == '?' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}' || c == '~';
}

// How common a byte is in bounce text (higher = more common), folded to lower case. ifind anchors
// its search on the needle's least common byte and finds candidates with memchr (vectorised in
// libc), so that scanning a body for a marker costs about one memchr pass instead of a per-byte
// loop: the readers' detect steps call ifind dozens of times per message (docs/performance.md).
struct ByteRanks {
    unsigned char r[256];
    constexpr ByteRanks() : r() {
        const char *const tiers[] = {" ", "e", "taoinsr", "hldcum", "\n.pfgwyb", "0125-:,=", "vk@<>/34", "6789()\"_"};
        const unsigned char rank[] = {30, 26, 24, 20, 16, 14, 10, 8};
        for (int i = 0; i < 256; ++i) r[i] = 4;
        for (int t = 0; t < 8; ++t)
            for (const char *c = tiers[t]; *c; ++c) {
                r[static_cast<unsigned char>(*c)] = rank[t];
                if (*c >= 'a' && *c <= 'z') r[static_cast<unsigned char>(*c - 'a' + 'A')] = rank[t];
            }
    }
};
constexpr ByteRanks kByteRanks;
inline unsigned byte_rank(char c) { return kByteRanks.r[static_cast<unsigned char>(c)]; }

inline bool iequal_at(const char *h, std::string_view needle) {
    for (std::size_t k = 0; k < needle.size(); ++k)
        if (h[k] != needle[k] && lc(h[k]) != lc(needle[k])) return false;
    return true;
}

}  // namespace

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
    const std::size_t n = needle.size();
    if (n == 0) return from <= hay.size() ? from : std::string_view::npos;
    if (from > hay.size() || hay.size() - from < n) return std::string_view::npos;
    // Anchor: the needle's least common byte. Half the calls search a line of under 64 bytes,
    // where choosing costs more than it saves: there the first byte is the anchor.
    std::size_t k = 0;
    if (hay.size() - from >= 64 + n)
        for (std::size_t i = 1, best = byte_rank(needle[0]); i < n; ++i)
            if (byte_rank(needle[i]) < best) best = byte_rank(needle[i]), k = i;
    const char lo = lc(needle[k]);
    const char up = (lo >= 'a' && lo <= 'z') ? static_cast<char>(lo - 'a' + 'A') : lo;
    // Anchor positions run from from + k to hay.size() - n + k inclusive.
    const char *base = hay.data();
    const char *first = base + from + k, *end = base + (hay.size() - n + k) + 1;
    auto next = [end](const char *p, char c) -> const char * {
        return p < end ? static_cast<const char *>(std::memchr(p, c, static_cast<std::size_t>(end - p))) : nullptr;
    };
    const char *pl = next(first, lo), *pu = up != lo ? next(first, up) : nullptr;
    while (pl || pu) {
        const char *p;
        if (pl && (!pu || pl < pu)) {
            p = pl;
            pl = next(pl + 1, lo);
        } else {
            p = pu;
            pu = next(pu + 1, up);
        }
        if (iequal_at(p - k, needle)) return static_cast<std::size_t>(p - k - base);
    }
    return std::string_view::npos;
}

bool icontains(std::string_view hay, std::string_view needle) { return ifind(hay, needle) != std::string_view::npos; }

bool istarts_with(std::string_view s, std::string_view p) {
    if (s.size() < p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (s[i] != p[i] && lc(s[i]) != lc(p[i])) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i <= text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string_view::npos) {
            if (i < text.size()) out.push_back(text.substr(i));
            break;
        }
        out.push_back(text.substr(i, e - i));
        i = e + 1;
    }
    return out;
}

namespace {

// Finds an address around the '@' at position at; returns [b, e) or b == e when not an address.
bool address_at(std::string_view t, std::size_t at, std::size_t &b, std::size_t &e) {
    b = at;
    while (b > 0 && addr_char(t[b - 1])) --b;
    e = at + 1;
    while (e < t.size() && (addr_char(t[e]) && t[e] != '/' && t[e] != '?' && t[e] != '\'')) ++e;
    // Trim punctuation that ends sentences rather than domains.
    while (e > at + 1 && (t[e - 1] == '.' || t[e - 1] == '-')) --e;
    while (b < at && (t[b] == '.' || t[b] == '\'' || t[b] == '`')) ++b;
    if (b == at || e == at + 1) return false;
    std::string_view dom = t.substr(at + 1, e - at - 1);
    return dom.find('.') != std::string_view::npos || dom == "localhost" || dom.size() > 0;
}

}  // namespace

std::vector<std::string> find_addresses(std::string_view t) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = t.find('@', pos)) != std::string_view::npos) {
        std::size_t b, e;
        if (address_at(t, pos, b, e)) {
            std::string a(t.substr(b, e - b));
            if (istarts_with(a, "rfc822;")) a.erase(0, 7);
            bool seen = false;
            for (const auto &x : out) seen = seen || lower(x) == lower(a);
            if (!seen) out.push_back(std::move(a));
            pos = e;
        } else {
            ++pos;
        }
    }
    return out;
}

std::string find_address(std::string_view t) {
    // Prefer an address in angle brackets.
    std::size_t lt = 0;
    while ((lt = t.find('<', lt)) != std::string_view::npos) {
        std::size_t gt = t.find('>', lt);
        if (gt == std::string_view::npos) break;
        std::string_view in = trim(t.substr(lt + 1, gt - lt - 1));
        if (istarts_with(in, "mailto:")) in.remove_prefix(7);
        std::size_t at = in.find('@');
        if (at != std::string_view::npos && at > 0 && in.find(' ') == std::string_view::npos)
            return std::string(in);
        lt = gt;
    }
    // The first address find_addresses would list, without listing the others.
    for (std::size_t pos = 0; (pos = t.find('@', pos)) != std::string_view::npos; ++pos) {
        std::size_t b, e;
        if (!address_at(t, pos, b, e)) continue;
        std::string a(t.substr(b, e - b));
        if (istarts_with(a, "rfc822;")) a.erase(0, 7);
        return a;
    }
    return std::string();
}

std::string lone_address(std::string_view t) {
    t = trim(t);
    if (t.empty() || t.find(' ') != std::string_view::npos || t.find('\t') != std::string_view::npos) return "";
    if (t.front() == '<' && t.back() == '>') t = t.substr(1, t.size() - 2);
    if (t.find('@') == std::string_view::npos || t.find('<') != std::string_view::npos) return "";
    return find_address(t);
}

std::string find_status(std::string_view t) {
    // A code has a '.' right after its class digit: visit only the bytes before a '.', in order
    // (memchr), which finds the same first code as testing every byte.
    for (std::size_t d = t.find('.', 1); d != std::string_view::npos; d = t.find('.', d + 1)) {
        const std::size_t i = d - 1;
        if (i + 5 > t.size()) break;
        char c = t[i];
        if (c != '2' && c != '4' && c != '5') continue;
        if (i > 0 && (is_digit(t[i - 1]) || t[i - 1] == '.' || std::isalpha(static_cast<unsigned char>(t[i - 1]))))
            continue;
        if (t[i + 1] != '.') continue;
        std::size_t j = i + 2, d1 = 0;
        while (j < t.size() && is_digit(t[j]) && d1 < 3) ++j, ++d1;
        if (d1 == 0 || j >= t.size() || t[j] != '.') continue;
        std::size_t k = j + 1, d2 = 0;
        while (k < t.size() && is_digit(t[k]) && d2 < 3) ++k, ++d2;
        if (d2 == 0) continue;
        if (k < t.size() && (is_digit(t[k]) || (t[k] == '.' && k + 1 < t.size() && is_digit(t[k + 1])))) continue;
        return std::string(t.substr(i, k - i));
    }
    return "";
}

std::string find_reply_code(std::string_view t) {
    for (std::size_t i = 0; i + 3 <= t.size(); ++i) {
        char c = t[i];
        if (c != '2' && c != '4' && c != '5') continue;
        if (i > 0 && (is_digit(t[i - 1]) || std::isalnum(static_cast<unsigned char>(t[i - 1])) || t[i - 1] == '.'))
            continue;
        if (!is_digit(t[i + 1]) || !is_digit(t[i + 2])) continue;
        if (t[i + 1] > '5') continue;
        if (i + 3 < t.size()) {
            char n = t[i + 3];
            if (!(n == ' ' || n == '-' || n == '\t' || n == '\n' || n == ')' || n == ']' || n == ','))
                continue;
        }
        return std::string(t.substr(i, 3));
    }
    return "";
}

std::string find_command(std::string_view t) {
    struct Cmd {
        const char *text, *name;
    };
    static constexpr Cmd kCmds[] = {
        {"rcpt to", "RCPT"}, {"mail from", "MAIL"}, {"end of data", "DATA"}, {"data command", "DATA"},
        {"after data", "DATA"}, {"ehlo", "EHLO"}, {"helo", "HELO"}, {"starttls", "STARTTLS"},
        {"auth ", "AUTH"}, {"refused to talk to me", "CONN"}, {"after initial connection", "CONN"},
        {"during greeting", "CONN"}, {"our final data", "DATA"}, {"after sending data", "DATA"},
        {"after i sent the message", "DATA"}, {"does not like recipient", "RCPT"}, {"does not like sender", "MAIL"},
        {"after pipelined data", "DATA"}, {"my name was rejected", "HELO"}, {"sender was rejected", "MAIL"},
        {"greeting failed", "CONN"},
    };
    // The command whose last occurrence starting a word ("email from" is not "mail from") comes
    // last; at equal positions the first in the table. One pass over t: at each word start, the
    // commands are tried in table order and a match replaces the answer (positions only grow, so
    // the last word start where any command matches wins, and there the first in table order).
    // The commands' first letters, lower case: a cheap test before trying them.
    struct FirstBytes {
        bool b[256];
        constexpr FirstBytes() : b() {
            for (const char *c = "rmedahsogRMEDAHSOG"; *c; ++c) b[static_cast<unsigned char>(*c)] = true;
        }
    };
    static constexpr FirstBytes kFirst;
    const char *name = "";
    for (std::size_t q = 0; q < t.size(); ++q) {
        if (!kFirst.b[static_cast<unsigned char>(t[q])]) continue;
        if (q > 0 && std::isalnum(static_cast<unsigned char>(t[q - 1]))) continue;
        const std::string_view rest = t.substr(q);
        for (const auto &c : kCmds)
            if (lc(t[q]) == c.text[0] && istarts_with(rest, c.text)) {
                name = c.name;
                break;
            }
    }
    return name;
}

}  // namespace carom::formats

// --- helpers added with the provider readers (additive) ---
namespace carom::formats {

std::string squeeze(std::string_view s) {
    std::string out(s.size(), '\0');  // the result is never longer; written through a pointer
    char *const begin = &out[0];
    char *w = begin;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = w != begin;
            continue;
        }
        if (space) *w++ = ' ';
        space = false;
        *w++ = c;
    }
    out.resize(static_cast<std::size_t>(w - begin));
    return out;
}

std::string_view before_original(std::string_view text) {
    static constexpr const char *kMarkers[] = {
        "----- original message -----",
        "--- below this line is a copy of the message",
        "------ this is a copy of the message",
        "----- message header follows -----",
    };
    std::size_t best = text.size();
    for (const char *m : kMarkers) {
        std::size_t p = ifind(text, m);
        if (p != std::string_view::npos && p < best) best = p;
    }
    std::size_t p = ifind(text, "\ncontent-type: message/rfc822");
    if (p != std::string_view::npos && p < best) best = p;
    p = ifind(text, "\ncontent-type: text/rfc822-headers");
    if (p != std::string_view::npos && p < best) best = p;
    return text.substr(0, best);
}

std::string host_after(std::string_view text, std::string_view marker) {
    std::size_t p = ifind(text, marker);
    if (p == std::string_view::npos) return "";
    p += marker.size();
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t' || text[p] == '[' || text[p] == '(' || text[p] == '<')) ++p;
    std::size_t e = p;
    while (e < text.size()) {
        unsigned char c = static_cast<unsigned char>(text[e]);
        if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':')) break;
        ++e;
    }
    std::string h(text.substr(p, e - p));
    while (!h.empty() && (h.back() == '.' || h.back() == ':')) h.pop_back();
    if (h.find('.') == std::string::npos && h.find(':') == std::string::npos) return "";
    return h;
}

}  // namespace carom::formats
