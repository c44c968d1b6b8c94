#include "output.hh"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cinttypes>
#include <cstring>
#include <vector>

namespace carom_cli {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t utf8_length(const std::string &s, std::size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        unsigned char d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}


// A table of counts, largest first; with top > 0 only the first `top` rows and a line for the rest.
void print_table(std::FILE *out, const char *title, const std::map<std::string, std::uint64_t> &counts,
                 std::uint64_t total, std::size_t top = 0) {
    std::fprintf(out, "\n%-22s %10s %7s\n", title, "count", "share");
    if (counts.empty()) {
        std::fprintf(out, "  (none)\n");
        return;
    }
    std::vector<std::pair<std::string, std::uint64_t>> rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    const std::size_t shown = top ? std::min(top, rows.size()) : rows.size();
    for (std::size_t i = 0; i < shown; ++i)
        std::fprintf(out, "  %-20s %10" PRIu64 " %6.1f%%\n", rows[i].first.c_str(), rows[i].second,
                     total ? 100.0 * static_cast<double>(rows[i].second) / static_cast<double>(total) : 0.0);
    if (shown < rows.size()) std::fprintf(out, "  (%zu more)\n", rows.size() - shown);
}

// A diagnostic as a table key: a word holding an address becomes <addr>, runs of digits #, at
// most 72 bytes, so that the same refusal to many recipients counts as one.
std::string diagnostic_key(const char *text) {
    std::string key;
    const char *p = text;
    while (*p && key.size() < 72) {
        while (*p && std::isspace(static_cast<unsigned char>(*p))) ++p;
        const char *end = p;
        while (*end && !std::isspace(static_cast<unsigned char>(*end))) ++end;
        if (end == p) break;
        if (!key.empty()) key += ' ';
        if (std::memchr(p, '@', static_cast<std::size_t>(end - p))) {
            key += "<addr>";
        } else {
            for (const char *q = p; q < end; ++q) {
                if (!std::isdigit(static_cast<unsigned char>(*q)))
                    key += *q;
                else if (key.empty() || key.back() != '#')
                    key += '#';
            }
        }
        p = end;
    }
    return key.size() > 72 ? key.substr(0, 72) : key;
}

}  // namespace

std::string html_text(const std::string &s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        switch (s[i]) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.append(s, i, n);
        }
        i += n;
    }
    return out;
}

std::string human_bytes(double b) {
    char buf[64];
    if (b >= 1e9) {
        std::snprintf(buf, sizeof buf, "%.2f GB", b / 1e9);
    } else if (b >= 1e6) {
        std::snprintf(buf, sizeof buf, "%.2f MB", b / 1e6);
    } else if (b >= 1e3) {
        std::snprintf(buf, sizeof buf, "%.1f kB", b / 1e3);
    } else {
        std::snprintf(buf, sizeof buf, "%.0f B", b);
    }
    return buf;
}

std::string json_string(const std::string &s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t n = utf8_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
            continue;
        }
        if (n > 1) {
            out.append(s, i, n);
            i += n;
            continue;
        }
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
        ++i;
    }
    out += '"';
    return out;
}

std::string error_object(const std::string &source, const std::string &code, const std::string &message) {
    return "{\"source\":" + json_string(source) +
           ",\"format\":null,\"records\":[],\"original\":null,"
           "\"backscatter\":{\"verdict\":\"unknown\",\"signals\":[]},\"error\":{\"code\":" +
           json_string(code) + ",\"message\":" + json_string(message) + "}}";
}

const char kCsvHeader[] =
    "source,format,recipient,original_recipient,envelope_recipient,recipient_source,action,status,reply_code,class,reason,rule,diagnostic,"
    "remote_mta,reporting_mta,command,timestamp,sender,token,original_message_id,original_subject,backscatter,"
    "error,error_message\r\n";

