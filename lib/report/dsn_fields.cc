// The delivery-status scanner: field names, then blocks. See dsn_fields.hh.
#include "base/strings.hh"
#include "report/dsn_fields.hh"

#include "mime/message.hh"
#include "report/fields.hh"

namespace carom::report {


FieldId field_id(std::string_view n) {
    auto is = [n](std::string_view k) { return name_is(n, k); };
    switch (n.size()) {
        case 6:
            if (is("action")) return FieldId::Action;
            if (is("status")) return FieldId::Status;
            break;
        case 10:
            if (is("remote-mta")) return FieldId::RemoteMta;
            break;
        case 11:
            if (is("dsn-gateway")) return FieldId::DsnGateway;
            break;
        case 12:
            if (is("arrival-date")) return FieldId::ArrivalDate;
            if (is("final-log-id")) return FieldId::FinalLogId;
            break;
        case 13:
            if (is("reporting-mta")) return FieldId::ReportingMta;
            break;
        case 15:
            if (is("final-recipient")) return FieldId::FinalRecipient;
            if (is("diagnostic-code")) return FieldId::DiagnosticCode;
            break;
        case 16:
            if (is("x-postfix-sender")) return FieldId::XPostfixSender;
            if (is("will-retry-until")) return FieldId::WillRetryUntil;
            break;
        case 17:
            if (is("received-from-mta")) return FieldId::ReceivedFromMta;
            if (is("last-attempt-date")) return FieldId::LastAttemptDate;
            break;
        case 18:
            if (is("original-recipient")) return FieldId::OriginalRecipient;
            if (is("x-postfix-queue-id")) return FieldId::XPostfixQueueId;
            if (is("x-actual-recipient")) return FieldId::XActualRecipient;
            break;
        case 20:
            if (is("original-envelope-id")) return FieldId::OriginalEnvelopeId;
            if (is("x-original-recipient")) return FieldId::XOriginalRecipient;
            break;
        case 25:
            if (is("x-powermta-bouncecategory")) return FieldId::XPowermtaBounceCategory;
            break;
        default:
            break;
    }
    return FieldId::Other;
}

namespace {

// Appends a continuation line to a field's value (one space between the parts).
void unfold_into(DsnField &f, std::string_view line) {
    if (f.folded.empty()) f.folded.assign(f.value.data(), f.value.size());
    std::string_view t = trim(line);
    if (!f.folded.empty()) f.folded.push_back(' ');
    f.folded.append(t.data(), t.size());
}

// Reads the block of fields [begin, end) of a delivery-status body: the report starts at the
// first block with a DSN field and ends at the next block without one; a block naming a
// recipient is a recipient block (split where a second Final-Recipient or Original-Recipient
// starts the next recipient when blocks are not separated by blank lines); a block with
// per-recipient fields (Action, Status, ...) but no recipient is an anonymous recipient block;
// the per-message fields of every block of the report are kept. False when the report is over.
bool take_block(DsnScan &s, std::size_t begin, std::size_t end, bool &started) {
    bool dsn_fields = false, identity = false, per_recipient = false;
    for (std::size_t k = begin; k < end; ++k) {
        const FieldId id = s.fields[k].id;
        const FieldKind kind = kind_of(id);
        dsn_fields |= kind != FieldKind::Other;
        per_recipient |= kind == FieldKind::PerRecipient;
        identity |= id == FieldId::FinalRecipient || id == FieldId::OriginalRecipient || id == FieldId::XActualRecipient;
    }
    if (!dsn_fields) {
        if (started) return false;  // the DSN is over (the returned message's headers follow)
        s.fields.resize(begin);     // text before the report: nothing refers to these fields
        return true;
    }
    started = true;
    for (std::size_t k = begin; k < end; ++k)
        if (kind_of(s.fields[k].id) == FieldKind::PerMessage) s.per_message.push_back(k);
    if (!identity) {
        if (per_recipient) s.recipients.push_back({begin, end, false});
        return true;
    }
    std::size_t cur = begin;
    bool has_final = false, has_orig = false;
    for (std::size_t k = begin; k < end; ++k) {
        const bool fin = s.fields[k].id == FieldId::FinalRecipient, orig = s.fields[k].id == FieldId::OriginalRecipient;
        if ((fin && has_final) || (orig && has_orig)) {
            s.recipients.push_back({cur, k, true});
            cur = k;
            has_final = has_orig = false;
        }
        has_final |= fin;
        has_orig |= orig;
    }
    s.recipients.push_back({cur, end, true});
    return true;
}

}  // namespace

void scan_dsn(std::string_view text, DsnScan &s) {
    if (text.find('\r') != std::string_view::npos) {
        s.norm = mime::normalize_newlines(text);
        text = s.norm;
    }
    s.fields.reserve(24);  // one allocation each for most reports
    s.per_message.reserve(8);
    s.recipients.reserve(4);
    std::size_t i = 0, block = 0;  // block: index in s.fields of the current block's first field
    bool last_is_diag = false, started = false;
    while (i <= text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(i, e - i);
        i = e + 1;
        if (trim(line).empty()) {
            last_is_diag = false;
            if (s.fields.size() > block) {
                if (!take_block(s, block, s.fields.size(), started)) break;
                block = s.fields.size();
            }
            if (e >= text.size()) break;
            continue;
        }
        std::string_view name, value;
        bool indented = line[0] == ' ' || line[0] == '\t';
        if (!indented && split_field(line, name, value)) {
            const FieldId id = field_id(name);
            s.fields.push_back({name, value, id, std::string()});
            last_is_diag = id == FieldId::DiagnosticCode;
        } else if ((indented || last_is_diag) && s.fields.size() > block) {
            unfold_into(s.fields.back(), line);
        }
        if (e >= text.size()) {
            if (s.fields.size() > block) take_block(s, block, s.fields.size(), started);
            break;
        }
    }
    // Folded values live in their field's string: point the views at them now that the vector
    // no longer moves.
    for (DsnField &f : s.fields)
        if (!f.folded.empty()) f.value = f.folded;
}

}  // namespace carom::report
