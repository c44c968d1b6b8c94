#include "output/json.hh"

#include <array>

#include "base/taxonomy.hh"

namespace carom {
namespace {

// A small writer instead of a JSON tree. Why: nlohmann/json 3.11 allocates while destroying a
// non-empty array or object (its destructor flattens the tree onto a heap stack), and its
// ordered_map copies and destroys values when it grows; under memory pressure a destructor then
// throws std::bad_alloc and the process terminates. Rendering straight into one string has no
// such hazard (tests/faults/test_failing_new.cc fails every allocation in turn), and is cheaper.
// The bytes are those nlohmann's dump(-1, ' ', false, error_handler_t::replace) wrote: compact,
// UTF-8 kept as is, control characters escaped (\b \f \n \r \t, else \u00xx), and each invalid
// UTF-8 sequence (its longest valid prefix, at least one byte) replaced with U+FFFD.
// The bytes a JSON string holds as they are: printable ASCII but the quote and the backslash.
constexpr auto kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x7f; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return plain;
}();

class Writer {
public:
    std::string out;

    void raw(const char *s) { out += s; }
    // One of the schema's own names (plain ASCII, nothing to escape).
    void key(std::string_view name) {
        if (need_comma_) out += ',';
        out += '"';
        out += name;
        out += "\":";
        need_comma_ = false;
    }
    // A name taken from the message (a header's): escaped like any string.
    void key_text(std::string_view name) {
        if (need_comma_) out += ',';
        string(name);
        out += ':';
        need_comma_ = false;
    }
    void open(char c) {
        if (need_comma_) out += ',';
        out += c;
        need_comma_ = false;
    }
    void close(char c) {
        out += c;
        need_comma_ = true;
    }
    void null() { value_raw("null"); }
    void boolean(bool b) { value_raw(b ? "true" : "false"); }
    void value(std::string_view s) {
        if (need_comma_) out += ',';
        string(s);
        need_comma_ = true;
    }
    // Empty strings are absent values: they render as null, never as "".
    void opt(std::string_view s) {
        if (s.empty())
            null();
        else
            value(s);
    }
    void value_or_null(const char *s) {
        if (s)
            value(s);
        else
            null();
    }

private:
    bool need_comma_ = false;

    void value_raw(const char *s) {
        if (need_comma_) out += ',';
        out += s;
        need_comma_ = true;
    }

    // Length of the valid UTF-8 sequence at s[i], or 0 with *valid_prefix set when invalid.
    static std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t *valid_prefix) {
        const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
        unsigned char c = b(i);
        std::size_t n;
        unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            *valid_prefix = 1;
            return 0;
        }
        for (std::size_t k = 1; k < n; ++k) {
            bool ok = i + k < s.size() && (k == 1 ? (b(i + k) >= lo && b(i + k) <= hi) : (b(i + k) & 0xC0) == 0x80);
            if (!ok) {
                *valid_prefix = k;
                return 0;
            }
        }
        return n;
    }

    void string(std::string_view s) {
        static const char hex[] = "0123456789abcdef";
        out += '"';
        std::size_t i = 0;
        while (i < s.size()) {
            // Printable ASCII but the quote and the backslash goes out as it is, a run at a time.
            std::size_t plain = i;
            while (plain < s.size() && kPlain[static_cast<unsigned char>(s[plain])]) ++plain;
            out.append(s.data() + i, plain - i);
            i = plain;
            if (i == s.size()) break;
            unsigned char c = static_cast<unsigned char>(s[i]);
            if (c < 0x80) {
                switch (c) {
                    case '"': out += "\\\""; break;
                    case '\\': out += "\\\\"; break;
                    case '\b': out += "\\b"; break;
                    case '\f': out += "\\f"; break;
                    case '\n': out += "\\n"; break;
                    case '\r': out += "\\r"; break;
                    case '\t': out += "\\t"; break;
                    default:
                        if (c < 0x20) {
                            out += "\\u00";
                            out += hex[c >> 4];
                            out += hex[c & 15];
                        } else {
                            out += static_cast<char>(c);
                        }
                }
                ++i;
                continue;
            }
            std::size_t prefix = 0;
            std::size_t n = utf8_sequence(s, i, &prefix);
            if (n) {
                out.append(s.data() + i, n);
                i += n;
            } else {
                out += "\xEF\xBF\xBD";  // U+FFFD
                i += prefix;
            }
        }
        out += '"';
    }
};

