// The transfer decoders (base64, quoted-printable), UTF-8 validation and the Content-Type
// parsers: parameter lists with RFC 2231 sections, and the quick path for the common forms.
#include "mime/decode.hh"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "base/strings.hh"
#include "mime/message.hh"

namespace carom::mime {

namespace {

// Value of each base64 alphabet byte, -1 elsewhere; indexed by unsigned char so no read can
// leave the table (mimetic's decoder indexes its table with signed chars).
struct B64Table {
    signed char v[256];
    constexpr B64Table() : v() {
        for (int i = 0; i < 256; ++i) v[i] = -1;
        const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i) v[static_cast<unsigned char>(a[i])] = static_cast<signed char>(i);
        // URL-safe alphabet too: some gateways write it.
        v[static_cast<unsigned char>('-')] = 62;
        v[static_cast<unsigned char>('_')] = 63;
    }
};
constexpr B64Table kB64{};

}  // namespace

std::string decode_base64(std::string_view in) {
    // Written through a pointer into a buffer of the largest possible size. Whole quanta of four
    // alphabet bytes (the bulk of every line) are decoded at once; anything else (line breaks,
    // junk, '=') goes through the byte-at-a-time state machine.
    std::string out(in.size() / 4 * 3 + 3, '\0');
    char *w = out.data();
    const auto *p = reinterpret_cast<const unsigned char *>(in.data());
    const std::size_t n = in.size();
    std::uint32_t acc = 0;
    int bits = 0;
    std::size_t i = 0;
    while (i < n) {
        if (bits == 0 && i + 4 <= n) {
            const int a = kB64.v[p[i]], b = kB64.v[p[i + 1]], c = kB64.v[p[i + 2]], d = kB64.v[p[i + 3]];
            if ((a | b | c | d) >= 0) {
                const std::uint32_t q = (static_cast<std::uint32_t>(a) << 18) | (static_cast<std::uint32_t>(b) << 12) |
                                        (static_cast<std::uint32_t>(c) << 6) | static_cast<std::uint32_t>(d);
                *w++ = static_cast<char>(q >> 16);
                *w++ = static_cast<char>((q >> 8) & 0xFF);
                *w++ = static_cast<char>(q & 0xFF);
                i += 4;
                continue;
            }
        }
        const unsigned char ch = p[i++];
        if (ch == '=') {  // end of a quantum: drop the partial bits, start afresh
            acc = 0;
            bits = 0;
            continue;
        }
        int v = kB64.v[ch];
        if (v < 0) continue;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *w++ = static_cast<char>((acc >> bits) & 0xFF);
            acc &= (1u << bits) - 1;
        }
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return out;
}

std::string decode_qp(std::string_view in, bool q) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (!q) {  // copy the run up to the next '=' at once
            const void *eq = std::memchr(in.data() + i, '=', in.size() - i);
            std::size_t stop = eq ? static_cast<std::size_t>(static_cast<const char *>(eq) - in.data()) : in.size();
            out.append(in.data() + i, stop - i);
            i = stop;
            if (i >= in.size()) break;
        }
        char c = in[i];
        if (q && c == '_') {
            out.push_back(' ');
            continue;
        }
        if (c != '=') {
            out.push_back(c);
            continue;
        }
        if (i + 2 < in.size() + 0 && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
            i += 2;
            continue;
        }
        if (!q) {  // soft line break, possibly with white space before the line end
            std::size_t j = i + 1;
            while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
            if (j >= in.size()) {
                i = j;
                continue;
            }
            if (in[j] == '\n') {
                i = j;
                continue;
            }
        }
        out.push_back('=');
    }
    return out;
}

