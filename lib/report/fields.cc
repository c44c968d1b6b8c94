#include "report/fields.hh"

#include <cstdint>
#include <cstdio>

#include "base/calendar.hh"
#include "base/strings.hh"
#include "mime/decode.hh"

namespace carom::report {


namespace {

// Removes comments outside quoted strings.
std::string strip_comments(std::string_view s) {
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
                    int d = hex_value(s[k]);
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

bool split_field(std::string_view line, std::string_view &name, std::string_view &value) {
    // One forward scan: white space, the name, white space, ':'. Most lines handed here are
    // prose, rejected at their first word; the colon is never searched for along the line.
    auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    static constexpr auto kNameChar = [] {
        struct Table {
            bool t[256];
        } r{};
        for (int c = 0; c < 256; ++c)
            r.t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        return r;
    }();
    auto name_char = [](char c) { return kNameChar.t[static_cast<unsigned char>(c)]; };
    const std::size_t size = line.size() < 65 ? line.size() : 65;  // the colon is at offset 64 at most
    std::size_t i = 0;
    while (i < size && ws(line[i])) ++i;
    const std::size_t b = i;
    while (i < size && name_char(line[i])) ++i;
    const std::size_t e = i;
    while (i < size && ws(line[i])) ++i;
    if (e == b || i >= size || line[i] != ':') return false;
    name = line.substr(b, e - b);
    value = trim(line.substr(i + 1));
    return true;
}

std::string_view strip_type_view(std::string_view value) {
    std::string_view v = trim(value);
    std::size_t semi = v.find(';');
    if (semi != std::string_view::npos && semi > 0 && semi < 20) {
        bool token = true;
        for (std::size_t k = 0; k < semi; ++k) {
            char c = v[k];
            if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == ' ' || c == '\t')) token = false;
        }
        if (token) v = trim(v.substr(semi + 1));
    }
    return v;
}

std::string strip_type(std::string_view value) { return std::string(strip_type_view(value)); }

std::string xtext_decode(std::string_view s) {
    if (s.find('+') == std::string_view::npos) return std::string(s);  // nothing encoded: a copy
    std::string r;
    r.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+' && i + 2 < s.size() + 0 && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0 &&
            (is_digit(s[i + 1]) || (s[i + 1] >= 'A' && s[i + 1] <= 'F')) &&
            (is_digit(s[i + 2]) || (s[i + 2] >= 'A' && s[i + 2] <= 'F'))) {
            r.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            r.push_back(s[i]);
        }
    }
    return r;
}

std::string bare_address(std::string_view value) {
    // Views all the way: the only copies are the comment-free text when there are comments, and
    // the result.
    std::string_view t = strip_type_view(value);
    // The common shapes, "local@domain" and "<local@domain>" of plain bytes (letters, digits and
    // ". _ + - = @", not ending in '.'): the steps below would return exactly the address, so
    // it is returned without them.
    {
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
        if (!a.empty() && a.back() != '.') {
            std::size_t k = 0;
            while (k < a.size() && kPlain.t[static_cast<unsigned char>(a[k])]) ++k;
            if (k == a.size()) return std::string(a);
        }
    }
    std::string uncommented;
    if (t.find('(') != std::string_view::npos) {
        uncommented = strip_comments(t);
        t = uncommented;
    }
    t = trim(t);
    // Angle brackets: the last <...> that holds an '@' (a display name may itself look like an
    // address), else the first <...>.
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
    if (!t.empty() && (t[0] | 0x20) == 'm' && istarts_with(t, "mailto:")) t.remove_prefix(7);
    if (!t.empty() && (t[0] | 0x20) == 's' && istarts_with(t, "smtp:")) t.remove_prefix(5);
    // Trailing punctuation picked up from prose or lists.
    while (!t.empty() && (t.back() == ',' || t.back() == ';' || t.back() == '.' || t.back() == ':')) t.remove_suffix(1);
    while (!t.empty() && (t.front() == '<' || t.front() == '\'')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == '>' || t.back() == '\'')) t.remove_suffix(1);
    t = trim(t);
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

