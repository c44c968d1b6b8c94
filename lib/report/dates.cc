// The date reader: iso_date and its steps. See dates.hh; the forms it reads are listed in
// docs/mime.md ("Dates").
#include "base/strings.hh"
#include "report/dates.hh"

#include <cstdint>

#include "base/calendar.hh"
#include "report/chars.hh"
#include "report/fields.hh"

namespace carom::report {

namespace {

// The date reader allocates nothing but its result: it runs for every Date of a returned original
// and every Last-Attempt-Date, so it works on views and fixed arrays, and a copy, a digit string
// or a vector of words would cost more than the parse itself.

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

// The parts are a date both readers accept: a year of 1900-9999, a day of its month, a time.
bool valid_parts(long long year, int month, int day, int h) {
    if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || h < 0) return false;
    return static_cast<unsigned>(day) <= days_in_month(year, static_cast<unsigned>(month));
}

// The date from its parts as "YYYY-MM-DDTHH:MM:SSZ" in UTC; "" when the parts are not a date.
std::string utc_string(long long year, int month, int day, int h, int mi, int s, int zone) {
    if (!valid_parts(year, month, day, h)) return "";
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
                         int &zone, bool &unknown_zone) {
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
    unknown_zone = sign < 0 && z == 0;  // "-0000": RFC 5322 3.3, no information about the local zone
    return true;
}

// ---- the general reader: the date's words one by one -------------------------------------------

// What the general reader has found so far. A field not found keeps its initial value: no year
// (-1), no month or day (0), no time (h = -1); a missing zone is UTC. `zone_unknown`: the zone
// found says nothing of the local offset ("-0000", "-00:00"); `zone_zulu`: it was written "Z".
struct DateParts {
    long long year = -1;
    int month = 0, day = 0, h = -1, mi = 0, s = 0, zone = 0;
    bool have_zone = false, zone_unknown = false, zone_zulu = false;
    int nums[16];  // bare numbers, in order (day / year candidates); at most one per word
    std::size_t nnums = 0;
};

constexpr std::size_t kMaxWords = 16;  // a date with more words than this is not read

// The words of a date, split at white space and commas; false when there are more than kMaxWords.
bool split_date_words(std::string_view v, std::string_view (&words)[kMaxWords], std::size_t &count) {
    count = 0;
    std::size_t i = 0;
    while (i < v.size()) {
        while (i < v.size() && date_space(v[i])) ++i;
        std::size_t b = i;
        while (i < v.size() && !date_space(v[i])) ++i;
        if (i == b) break;
        if (count == kMaxWords) return false;
        words[count++] = v.substr(b, i - b);
    }
    return true;
}

// An ISO 8601 date and time in one word: 2017-04-29T23:34:45Z (the first 'T' at offset 10).
bool iso_datetime_word(std::string_view t) {
    return t.size() > 11 && t[10] == 'T' && t[4] == '-' && t[7] == '-' && t.substr(0, 10).find('T') == std::string_view::npos;
}

// The part of an ISO 8601 word after the 'T': the time, then "Z", "+09:00", "-05" or nothing.
// False when the time cannot be read; a zone that cannot be read is ignored.
bool read_iso_time(std::string_view rest, DateParts &d) {
    std::size_t zpos = rest.find_first_of("Zz+-");
    if (!parse_time(rest.substr(0, zpos), d.h, d.mi, d.s)) return false;
    if (zpos == std::string_view::npos) return true;
    std::string_view z = rest.substr(zpos);
    int hh, mm;
    if (z == "Z" || z == "z") {
        d.have_zone = true;
        d.zone_zulu = true;
    } else if (z.size() >= 3 && numeric_zone(z.substr(1), false, hh, mm)) {
        d.zone = (z[0] == '-' ? -1 : 1) * (hh * 60 + mm);
        d.have_zone = true;
        d.zone_unknown = z[0] == '-' && d.zone == 0;
        d.zone_zulu = false;
    }
    return true;
}

// A word that starts with a digit and holds no ':': a numeric date (YYYY-MM-DD, YYYY/MM/DD,
// DD-MM-YYYY, DD.MM.YYYY, DD-Mon-YYYY; two-digit years as in RFC 5322 4.3), or a bare number
// kept for settle_day_and_year. False when it is a broken numeric date.
bool read_number_word(std::string_view t, DateParts &d) {
    std::string_view f[3];
    std::size_t nf = 0, b = 0;
    bool separated = false;
    for (std::size_t k = 0; k <= t.size(); ++k) {
        if (k < t.size() && t[k] != '-' && t[k] != '/' && t[k] != '.') continue;
        if (k < t.size()) separated = true;
        if (nf == 3) return false;  // more than three fields
        f[nf++] = t.substr(b, k - b);
        b = k + 1;
    }
    if (!separated) {
        if (t.size() > 4) return true;  // "29th" and long numbers: ignored
        const int val = small_number(t);
        if (val >= 0) d.nums[d.nnums++] = val + (t.size() == 4 ? 100000 : 0);  // mark 4-digit years
        return true;
    }
    if (nf != 3) return false;
    for (std::size_t k = 0; k < 3; ++k)
        if (f[k].empty() || f[k].size() > 4) return false;
    if (f[0].size() == 4) {  // Y-M-D
        d.year = small_number(f[0]);
        d.month = small_number(f[1]);
        d.day = small_number(f[2]);
    } else {  // D-M-Y or D-Mon-Y
        d.day = small_number(f[0]);
        const int named = month_of(f[1]);
        d.month = named ? named : small_number(f[1]);
        int y = small_number(f[2]);
        d.year = y;
        if (f[2].size() <= 2 && y >= 0) d.year = y < 50 ? 2000 + y : 1900 + y;
    }
    return d.year >= 0 && d.month > 0 && d.day > 0;
}

// One word of a date; false when it makes the date unreadable. Words that are none of the
// parts (weekdays, "at", unknown zone names) are skipped.
bool read_date_word(std::string_view t, DateParts &d) {
    if (iso_datetime_word(t)) {
        if (!read_iso_time(t.substr(11), d)) return false;
        t = t.substr(0, 10);
    }
    const char c0 = t[0];
    if (is_digit(c0) && t.find(':') != std::string_view::npos)  // the time: the first one counts
        return d.h >= 0 || parse_time(t, d.h, d.mi, d.s);
    if ((c0 == '+' || c0 == '-') && t.size() >= 3) {  // a numeric zone; a signed word is nothing else
        int hh, mm;
        if (numeric_zone(t.substr(1), true, hh, mm)) {
            d.zone = (c0 == '-' ? -1 : 1) * (hh * 60 + mm);
            d.have_zone = true;
            d.zone_unknown = c0 == '-' && d.zone == 0;
            d.zone_zulu = false;
        }
        return true;
    }
    if (is_digit(c0)) return read_number_word(t, d);
    if (is_alpha(c0)) {
        // a month name (no weekday name starts like one), else perhaps a zone name
        if (int m = month_of(t); m && d.month == 0) {
            d.month = m;
            return true;
        }
        int minutes;
        if (!weekday3(t) && named_zone(t, minutes)) {
            if (!d.have_zone) {
                d.zone = minutes;
                // "Z", the one military zone in the table: RFC 5322 4.3 makes the military zones
                // unknown offsets (RFC 822 had their signs inverted), but zero has no sign. The
                // other letters are not in the table: skipped words, as if there were no zone.
                d.zone_zulu = t.size() == 1;
            }
            d.have_zone = true;
        }
    }
    return true;
}

// Day and year from the bare numbers: a 4-digit number is the year; otherwise the first number
// of 1-31 is the day and the next the (2- or 3-digit) year, read as RFC 5322 4.3 says (below 50:
// 20xx; 50-999: plus 1900).
void settle_day_and_year(DateParts &d) {
    for (std::size_t ni = 0; ni < d.nnums; ++ni) {
        const int n = d.nums[ni];
        if (n >= 100000) {
            if (d.year < 0) d.year = n - 100000;
        } else if (d.day == 0 && n >= 1 && n <= 31) {
            d.day = n;
        } else if (d.year < 0) {
            d.year = n < 50 ? 2000 + n : (n < 1000 ? 1900 + n : n);
        }
    }
}


// How a date's zone reads: an offset, "Z", or nothing known of the local offset (RFC 5322
// "-0000", a military zone other than "Z", an unknown zone name, no zone at all).
enum class ZoneKind { Offset, Zulu, Unknown };

// The parts of a date, before any check of their ranges. False when the words cannot be a date.
bool read_date(std::string_view value, DateParts &d, ZoneKind &kind) {
    {
        bool unknown = false;
        if (common_rfc5322_date(value, d.year, d.month, d.day, d.h, d.mi, d.s, d.zone, unknown)) {
            kind = unknown ? ZoneKind::Unknown : ZoneKind::Offset;
            return true;
        }  // (it writes the parts only when it reads the whole date)
    }
    std::string stripped;  // only when there are comments to drop
    std::string_view v = value;
    if (value.find('(') != std::string_view::npos) {
        stripped = strip_comments(value);
        v = stripped;
    }
    std::string_view words[kMaxWords];
    std::size_t count;
    if (!split_date_words(v, words, count)) return false;
    for (std::size_t i = 0; i < count; ++i)
        if (!read_date_word(words[i], d)) return false;
    settle_day_and_year(d);
    kind = !d.have_zone || d.zone_unknown ? ZoneKind::Unknown : d.zone_zulu ? ZoneKind::Zulu : ZoneKind::Offset;
    return true;
}

// Two digits of 0-99 at the end of `out`.
void put2(std::string &out, long long x) {
    out += static_cast<char>('0' + x / 10);
    out += static_cast<char>('0' + x % 10);
}

}  // namespace

