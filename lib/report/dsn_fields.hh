// The fields of a delivery-status body (RFC 3464 section 2, RFC 6533 section 6) and their
// grouping into the per-message part and one block per recipient (internal to lib/report: read
// by dsn.cc into records and raw fields, and by quoted.cc to tell a DSN block from a quoted
// header block).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "mime/decode.hh"

namespace carom::report {

// The field names the delivery-status reader knows. field_id tells names apart by their length
// first (one switch), then compares them with the one to three names of that length: the reader
// looks up every field of every report.
enum class FieldId {
    Other,
    // per-message
    ReportingMta, DsnGateway, ReceivedFromMta, ArrivalDate, OriginalEnvelopeId, XPostfixQueueId, XPostfixSender,
    // per-recipient
    OriginalRecipient, FinalRecipient, Action, Status, RemoteMta, DiagnosticCode, LastAttemptDate, FinalLogId,
    WillRetryUntil, XActualRecipient, XOriginalRecipient,
    // read in a recipient block, but not a DSN field (does not make a block a DSN block)
    XPowermtaBounceCategory,
};

// `n` equals the lower-case key `k` (letters and '-') ignoring ASCII case, compared eight bytes
// at a time. `c | 0x20` equals a letter only for that letter in either case, and equals '-' only
// for '-' or CR; `n` is a field name (letters, digits, '-', '_': no CR), so the test is exact.
inline bool name_is(std::string_view n, std::string_view k) {
    if (n.size() != k.size()) return false;
    constexpr std::uint64_t kFold = 0x2020202020202020ull;
    auto word = [](const char *p) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        return w;
    };
    const std::size_t size = n.size();
    if (size < 8) return iequals(n, k);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8)
        if ((word(n.data() + i) | kFold) != word(k.data() + i)) return false;
    // the last (overlapping) eight bytes
    return i == size || (word(n.data() + size - 8) | kFold) == word(k.data() + size - 8);
}

// The FieldId of a field name (any case); FieldId::Other for a name the reader does not know.
FieldId field_id(std::string_view name);

enum class FieldKind { PerMessage, PerRecipient, Other };

inline FieldKind kind_of(FieldId id) {
    if (id >= FieldId::ReportingMta && id <= FieldId::XPostfixSender) return FieldKind::PerMessage;
    if (id >= FieldId::OriginalRecipient && id <= FieldId::XOriginalRecipient) return FieldKind::PerRecipient;
    return FieldKind::Other;
}

inline FieldKind kind_of(std::string_view name) { return kind_of(field_id(name)); }

// A delivery-status body read once, in place: the fields as views into the text (a value folded
// over several lines is the only one copied, into `folded`), and which of them form the
// per-message part and each recipient. Built by scan_dsn; read by dsn.cc into raw fields and records.
struct DsnField {
    std::string_view name;
    std::string_view value;  // the unfolded value (a view of `folded` when it spans lines)
    FieldId id;
    std::string folded;
};

// The fields [begin, end) of one recipient; `named` when they include Final-Recipient,
// Original-Recipient or X-Actual-Recipient (an anonymous block has per-recipient fields only).
struct RecipientRange {
    std::size_t begin, end;
    bool named;
};

struct DsnScan {
    std::string norm;               // the text with CR/CRLF line ends normalized, when it had any
    std::vector<DsnField> fields;   // every field of every block, in order
    std::vector<std::size_t> per_message;   // indices of per-message fields
    std::vector<RecipientRange> recipients;  // in order, anonymous blocks included
};

// Lines → fields, grouped in blocks at blank lines. An indented line continues the field before
// it; so does an unindented non-field line after Diagnostic-Code (broken folding). Each block is
// read as soon as it ends, so the scan stops at the end of the report instead of reading the
// returned message that often follows it in the same text. Fills `s`, which must be empty.
void scan_dsn(std::string_view text, DsnScan &s);

}  // namespace carom::report