std::string find_status(std::string_view s) {
    for (std::size_t i = 0; i + 4 < s.size() + 0; ++i) {
        char c = s[i];
        if (c != '2' && c != '4' && c != '5') continue;
        if (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.')) continue;
        if (s[i + 1] != '.') continue;
        std::size_t j = i + 2, k = j;
        while (k < s.size() && is_digit(s[k]) && k - j < 4) ++k;
        if (k == j || k - j > 3 || k >= s.size() || s[k] != '.') continue;
        std::size_t m = k + 1, n = m;
        while (n < s.size() && is_digit(s[n]) && n - m < 4) ++n;
        if (n == m || n - m > 3) continue;
        if (n < s.size() && (is_digit(s[n]) || (s[n] == '.' && n + 1 < s.size() && is_digit(s[n + 1])))) continue;
        return std::string(s.substr(i, n - i));
    }
    return "";
}

std::string leading_reply_code(std::string_view text) {
    std::string_view t = trim(text);
    if (t.size() < 3) return "";
    if (!(t[0] >= '2' && t[0] <= '5') || !is_digit(t[1]) || !is_digit(t[2])) return "";
    if (t.size() > 3 && (is_digit(t[3]) || t[3] == '.')) return "";
    return std::string(t.substr(0, 3));
}

std::string command_from_text(std::string_view text) {
    struct Cmd {
        std::string_view needle;
        const char *cmd;
    };
    static constexpr Cmd kCmds[] = {
        {"rcpt to", "RCPT"}, {"mail from", "MAIL"}, {"end of data", "DATA"}, {"data command", "DATA"},
        {"ehlo", "EHLO"},    {"helo", "HELO"},      {"connect to", "CONN"},  {"data", "DATA"},
    };
    // Leads in order of preference: the first occurrence of the first lead followed by a command
    // wins, else that of the second, else that of the third.
    static constexpr std::string_view kLeads[] = {"in reply to ", "after ", "reply to "};
    auto command_after = [](std::string_view rest) -> const char * {
        for (const Cmd &c : kCmds)
            if (rest.size() >= c.needle.size() && iequals(rest.substr(0, c.needle.size()), c.needle)) return c.cmd;
        return nullptr;
    };
    // One pass, no lower-case copy: only a byte that can start a lead ('i', 'a', 'r' in either
    // case; a table gives the lead's number + 1) is looked at further.
    static constexpr auto kStarts = [] {
        struct Table {
            unsigned char t[256];
        } r{};
        r.t['i'] = r.t['I'] = 1;
        r.t['a'] = r.t['A'] = 2;
        r.t['r'] = r.t['R'] = 3;
        return r;
    }();
    const char *found[3] = {nullptr, nullptr, nullptr};
    for (std::size_t p = 0; p < text.size(); ++p) {
        const int k1 = kStarts.t[static_cast<unsigned char>(text[p])];
        if (k1 == 0) continue;
        const int k = k1 - 1;
        if (found[k]) continue;
        const std::string_view lead = kLeads[k];
        if (text.size() - p < lead.size() || !iequals(text.substr(p, lead.size()), lead)) continue;
        if (const char *cmd = command_after(text.substr(p + lead.size()))) {
            if (k == 0) return cmd;
            found[k] = cmd;
        }
    }
    for (const char *f : found)
        if (f) return f;
    return "";
}

// ---- dates --------------------------------------------------------------------------------

namespace {

// The date reader below allocates nothing but its result: it runs for every Date of a returned
// original and every Last-Attempt-Date, and the copies, digit strings and token vectors it used
// to build cost more than the parse itself.

// Lower-case ASCII letters packed into one integer, for comparing short names in one step.
// `c | 0x20` maps a byte onto a lower-case letter only when it is that letter in either case,
// so a packed key equals a table key (letters only) exactly when iequals would say so.
constexpr std::uint32_t pack3(char a, char b, char c) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(a | 0x20)) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b | 0x20)) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(c | 0x20));
}