std::string iso_date(std::string_view value) {
    DateParts d;
    ZoneKind kind;
    if (!read_date(value, d, kind)) return "";
    return utc_string(d.year, d.month, d.day, d.h, d.mi, d.s, d.zone);
}

std::string rfc3339_date(std::string_view value) {
    DateParts d;
    ZoneKind kind;
    if (!read_date(value, d, kind) || !valid_parts(d.year, d.month, d.day, d.h)) return "";
    if (d.zone <= -24 * 60 || d.zone >= 24 * 60) return "";  // RFC 3339's offset has hours 00-23
    // The local time as written, carried over as the UTC form does: 24:00 is the next day's
    // midnight, a leap second 60 is read as 59 (as last_attempt reads it: the same instant).
    const long long secs = days_from_civil(d.year, static_cast<unsigned>(d.month), static_cast<unsigned>(d.day)) * 86400LL +
                           d.h * 3600LL + d.mi * 60LL + (d.s == 60 ? 59 : d.s);
    const long long days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    const long long rem = secs - days * 86400;
    long long y;
    unsigned m, day;
    civil_from_days(days, y, m, day);
    if (y > 9999) return "";  // 9999-12-31T24:00: past RFC 3339's four-digit year
    std::string out;
    out.reserve(25);
    put2(out, y / 100), put2(out, y % 100);
    out += '-', put2(out, m), out += '-', put2(out, day), out += 'T';
    put2(out, rem / 3600), out += ':', put2(out, rem % 3600 / 60), out += ':', put2(out, rem % 60);
    if (kind == ZoneKind::Zulu) {
        out += 'Z';
    } else if (kind == ZoneKind::Unknown) {
        out += "-00:00";  // RFC 3339 4.3: the time is UTC, the local offset unknown
    } else {
        const int z = d.zone < 0 ? -d.zone : d.zone;
        out += d.zone < 0 ? '-' : '+';
        put2(out, z / 60), out += ':', put2(out, z % 60);
    }
    return out;
}

}  // namespace carom::report