bool valid_utf8(std::string_view s) {
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    std::size_t n = s.size(), i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        std::uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
        else return false;
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

// ---- parameters ---------------------------------------------------------------------------

namespace {

// first: the name, lower case, as written (with any "*N*" suffix); second: the value, unquoted.
// The same type as Params, so that the common list (no RFC 2231 sections, no duplicates, no
// encoded words) is returned as it is.
using RawParam = std::pair<std::string, std::string>;

// Skips white space and RFC 5322 comments (nested, with quoted pairs) from position i.
std::size_t skip_cfws(std::string_view s, std::size_t i) {
    while (i < s.size()) {
        if (is_space(s[i])) {
            ++i;
        } else if (s[i] == '(') {
            int depth = 0;
            while (i < s.size()) {
                if (s[i] == '\\') {
                    i += 2;
                    continue;
                }
                if (s[i] == '(') ++depth;
                if (s[i] == ')' && --depth == 0) {
                    ++i;
                    break;
                }
                ++i;
            }
        } else {
            break;
        }
    }
    return std::min(i, s.size());
}

std::vector<RawParam> split_params(std::string_view s) {
    std::vector<RawParam> out;
    out.reserve(4);  // real headers: one to three parameters
    std::size_t i = 0;
    while (i < s.size()) {
        i = skip_cfws(s, i);
        if (i < s.size() && s[i] == ';') {
            ++i;
            continue;
        }
        std::size_t ns = i;
        while (i < s.size() && s[i] != '=' && s[i] != ';' && !is_space(s[i])) ++i;
        std::string name = lower(s.substr(ns, i - ns));
        i = skip_cfws(s, i);
        if (i >= s.size() || s[i] != '=') {
            // a bare word without '=': skip to the next ';'
            while (i < s.size() && s[i] != ';') ++i;
            if (i == ns) ++i;
            continue;
        }
        ++i;  // '='
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
        std::string value;
        if (i < s.size() && s[i] == '"') {
            ++i;
            // The usual quoted value has no quoted pair: one copy instead of a byte loop.
            std::size_t q = i;
            while (q < s.size() && s[q] != '"' && s[q] != '\\') ++q;
            value.assign(s.data() + i, q - i);
            i = q;
            while (i < s.size() && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < s.size()) ++i;
                value.push_back(s[i]);
                ++i;
            }
            if (i < s.size()) ++i;  // closing quote (missing one tolerated)
            while (i < s.size() && s[i] != ';') ++i;
        } else {
            std::size_t vs = i;
            while (i < s.size() && s[i] != ';') ++i;
            value = std::string(trim(s.substr(vs, i - vs)));
            // drop a trailing comment: boundary=abc (comment)
            std::size_t c = value.find(" (");
            if (c != std::string::npos) value = std::string(trim(std::string_view(value).substr(0, c)));
        }
        // Real headers carry a handful of parameters; a cap keeps hostile lists linear.
        if (!name.empty() && out.size() < 256) out.emplace_back(std::move(name), std::move(value));
    }
    return out;
}

std::string percent_decode(std::string_view s) {
    std::string r;
    r.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() + 0 && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            r.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            r.push_back(s[i]);
        }
    }
    return r;
}

}  // namespace

