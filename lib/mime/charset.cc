// Charset conversion (ICU ucnv) and RFC 2047 encoded words.
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "mime/decode.hh"
#include "mime/message.hh"

namespace carom::mime {

namespace {

// Which ICU converter a declared label goes to. Labels are compared lower-cased with quotes and
// white space removed. Three policies beyond ICU's own alias table:
//  - misspellings seen in real mail ("uft-8", "utf8", "x-utf-8") are mapped;
//  - a label is widened to the superset mailers actually emit (GB2312 → GB18030, ISO-8859-1 →
//    windows-1252, Shift_JIS → windows-31j, EUC-KR → windows-949), as the WHATWG Encoding
//    standard does, so bytes valid in the superset are not lost;
//  - "us-ascii", empty and unknown labels are "sniffed": UTF-8 when the bytes are valid UTF-8,
//    else windows-1252 (Kind::Sniff).
enum class Kind { Utf8, Sniff, Icu };

struct Target {
    Kind kind;
    const char *icu;  // ICU name when kind == Icu
};

struct Alias {
    std::string_view label;
    Target target;
};

constexpr Alias kAliases[] = {
    {"utf-8", {Kind::Utf8, nullptr}},          {"utf8", {Kind::Utf8, nullptr}},
    {"uft-8", {Kind::Utf8, nullptr}},          {"uft8", {Kind::Utf8, nullptr}},
    {"utf_8", {Kind::Utf8, nullptr}},          {"x-utf-8", {Kind::Utf8, nullptr}},
    {"x-utf8", {Kind::Utf8, nullptr}},         {"unicode-1-1-utf-8", {Kind::Utf8, nullptr}},
    {"utf-8mb4", {Kind::Utf8, nullptr}},       {"utf8mb4", {Kind::Utf8, nullptr}},
    {"", {Kind::Sniff, nullptr}},              {"us-ascii", {Kind::Sniff, nullptr}},
    {"ascii", {Kind::Sniff, nullptr}},         {"us_ascii", {Kind::Sniff, nullptr}},
    {"ansi_x3.4-1968", {Kind::Sniff, nullptr}}, {"iso646-us", {Kind::Sniff, nullptr}},
    {"unknown-8bit", {Kind::Sniff, nullptr}},  {"x-unknown", {Kind::Sniff, nullptr}},
    {"unknown", {Kind::Sniff, nullptr}},       {"default", {Kind::Sniff, nullptr}},
    {"iso-8859-1", {Kind::Icu, "windows-1252"}}, {"iso8859-1", {Kind::Icu, "windows-1252"}},
    {"iso_8859-1", {Kind::Icu, "windows-1252"}}, {"latin1", {Kind::Icu, "windows-1252"}},
    {"latin-1", {Kind::Icu, "windows-1252"}},  {"l1", {Kind::Icu, "windows-1252"}},
    {"cp1252", {Kind::Icu, "windows-1252"}},   {"cp819", {Kind::Icu, "windows-1252"}},
    {"iso-8859-9", {Kind::Icu, "windows-1254"}}, {"latin5", {Kind::Icu, "windows-1254"}},
    {"iso-8859-11", {Kind::Icu, "windows-874"}}, {"tis-620", {Kind::Icu, "windows-874"}},
    {"gb2312", {Kind::Icu, "gb18030"}},        {"gbk", {Kind::Icu, "gb18030"}},
    {"x-gbk", {Kind::Icu, "gb18030"}},         {"cp936", {Kind::Icu, "gb18030"}},
    {"euc-cn", {Kind::Icu, "gb18030"}},        {"x-euc-cn", {Kind::Icu, "gb18030"}},
    {"csgb2312", {Kind::Icu, "gb18030"}},      {"gb_2312-80", {Kind::Icu, "gb18030"}},
    {"chinese", {Kind::Icu, "gb18030"}},       {"gb-2312", {Kind::Icu, "gb18030"}},
    {"shift_jis", {Kind::Icu, "windows-31j"}}, {"shift-jis", {Kind::Icu, "windows-31j"}},
    {"sjis", {Kind::Icu, "windows-31j"}},      {"x-sjis", {Kind::Icu, "windows-31j"}},
    {"ms_kanji", {Kind::Icu, "windows-31j"}},  {"csshiftjis", {Kind::Icu, "windows-31j"}},
    {"cp932", {Kind::Icu, "windows-31j"}},     {"ms932", {Kind::Icu, "windows-31j"}},
    {"x-ms-cp932", {Kind::Icu, "windows-31j"}}, {"shift_jisx0213", {Kind::Icu, "windows-31j"}},
    {"euc-jp", {Kind::Icu, "EUC-JP"}},         {"x-euc-jp", {Kind::Icu, "EUC-JP"}},
    {"eucjp", {Kind::Icu, "EUC-JP"}},          {"euc_jp", {Kind::Icu, "EUC-JP"}},
    {"iso-2022-jp", {Kind::Icu, "ISO-2022-JP-2"}}, {"iso-2022-jp-1", {Kind::Icu, "ISO-2022-JP-2"}},
    {"iso-2022-jp-2", {Kind::Icu, "ISO-2022-JP-2"}}, {"iso-2022-jp-3", {Kind::Icu, "ISO-2022-JP-2"}},
    {"csiso2022jp", {Kind::Icu, "ISO-2022-JP-2"}}, {"jis", {Kind::Icu, "ISO-2022-JP-2"}},
    {"euc-kr", {Kind::Icu, "windows-949"}},    {"ks_c_5601-1987", {Kind::Icu, "windows-949"}},
    {"ks_c_5601", {Kind::Icu, "windows-949"}}, {"ksc5601", {Kind::Icu, "windows-949"}},
    {"cp949", {Kind::Icu, "windows-949"}},     {"korean", {Kind::Icu, "windows-949"}},
    {"big5", {Kind::Icu, "windows-950"}},      {"big-5", {Kind::Icu, "windows-950"}},
    {"x-x-big5", {Kind::Icu, "windows-950"}},  {"cn-big5", {Kind::Icu, "windows-950"}},
    {"cp950", {Kind::Icu, "windows-950"}},     {"utf-7", {Kind::Icu, "UTF-7"}},
    {"utf7", {Kind::Icu, "UTF-7"}},            {"unicode-1-1-utf-7", {Kind::Icu, "UTF-7"}},
    {"x-unicode-1-1-utf-7", {Kind::Icu, "UTF-7"}}, {"koi8r", {Kind::Icu, "KOI8-R"}},
};

// Charsets for which an ASCII-only byte string is not necessarily ASCII text.
bool ascii_unsafe(std::string_view label) {
    return label.find("utf-7") != std::string_view::npos || label.find("utf7") != std::string_view::npos ||
           label.find("16") != std::string_view::npos || label.find("32") != std::string_view::npos ||
           label.find("hz") != std::string_view::npos;
}

std::string clean_label(std::string_view charset) {
    std::string l;
    l.reserve(charset.size());
    for (char c : charset) {
        if (c == '"' || c == '\'' || c == ' ' || c == '\t' || c == '\n') continue;
        l.push_back(to_lower(c));
    }
    // RFC 2231 language suffix ("utf-8*en") is never part of the charset.
    std::size_t star = l.find('*');
    if (star != std::string::npos) l.resize(star);
    return l;
}

struct ConverterCloser {
    void operator()(UConverter *c) const { ucnv_close(c); }
};

// Converts with ICU; false when ICU does not know the name.
bool icu_convert(std::string_view bytes, const char *name, std::string &out) {
    UErrorCode e = U_ZERO_ERROR;
    std::unique_ptr<UConverter, ConverterCloser> cv(ucnv_open(name, &e));
    if (U_FAILURE(e) || !cv) return false;
    // Illegal and unmappable input becomes U+FFFD (ICU's default to-Unicode callback substitutes).
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX / 4)) bytes = bytes.substr(0, INT32_MAX / 4);
    const int32_t srclen = static_cast<int32_t>(bytes.size());
    std::vector<UChar> u(static_cast<std::size_t>(srclen) + 16);
    e = U_ZERO_ERROR;
    int32_t n = ucnv_toUChars(cv.get(), u.data(), static_cast<int32_t>(u.size()), bytes.data(), srclen, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR) {
        u.resize(static_cast<std::size_t>(n) + 1);
        e = U_ZERO_ERROR;
        n = ucnv_toUChars(cv.get(), u.data(), static_cast<int32_t>(u.size()), bytes.data(), srclen, &e);
    }
    if (U_FAILURE(e)) return false;
    out.assign(static_cast<std::size_t>(n) * 3 + 4, '\0');
    int32_t len = 0;
    e = U_ZERO_ERROR;
    u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &len, u.data(), n, 0xFFFD, nullptr, &e);
    if (U_FAILURE(e) && e != U_STRING_NOT_TERMINATED_WARNING) {
        out.clear();
        return false;
    }
    out.resize(static_cast<std::size_t>(len));
    return true;
}