struct Zone {
    std::string_view name;
    int minutes;
};
constexpr Zone kZones[] = {
    {"ut", 0},       {"utc", 0},      {"gmt", 0},      {"z", 0},        {"wet", 0},      {"bst", 60},
    {"cet", 60},     {"met", 60},     {"mez", 60},     {"cest", 120},   {"mest", 120},   {"mesz", 120},
    {"eet", 120},    {"eest", 180},   {"msk", 180},    {"ist", 330},    {"ict", 420},    {"wib", 420},
    {"hkt", 480},    {"sgt", 480},    {"awst", 480},   {"pht", 480},    {"jst", 540},    {"kst", 540},
    {"acst", 570},   {"aest", 600},   {"aedt", 660},   {"nzst", 720},   {"nzdt", 780},   {"est", -300},
    {"edt", -240},   {"cst", -360},   {"cdt", -300},   {"mst", -420},   {"mdt", -360},   {"pst", -480},
    {"pdt", -420},   {"akst", -540},  {"akdt", -480},  {"hst", -600},   {"ast", -240},   {"adt", -180},
    {"nst", -210},   {"brt", -180},   {"art", -180},
};

constexpr std::uint32_t kMonths[] = {pack3('j', 'a', 'n'), pack3('f', 'e', 'b'), pack3('m', 'a', 'r'),
                                     pack3('a', 'p', 'r'), pack3('m', 'a', 'y'), pack3('j', 'u', 'n'),
                                     pack3('j', 'u', 'l'), pack3('a', 'u', 'g'), pack3('s', 'e', 'p'),
                                     pack3('o', 'c', 't'), pack3('n', 'o', 'v'), pack3('d', 'e', 'c')};

void civil_from_days(long long z, long long &y, unsigned &m, unsigned &d) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<long long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

unsigned days_in_month(long long y, unsigned m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return kDays[m - 1];
}

bool parse_time(std::string_view t, int &h, int &mi, int &s) {
    int v[3] = {0, 0, 0};
    int n = 0;
    std::size_t i = 0;
    while (n < 3) {
        std::size_t b = i;
        while (i < t.size() && is_digit(t[i]) && i - b < 2) ++i;
        if (i == b) return false;
        int x = 0;  // one or two digits
        for (std::size_t k = b; k < i; ++k) x = x * 10 + (t[k] - '0');
        v[n++] = x;
        if (i < t.size() && t[i] == ':') {
            ++i;
            continue;
        }
        break;
    }
    if (n < 2) return false;
    // fractional seconds and anything after are ignored
    h = v[0];
    mi = v[1];
    s = v[2];
    return h <= 24 && mi <= 59 && s <= 60;
}

// 1-12 for a word starting with a month's three-letter name (any case), else 0.
int month_of(std::string_view w) {
    if (w.size() < 3) return 0;
    const std::uint32_t k = pack3(w[0], w[1], w[2]);
    for (int i = 0; i < 12; ++i)
        if (k == kMonths[i]) return i + 1;
    return 0;
}

// A word of up to four bytes, lower-cased as pack3 does, with its length: equal keys mean
// equal words (ignoring ASCII case) when the table side holds letters only.
constexpr std::uint64_t word_key(std::string_view w) {
    std::uint64_t k = w.size();
    for (char c : w) k = k << 8 | static_cast<unsigned char>(c | 0x20);
    return k;
}

struct ZoneKey {
    std::uint64_t key;
    int minutes;
};

constexpr auto kZoneKeys = [] {
    struct Table {
        ZoneKey z[sizeof kZones / sizeof *kZones];
    } t{};
    for (std::size_t i = 0; i < sizeof kZones / sizeof *kZones; ++i) t.z[i] = {word_key(kZones[i].name), kZones[i].minutes};
    return t;
}();

// The offset of a named zone ("GMT", "jst"); false when the word names none. Weekday names
// ("Thu") come here too, so the lookup compares integers, not strings.
bool named_zone(std::string_view w, int &minutes) {
    if (w.empty() || w.size() > 4) return false;
    const std::uint64_t k = word_key(w);
    for (const ZoneKey &z : kZoneKeys.z)
        if (z.key == k) {
            minutes = z.minutes;
            return true;
        }
    return false;
}

// A numeric zone from the digits of `z` ("0900", "09:00", "09"): the first four (or two)
// digits as hours and minutes. `strict` rejects any byte other than digits and ':' and out-of-
// range values; the ISO 8601 suffix reader is lenient about both.
bool numeric_zone(std::string_view z, bool strict, int &hh, int &mm) {
    int d[5];
    std::size_t n = 0;
    for (char c : z) {
        if (is_digit(c)) {
            if (n == 5) return false;  // more than 4 digits: neither form
            d[n++] = c - '0';
        } else if (strict && c != ':') {
            return false;
        }
    }
    if (n != 4 && n != 2) return false;
    hh = d[0] * 10 + d[1];
    mm = n == 4 ? d[2] * 10 + d[3] : 0;
    return !strict || (hh <= 23 && mm <= 59);
}

