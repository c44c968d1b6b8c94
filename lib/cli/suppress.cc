#include "suppress.hh"

#include <algorithm>
#include <cctype>
#include <set>

#include "output.hh"

namespace carom_cli {

namespace {

bool digits(const std::string &s, std::size_t at, std::size_t n, int &out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
// days_from_civil, a public-domain algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr std::int64_t kDay = 86400;

std::string lower(std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

const Suppressions::Bounce *latest(const std::vector<Suppressions::Bounce> &bs) {
    const Suppressions::Bounce *best = nullptr;
    for (const auto &b : bs)  // the latest dated one; without dates, the last one read
        if (!best || (b.dated && (!best->dated || b.when >= best->when)) || (!b.dated && !best->dated)) best = &b;
    return best;
}

}  // namespace

bool rfc3339_seconds(const std::string &t, std::int64_t &seconds) {
    int y, mo, d, h, mi, s;
    if (!digits(t, 0, 4, y) || t.size() < 20 || t[4] != '-' || !digits(t, 5, 2, mo) || t[7] != '-' ||
        !digits(t, 8, 2, d) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !digits(t, 11, 2, h) ||
        t[13] != ':' || !digits(t, 14, 2, mi) || t[16] != ':' || !digits(t, 17, 2, s))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
    std::size_t i = 19;
    if (i < t.size() && t[i] == '.') {
        ++i;
        while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    }
    int offset = 0;
    if (i + 1 == t.size() && (t[i] == 'Z' || t[i] == 'z')) {
        offset = 0;
    } else {
        int oh, om;
        if (i + 6 != t.size() || (t[i] != '+' && t[i] != '-') || !digits(t, i + 1, 2, oh) || t[i + 3] != ':' ||
            !digits(t, i + 4, 2, om) || oh > 23 || om > 59)
            return false;
        offset = (t[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    }
    seconds = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * kDay + h * 3600 + mi * 60 +
              s - offset;
    return true;
}

void Suppressions::add(const std::string &source, const carom_result_t *result) {
    for (std::size_t i = 0; i < carom_result_record_count(result); ++i) {
        const carom_class_t cls = carom_result_class(result, i);
        if (cls != CAROM_CLASS_HARD && cls != CAROM_CLASS_SOFT) continue;  // backscatter, block, notices: kept
        const char *rcpt = carom_result_field(result, i, CAROM_FIELD_RECIPIENT, nullptr);
        if (!rcpt || !*rcpt) continue;
        Bounce b;
        const char *ts = carom_result_field(result, i, CAROM_FIELD_TIMESTAMP, nullptr);
        if (ts) {
            b.timestamp = ts;
            b.dated = rfc3339_seconds(b.timestamp, b.when);
        }
        const char *reason = carom_reason_name(carom_result_reason(result, i));
        b.reason = reason ? reason : "";
        b.source = source;
        Address &a = addresses_[lower(rcpt)];
        (cls == CAROM_CLASS_HARD ? a.hard : a.soft).push_back(std::move(b));
    }
}

bool Suppressions::row(const std::string &address, const Address &a, Row &out) const {
    out.address = address;
    if (!a.hard.empty()) {
        const Bounce *last = latest(a.hard);
        out.kind = "hard";
        out.bounces = a.hard.size();
        out.reason = last->reason, out.last = last->timestamp, out.source = last->source;
        return true;
    }
    // Soft bounces repeat when they fall on soft_count_ different days (UTC) within the
    // soft_days_ days that end with the last one. Undated ones cannot be placed: not counted.
    const Bounce *last = latest(a.soft);
    if (!last || !last->dated) return false;
    std::set<std::int64_t> days;
    std::size_t in_window = 0;
    for (const Bounce &b : a.soft) {
        if (!b.dated || b.when > last->when || last->when - b.when >= static_cast<std::int64_t>(soft_days_) * kDay)
            continue;
        ++in_window;
        days.insert(b.when >= 0 ? b.when / kDay : (b.when - kDay + 1) / kDay);
    }
    if (days.size() < soft_count_) return false;
    out.kind = "soft";
    out.bounces = in_window;
    out.reason = last->reason, out.last = last->timestamp, out.source = last->source;
    return true;
}

void Suppressions::write(std::FILE *out, bool csv) const {
    if (csv) std::fputs("address,kind,reason,bounces,last_bounce,source\r\n", out);
    Row r;
    for (const auto &[address, a] : addresses_) {
        if (!row(address, a, r)) continue;
        if (csv) {
            std::string line = csv_field_text(r.address) + "," + r.kind + "," + r.reason + "," +
                               std::to_string(r.bounces) + "," + r.last + "," + csv_field_text(r.source) + "\r\n";
            std::fputs(line.c_str(), out);
        } else {
            std::string line = "{\"address\":" + json_string(r.address) + ",\"kind\":" + json_string(r.kind) +
                               ",\"reason\":" + json_string(r.reason) + ",\"bounces\":" + std::to_string(r.bounces) +
                               ",\"last_bounce\":" + (r.last.empty() ? std::string("null") : json_string(r.last)) +
                               ",\"source\":" + json_string(r.source) + "}\n";
            std::fputs(line.c_str(), out);
        }
    }
}

}  // namespace carom_cli