namespace {

// One field as RFC 4180 writes it; invalid UTF-8 becomes U+FFFD, as in the JSON output.
void csv_field(std::string &row, const std::string &value) {
    std::string text;
    for (std::size_t i = 0; i < value.size();) {
        const std::size_t n = utf8_length(value, i);
        if (n == 0) {
            text += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
        } else {
            text.append(value, i, n);
            i += n;
        }
    }
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        row += text;
        return;
    }
    row += '"';
    for (char c : text) {
        if (c == '"') row += '"';
        row += c;
    }
    row += '"';
}

}  // namespace

std::string csv_field_text(const std::string &value) {
    std::string text;
    csv_field(text, value);
    return text;
}

namespace {

std::string field(const carom_result_t *r, std::size_t i, carom_field_t f) {
    const char *v = carom_result_field(r, i, f, nullptr);
    return v ? v : "";
}

const char *verdict_word(const carom_result_t *r) {
    switch (carom_result_verdict(r)) {
        case CAROM_VERDICT_BACKSCATTER: return "backscatter";
        case CAROM_VERDICT_GENUINE: return "genuine";
        default: return "unknown";
    }
}

}  // namespace

std::string csv_rows(const std::string &source, const carom_result_t *r) {
    const std::size_t n = carom_result_record_count(r);
    const bool failed = carom_result_status(r) != CAROM_OK;
    std::string rows;
    for (std::size_t i = 0; i < std::max<std::size_t>(n, 1); ++i) {
        const bool rec = i < n;
        auto per_record = [&](carom_field_t f) { return rec ? field(r, i, f) : std::string(); };
        const char *cls = rec ? carom_class_name(carom_result_class(r, i)) : nullptr;
        const char *reason = rec ? carom_reason_name(carom_result_reason(r, i)) : nullptr;
        const std::string values[] = {
            source, field(r, 0, CAROM_FIELD_FORMAT), per_record(CAROM_FIELD_RECIPIENT),
            per_record(CAROM_FIELD_ORIGINAL_RECIPIENT), per_record(CAROM_FIELD_ENVELOPE_RECIPIENT),
            per_record(CAROM_FIELD_RECIPIENT_SOURCE), per_record(CAROM_FIELD_ACTION),
            per_record(CAROM_FIELD_STATUS), per_record(CAROM_FIELD_REPLY_CODE), cls ? cls : "", reason ? reason : "",
            per_record(CAROM_FIELD_RULE), per_record(CAROM_FIELD_DIAGNOSTIC), per_record(CAROM_FIELD_REMOTE_MTA),
            per_record(CAROM_FIELD_REPORTING_MTA), per_record(CAROM_FIELD_COMMAND),
            per_record(CAROM_FIELD_TIMESTAMP), per_record(CAROM_FIELD_SENDER), per_record(CAROM_FIELD_TOKEN),
            field(r, 0, CAROM_FIELD_ORIGINAL_MESSAGE_ID), field(r, 0, CAROM_FIELD_ORIGINAL_SUBJECT),
            n ? verdict_word(r) : "", failed ? carom_status_name(carom_result_status(r)) : "",
            failed ? carom_result_message(r) : ""};
        bool first = true;
        for (const std::string &v : values) {
            if (!first) rows += ',';
            first = false;
            csv_field(rows, v);
        }
        rows += "\r\n";
    }
    return rows;
}

std::string csv_error_row(const std::string &source, const std::string &code, const std::string &message) {
    std::string row;
    csv_field(row, source);
    row += ",,,,,,,,,,,,,,,,,,,,,,";  // the 22 columns between source and error
    csv_field(row, code);
    row += ',';
    csv_field(row, message);
    row += "\r\n";
    return row;
}