// A run of 1-4 digits as a number; -1 when it holds anything else.
int small_number(std::string_view x) {
    int v = 0;
    for (char c : x) {
        if (!is_digit(c)) return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

// ' ', '\t', ',' and '\n' separate the words of a date; one bit test instead of four compares.
inline bool date_space(char c) {
    constexpr std::uint64_t kMask = 1ull << ' ' | 1ull << '\t' | 1ull << ',' | 1ull << '\n';
    const auto u = static_cast<unsigned char>(c);
    return u < 64 && (kMask >> u & 1);
}

constexpr std::uint32_t kWeekdays[] = {pack3('m', 'o', 'n'), pack3('t', 'u', 'e'), pack3('w', 'e', 'd'), pack3('t', 'h', 'u'),
                                       pack3('f', 'r', 'i'), pack3('s', 'a', 't'), pack3('s', 'u', 'n')};

// "Thu": the weekday most dates start with; no zone has such a name, so the zone lookup is skipped.
inline bool weekday3(std::string_view w) {
    if (w.size() != 3) return false;
    const std::uint32_t k = pack3(w[0], w[1], w[2]);
    for (std::uint32_t d : kWeekdays)
        if (k == d) return true;
    return false;
}

// The date from its parts as "YYYY-MM-DDTHH:MM:SSZ" in UTC; "" when the parts are not a date.
std::string utc_string(long long year, int month, int day, int h, int mi, int s, int zone) {
    if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || h < 0) return "";
    if (static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) return "";
    // The time of day in UTC; the date moves only when the zone carries it over midnight, by one
    // day in the common case: stepped here by hand, the day count used only for larger steps.
    long long rem = h * 3600LL + mi * 60LL + (s == 60 ? 59 : s) - zone * 60LL;
    long long y = year;
    unsigned m = static_cast<unsigned>(month), d = static_cast<unsigned>(day);
    if (rem < 0 && rem >= -86400) {  // the day before
        rem += 86400;
        if (--d == 0) {
            if (--m == 0) m = 12, --y;
            d = days_in_month(y, m);
        }
    } else if (rem >= 86400 && rem < 2 * 86400) {  // the day after
        rem -= 86400;
        if (++d > days_in_month(y, m)) {
            d = 1;
            if (++m == 13) m = 1, ++y;
        }
    } else if (rem < 0 || rem >= 86400) {
        const long long secs = days_from_civil(year, m, d) * 86400LL + rem;
        const long long days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
        rem = secs - days * 86400;
        civil_from_days(days, y, m, d);
    }
    // "%04lld-%02u-%02uT%02d:%02d:%02dZ" written by hand into a buffer (snprintf cost more than
    // the whole parse, docs/performance.md). Every field here is non-negative; the year is
    // 1899-10000 (the zone shift moves it by a few days at most).
    char buf[32];
    std::size_t n = 0;
    auto put2 = [&buf, &n](long long x) {  // 0-99
        buf[n++] = static_cast<char>('0' + x / 10);
        buf[n++] = static_cast<char>('0' + x % 10);
    };
    if (y < 10000) {
        put2(y / 100), put2(y % 100);
    } else {  // 10000: five digits
        buf[n++] = static_cast<char>('0' + y / 10000);
        put2(y / 100 % 100), put2(y % 100);
    }
    buf[n++] = '-', put2(m), buf[n++] = '-', put2(d), buf[n++] = 'T';
    put2(rem / 3600), buf[n++] = ':', put2((rem % 3600) / 60), buf[n++] = ':', put2(rem % 60), buf[n++] = 'Z';
    return std::string(buf, n);
}

// The form nearly every Date and Last-Attempt-Date takes, "[Thu, ]1 Jan 2015 00:00[:00] +0900
// [(comment)]" with single-space-separated parts, read in one pass. False for anything else
// (other forms, out-of-range values, tabs, unusual comments): the general reader then decides,
// and on every input this one accepts it would find the same parts.
bool common_rfc5322_date(std::string_view v, long long &year, int &month, int &day, int &h, int &mi, int &s,
                         int &zone) {
    const std::size_t n = v.size();
    std::size_t i = 0;
    auto spaces = [&] {
        const std::size_t b = i;
        while (i < n && v[i] == ' ') ++i;
        return i > b;
    };
    // exactly `width` digits (or 1-2 when width is 0), not followed by another digit
    auto number = [&](int &out, std::size_t width) {
        int x = 0;
        if (width) {  // a fixed width: read in place (i <= n throughout)
            if (n - i < width) return false;
            for (std::size_t k = 0; k < width; ++k) {
                const auto c = static_cast<unsigned>(static_cast<unsigned char>(v[i + k])) - '0';
                if (c > 9) return false;
                x = x * 10 + static_cast<int>(c);
            }
            i += width;
        } else {
            const std::size_t b = i;
            while (i < n && i - b < 2 && is_digit(v[i])) x = x * 10 + (v[i++] - '0');
            if (i == b) return false;
        }
        if (i < n && is_digit(v[i])) return false;
        out = x;
        return true;
    };
    spaces();
    if (i < n && is_alpha(v[i])) {  // "Thu,"
        if (n - i < 4 || !weekday3(v.substr(i, 3)) || v[i + 3] != ',') return false;
        i += 4;
        spaces();
    }
    int d, y, hh, mm, ss = 0, z;
    if (!number(d, 0) || d < 1 || d > 31 || !spaces()) return false;
    if (n - i < 3) return false;
    const int mo = month_of(v.substr(i, 3));
    i += 3;
    if (!mo || !spaces() || !number(y, 4) || !spaces()) return false;
    if (!number(hh, 2) || i >= n || v[i] != ':') return false;
    ++i;
    if (!number(mm, 2)) return false;
    if (i < n && v[i] == ':') {
        ++i;
        if (!number(ss, 2)) return false;
    }
    if (!spaces() || i >= n || (v[i] != '+' && v[i] != '-')) return false;
    const int sign = v[i] == '-' ? -1 : 1;
    ++i;
    if (!number(z, 4) || z / 100 > 23 || z % 100 > 59) return false;
    spaces();
    if (i < n && v[i] == '(') {  // a plain comment: "(UTC)", "(GMT+09:00)"
        for (++i; i < n && v[i] != ')'; ++i) {
            const char c = v[i];
            if (!(is_alpha(c) || is_digit(c) || c == ' ' || c == '+' || c == '-' || c == ':' || c == '.')) return false;
        }
        if (i >= n) return false;
        ++i;
        spaces();
    }
    if (i != n || hh > 24 || mm > 59 || ss > 60) return false;
    year = y, month = mo, day = d, h = hh, mi = mm, s = ss;
    zone = sign * (z / 100 * 60 + z % 100);
    return true;
}

}  // namespace