// True when every byte is below 0x80 and, when `esc` is set, none is ESC (ISO-2022 shifts are
// 7-bit). Runs over every text part: eight bytes per test, as a byte loop here cost about a
// tenth of all instructions (docs/performance.md, "Readability round").
bool all_ascii(std::string_view s, bool esc) {
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        if (w & 0x8080808080808080ull) return false;  // some byte's high bit
    }
    for (; i < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
    return !esc || s.find('\x1B') == std::string_view::npos;
}

// Windows-1252 by hand: bytes 0x80-0x9F through this table (ICU's windows-1252 mapping, the five
// unassigned bytes to the C1 controls of the same value, as ICU does), every other byte is its
// own code point. Opening an ICU converter costs more than converting a whole part this way.
constexpr std::uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string cp1252_convert(std::string_view bytes) {
    // At most three bytes out per byte in: written through a pointer, resized at the end.
    std::string out(bytes.size() * 3, '\0');
    char *w = out.data();
    for (char c : bytes) {
        auto b = static_cast<unsigned char>(c);
        if (b < 0x80) {
            *w++ = c;
            continue;
        }
        const std::uint32_t cp = b < 0xA0 ? kCp1252High[b - 0x80] : b;
        if (cp < 0x800) {
            *w++ = static_cast<char>(0xC0 | (cp >> 6));
            *w++ = static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            *w++ = static_cast<char>(0xE0 | (cp >> 12));
            *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            *w++ = static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
    return out;
}

// Windows-1252 for bytes that are not UTF-8.
std::string sniff_convert(std::string_view bytes) { return cp1252_convert(bytes); }

// ISO-2022-JP by hand for the forms Japanese mail uses: ASCII (ESC ( B) and JIS X 0208
// (ESC $ B, ESC $ @) in pairs of 0x21-0x7E. The JIS X 0208 table is read once from ICU's own
// ISO-2022-JP-2 converter (an immutable function-local static), so the result is ICU's to the
// byte; anything outside that subset (other escapes, SO/SI, 8-bit bytes, a broken pair, a pair
// ICU does not map to one BMP character) makes the caller use ICU for the whole text. Opening
// the converter for every part cost more than the conversion.
struct Jis0208 {
    std::uint16_t u[94 * 94] = {};  // 0: not in the table (use ICU)
};

Jis0208 build_jis0208() {
    Jis0208 t;
    UErrorCode e = U_ZERO_ERROR;
    std::unique_ptr<UConverter, ConverterCloser> cv(ucnv_open("ISO-2022-JP-2", &e));
    if (U_FAILURE(e) || !cv) return t;
    for (int r = 0; r < 94; ++r) {
        std::string row = "\x1b$B";
        for (int c = 0; c < 94; ++c) {
            row.push_back(static_cast<char>(0x21 + r));
            row.push_back(static_cast<char>(0x21 + c));
        }
        row += "\x1b(B";
        UChar u[200];
        e = U_ZERO_ERROR;
        ucnv_reset(cv.get());
        int32_t n = ucnv_toUChars(cv.get(), u, 200, row.data(), static_cast<int32_t>(row.size()), &e);
        if (U_FAILURE(e) || n != 94) continue;  // some pair is not one character: the row stays 0
        for (int c = 0; c < 94; ++c) {
            const UChar x = u[c];
            if (x == 0xFFFD || x == 0x1A || (x >= 0xD800 && x <= 0xDFFF) || x == 0) continue;
            t.u[r * 94 + c] = x;
        }
    }
    return t;
}

const Jis0208 &jis0208() {
    static const Jis0208 table = build_jis0208();
    return table;
}

// False when the bytes leave the subset (the caller then uses ICU).
bool iso2022jp_convert(std::string_view bytes, std::string &out) {
    const Jis0208 &t = jis0208();
    std::string o(bytes.size() * 3 / 2 + 8, '\0');  // a pair (2 bytes) is at most 3 UTF-8 bytes
    char *w = o.data();
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const std::size_t n = bytes.size();
    bool kanji = false;
    std::size_t i = 0;
    while (i < n) {
        const unsigned char b = p[i];
        if (b == 0x1B) {
            if (i + 2 >= n) return false;
            if (p[i + 1] == '(' && p[i + 2] == 'B') kanji = false;
            else if (p[i + 1] == '$' && (p[i + 2] == 'B' || p[i + 2] == '@')) kanji = true;
            else return false;
            i += 3;
            continue;
        }
        if (!kanji) {
            // Printable ASCII, tab and line ends only: ICU treats some other controls specially.
            if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b >= 0x7F) return false;
            *w++ = static_cast<char>(b);
            ++i;
            continue;
        }
        if (i + 1 >= n || b < 0x21 || b > 0x7E || p[i + 1] < 0x21 || p[i + 1] > 0x7E) return false;
        const std::uint32_t cp = t.u[(b - 0x21) * 94 + (p[i + 1] - 0x21)];
        if (cp == 0) return false;
        if (cp < 0x80) {
            *w++ = static_cast<char>(cp);
        } else if (cp < 0x800) {
            *w++ = static_cast<char>(0xC0 | (cp >> 6));
            *w++ = static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            *w++ = static_cast<char>(0xE0 | (cp >> 12));
            *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            *w++ = static_cast<char>(0x80 | (cp & 0x3F));
        }
        i += 2;
    }
    o.resize(static_cast<std::size_t>(w - o.data()));
    out = std::move(o);
    return true;
}

// True when UTF-7 decoding leaves the bytes as they are: only directly encoded characters (tab,
// line ends, printable ASCII without '+', which shifts, and without '\\' and '~', which ICU
// rejects).
bool utf7_direct(std::string_view bytes) {
    for (char c : bytes) {
        auto b = static_cast<unsigned char>(c);
        if (b == '\t' || b == '\n' || b == '\r') continue;
        if (b < 0x20 || b > 0x7D || b == '+' || b == '\\') return false;
    }
    return true;
}

}  // namespace

