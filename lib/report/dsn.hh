// Delivery status notifications (RFC 3464, RFC 6533 for internationalized ones, RFC 6522 for the
// multipart/report around them): the raw fields, the records made of them, and the reader that
// finds a delivery-status part in a message. See docs/mime.md ("Delivery status").
#pragma once

#include <string_view>
#include <vector>

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

}  // namespace carom::report
