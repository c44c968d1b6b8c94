// The address helpers of fields.cc as they were before they moved to views (commit "report:
// bare_address, address_list and host_of work on views"), kept as the reference the current
// ones are compared against.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.hh"
#include "mime/decode.hh"
#include "old_comments.hh"

namespace old_fields {

using carom::append_utf8;
using carom::iequals;
using carom::istarts_with;
using carom::lower;
using carom::trim;

namespace {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline int hexval(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

using old_report_text::strip_comments;

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

}  // namespace

inline std::string strip_type(std::string_view value) {
    std::string_view v = trim(value);
    std::size_t semi = v.find(';');
    if (semi != std::string_view::npos && semi > 0 && semi < 20) {
        bool token = true;
        for (std::size_t k = 0; k < semi; ++k) {
            char c = v[k];
            if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == ' ')) token = false;
        }
        if (token) v = trim(v.substr(semi + 1));
    }
    return std::string(v);
}

inline std::string xtext_decode(std::string_view s) {
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

inline std::string bare_address(std::string_view value) {
    std::string v = strip_type(value);
    v = strip_comments(v);
    std::string_view t = trim(v);
    // Angle brackets: the last <...> that holds an '@' (a display name may itself look like an
    // address), else the first <...>.
    std::size_t lt = std::string_view::npos, best_lt = std::string_view::npos, best_gt = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
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
    if (best_lt != std::string_view::npos) {
        t = trim(t.substr(best_lt + 1, best_gt - best_lt - 1));
    } else if (lt != std::string_view::npos) {  // "<user@example.org" without '>'
        t = trim(t.substr(lt + 1));
    } else {
        // No brackets: the word holding '@' ("Name user@example.org" written without brackets).
        std::size_t at = t.rfind('@');
        if (at != std::string_view::npos && t.find(' ') != std::string_view::npos && t.front() != '"') {
            std::size_t b = t.rfind(' ', at);
            std::size_t e = t.find(' ', at);
            b = b == std::string_view::npos ? 0 : b + 1;
            t = t.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
        }
    }
    if (istarts_with(t, "mailto:")) t.remove_prefix(7);
    if (istarts_with(t, "smtp:")) t.remove_prefix(5);
    // Trailing punctuation picked up from prose or lists.
    while (!t.empty() && (t.back() == ',' || t.back() == ';' || t.back() == '.' || t.back() == ':')) t.remove_suffix(1);
    while (!t.empty() && (t.front() == '<' || t.front() == '\'')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == '>' || t.back() == '\'')) t.remove_suffix(1);
    t = trim(t);
    return unescape_embedded_unicode(t);
}

inline std::vector<std::string> address_list(std::string_view value) {
    std::vector<std::string> out;
    std::string v = strip_comments(value);
    std::size_t start = 0;
    bool quoted = false, angle = false;
    auto take = [&](std::size_t end) {
        std::string_view item = trim(std::string_view(v).substr(start, end - start));
        // group syntax: "name: a, b;" → drop "name:" (outside brackets and quotes)
        std::size_t colon = item.find(':');
        if (colon != std::string_view::npos && item.find('<') > colon && item.find('"') > colon &&
            item.find('@') > colon)
            item = trim(item.substr(colon + 1));
        std::string a = bare_address(item);
        if (!a.empty()) out.push_back(std::move(a));
    };
    for (std::size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
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
        if (out.size() >= 10000) return out;
    }
    take(v.size());
    return out;
}


inline std::string command_from_text(std::string_view text) {
    std::string l = lower(text);
    struct Cmd {
        const char *needle;
        const char *cmd;
    };
    static constexpr Cmd kCmds[] = {
        {"rcpt to", "RCPT"}, {"mail from", "MAIL"}, {"end of data", "DATA"}, {"data command", "DATA"},
        {"ehlo", "EHLO"},    {"helo", "HELO"},      {"connect to", "CONN"},
    };
    for (const char *lead : {"in reply to ", "after ", "reply to "}) {
        std::size_t p = l.find(lead);
        while (p != std::string::npos) {
            std::string_view rest = std::string_view(l).substr(p + std::char_traits<char>::length(lead));
            for (const Cmd &c : kCmds)
                if (rest.compare(0, std::char_traits<char>::length(c.needle), c.needle) == 0) return c.cmd;
            if (rest.compare(0, 4, "data") == 0) return "DATA";
            p = l.find(lead, p + 1);
        }
    }
    return "";
}

}  // namespace old_fields
