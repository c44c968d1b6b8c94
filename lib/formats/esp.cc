// JSON input: the envelopes ESP events come in (one object, an array, JSON Lines, an Amazon SNS
// notification), the helpers the vendor readers share, and the dispatch to them. See esp.hh.
#include "formats/esp.hh"

#include <cstdio>

#include "base/calendar.hh"
#include "base/json_release.hh"
#include "base/strings.hh"
#include "formats/esp_common.hh"
#include "formats/text.hh"
#include "report/fields.hh"
#include "report/stamp.hh"

namespace carom::formats {
namespace esp {

std::string str(const Json &j, const char *key) {
    if (!j.is_object()) return "";
    auto it = j.find(key);
    if (it == j.end()) return "";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return it->dump();
    if (it->is_number_float()) {
        const double d = it->get<double>();
        return d > -1e15 && d < 1e15 ? std::to_string(static_cast<long long>(d)) : std::string();
    }
    return "";
}

const Json *object(const Json &j, const char *key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? &*it : nullptr;
}

const Json *array(const Json &j, const char *key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it != j.end() && it->is_array() ? &*it : nullptr;
}

namespace {

// The sent message as `original` (message_id, from, subject): set by the first record, dropped
// as soon as an event names another message (the output has one original per input).
void note_original(Extraction &ex, const std::string &sender, const std::string &id, std::string_view subject) {
    Original &o = ex.original;
    if (ex.records.size() == 1) {
        o.message_id = id;
        o.from = sender;
        o.subject = squeeze(subject);
        o.present = !o.message_id.empty() || !o.from.empty();
    } else if (o.present && (o.message_id != id || o.from != sender)) {
        o = Original();
    }
}

}  // namespace

Record *add_record(Extraction &ex, std::string_view address, const Sent &sent, Given g, std::size_t max) {
    std::string rcpt = find_address(address);
    if (rcpt.empty() || ex.records.size() >= max) return nullptr;
    Record &r = ex.records.emplace_back();
    r.recipient = std::move(rcpt);
    r.recipient_source = "esp";
    r.sender = find_address(sent.sender);
    if (!sent.timestamp.empty()) {
        r.timestamp = sent.timestamp;
        r.timestamp_source = "event";
    }
    // The key of the token is the Message-ID as the original's message_id shows it: no brackets.
    std::string_view id = trim(sent.message_id);
    if (id.size() > 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
    r.token = report::record_token(r.sender, r.recipient, id);
    ex.given.push_back(std::move(g));
    note_original(ex, r.sender, std::string(id), sent.subject);
    return &r;
}

void set_diagnostic(Record &r, std::string_view text) {
    std::string t = squeeze(text);
    if (t.empty()) return;
    // "smtp; 550 ...": a type of letters, digits and '-' before the first ';'.
    std::size_t sc = t.find(';');
    if (sc != std::string::npos && sc > 0 && sc < 16 &&
        t.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == sc) {
        r.diagnostic_type = lower(std::string_view(t).substr(0, sc));
        t = std::string(trim(std::string_view(t).substr(sc + 1)));
    }
    r.diagnostic = std::move(t);
    r.reply_code = report::leading_reply_code(r.diagnostic);
    if (r.reply_code.empty()) r.reply_code = find_reply_code(r.diagnostic);
    if (r.status.empty()) r.status = find_status(r.diagnostic);
    r.command = report::command_from_text(r.diagnostic);
}

Given given(carom_reason_t reason, std::string_view vendor, std::string_view type, bool decides) {
    Given g;
    g.reason = reason;
    g.rule = "esp." + std::string(vendor) + "." + lower(type);
    g.decides = decides;
    return g;
}

namespace {

std::string two(long long v) {
    char b[24];
    std::snprintf(b, sizeof b, "%02lld", v);
    return b;
}

std::string from_unix(long long secs) {
    if (secs < 0 || secs > 253402300799LL) return "";  // up to 9999-12-31
    long long days = secs / 86400, rem = secs % 86400;
    // civil_from_days (H. Hinnant), the inverse of base/calendar.hh's days_from_civil.
    days += 719468;
    const long long era = days / 146097, doe = days - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    const long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    const long long y = yoe + era * 400 + (m <= 2);
    return std::to_string(y) + "-" + two(m) + "-" + two(d) + "T" + two(rem / 3600) + ":" + two(rem / 60 % 60) +
           ":" + two(rem % 60) + "+00:00";
}

bool digits(std::string_view s, std::size_t at, std::size_t n) {
    if (at + n > s.size()) return false;
    for (std::size_t i = at; i < at + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

// "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" → the same without the fraction, Z as +00:00.
std::string from_iso(std::string_view s) {
    if (!digits(s, 0, 4) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2) ||
        (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) || s[16] != ':' ||
        !digits(s, 17, 2))
        return "";
    std::string out(s.substr(0, 19));
    out[10] = 'T';
    std::size_t i = 19;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    std::string_view zone = s.substr(i);
    if (zone == "Z" || zone == "z") return out + "+00:00";
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(zone, 1, 2) && zone[3] == ':' &&
        digits(zone, 4, 2))
        return out + std::string(zone);
    return zone.empty() ? out + "-00:00" : "";  // no offset: unknown (RFC 3339 "-00:00")
}

}  // namespace

std::string event_time(const Json &v) {
    if (v.is_number_unsigned()) return from_unix(v.get<unsigned long long>() > 253402300799ULL ? -1 : v.get<long long>());
    if (v.is_number_integer()) return from_unix(v.get<long long>());
    if (v.is_number_float()) {
        const double d = v.get<double>();
        return d >= 0 && d < 253402300800.0 ? from_unix(static_cast<long long>(d)) : std::string();
    }
    if (!v.is_string()) return "";
    const std::string &s = v.get_ref<const std::string &>();
    // Unix seconds as a string (SparkPost): digits, maybe a fraction.
    const std::size_t whole = s.find('.') == std::string::npos ? s.size() : s.find('.');
    if (whole > 0 && whole <= 12 && digits(s, 0, whole) && s.find_first_not_of("0123456789.") == std::string::npos)
        return from_unix(std::stoll(s.substr(0, whole)));
    return from_iso(s);
}

}  // namespace esp

namespace {

using esp::Json;

// One reading of JSON input: its bounds, what it found, why it stopped.
struct Reading {
    std::size_t max_depth;    // nesting refused beyond this
    std::size_t max_records;  // stop reading events once this many records are made
    std::size_t max_text;     // the largest JSON text parsed into one tree (text_bytes)
    Extraction &ex;
    bool known = false;       // an event of a known ESP was seen
    std::string error;
};

// Walks the first JSON value of `s` (which starts with '{' or '[') without building it: returns
// one past its end, or npos when it never closes or nests deeper than max_depth (`deep` set).
// For an array, each element's text (trimmed) is given to `element`, which returns false to stop.
template <class Element>
std::size_t walk_value(std::string_view s, std::size_t max_depth, bool &deep, Element &&element) {
    const bool array = !s.empty() && s[0] == '[';
    std::size_t depth = 0, start = 0;
    bool in_string = false, escaped = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth) return deep = true, std::string_view::npos;
            if (depth == 1) start = i + 1;
        } else if (c == ',' && depth == 1 && array) {
            if (!element(trim(s.substr(start, i - start)))) return std::string_view::npos;
            start = i + 1;
        } else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
            std::string_view last = trim(s.substr(start, i - start));
            if (array && !last.empty() && !element(last)) return std::string_view::npos;
            return i + 1;
        }
    }
    return std::string_view::npos;
}