bool to_utf8_into(std::string_view bytes, std::string_view charset, std::string &out) {
    std::string label = clean_label(charset);
    if (!ascii_unsafe(label) && all_ascii(bytes, label.find("2022") != std::string::npos || label == "jis"))
        return false;
    Target t{Kind::Icu, nullptr};
    bool mapped = false;
    for (const auto &a : kAliases) {
        if (a.label == label) {
            t = a.target;
            mapped = true;
            break;
        }
    }
    if (!mapped) t = {Kind::Icu, nullptr};
    if (t.kind == Kind::Sniff) {
        if (valid_utf8(bytes)) return false;
        out = sniff_convert(bytes);
        return true;
    }
    if (t.kind == Kind::Utf8) {
        if (valid_utf8(bytes)) return false;
        if (icu_convert(bytes, "UTF-8", out)) return true;
        out = sniff_convert(bytes);
        return true;
    }
    const std::string_view name = t.icu ? std::string_view(t.icu) : std::string_view(label);
    if (name == "windows-1252") {
        out = cp1252_convert(bytes);
        return true;
    }
    if (name == "UTF-7" && utf7_direct(bytes)) return false;
    if (name == "ISO-2022-JP-2" && iso2022jp_convert(bytes, out)) return true;
    if (icu_convert(bytes, t.icu ? t.icu : label.c_str(), out)) return true;
    if (valid_utf8(bytes)) return false;
    out = sniff_convert(bytes);
    return true;
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
    std::string out;
    if (!to_utf8_into(bytes, charset, out)) return std::string(bytes);
    return out;
}