namespace {

// No RFC 2231 section, no encoded word and no name twice: the list is the result as it is.
bool plain_params(const std::vector<RawParam> &raw) {
    for (std::size_t k = 0; k < raw.size(); ++k) {
        const RawParam &p = raw[k];
        if (p.first.find('*') != std::string::npos || p.second.find("=?") != std::string::npos) return false;
        for (std::size_t j = 0; j < k; ++j)
            if (raw[j].first == p.first) return false;
    }
    return true;
}

// One RFC 2231 section: "name*N=" (index N), "name*N*=" or "name*=" (extended: percent-encoded,
// the first one with a charset'language' prefix).
struct Section {
    long index;
    bool extended;
    std::string value;
};
// The sections of each base name, in order of first appearance.
using SectionGroups = std::vector<std::pair<std::string, std::vector<Section>>>;

// Files a "name*..." parameter (`star` is the position of its first '*') under its base name;
// a section index that is not a number drops it.
void add_section(RawParam &p, std::size_t star, SectionGroups &groups) {
    std::string base = p.first.substr(0, star);
    std::string_view rest = std::string_view(p.first).substr(star + 1);
    Section sec{0, false, p.second};
    if (rest.empty()) {
        sec.extended = true;  // name*=charset'lang'value
    } else {
        long idx = 0;
        std::size_t k = 0;
        while (k < rest.size() && is_digit(rest[k]) && idx < 100000) idx = idx * 10 + (rest[k++] - '0');
        if (k == 0) return;
        sec.index = idx;
        sec.extended = k < rest.size() && rest[k] == '*';
    }
    auto g = std::find_if(groups.begin(), groups.end(), [&](const auto &x) { return x.first == base; });
    if (g == groups.end()) {
        groups.push_back({base, {}});
        g = groups.end() - 1;
    }
    if (g->second.size() < 1000) g->second.push_back(std::move(sec));
}

// The value of a group of sections: in index order (a repeated index once), percent-decoded where
// extended, converted from the charset the first extended section names.
std::string join_sections(std::vector<Section> &secs) {
    std::stable_sort(secs.begin(), secs.end(), [](const Section &a, const Section &b) { return a.index < b.index; });
    std::string charset, bytes;
    for (std::size_t i = 0; i < secs.size(); ++i) {
        if (i > 0 && secs[i].index == secs[i - 1].index) continue;  // duplicate section
        std::string_view v = secs[i].value;
        if (!secs[i].extended) {
            bytes += v;
            continue;
        }
        if (i == 0) {
            std::size_t q1 = v.find('\'');
            std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
            if (q2 != std::string_view::npos) {
                charset = std::string(v.substr(0, q1));
                v = v.substr(q2 + 1);
            }
        }
        bytes += percent_decode(v);
    }
    return to_utf8(bytes, charset);
}

}  // namespace

Params parse_params(std::string_view in) {
    std::vector<RawParam> raw = split_params(in);
    if (plain_params(raw)) return raw;
    Params out;
    out.reserve(raw.size());
    auto find = [&out](const std::string &n) {
        return std::find_if(out.begin(), out.end(), [&](const auto &p) { return p.first == n; });
    };
    SectionGroups groups;
    for (auto &p : raw) {
        std::size_t star = p.first.find('*');
        if (star != std::string::npos) {
            add_section(p, star, groups);
        } else if (find(p.first) == out.end()) {
            if (p.second.find("=?") != std::string::npos) p.second = decode_words(p.second);
            out.emplace_back(std::move(p.first), std::move(p.second));
        }
    }
    for (auto &g : groups) {
        // A plain "name=" written before or beside "name*" does not override the RFC 2231 form.
        std::string value = join_sections(g.second);
        auto it = find(g.first);
        if (it == out.end()) out.emplace_back(g.first, std::move(value));
        else it->second = std::move(value);
    }
    return out;
}

const std::string *ContentType::param(std::string_view name) const {
    for (const auto &p : params)
        if (p.first == name) return &p.second;
    return nullptr;
}

ContentType parse_content_type(std::string_view v) {
    ContentType ct;
    std::size_t i = skip_cfws(v, 0);
    std::size_t ts = i;
    while (i < v.size() && v[i] != '/' && v[i] != ';' && !is_space(v[i]) && v[i] != '(') ++i;
    std::string type = lower(v.substr(ts, i - ts));
    i = skip_cfws(v, i);
    if (i < v.size() && v[i] == '/') {
        i = skip_cfws(v, i + 1);
        std::size_t ss = i;
        while (i < v.size() && v[i] != ';' && !is_space(v[i]) && v[i] != '(' && v[i] != '"') ++i;
        std::string sub = lower(v.substr(ss, i - ss));
        if (!type.empty() && !sub.empty()) {
            ct.type = std::move(type);
            ct.subtype = std::move(sub);
        }
    }
    // Parameters follow the first ';' (tolerating a missing one: "text/plain charset=...").
    std::size_t semi = v.find(';', i);
    std::string_view rest = semi == std::string_view::npos ? v.substr(std::min(i, v.size())) : v.substr(semi + 1);
    ct.params = parse_params(rest);
    return ct;
}