// Parses one JSON text of at most max_text bytes; false with `error` set when it is not JSON.
bool parse(std::string_view text, const Reading &rd, Json &out, std::string &error) {
    if (text.size() > rd.max_text) {
        error = "a JSON value of " + std::to_string(text.size()) + " bytes, more than the text_bytes limit of " +
                std::to_string(rd.max_text);
        return false;
    }
    bool deep = false;
    walk_value(text, rd.max_depth, deep, [](std::string_view) { return true; });
    if (deep) {
        error = "JSON nested deeper than " + std::to_string(rd.max_depth) + " levels";
        return false;
    }
    try {
        out = Json::parse(text.begin(), text.end());
        return true;
    } catch (const Json::parse_error &e) {
        error = "not JSON at byte " + std::to_string(e.byte) + ": " + e.what();
        return false;
    } catch (const Json::exception &e) {  // out_of_range: a number too large for a double
        error = std::string("not JSON: ") + e.what();
        return false;
    }
}

bool read_value(const Json &j, Reading &rd, int level);

// An Amazon SNS notification: {"Type":"Notification", ..., "Message":"<the event as JSON>"}.
bool read_sns(const Json &j, Reading &rd, int level) {
    if (esp::str(j, "Type") != "Notification" || !j.contains("TopicArn")) return false;
    const std::string message = esp::str(j, "Message");
    Json inner;
    std::string ignored;
    if (!looks_like_json(message) || !parse(message, rd, inner, ignored)) return false;
    bool known = read_value(inner, rd, level + 1);
    json_release(inner);
    return known;
}

