#include "formats/text.hh"

#include <cctype>
#include <cstdint>
#include <cstring>

namespace carom::formats {
namespace {


// Characters allowed in the local part / domain of the addresses bounces print: letters, digits,
// every byte >= 0x80 and the punctuation below (a table: address_at tests every byte it walks).
struct AddrChars {
    bool b[256];
    constexpr AddrChars() : b() {
        for (int u = 0; u < 256; ++u)
            b[u] = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
        for (const char *p = ".-_+=%!#$&'*/?^`{|}~"; *p; ++p) b[static_cast<unsigned char>(*p)] = true;
    }
};
constexpr AddrChars kAddrChars;
inline bool addr_char(char c) { return kAddrChars.b[static_cast<unsigned char>(c)]; }

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

// Eight bytes as one little-endian word (memcpy: no alignment needed).
inline std::uint64_t load64(const char *p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
// Bit 7 of each byte of the result: that byte of x is an ASCII letter or digit (SWAR; no carry
// crosses a byte, since every sum below stays under 0x100).
inline std::uint64_t alnum_mask(std::uint64_t x) {
    const std::uint64_t x7 = x & ~kHighs;
    const std::uint64_t digit = (x7 + kOnes * (0x80 - '0')) ^ (x7 + kOnes * (0x7F - '9'));
    const std::uint64_t y = x7 | kOnes * 0x20;  // A-Z -> a-z
    const std::uint64_t alpha = (y + kOnes * (0x80 - 'a')) ^ (y + kOnes * (0x7F - 'z'));
    return (digit | alpha) & ~x & kHighs;
}

// Bit 7 of each byte of the result: that byte of x is zero (exact, no borrow between bytes).
inline std::uint64_t zero_bytes(std::uint64_t y) { return ~(((y & ~kHighs) + ~kHighs) | y | ~kHighs); }

// Bit 7 of each byte of the result: that byte of x is A-Z.
inline std::uint64_t upper_mask(std::uint64_t x) {
    const std::uint64_t x7 = x & ~kHighs;
    return ((x7 + kOnes * (0x80 - 'A')) ^ (x7 + kOnes * (0x7F - 'Z'))) & ~x & kHighs;
}

inline bool iequal_at(const char *h, std::string_view needle) {
    for (std::size_t k = 0; k < needle.size(); ++k)
        if (h[k] != needle[k] && to_lower(h[k]) != to_lower(needle[k])) return false;
    return true;
}

}  // namespace

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
    const std::size_t n = needle.size();
    if (n == 0) return from <= hay.size() ? from : std::string_view::npos;
    if (from > hay.size() || hay.size() - from < n) return std::string_view::npos;
    // Anchor: the least common of the needle's first 12 bytes (any anchor finds the same first
    // match; ranking a long needle's tail cost more than it saved). Half the calls search a line
    // of under 64 bytes, where choosing costs more than it saves: there the first byte is the anchor.
    std::size_t k = 0;
    if (hay.size() - from >= 64 + n)
        for (std::size_t i = 1, best = byte_rank(needle[0]), m = n < 12 ? n : 12; i < m; ++i) {
            const unsigned r = byte_rank(needle[i]);
            if (r < best) best = r, k = i;
        }
    const char lo = to_lower(needle[k]);
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

std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    out.reserve(text.size() / 32 + 4);  // most lines are longer than 32 bytes: one allocation
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
            bool seen = false;  // ASCII case-insensitive, as lower(x) == lower(a) without the copies
            for (const auto &x : out) seen = seen || (x.size() == a.size() && istarts_with(x, a));
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
        if (i > 0 && (is_digit(t[i - 1]) || t[i - 1] == '.' || is_alpha(t[i - 1])))
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
    // A code at i: 2xx/4xx/5xx with a second digit 0-5, not inside a word, number or dotted
    // token, and followed by the end, white space or one of - ) ] ,
    auto code_at = [t](std::size_t i) {
        if (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == '.')) return false;
        if (!is_digit(t[i + 1]) || !is_digit(t[i + 2])) return false;
        if (t[i + 1] > '5') return false;
        if (i + 3 < t.size()) {
            char n = t[i + 3];
            if (!(n == ' ' || n == '-' || n == '\t' || n == '\n' || n == ')' || n == ']' || n == ',')) return false;
        }
        return true;
    };
    std::size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    // Eight bytes at a time: only the bytes '2', '4' and '5' are tried, in order.
    for (; i + 8 <= t.size(); i += 8) {
        const std::uint64_t x = load64(t.data() + i);
        for (std::uint64_t m = zero_bytes(x ^ (kOnes * '2')) | zero_bytes((x | kOnes) ^ (kOnes * '5')); m != 0; m &= m - 1) {
            const std::size_t k = i + static_cast<std::size_t>(__builtin_ctzll(m) >> 3);
            if (k + 3 <= t.size() && code_at(k)) return std::string(t.substr(k, 3));
        }
    }
#endif
    for (; i + 3 <= t.size(); ++i) {
        const char c = t[i];
        if ((c == '2' || c == '4' || c == '5') && code_at(i)) return std::string(t.substr(i, 3));
    }
    return "";
}

