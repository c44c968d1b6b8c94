// fields.cc's strip_comments as the replaced helpers called it (comments outside quoted strings
// removed; a value without '(' returned as it is), shared by the reference copies old_fields.hh
// and old_iso_date.hh.
#pragma once

#include <string>
#include <string_view>

namespace old_report_text {

// Removes comments outside quoted strings.
inline std::string strip_comments(std::string_view s) {
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

}  // namespace old_report_text
