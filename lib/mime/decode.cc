#include "mime/decode.hh"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

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

// Byte classes of quick_content_type()'s scans.
enum : unsigned char { kWs = 1, kSlash = 2, kSemi = 4, kEq = 8, kQuote = 16 };
struct CtClassTable {
    unsigned char v[256];
    constexpr CtClassTable() : v() {
        v[static_cast<unsigned char>(' ')] = kWs;
        v[static_cast<unsigned char>('\t')] = kWs;
        v[static_cast<unsigned char>('\n')] = kWs;
        v[static_cast<unsigned char>('\r')] = kWs;
        v[static_cast<unsigned char>('/')] = kSlash;
        v[static_cast<unsigned char>(';')] = kSemi;
        v[static_cast<unsigned char>('=')] = kEq;
        v[static_cast<unsigned char>('"')] = kQuote;
    }
};
constexpr CtClassTable kCtClass{};

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
        // ASCII runs eight bytes at a time (most text is ASCII).
        while (i + 8 <= n) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= n) break;
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

Params parse_params(std::string_view in) {
    std::vector<RawParam> raw = split_params(in);
    bool plain = true;
    for (std::size_t k = 0; k < raw.size() && plain; ++k) {
        const RawParam &p = raw[k];
        if (p.first.find('*') != std::string::npos || p.second.find("=?") != std::string::npos) plain = false;
        for (std::size_t j = 0; j < k && plain; ++j)
            if (raw[j].first == p.first) plain = false;
    }
    if (plain) return raw;
    Params out;
    out.reserve(raw.size());
    auto have = [&out](const std::string &n) {
        for (const auto &p : out)
            if (p.first == n) return true;
        return false;
    };
    // Group RFC 2231 sections by base name, in order of first appearance.
    struct Section {
        long index;
        bool extended;
        std::string value;
    };
    std::vector<std::pair<std::string, std::vector<Section>>> groups;
    for (auto &p : raw) {
        std::size_t star = p.first.find('*');
        if (star == std::string::npos) {
            if (!have(p.first)) {
                if (p.second.find("=?") != std::string::npos) p.second = decode_words(p.second);
                out.emplace_back(std::move(p.first), std::move(p.second));
            }
            continue;
        }
        std::string base = p.first.substr(0, star);
        std::string_view rest = std::string_view(p.first).substr(star + 1);
        Section sec{0, false, p.second};
        if (rest.empty()) {
            sec.extended = true;  // name*=charset'lang'value
        } else {
            long idx = 0;
            std::size_t k = 0;
            while (k < rest.size() && rest[k] >= '0' && rest[k] <= '9' && idx < 100000) idx = idx * 10 + (rest[k++] - '0');
            if (k == 0) continue;
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
    for (auto &g : groups) {
        auto &secs = g.second;
        std::stable_sort(secs.begin(), secs.end(), [](const Section &a, const Section &b) { return a.index < b.index; });
        std::string charset, bytes;
        for (std::size_t i = 0; i < secs.size(); ++i) {
            if (i > 0 && secs[i].index == secs[i - 1].index) continue;  // duplicate section
            std::string_view v = secs[i].value;
            if (secs[i].extended) {
                if (i == 0) {
                    std::size_t q1 = v.find('\'');
                    std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
                    if (q2 != std::string_view::npos) {
                        charset = std::string(v.substr(0, q1));
                        v = v.substr(q2 + 1);
                    }
                }
                bytes += percent_decode(v);
            } else {
                bytes += v;
            }
        }
        // A plain "name=" written before or beside "name*" does not override the RFC 2231 form.
        auto it = std::find_if(out.begin(), out.end(), [&](const auto &p) { return p.first == g.first; });
        std::string value = to_utf8(bytes, charset);
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

bool quick_content_type(std::string_view v, QuickContentType &out) {
    // Only the forms where the general parser reduces to slicing: no comments, no RFC 2231
    // sections, no quoted pairs, no encoded words. Everything below mirrors
    // parse_content_type() + parse_params() for exactly those inputs.
    {
        // '(' '*' '\\' anywhere, eight bytes per test.
        constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
        auto has = [](std::uint64_t w, char c) {
            const std::uint64_t x = w ^ (ones * static_cast<unsigned char>(c));
            return ((x - ones) & ~x & highs) != 0;
        };
        std::size_t k = 0;
        for (; k + 8 <= v.size(); k += 8) {
            std::uint64_t w;
            std::memcpy(&w, v.data() + k, 8);
            if (has(w, '(') || has(w, '*') || has(w, '\\')) return false;
        }
        for (; k < v.size(); ++k)
            if (v[k] == '(' || v[k] == '*' || v[k] == '\\') return false;
    }
    if (v.find("=?") != std::string_view::npos) return false;
    // The scans below stop at bytes of a class, looked up in one table instead of testing each.
    auto cls = [](char c) { return kCtClass.v[static_cast<unsigned char>(c)]; };
    auto ws = [](char c) { return is_space(c); };
    const char *const vd = v.data();
    std::size_t i = 0;
    while (i < v.size() && ws(v[i])) ++i;
    std::size_t ts = i;
    while (i < v.size() && !(cls(vd[i]) & (kWs | kSlash | kSemi))) ++i;
    std::string_view type = v.substr(ts, i - ts);
    while (i < v.size() && ws(v[i])) ++i;
    out.type = out.subtype = std::string_view();
    if (i < v.size() && v[i] == '/') {
        ++i;
        while (i < v.size() && ws(v[i])) ++i;
        std::size_t ss = i;
        while (i < v.size() && !(cls(vd[i]) & (kWs | kSemi | kQuote))) ++i;
        std::string_view sub = v.substr(ss, i - ss);
        if (!type.empty() && !sub.empty()) {
            out.type = type;
            out.subtype = sub;
        }
    }
    std::size_t semi = v.find(';', i);
    std::string_view s = semi == std::string_view::npos ? v.substr(std::min(i, v.size())) : v.substr(semi + 1);
    out.has_charset = out.has_boundary = out.has_report_type = false;
    out.charset = out.boundary = out.report_type = std::string_view();
    // The offset of the first c at or after i in s, or s.size().
    auto find = [&s](std::size_t from, char c) {
        const void *f = std::memchr(s.data() + from, c, s.size() - from);
        return f ? static_cast<std::size_t>(static_cast<const char *>(f) - s.data()) : s.size();
    };
    const char *const sd = s.data();
    std::size_t count = 0;
    i = 0;
    while (i < s.size()) {
        while (i < s.size() && ws(s[i])) ++i;
        if (i < s.size() && s[i] == ';') {
            ++i;
            continue;
        }
        std::size_t ns = i;
        while (i < s.size() && !(cls(sd[i]) & (kWs | kSemi | kEq))) ++i;
        std::string_view name = s.substr(ns, i - ns);
        while (i < s.size() && ws(s[i])) ++i;
        if (i >= s.size() || s[i] != '=') {
            i = find(i, ';');
            if (i == ns) ++i;
            continue;
        }
        ++i;  // '='
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
        std::string_view value;
        if (i < s.size() && s[i] == '"') {
            ++i;
            std::size_t q = find(i, '"');
            value = s.substr(i, q - i);
            i = q;
            if (i < s.size()) ++i;
            i = find(i, ';');
        } else {
            std::size_t vs = i;
            i = find(i, ';');
            value = trim(s.substr(vs, i - vs));
            std::size_t c = value.find(" (");  // never found: '(' is excluded above
            if (c != std::string_view::npos) value = trim(value.substr(0, c));
        }
        if (name.empty() || count >= 256) continue;
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

// ---- HTML ---------------------------------------------------------------------------------

namespace {

bool is_block_tag(std::string_view name) {
    static constexpr std::string_view kBlocks[] = {"br", "p", "div", "tr", "li", "table", "h1", "h2", "h3",
                                                   "h4", "h5", "h6", "blockquote", "pre", "hr", "td", "ul", "ol"};
    for (auto b : kBlocks)
        if (iequals(name, b)) return true;
    return false;
}

}  // namespace

std::string html_to_text(std::string_view h) {
    std::string out;
    out.reserve(h.size() / 2);
    std::size_t i = 0;
    while (i < h.size()) {
        char c = h[i];
        if (c == '<') {
            if (h.substr(i, 4) == "<!--") {
                std::size_t e = h.find("-->", i + 4);
                i = e == std::string_view::npos ? h.size() : e + 3;
                continue;
            }
            std::size_t e = h.find('>', i + 1);
            if (e == std::string_view::npos) break;
            std::string_view tag = h.substr(i + 1, e - i - 1);
            bool closing = !tag.empty() && tag[0] == '/';
            if (closing) tag.remove_prefix(1);
            std::size_t n = 0;
            while (n < tag.size() && (is_alnum(tag[n]))) ++n;
            std::string_view name = tag.substr(0, n);
            i = e + 1;
            if (!closing && (iequals(name, "script") || iequals(name, "style") || iequals(name, "head") ||
                             iequals(name, "title"))) {
                std::string end = "</" + lower(name);
                // find the closing tag case-insensitively
                std::size_t k = i;
                while (k < h.size()) {
                    k = h.find("</", k);
                    if (k == std::string_view::npos) break;
                    if (istarts_with(h.substr(k), end)) break;
                    k += 2;
                }
                if (k == std::string_view::npos) {
                    i = h.size();
                } else {
                    std::size_t ce = h.find('>', k);
                    i = ce == std::string_view::npos ? h.size() : ce + 1;
                }
                continue;
            }
            if (is_block_tag(name)) {
                if (!out.empty() && out.back() != '\n') out.push_back('\n');
            } else if (!out.empty() && out.back() != ' ' && out.back() != '\n') {
                out.push_back(' ');
            }
            continue;
        }
        if (c == '&') {
            std::size_t e = h.substr(0, std::min(h.size(), i + 12)).find(';', i + 1);
            if (e != std::string_view::npos && e - i <= 10) {
                std::string_view ent = h.substr(i + 1, e - i - 1);
                std::uint32_t cp = 0;
                bool ok = true;
                if (!ent.empty() && ent[0] == '#') {
                    bool hex = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X');
                    std::size_t k = hex ? 2 : 1;
                    if (k >= ent.size()) ok = false;
                    for (; ok && k < ent.size(); ++k) {
                        int d = hex ? hex_value(ent[k]) : (ent[k] >= '0' && ent[k] <= '9' ? ent[k] - '0' : -1);
                        if (d < 0 || cp > 0x10FFFF) ok = false;
                        else cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
                    }
                } else if (ent == "nbsp") cp = ' ';
                else if (ent == "amp") cp = '&';
                else if (ent == "lt") cp = '<';
                else if (ent == "gt") cp = '>';
                else if (ent == "quot") cp = '"';
                else if (ent == "apos") cp = '\'';
                else ok = false;
                if (ok) {
                    append_utf8(out, cp == 0xA0 ? ' ' : cp);
                    i = e + 1;
                    continue;
                }
            }
        }
        if (c == '\n' || c == '\t') c = ' ';
        if (c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n')) {
            ++i;
            continue;
        }
        out.push_back(c);
        ++i;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
}

}  // namespace carom::mime