std::string iso_date(std::string_view value) {
    {
        long long year;
        int month, day, h, mi, s, zone;
        if (common_rfc5322_date(value, year, month, day, h, mi, s, zone)) return utc_string(year, month, day, h, mi, s, zone);
    }
    std::string stripped;  // only when there are comments to drop
    std::string_view v = value;
    if (value.find('(') != std::string_view::npos) {
        stripped = strip_comments(value);
        v = stripped;
    }
    // Separate tokens on white space and commas; ISO "T" handled below.
    std::string_view tok[17];
    std::size_t ntok = 0;
    {
        std::size_t i = 0;
        while (i < v.size()) {
            while (i < v.size() && date_space(v[i])) ++i;
            std::size_t b = i;
            while (i < v.size() && !date_space(v[i])) ++i;
            if (i == b) break;
            if (ntok == 16) return "";
            tok[ntok++] = v.substr(b, i - b);
        }
    }
    long long year = -1;
    int month = 0, day = 0, h = -1, mi = 0, s = 0, zone = 0;
    bool have_zone = false;
    int nums[16];  // bare numbers, in order (day / year candidates); at most one per token
    std::size_t nnums = 0;
    for (std::size_t ti = 0; ti < ntok; ++ti) {
        std::string_view t = tok[ti];
        // ISO 8601: 2017-04-29T23:34:45Z / +09:00 (the first 'T' of the token at offset 10)
        if (t.size() > 11 && t[10] == 'T' && t[4] == '-' && t[7] == '-' &&
            t.substr(0, 10).find('T') == std::string_view::npos) {
            std::string_view rest = t.substr(11);
            t = t.substr(0, 10);
            std::size_t zpos = rest.find_first_of("Zz+-");
            std::string_view tm = rest.substr(0, zpos);
            if (!parse_time(tm, h, mi, s)) return "";
            if (zpos != std::string_view::npos) {
                std::string_view z = rest.substr(zpos);
                int hh, mm;
                if (z == "Z" || z == "z") {
                    have_zone = true;
                } else if (z.size() >= 3 && numeric_zone(z.substr(1), false, hh, mm)) {
                    zone = (z[0] == '-' ? -1 : 1) * (hh * 60 + mm);
                    have_zone = true;
                }
            }
        }
        if (t.empty()) continue;
        const char c0 = t[0];
        if (is_digit(c0) && t.find(':') != std::string_view::npos) {
            if (h < 0 && !parse_time(t, h, mi, s)) return "";
            continue;
        }
        if ((c0 == '+' || c0 == '-') && t.size() >= 3) {
            int hh, mm;
            if (numeric_zone(t.substr(1), true, hh, mm)) {
                zone = (c0 == '-' ? -1 : 1) * (hh * 60 + mm);
                have_zone = true;
            }
            continue;  // a signed token is nothing else either
        }
        if (is_digit(c0)) {
            // numeric dates: YYYY-MM-DD, YYYY/MM/DD, DD-MM-YYYY, DD/MM/YYYY, DD-Mon-YYYY
            std::string_view f[3];
            std::size_t nf = 0, b = 0;
            bool separated = false;
            for (std::size_t k = 0; k <= t.size(); ++k) {
                if (k < t.size() && t[k] != '-' && t[k] != '/' && t[k] != '.') continue;
                if (k < t.size()) separated = true;
                if (nf == 3) return "";  // more than three fields
                f[nf++] = t.substr(b, k - b);
                b = k + 1;
            }
            if (separated) {
                if (nf != 3) return "";
                for (std::size_t k = 0; k < 3; ++k)
                    if (f[k].empty() || f[k].size() > 4) return "";
                if (f[0].size() == 4) {  // Y-M-D
                    year = small_number(f[0]);
                    month = small_number(f[1]);
                    day = small_number(f[2]);
                } else {  // D-M-Y or D-Mon-Y
                    day = small_number(f[0]);
                    const int named = month_of(f[1]);
                    month = named ? named : small_number(f[1]);
                    int y = small_number(f[2]);
                    year = y;
                    if (f[2].size() <= 2 && y >= 0) year = y < 50 ? 2000 + y : 1900 + y;
                }
                if (year < 0 || month <= 0 || day <= 0) return "";
                continue;
            }
            if (t.size() > 4) continue;  // "29th" and long numbers: ignored
            const int val = small_number(t);
            if (val < 0) continue;
            nums[nnums++] = val + (t.size() == 4 ? 100000 : 0);  // mark 4-digit years
            continue;
        }
        if (is_alpha(c0)) {
            // a month name (no weekday name starts like one), else perhaps a zone name
            if (int m = month_of(t); m && month == 0) {
                month = m;
                continue;
            }
            int minutes;
            if (!weekday3(t) && named_zone(t, minutes)) {
                if (!have_zone) zone = minutes;
                have_zone = true;
            }
            continue;
        }
    }
    // Day and year from the bare numbers: a 4-digit number is the year; otherwise the first
    // number is the day and the second the (2- or 3-digit) year.
    for (std::size_t ni = 0; ni < nnums; ++ni) {
        const int n = nums[ni];
        if (n >= 100000) {
            if (year < 0) year = n - 100000;
        } else if (day == 0 && n >= 1 && n <= 31) {
            day = n;
        } else if (year < 0) {
            year = n < 50 ? 2000 + n : (n < 1000 ? 1900 + n : n);
        }
    }
    return utc_string(year, month, day, h, mi, s, zone);
}

}  // namespace carom::report
