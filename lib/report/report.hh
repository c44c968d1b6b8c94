// Standard reports: RFC 3464 / RFC 6533 delivery status (at any depth, RFC 6522), the returned
// original (message/rfc822, text/rfc822-headers, message/global-headers, or headers quoted in the
// text), ARF feedback reports (RFC 5965 and common variants), RFC 3834 auto-replies and MDNs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/limits.hh"
#include "base/model.hh"
#include "mime/message.hh"

namespace carom::report {

// The raw fields of a delivery-status body: the per-message fields (Reporting-MTA, DSN-Gateway,
// Received-From-MTA, Arrival-Date, Original-Envelope-Id, X-Postfix-Queue-ID, X-Postfix-Sender)
// and one field list per recipient (Final-Recipient, Original-Recipient, Action, Status,
// Remote-MTA, Diagnostic-Code, Last-Attempt-Date, Will-Retry-Until, X-Actual-Recipient, and any
// other field written in the recipient block), values unfolded. Tolerates CR/CRLF, missing blank
// lines between recipients, unindented Diagnostic-Code continuation lines, and text before and
// after the report (reading stops at the first block with no DSN field after the report).
struct DeliveryStatus {
    mime::Headers per_message;
    std::vector<mime::Headers> recipients;
};
DeliveryStatus parse_delivery_status_fields(std::string_view text);

// Parses a delivery-status body (per-message block, then per-recipient blocks) into records.
// Per-message fields (Reporting-MTA, Arrival-Date, ...) are copied into each record. Returns the
// number of recipient blocks read.
std::size_t parse_delivery_status(std::string_view text, std::vector<Record> &out);

// Reads a multipart/report delivery-status (or global-delivery-status) anywhere in the tree.
// Fills ex.records and sets ex.format = "rfc3464" when it finds one with recipients.
bool read_dsn(const mime::Message &msg, Extraction &ex);

// ARF (message/feedback-report and variants): one record per reported recipient, class feedback.
bool read_arf(const mime::Message &msg, Extraction &ex);

// RFC 3834 and de-facto auto-reply markers.
bool read_auto_reply(const mime::Message &msg, Extraction &ex);

// True when the subject opens with the prefix a person's mail program puts on a reply or a
// forward ("Re:", "AW:", "Fwd:", "WG:", "RV:", "回复:", "Re[2]:", ...): the message answers or
// passes on another, so words of that other message (an auto-reply's, a bounce's) in its subject
// or body are quoted, not its own.
bool reply_or_forward_subject(std::string_view subject);
// Which of the two the prefix is (Re:, AW:, SV:, 回复: ... answer; Fwd:, WG:, TR:, RV:, 転送: ... pass on).
enum class SubjectPrefix { none, reply, forward };
SubjectPrefix subject_prefix(std::string_view subject);

// multipart/report; report-type=disposition-notification (read receipts).
bool is_mdn(const mime::Message &msg);

// The header block quoted in a text body that read_original falls back to (docs/mime.md): true
// and `out` filled when the text holds one. Exposed for the unit tests.
bool quoted_headers(std::string_view text, mime::Headers &out);

// The returned original: fills ex.original from the attached message or headers, or from headers
// quoted in the body. `extra` names additional headers to keep (lower case). The Received chain
// (out.received, long strings read only by the backscatter relay check) is copied only when
// `received` is true.
void read_original(const mime::Message &msg, const std::vector<std::string> &extra, Original &out,
                   bool received = true);

}  // namespace carom::report