namespace {

// find_command's commands: the text (lower case: letters and spaces) and the command it names.
struct Cmd {
    std::string_view text;
    const char *name;
};
constexpr Cmd kCmds[] = {
    {"rcpt to", "RCPT"}, {"mail from", "MAIL"}, {"end of data", "DATA"}, {"data command", "DATA"},
    {"after data", "DATA"}, {"ehlo", "EHLO"}, {"helo", "HELO"}, {"starttls", "STARTTLS"},
    {"auth ", "AUTH"}, {"refused to talk to me", "CONN"}, {"after initial connection", "CONN"},
    {"during greeting", "CONN"}, {"our final data", "DATA"}, {"after sending data", "DATA"},
    {"after i sent the message", "DATA"}, {"does not like recipient", "RCPT"}, {"does not like sender", "MAIL"},
    {"after pipelined data", "DATA"}, {"my name was rejected", "HELO"}, {"sender was rejected", "MAIL"},
    {"greeting failed", "CONN"},
};
// find_command's index of kCmds by their first two letters.
struct Index {
    bool alnum[256];
    // Per lower-case first letter, the commands starting with it in table order (-1 ends).
    signed char first[26][8];
    // Per lower-case first letter, the second letters (bit c - 'a') some command has there.
    std::uint32_t second[26];
    constexpr Index() : alnum(), first(), second() {
        for (int c = 0; c < 256; ++c)
            alnum[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int n[26] = {};
        for (auto &row : first)
            for (auto &x : row) x = -1;
        for (int i = 0; i < static_cast<int>(sizeof kCmds / sizeof kCmds[0]); ++i) {
            const int l = kCmds[i].text[0] - 'a';
            first[l][n[l]++] = static_cast<signed char>(i);
            second[l] |= std::uint32_t{1} << (kCmds[i].text[1] - 'a');
        }
    }
};
constexpr Index kIndex;

}  // namespace

std::string find_command(std::string_view t) {
    // The command whose last occurrence starting a word ("email from" is not "mail from") comes
    // last; at equal positions the first in the table. One pass over t: at each word start, the
    // commands beginning with that letter are tried in table order and a match replaces the
    // answer (positions only grow, so the last word start where any command matches wins, and
    // there the first in table order). Word starts are found with a byte table, not isalnum().
    const char *name = "";
    const char *const b = t.data(), *const e = b + t.size();
    // The word starting at w: the commands beginning with its letter, in table order.
    auto try_at = [&name, e](const char *w) {
        const unsigned char l = static_cast<unsigned char>(to_lower(*w) - 'a');
        if (l >= 26 || w + 1 == e) return;  // every command starts with a letter and has 4+ bytes
        const char second = to_lower(w[1]);
        // Most words fail here: no command begins with their first two letters.
        if (static_cast<unsigned char>(second - 'a') >= 26 || !(kIndex.second[l] >> (second - 'a') & 1)) return;
        const std::size_t room = static_cast<std::size_t>(e - w);
        for (const signed char *k = kIndex.first[l]; *k >= 0; ++k) {
            // The first two bytes match; the rest, folded (the texts are lower case already).
            const std::string_view c = kCmds[*k].text;
            if (c[1] != second || c.size() > room) continue;
            std::size_t i = 2;
            while (i < c.size() && to_lower(w[i]) == c[i]) ++i;
            if (i == c.size()) {
                name = kCmds[*k].name;
                return;
            }
        }
    };
    const char *p = b;
    bool prev = false;  // the byte before p is a letter or digit
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    // Eight bytes at a time: the word starts are the letters and digits not after one.
    std::uint64_t carry = 0;  // bit 7: the byte before p is a letter or digit
    for (; e - p >= 8; p += 8) {
        const std::uint64_t a = alnum_mask(load64(p));
        for (std::uint64_t starts = a & ~((a << 8) | carry); starts != 0; starts &= starts - 1)
            try_at(p + (__builtin_ctzll(starts) >> 3));
        carry = a >> 56;
    }
    prev = carry != 0;
#endif
    for (; p < e; ++p) {
        const bool cur = kIndex.alnum[static_cast<unsigned char>(*p)];
        if (cur && !prev) try_at(p);
        prev = cur;
    }
    return name;
}

}  // namespace carom::formats

