// report::quoted_headers as it was before it kept the fields it qualifies a block with (it parsed
// every qualifying block a second time with mime::parse_headers), kept as the reference the new
// one is compared against.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "mime/decode.hh"
#include "mime/message.hh"
#include "report/fields.hh"

namespace old_report_quoted {

using carom::iequals;
using carom::trim;
using carom::report::split_field;
namespace mime = carom::mime;

// The delivery-status field names (per message and per recipient) the former reader knew.
inline bool dsn_field(std::string_view n) {
    static constexpr std::string_view kNames[] = {
        "reporting-mta",      "dsn-gateway",        "received-from-mta", "arrival-date",     "original-envelope-id",
        "x-postfix-queue-id", "x-postfix-sender",   "original-recipient", "final-recipient", "action",
        "status",             "remote-mta",         "diagnostic-code",   "last-attempt-date", "final-log-id",
        "will-retry-until",   "x-actual-recipient", "x-original-recipient"};
    for (auto k : kNames)
        if (iequals(n, k)) return true;
    return false;
}

inline bool original_header_name(std::string_view n) {
    static constexpr std::string_view kNames[] = {
        "from", "to", "cc", "subject", "date", "message-id", "received", "return-path", "mime-version",
        "content-type", "reply-to", "sender", "x-mailer", "list-id", "references", "in-reply-to",
        "dkim-signature", "content-transfer-encoding", "user-agent", "list-unsubscribe", "delivered-to"};
    for (auto k : kNames)
        if (iequals(n, k)) return true;
    return false;
}

// Looks for a header block quoted in a text body: a run of lines that starts at a paragraph or
// after a non-field line (such as "----- Original message -----"), holds no delivery-status
// field, and either (flush left) parses as at least three fields of an original message (From,
// To, Subject, Message-ID, Received, ...) including From, Message-ID, Subject or Received, or
// (indented, as in "Your message\n  To: ...\n  Subject: ...") as at least two including From,
// Message-ID or Subject.
inline bool quoted_headers(std::string_view text, mime::Headers &out) {
    auto indent_of = [](std::string_view l) {
        std::size_t k = 0;
        while (k < l.size() && k < 16 && (l[k] == ' ' || l[k] == '\t')) ++k;
        return k;
    };
    std::size_t pos = 0;
    int tries = 0;
    bool prev_field = false;
    std::size_t prev_indent = 0;
    while (pos < text.size() && tries < 200) {
        std::size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(pos, e - pos);
        const std::size_t ind = indent_of(line);
        std::string_view name, value;
        const bool field = ind < line.size() && ind < 16 && split_field(line.substr(ind), name, value);
        if (field && !(prev_field && prev_indent == ind)) {
            ++tries;
            // Count without allocating; parse only a block that qualifies.
            int known = 0;
            bool key = false, dsn = false;
            std::size_t q = pos, end = pos;
            while (q < text.size()) {
                std::size_t qe = text.find('\n', q);
                if (qe == std::string_view::npos) qe = text.size();
                std::string_view l = text.substr(q, qe - q);
                if (trim(l).empty()) break;
                std::size_t li = indent_of(l);
                if (li > ind) {  // continuation
                    q = end = qe + 1;
                    continue;
                }
                std::string_view n, v;
                if (li != ind || !split_field(l.substr(li), n, v)) break;
                if (original_header_name(n)) ++known;
                if (iequals(n, "from") || iequals(n, "message-id") || iequals(n, "subject") ||
                    (ind == 0 && iequals(n, "received")))
                    key = true;
                if (dsn_field(n)) dsn = true;
                q = end = qe + 1;
            }
            if (key && !dsn && known >= (ind == 0 ? 3 : 2)) {
                if (ind == 0) {
                    out = mime::parse_headers(text.substr(pos));
                } else {
                    std::string flat;  // the block without its indentation
                    std::size_t k = pos;
                    while (k < end && k < text.size()) {
                        std::size_t ke = text.find('\n', k);
                        if (ke == std::string_view::npos) ke = text.size();
                        std::string_view l = text.substr(k, ke - k);
                        std::size_t li = indent_of(l);
                        if (li > ind) flat += ' ';
                        flat.append(l.substr(std::min(li, ind)));
                        flat += '\n';
                        k = ke + 1;
                    }
                    out = mime::parse_headers(flat);
                }
                return true;
            }
        }
        if (field) {
            prev_field = true;
            prev_indent = ind;
        } else if (!(prev_field && ind > prev_indent)) {
            prev_field = false;
        }
        pos = e + 1;
    }
    return false;
}

}  // namespace old_report_quoted