// ---- RFC 2047 -----------------------------------------------------------------------------

namespace {

struct Word {
    std::size_t begin, end;  // [begin, end) in the raw text
    std::string charset;
    std::string bytes;       // decoded bytes in charset
};

// Parses "=?charset?X?text?=" at position i. Tolerated: lower-case encodings, a language suffix,
// white space inside Q text (some mailers fold inside a word), missing padding in B text.
// `end_memo` caches the position of the next "?=" so that a header full of "=?" openers without
// closers is scanned once, not once per opener (which would be quadratic).
bool parse_word(std::string_view s, std::size_t i, Word &w, std::size_t &end_memo) {
    if (s.compare(i, 2, "=?") != 0) return false;
    std::size_t cs = i + 2;
    std::size_t q1 = s.substr(0, std::min(s.size(), cs + 65)).find('?', cs);
    if (q1 == std::string_view::npos || q1 == cs || q1 - cs > 64) return false;
    for (std::size_t k = cs; k < q1; ++k)
        if (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '=') return false;
    if (q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
    char enc = s[q1 + 1];
    if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') return false;
    std::size_t ts = q1 + 3;
    if (end_memo != std::string_view::npos && end_memo < ts) end_memo = s.find("?=", ts);
    std::size_t te = end_memo;
    if (te == std::string_view::npos) return false;
    // A word opened inside the text means this one is broken; the next opener is found by the
    // caller anyway, so this search stops at most where the caller's next search would.
    if (s.substr(0, te).find("=?", ts) != std::string_view::npos) return false;
    std::string_view text = s.substr(ts, te - ts);
    w.begin = i;
    w.end = te + 2;
    w.charset = std::string(s.substr(cs, q1 - cs));
    w.bytes = (enc == 'B' || enc == 'b') ? decode_base64(text) : decode_qp(text, true);
    return true;
}

}  // namespace

std::string decode_words(std::string_view raw) {
    if (raw.find("=?") == std::string_view::npos) {
        if (valid_utf8(raw)) return std::string(raw);
        return to_utf8(raw, "");
    }
    std::string out;
    out.reserve(raw.size());
    std::size_t i = 0, lit = 0;
    // Pending run of adjacent words in the same charset, converted together so that a character
    // split across two words (as some encoders do with UTF-8 and ISO-2022-JP) is not lost.
    std::string run_charset, run_bytes;
    bool in_run = false;
    auto flush_run = [&]() {
        if (in_run) out += to_utf8(run_bytes, run_charset);
        in_run = false;
        run_bytes.clear();
    };
    auto literal = [&](std::string_view t) {
        if (t.empty()) return;
        flush_run();
        out += valid_utf8(t) ? std::string(t) : to_utf8(t, "");
    };
    std::size_t end_memo = 0;
    while (i < raw.size()) {
        std::size_t p = raw.find("=?", i);
        if (p == std::string_view::npos) break;
        Word w;
        if (!parse_word(raw, p, w, end_memo)) {
            if (end_memo == std::string_view::npos) break;  // no closer anywhere after: done
            i = p + 2;
            continue;
        }
        std::string_view between = raw.substr(lit, p - lit);
        // Text before this word is kept, except white space between two encoded words.
        if (!(in_run && trim(between).empty())) literal(between);
        std::string cs = lower(w.charset);
        std::size_t star = cs.find('*');
        if (star != std::string::npos) cs.resize(star);
        if (in_run && cs != run_charset) flush_run();
        if (!in_run) {
            in_run = true;
            run_charset = cs;
        }
        run_bytes += w.bytes;
        i = lit = w.end;
    }
    literal(raw.substr(lit));
    flush_run();
    return out;
}

}  // namespace carom::mime