// --- helpers added with the provider readers (additive) ---
namespace carom::formats {

namespace {

// Writes the squeezed s from begin (optionally folding A-Z to a-z); returns its end. The output
// is never longer than s and never gets ahead of the byte being read, so begin may be s itself.
template <bool kLower>
char *squeeze_to(std::string_view s, char *const begin) {
    struct Spaces {
        bool b[256];
        constexpr Spaces() : b() { b[' '] = b['\t'] = b['\n'] = b['\r'] = true; }
    };
    static constexpr Spaces kSpace;
    char *w = begin;
    bool space = false;  // white space read since the last byte written (never before the first)
    auto step = [&w, &space, begin](char c) {
        if (kSpace.b[static_cast<unsigned char>(c)]) {
            space = w != begin;
            return;
        }
        if (space) *w++ = ' ';
        space = false;
        *w++ = kLower ? to_lower(c) : c;
    };
    const char *r = s.data(), *const e = r + s.size();
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    // Eight bytes at a time where they hold no control byte and no two spaces in a row (most of
    // a diagnostic): such a word is written as it is (folded), just as the loop below would write
    // it: a space that ends it becomes the pending space, one that starts it stands for the
    // pending one (and is dropped only at the very start). The word is read before it is written
    // and w never passes r (w + space <= r), so begin may be s itself.
    while (e - r >= 8) {
        const std::uint64_t x = load64(r);
        const std::uint64_t y = x ^ (kOnes * ' ');
        const std::uint64_t sp = (y - kOnes) & ~y & kHighs;          // every space (and maybe more)
        const std::uint64_t ctl = (x - kOnes * 0x20) & ~x & kHighs;  // non-zero: a byte < 0x20
        const bool lead = (x & 0xFF) == ' ', trail = (x >> 56) == ' ';
        if (ctl == 0 && (sp & (sp << 8)) == 0 && !(lead && w == begin)) {
            if (space && !lead) *w++ = ' ';
            const std::uint64_t v = kLower ? x | upper_mask(x) >> 2 : x;
            std::memcpy(w, &v, sizeof v);
            w += trail ? 7 : 8, r += 8;
            space = trail;
            continue;
        }
        for (const char *stop = r + 8; r < stop; ++r) step(*r);
    }
#endif
    for (; r < e; ++r) step(*r);
    return w;
}

template <bool kLower>
std::string squeeze_impl(std::string_view s) {
    std::string out(s.size(), '\0');
    out.resize(static_cast<std::size_t>(squeeze_to<kLower>(s, &out[0]) - &out[0]));
    return out;
}

}  // namespace

std::string squeeze(std::string_view s) { return squeeze_impl<false>(s); }

std::string squeeze_lower(std::string_view s) { return squeeze_impl<true>(s); }

void squeeze_in_place(std::string &s) {
    if (s.empty()) return;
    s.resize(static_cast<std::size_t>(squeeze_to<false>(s, &s[0]) - &s[0]));
}

std::string_view before_original(std::string_view text) {
    std::size_t best = text.size();
    for (std::string_view m : kOriginalStarts) {
        const std::size_t p = ifind(text, m);
        if (p != std::string_view::npos && p < best) best = p;
    }
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
        if (!(is_alnum(static_cast<char>(c)) || c == '.' || c == '-' || c == '_' || c == ':')) break;
        ++e;
    }
    std::string h(text.substr(p, e - p));
    while (!h.empty() && (h.back() == '.' || h.back() == ':')) h.pop_back();
    if (h.find('.') == std::string::npos && h.find(':') == std::string::npos) return "";
    return h;
}

}  // namespace carom::formats
