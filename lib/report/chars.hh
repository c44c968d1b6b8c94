// ASCII character classes the field readers of lib/report share (internal to lib/report). Plain
// comparisons rather than <cctype>, whose answers depend on the locale.
#pragma once

namespace carom::report {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The value of a hexadecimal digit (either case), or -1.
inline int hexval(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace carom::report