// One event or an array of events (inside an SNS message); true when any was an ESP's.
bool read_value(const Json &j, Reading &rd, int level) {
    const std::size_t max = rd.max_records;
    if (level > 2) return false;  // an SNS notification of an array of events, no deeper
    if (j.is_array()) {
        bool known = false;
        for (const Json &e : j) known = read_value(e, rd, level + 1) || known;
        return known;
    }
    if (!j.is_object()) return false;
    Extraction &ex = rd.ex;
    return read_sns(j, rd, level) || esp::read_ses(j, ex, max) || esp::read_mailgun(j, ex, max) ||
           esp::read_sendgrid(j, ex, max) || esp::read_postmark(j, ex, max) || esp::read_sparkpost(j, ex, max);
}

// Parses and reads one JSON text (an element, an object); false with rd.error set.
bool read_one(std::string_view text, Reading &rd) {
    Json j;
    if (!parse(text, rd, j, rd.error)) return false;
    rd.known = read_value(j, rd, 0) || rd.known;
    json_release(j);
    return true;
}

// Reads one JSON text that starts with '{' or '[': an array element by element, so that the tree
// in memory is one event's, never the whole batch's. False with rd.error set.
bool read_text(std::string_view s, Reading &rd) {
    if (s[0] == '{') return read_one(s, rd);
    std::size_t n = 0;
    bool deep = false, failed = false;
    std::size_t end = walk_value(s, rd.max_depth, deep, [&](std::string_view element) {
        ++n;
        if (read_one(element, rd)) return rd.ex.records.size() < rd.max_records;
        rd.error = "array element " + std::to_string(n) + ": " + rd.error;
        return !(failed = true);
    });
    if (deep) rd.error = "JSON nested deeper than " + std::to_string(rd.max_depth) + " levels";
    else if (end == std::string_view::npos && !failed && rd.ex.records.size() < rd.max_records)
        rd.error = "not JSON: the array is not closed";
    else if (end != std::string_view::npos && !trim(s.substr(end)).empty())
        rd.error = "not JSON: text after the array's end";
    return rd.error.empty();
}

// JSON Lines: every non-blank line is one JSON text. False with rd.error naming the line.
bool read_lines(std::string_view bytes, Reading &rd) {
    std::size_t pos = 0, number = 0;
    while (pos < bytes.size() && rd.ex.records.size() < rd.max_records) {
        std::size_t nl = bytes.find('\n', pos);
        std::string_view line = trim(bytes.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
        pos = nl == std::string_view::npos ? bytes.size() : nl + 1;
        ++number;
        if (line.empty()) continue;
        if (!looks_like_json(line)) rd.error = "not JSON: it starts with neither '{' nor '['";
        if (!rd.error.empty() || !read_text(line, rd)) {
            rd.error = "line " + std::to_string(number) + ": " + rd.error;
            return false;
        }
    }
    return true;
}

}  // namespace

bool looks_like_json(std::string_view bytes) {
    if (starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
    std::size_t i = bytes.find_first_not_of(" \t\r\n");
    return i != std::string_view::npos && (bytes[i] == '{' || bytes[i] == '[');
}

carom_status_t read_esp_events(std::string_view bytes, const Limits &limits, Extraction &ex, std::string &error) {
    if (starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
    const std::string_view text = trim(bytes);
    // One more record than the limit, so that the engine can tell too many recipients from just enough.
    Reading rd{static_cast<std::size_t>(limits.mime_depth()) + 8, static_cast<std::size_t>(limits.recipients()) + 1,
               static_cast<std::size_t>(limits.text_bytes()), ex, false, {}};
    bool deep = false;
    const std::size_t end = walk_value(text, rd.max_depth, deep, [](std::string_view) { return true; });
    // One JSON text (maybe pretty-printed over many lines; or one that never closes: no line of
    // it could be a JSON text either), else JSON Lines.
    const bool one = end == std::string_view::npos || end == text.size() || text.find('\n') == std::string_view::npos;
    if (deep) rd.error = "JSON nested deeper than " + std::to_string(rd.max_depth) + " levels";
    if (!rd.error.empty() || !(one ? read_text(text, rd) : read_lines(text, rd))) {
        error = rd.error.empty() ? "not JSON" : rd.error;
        ex = Extraction();
        return CAROM_E_NOT_EMAIL;
    }
    if (!rd.known) {
        error = "JSON, but no event of Amazon SES, SendGrid, Mailgun, Postmark or SparkPost";
        return CAROM_E_NOT_EMAIL;
    }
    return CAROM_OK;
}

}  // namespace carom::formats