std::string pretty_json(const std::string &json) {
    std::string out;
    int depth = 0;
    bool in_string = false;
    auto newline = [&](int d) {
        out += '\n';
        out.append(static_cast<std::size_t>(2 * std::max(d, 0)), ' ');
    };
    for (std::size_t i = 0; i < json.size(); ++i) {
        char c = json[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < json.size()) {
                out += json[++i];
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        switch (c) {
            case '"':
                in_string = true;
                out += c;
                break;
            case '{':
            case '[': {
                char close = c == '{' ? '}' : ']';
                if (i + 1 < json.size() && json[i + 1] == close) {  // {} and [] stay on one line
                    out += c;
                    out += close;
                    ++i;
                    break;
                }
                out += c;
                newline(++depth);
                break;
            }
            case '}':
            case ']':
                newline(--depth);
                out += c;
                break;
            case ',':
                out += c;
                newline(depth);
                break;
            case ':':
                out += ": ";
                break;
            case ' ':
            case '\n':
            case '\r':
            case '\t':
                break;
            default:
                out += c;
        }
    }
    return out;
}

void Summary::add(const carom_result_t *result, std::uint64_t bytes, const std::string &source) {
    ++messages_;
    bytes_ += bytes;
    carom_status_t st = carom_result_status(result);
    if (st != CAROM_OK) {
        ++errors_;
        const char *name = carom_status_name(st);
        ++error_codes_[name ? name : "unknown"];
        note_error(name ? name : "unknown", source);
        return;
    }
    std::size_t n = carom_result_record_count(result);
    records_ += n;
    if (n == 0) {
        ++not_bounces_;
    } else {
        ++bounces_;
    }
    const char *format = carom_result_field(result, 0, CAROM_FIELD_FORMAT, nullptr);
    ++formats_[format ? format : "(none)"];
    for (std::size_t i = 0; i < n; ++i) {
        const carom_class_t c = carom_result_class(result, i);
        const char *cls = carom_class_name(c);
        const char *reason = carom_reason_name(carom_result_reason(result, i));
        ++classes_[cls ? cls : "(none)"];
        ++reasons_[reason ? reason : "(none)"];
        const char *rcpt = carom_result_field(result, i, CAROM_FIELD_RECIPIENT, nullptr);
        const char *at = rcpt ? std::strrchr(rcpt, '@') : nullptr;
        std::string domain = at ? at + 1 : "(none)";
        for (char &ch : domain) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (domains_.size() >= kMaxKeys && !domains_.count(domain)) domain = "(other)";
        ByClass &b = domains_[domain];
        ++b.records;
        b.hard += c == CAROM_CLASS_HARD, b.soft += c == CAROM_CLASS_SOFT, b.block += c == CAROM_CLASS_BLOCK;
        const char *stamp = carom_result_field(result, i, CAROM_FIELD_TIMESTAMP, nullptr);
        if (stamp && std::strlen(stamp) >= 10) {
            std::string day(stamp, 10);
            if (days_.size() >= kMaxKeys && !days_.count(day)) day = "(other)";
            ByClass &d = days_[day];
            ++d.records;
            d.hard += c == CAROM_CLASS_HARD, d.soft += c == CAROM_CLASS_SOFT, d.block += c == CAROM_CLASS_BLOCK;
        }
        const char *mta = carom_result_field(result, i, CAROM_FIELD_REMOTE_MTA, nullptr);
        count(remote_mtas_, mta ? mta : "(none)");
        const char *diag = carom_result_field(result, i, CAROM_FIELD_DIAGNOSTIC, nullptr);
        if (diag && *diag) count(diagnostics_, diagnostic_key(diag));
    }
}

void Summary::count(std::map<std::string, std::uint64_t> &table, const std::string &key) {
    if (table.size() >= kMaxKeys && !table.count(key))
        ++table["(other)"];
    else
        ++table[key];
}

void Summary::add_error(const std::string &code, std::uint64_t bytes, const std::string &source) {
    ++messages_;
    bytes_ += bytes;
    ++errors_;
    ++error_codes_[code];
    note_error(code, source);
}

void Summary::note_error(const std::string &code, const std::string &source) {
    if (error_sources_.size() < kErrorSources) error_sources_.emplace_back(code, source);
}

void Summary::print(std::FILE *out, double seconds) const {
    auto line = [out](const char *name, std::uint64_t v) { std::fprintf(out, "%-22s %10" PRIu64 "\n", name, v); };
    line("messages", messages_);
    line("  bounces", bounces_);
    line("  not bounces", not_bounces_);
    line("  errors", errors_);
    line("records", records_);
    std::fprintf(out, "%-22s %10s\n", "bytes read", human_bytes(static_cast<double>(bytes_)).c_str());
    double s = seconds > 1e-9 ? seconds : 1e-9;
    std::fprintf(out, "%-22s %10.3f s\n", "elapsed", seconds);
    std::fprintf(out, "%-22s %10.0f messages/s, %.2f MB/s\n", "throughput", static_cast<double>(messages_) / s,
                 static_cast<double>(bytes_) / s / 1e6);
    print_table(out, "class", classes_, records_);
    print_table(out, "reason", reasons_, records_);
    print_table(out, "format", formats_, bounces_ + not_bounces_);
    print_table(out, "error", error_codes_, messages_);
    if (!error_sources_.empty()) {
        std::fprintf(out, "\nerrors (the first %zu, by source)\n", kErrorSources);
        for (const auto &e : error_sources_) std::fprintf(out, "  %-20s %s\n", e.first.c_str(), e.second.c_str());
        if (errors_ > error_sources_.size()) std::fprintf(out, "  (%" PRIu64 " more)\n", errors_ - error_sources_.size());
    }

    constexpr std::size_t kTop = 20;
    std::fprintf(out, "\n%-30s %10s %8s %8s %8s\n", "receiving domain", "records", "hard", "soft", "block");
    if (domains_.empty()) std::fprintf(out, "  (none)\n");
    std::vector<std::pair<std::string, ByClass>> rows(domains_.begin(), domains_.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.second.records > b.second.records; });
    for (std::size_t i = 0; i < std::min(kTop, rows.size()); ++i)
        std::fprintf(out, "  %-28s %10" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n", rows[i].first.c_str(),
                     rows[i].second.records, rows[i].second.hard, rows[i].second.soft, rows[i].second.block);
    if (rows.size() > kTop) std::fprintf(out, "  (%zu more)\n", rows.size() - kTop);
    print_table(out, "remote MTA", remote_mtas_, records_, kTop);
    std::fprintf(out, "\ntop diagnostics (addresses as <addr>, numbers as #)\n");
    std::vector<std::pair<std::string, std::uint64_t>> diags(diagnostics_.begin(), diagnostics_.end());
    std::stable_sort(diags.begin(), diags.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    if (diags.empty()) std::fprintf(out, "  (none)\n");
    for (std::size_t i = 0; i < std::min(kTop, diags.size()); ++i)
        std::fprintf(out, "  %8" PRIu64 "  %s\n", diags[i].second, diags[i].first.c_str());
    if (diags.size() > kTop) std::fprintf(out, "  (%zu more)\n", diags.size() - kTop);
}

std::string progress_text(std::uint64_t messages, std::uint64_t bytes, std::uint64_t total_bytes, double seconds) {
    const double rate = seconds > 0 ? static_cast<double>(messages) / seconds : 0;
    std::string text = "carom: " + std::to_string(messages) + " messages, " + human_bytes(static_cast<double>(bytes));
    if (total_bytes > 0) {
        const double done = std::min(static_cast<double>(bytes) / static_cast<double>(total_bytes), 0.99);
        char buf[96];
        std::snprintf(buf, sizeof buf, " of %s (%.0f%%)", human_bytes(static_cast<double>(total_bytes)).c_str(),
                      std::floor(done * 100));
        text += buf;
        if (bytes > 0 && seconds > 0) {
            const auto left = static_cast<std::uint64_t>(std::ceil(seconds * (1 - done) / done));
            std::snprintf(buf, sizeof buf, ", %" PRIu64 ":%02" PRIu64 " left", left / 60, left % 60);
            text += buf;
        }
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, ", %.0f messages/s", rate);
    return text + buf;
}

Progress::Progress(bool enabled, std::uint64_t total_bytes) : enabled_(enabled), total_(total_bytes) {
    start_ = last_ = std::chrono::steady_clock::now();
}

void Progress::update(std::uint64_t messages, std::uint64_t bytes) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double s = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr, "\r%s\033[K", progress_text(messages, bytes, total_, s).c_str());
    std::fflush(stderr);
    shown_ = true;
}

void Progress::clear() {
    if (!shown_) return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
}

}  // namespace carom_cli