void write_record(Writer &w, const Record &rec, bool explain) {
    w.open('{');
    w.key("recipient"), w.opt(rec.recipient);
    w.key("original_recipient"), w.opt(rec.original_recipient);
    w.key("action"), w.opt(rec.action);
    w.key("status"), w.opt(rec.status);
    w.key("status_derived"), w.boolean(rec.status_derived);
    w.key("reply_code"), w.opt(rec.reply_code);
    w.key("class"), w.value_or_null(class_name(rec.cls));
    w.key("reason"), w.value_or_null(reason_name(rec.reason));
    w.key("rule"), w.opt(rec.rule);
    w.key("diagnostic_type"), w.opt(rec.diagnostic_type);
    w.key("diagnostic"), w.opt(rec.diagnostic);
    w.key("remote_mta"), w.opt(rec.remote_mta);
    w.key("reporting_mta"), w.opt(rec.reporting_mta);
    w.key("command"), w.opt(rec.command);
    w.key("last_attempt"), w.opt(rec.last_attempt);
    w.key("feedback_type"), w.opt(rec.feedback_type);
    if (explain) {
        w.key("hits");
        w.open('[');
        for (const std::string &h : rec.hits) w.value(h);
        w.close(']');
    }
    // Added after every earlier key (hits included), so that an older reader's view is unchanged.
    w.key("timestamp"), w.opt(rec.timestamp);
    w.key("timestamp_source"), w.opt(rec.timestamp_source);
    w.key("token"), w.opt(rec.token);
    w.key("sender"), w.opt(rec.sender);
    w.key("envelope_recipient"), w.opt(rec.envelope_recipient);
    w.key("recipient_source"), w.opt(rec.recipient_source);
    w.close('}');
}

// A name given twice keeps its first place and its last value (as a JSON map would).
void write_headers(Writer &w, const std::vector<std::pair<std::string, std::string>> &headers) {
    w.open('{');
    for (std::size_t i = 0; i < headers.size(); ++i) {
        bool seen = false;
        for (std::size_t k = 0; k < i && !seen; ++k) seen = headers[k].first == headers[i].first;
        if (seen) continue;
        const std::string *v = &headers[i].second;
        for (std::size_t k = i + 1; k < headers.size(); ++k)
            if (headers[k].first == headers[i].first) v = &headers[k].second;
        w.key_text(headers[i].first);
        w.value(*v);
    }
    w.close('}');
}

void write_original(Writer &w, const Original &og) {
    if (!og.present) {
        w.null();
        return;
    }
    w.open('{');
    w.key("message_id"), w.opt(og.message_id);
    w.key("from"), w.opt(og.from);
    w.key("to");
    w.open('[');
    for (const std::string &t : og.to) w.value(t);
    w.close(']');
    w.key("subject"), w.opt(og.subject);
    w.key("date"), w.opt(og.date);
    w.key("return_path"), w.opt(og.return_path);
    w.key("list_id"), w.opt(og.list_id);
    w.key("headers");
    write_headers(w, og.headers);
    w.close('}');
}

void write_backscatter(Writer &w, const Backscatter &b) {
    w.open('{');
    w.key("verdict");
    w.value(b.verdict == CAROM_VERDICT_BACKSCATTER ? "backscatter"
            : b.verdict == CAROM_VERDICT_GENUINE   ? "genuine"
                                                   : "unknown");
    w.key("signals");
    w.open('[');
    for (const Signal &s : b.signals) {
        w.open('{');
        w.key("name"), w.value(s.name);
        w.key("outcome"), w.value(s.outcome);
        w.key("evidence"), w.value(s.evidence);
        w.close('}');
    }
    w.close(']');
    w.close('}');
}

void write_error(Writer &w, const Result &r) {
    if (r.status == CAROM_OK) {
        w.null();
        return;
    }
    const char *name = carom_status_name(r.status);
    w.open('{');
    w.key("code"), w.value(name ? name : "unknown");
    w.key("message"), w.value(r.message);
    w.close('}');
}

}  // namespace

std::string to_json(const Result &r, const std::string_view *source) {
    Writer w;
    w.out.reserve(1024 + r.records.size() * 1024);  // a typical record takes 600-900 bytes, the rest 200-400
    w.open('{');
    w.key("source");
    if (source)
        w.value(*source);
    else
        w.null();
    w.key("format");
    w.opt(r.format);
    w.key("records");
    w.open('[');
    for (const Record &rec : r.records) write_record(w, rec, r.explain);
    w.close(']');
    w.key("original");
    write_original(w, r.original);
    w.key("backscatter");
    write_backscatter(w, r.backscatter);
    w.key("error");
    write_error(w, r);
    w.close('}');
    return std::move(w.out);
}

}  // namespace carom