namespace {

// The bytes that send a Content-Type to the general parser: comments, RFC 2231 sections, quoted
// pairs and encoded words.
bool needs_general_parser(std::string_view v) {
    constexpr auto npos = std::string_view::npos;
    return v.find('(') != npos || v.find('*') != npos || v.find('\\') != npos || v.find("=?") != npos;
}

std::size_t skip_space(std::string_view s, std::size_t i) {
    while (i < s.size() && is_space(s[i])) ++i;
    return i;
}

// The offset of the first c at or after `from` in s, or s.size().
std::size_t find_or_end(std::string_view s, std::size_t from, char c) {
    const std::size_t f = s.find(c, from);
    return f == std::string_view::npos ? s.size() : f;
}

// One "name=value" of a parameter list without comments or quoted pairs, from s[i]: `i` moves
// past it. False for a bare word (no '='), which is skipped.
bool quick_param(std::string_view s, std::size_t &i, std::string_view &name, std::string_view &value) {
    const std::size_t ns = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != ';' && s[i] != '=') ++i;
    name = s.substr(ns, i - ns);
    i = skip_space(s, i);
    if (i >= s.size() || s[i] != '=') {
        i = find_or_end(s, i, ';');
        if (i == ns) ++i;
        return false;
    }
    ++i;  // '='
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    if (i < s.size() && s[i] == '"') {
        const std::size_t q = find_or_end(s, i + 1, '"');
        value = s.substr(i + 1, q - i - 1);
        i = find_or_end(s, q < s.size() ? q + 1 : q, ';');
    } else {
        const std::size_t vs = i;
        i = find_or_end(s, i, ';');
        value = trim(s.substr(vs, i - vs));
    }
    return true;
}

}  // namespace

bool quick_content_type(std::string_view v, QuickContentType &out) {
    // Only the forms where the general parser reduces to slicing. Everything below mirrors
    // parse_content_type() + parse_params() for exactly those inputs.
    if (needs_general_parser(v)) return false;
    std::size_t i = skip_space(v, 0);
    const std::size_t ts = i;
    while (i < v.size() && !is_space(v[i]) && v[i] != '/' && v[i] != ';') ++i;
    const std::string_view type = v.substr(ts, i - ts);
    i = skip_space(v, i);
    out.type = out.subtype = std::string_view();
    if (i < v.size() && v[i] == '/') {
        const std::size_t ss = i = skip_space(v, i + 1);
        while (i < v.size() && !is_space(v[i]) && v[i] != ';' && v[i] != '"') ++i;
        const std::string_view sub = v.substr(ss, i - ss);
        if (!type.empty() && !sub.empty()) {
            out.type = type;
            out.subtype = sub;
        }
    }
    const std::size_t semi = v.find(';', i);
    const std::string_view s = semi == std::string_view::npos ? v.substr(std::min(i, v.size())) : v.substr(semi + 1);
    out.has_charset = out.has_boundary = out.has_report_type = false;
    out.charset = out.boundary = out.report_type = std::string_view();
    std::size_t count = 0;
    for (i = 0; i < s.size();) {
        i = skip_space(s, i);
        if (i < s.size() && s[i] == ';') {
            ++i;
            continue;
        }
        std::string_view name, value;
        if (!quick_param(s, i, name, value) || name.empty() || count >= 256) continue;
        ++count;
        // First occurrence wins.
        if (!out.has_charset && iequals(name, "charset")) {
            out.has_charset = true;
            out.charset = value;
        } else if (!out.has_boundary && iequals(name, "boundary")) {
            out.has_boundary = true;
            out.boundary = value;
        } else if (!out.has_report_type && iequals(name, "report-type")) {
            out.has_report_type = true;
            out.report_type = value;
        }
    }
    return true;
}

}  // namespace carom::mime
