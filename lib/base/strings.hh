// The string helpers of every layer (mime, report, formats, rules, classify): character classes,
// trimming, ASCII case folding and comparison, UTF-8 output. One copy of each, so that "white
// space" or "equal ignoring case" means the same thing everywhere. Header-only: header parsing
// and the format readers call them for nearly every line.
//
// Everything here is ASCII-only and locale-free: bytes >= 0x80 are never letters, digits or
// white space, and case folding touches A-Z only. (Unicode-aware text work, such as the rules'
// normalisation, goes through ICU instead.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace carom {

// ---- character classes ---------------------------------------------------------------------

// White space as isspace() says in the "C" locale: SP, HT, LF, VT, FF, CR. The one set used for
// trimming and blank lines everywhere: a VT or FF at the end of a header value or a bounce line
// is no more meaningful than a space.
inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
// RFC 5234 WSP, SP or HT only: what starts a folded header line (RFC 5322 2.2.3) and what
// separates the words of a rule file. A narrower set on purpose: a line starting with FF is not a
// continuation.
inline bool is_wsp(char c) { return c == ' ' || c == '\t'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
// The value of a hexadecimal digit (either case), -1 for any other byte.
inline int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
// A non-empty run of decimal / hexadecimal digits.
inline bool all_digits(std::string_view s) {
    for (char c : s)
        if (!is_digit(c)) return false;
    return !s.empty();
}
inline bool all_hex(std::string_view s) {
    for (char c : s)
        if (hex_value(c) < 0) return false;
    return !s.empty();
}

// ---- trimming ------------------------------------------------------------------------------

// `s` without the is_space() bytes at both ends (a view into `s`).
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}
// True when `s` is empty or holds only is_space() bytes (a blank line).
inline bool is_blank(std::string_view s) {
    for (char c : s)
        if (!is_space(c)) return false;
    return true;
}

// ---- ASCII case ----------------------------------------------------------------------------

inline char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Copies of `s` with the ASCII letters lower-cased / upper-cased; other bytes are kept.
inline std::string lower(std::string_view s) {
    std::string o(s);
    for (char &c : o) c = to_lower(c);
    return o;
}
inline std::string upper(std::string_view s) {
    std::string o(s);
    for (char &c : o) c = to_upper(c);
    return o;
}

// ASCII case-insensitive equality.
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i] && to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

// Prefix and suffix tests: exact, and ASCII case-insensitive.
inline bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
inline bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
inline bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// The words of `s`: the runs of bytes that are not separators (is_space() by default).
inline std::vector<std::string_view> split_words(std::string_view s, bool (*separator)(char) = is_space) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && separator(s[i])) ++i;
        const std::size_t b = i;
        while (i < s.size() && !separator(s[i])) ++i;
        if (i > b) out.push_back(s.substr(b, i - b));
    }
    return out;
}

// ---- UTF-8 ---------------------------------------------------------------------------------

// Appends the UTF-8 encoding of code point `cp`; NUL, surrogates and values above U+10FFFF
// become U+FFFD.
inline void append_utf8(std::string &out, std::uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Cuts `s` to at most n bytes, at a UTF-8 character boundary.
inline void cut_utf8(std::string &s, std::size_t n) {
    if (s.size() <= n) return;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
}

}  // namespace carom
