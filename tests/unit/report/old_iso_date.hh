// The date reader as it was before it stopped allocating (commit "report: iso_date without
// allocations"), kept as the reference the new one is compared against on generated inputs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/calendar.hh"
#include "mime/decode.hh"
#include "report/fields.hh"
#include "old_comments.hh"

namespace old_report {
using carom::days_from_civil;
using carom::iequals;
using carom::istarts_with;
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

namespace {

struct Zone {
    const char *name;
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

constexpr const char *kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

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

int month_of(std::string_view w) {
    if (w.size() < 3) return 0;
    for (int i = 0; i < 12; ++i)
        if (iequals(w.substr(0, 3), kMonths[i])) return i + 1;
    return 0;
}

}  // namespace

inline std::string iso_date(std::string_view value) {
    std::string v = value.find('(') == std::string_view::npos ? std::string(value) : old_report_text::strip_comments(value);
    // Separate tokens on white space and commas; ISO "T" handled below.
    std::string_view tok[17];
    std::size_t ntok = 0;
    {
        std::size_t i = 0;
        while (i < v.size()) {
            while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == ',' || v[i] == '\n')) ++i;
            std::size_t b = i;
            while (i < v.size() && !(v[i] == ' ' || v[i] == '\t' || v[i] == ',' || v[i] == '\n')) ++i;
            if (i == b) break;
            if (ntok == 16) return "";
            tok[ntok++] = std::string_view(v).substr(b, i - b);
        }
    }
    long long year = -1;
    int month = 0, day = 0, h = -1, mi = 0, s = 0, zone = 0;
    bool have_zone = false;
    int nums[16];  // bare numbers, in order (day / year candidates); at most one per token
    std::size_t nnums = 0;
    for (std::size_t ti = 0; ti < ntok; ++ti) {
        std::string_view t = tok[ti];
        // ISO 8601: 2017-04-29T23:34:45Z / +09:00
        std::size_t tpos = t.find('T');
        if (tpos == 10 && t.size() > 11 && t[4] == '-' && t[7] == '-') {
            std::string_view rest = t.substr(11);
            t = t.substr(0, 10);
            std::size_t zpos = rest.find_first_of("Zz+-");
            std::string_view tm = rest.substr(0, zpos);
            if (!parse_time(tm, h, mi, s)) return "";
            if (zpos != std::string_view::npos) {
                std::string_view z = rest.substr(zpos);
                if (z == "Z" || z == "z") {
                    have_zone = true;
                } else if (z.size() >= 3) {
                    std::string digits;
                    for (char c : z.substr(1))
                        if (is_digit(c)) digits.push_back(c);
                    if (digits.size() == 4 || digits.size() == 2) {
                        int hh = std::stoi(digits.substr(0, 2)), mm = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
                        zone = (z[0] == '-' ? -1 : 1) * (hh * 60 + mm);
                        have_zone = true;
                    }
                }
            }
        }
        if (t.empty()) continue;
        if (t.find(':') != std::string_view::npos && is_digit(t[0])) {
            if (h < 0 && !parse_time(t, h, mi, s)) return "";
            continue;
        }
        if ((t[0] == '+' || t[0] == '-') && t.size() >= 3) {
            std::string digits;
            bool ok = true;
            for (char c : t.substr(1)) {
                if (is_digit(c)) digits.push_back(c);
                else if (c != ':') ok = false;
            }
            if (ok && (digits.size() == 4 || digits.size() == 2)) {
                int hh = std::stoi(digits.substr(0, 2)), mm = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
                if (hh <= 23 && mm <= 59) {
                    zone = (t[0] == '-' ? -1 : 1) * (hh * 60 + mm);
                    have_zone = true;
                }
                continue;
            }
        }
        // numeric dates: YYYY-MM-DD, YYYY/MM/DD, DD-MM-YYYY, DD/MM/YYYY, DD-Mon-YYYY
        if (is_digit(t[0]) && (t.find('-') != std::string_view::npos || t.find('/') != std::string_view::npos ||
                               t.find('.') != std::string_view::npos)) {
            std::vector<std::string> f;
            std::string cur;
            for (char c : t) {
                if (c == '-' || c == '/' || c == '.') {
                    f.push_back(cur);
                    cur.clear();
                } else {
                    cur.push_back(c);
                }
            }
            f.push_back(cur);
            if (f.size() != 3) return "";
            for (std::size_t k = 0; k < 3; ++k)
                if (f[k].empty() || f[k].size() > 4) return "";
            auto num = [](const std::string &x) {
                for (char c : x)
                    if (!is_digit(c)) return -1;
                return std::stoi(x);
            };
            if (f[0].size() == 4) {  // Y-M-D
                year = num(f[0]);
                month = num(f[1]);
                day = num(f[2]);
            } else {  // D-M-Y or D-Mon-Y
                day = num(f[0]);
                month = month_of(f[1]) ? month_of(f[1]) : num(f[1]);
                int y = num(f[2]);
                year = y;
                if (f[2].size() <= 2 && y >= 0) year = y < 50 ? 2000 + y : 1900 + y;
            }
            if (year < 0 || month <= 0 || day <= 0) return "";
            continue;
        }
        if (is_digit(t[0])) {
            bool all = true;
            for (char c : t)
                if (!is_digit(c)) all = false;
            if (!all || t.size() > 4) continue;  // "29th" and the like: ignored
            int val = 0;
            for (char c : t) val = val * 10 + (c - '0');
            nums[nnums++] = val + (t.size() == 4 ? 100000 : 0);  // mark 4-digit years
            continue;
        }
        if (is_alpha(t[0])) {
            if (int m = month_of(t); m && month == 0 && (t.size() == 3 || t.size() >= 3)) {
                // a month name; weekday names never start like a month
                bool weekday = false;
                for (const char *w : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
                    if (istarts_with(t, w)) weekday = true;
                if (!weekday) {
                    month = m;
                    continue;
                }
            }
            for (const Zone &z : kZones) {
                if (iequals(t, z.name)) {
                    if (!have_zone) zone = z.minutes;
                    have_zone = true;
                    break;
                }
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
    if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || h < 0) return "";
    if (static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) return "";
    long long secs = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400LL +
                     h * 3600LL + mi * 60LL + (s == 60 ? 59 : s) - zone * 60LL;
    long long days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    long long rem = secs - days * 86400;
    long long y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    // "%04lld-%02u-%02uT%02d:%02d:%02dZ" written by hand: snprintf cost more than the whole parse
    // (docs/performance.md). Every field here is non-negative.
    std::string out;
    out.reserve(20);
    auto put = [&out](long long n, int width) {
        char digits[24];
        int k = 0;
        do {
            digits[k++] = static_cast<char>('0' + n % 10);
            n /= 10;
        } while (n > 0);
        for (int pad = width - k; pad > 0; --pad) out += '0';
        while (k > 0) out += digits[--k];
    };
    put(y, 4), out += '-', put(m, 2), out += '-', put(d, 2), out += 'T';
    put(rem / 3600, 2), out += ':', put((rem % 3600) / 60, 2), out += ':', put(rem % 60, 2), out += 'Z';
    return out;
}


}  // namespace old_report
