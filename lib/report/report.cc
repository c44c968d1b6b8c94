// Standard reports: RFC 3464 / RFC 6533 delivery status, the returned original, ARF (RFC 5965),
// RFC 3834 auto-replies and MDNs (RFC 8098). See docs/mime.md for the rules written here.
#include "report/report.hh"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "mime/decode.hh"
#include "report/fields.hh"

namespace carom::report {

using namespace std::string_view_literals;

using mime::Part;

namespace {

// Offset of needle in hay at or after `from`, or npos (glibc's memmem: linear, and much faster
// than std::string::find on text where the needle's first byte is common).
std::size_t find_bytes(std::string_view hay, std::string_view needle, std::size_t from) {
    if (from >= hay.size()) return std::string_view::npos;
    const void *p = memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
    return p ? static_cast<std::size_t>(static_cast<const char *>(p) - hay.data()) : std::string_view::npos;
}

// ---- tree walking ---------------------------------------------------------------------------

// Calls f(part, inside_attached_message) depth-first.
template <class F>
void walk(const Part &p, bool inside, F &&f) {
    f(p, inside);
    const bool attached = p.type == "message"sv && !p.children.empty();
    for (const Part &c : p.children) walk(c, inside || attached, f);
}

bool is_delivery_status(const Part &p) {
    return p.subtype == "delivery-status"sv || p.subtype == "global-delivery-status"sv ||
           p.subtype == "x-delivery-status"sv;
}

// ---- delivery-status blocks -----------------------------------------------------------------

// The field names the delivery-status reader knows. Names are told apart by their length first
// (one switch), then compared with the one to three names of that length: the reader looks up
// every field of every report, and the former lookup compared each name with all eighteen.
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
bool name_is(std::string_view n, std::string_view k) {
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

enum class FieldKind { PerMessage, PerRecipient, Other };

FieldKind kind_of(FieldId id) {
    if (id >= FieldId::ReportingMta && id <= FieldId::XPostfixSender) return FieldKind::PerMessage;
    if (id >= FieldId::OriginalRecipient && id <= FieldId::XOriginalRecipient) return FieldKind::PerRecipient;
    return FieldKind::Other;
}

FieldKind kind_of(std::string_view name) { return kind_of(field_id(name)); }

std::string normalize_action(std::string_view v) {
    std::string a = lower(trim(v));
    std::size_t sp = a.find_first_of(" \t(;");
    if (sp != std::string::npos) a.resize(sp);
    // Non-standard words some MTAs write, mapped to RFC 3464's five values.
    if (a == "deliverable" || a == "delivery") return "delivered";
    if (a == "failure" || a == "fail" || a == "undeliverable" || a == "bounced" || a == "bounce") return "failed";
    if (a == "delay" || a == "deferred") return "delayed";
    if (a == "relay") return "relayed";
    return a;
}

// "dns; mx.example.org (comment)" → "mx.example.org".
std::string host_of(std::string_view value) {
    std::string_view h = strip_type_view(value);
    // the host ends at the first blank or '(' (a plain loop: find_first_of calls memchr per byte)
    std::size_t e = 0;
    while (e < h.size() && h[e] != ' ' && h[e] != '\t' && h[e] != '(') ++e;
    if (e < h.size() && e > 0) h = h.substr(0, e);
    return std::string(h);
}

// Fills the diagnostic fields of a record from "type; text". A type is a word that starts with a
// letter ("smtp", "X-Postfix"): a reply code before a semicolon ("552; mailbox full") is text.
void set_diagnostic(Record &r, std::string_view value) {
    std::string_view v = trim(value);
    std::size_t semi = v.find(';');
    if (semi != std::string_view::npos && semi > 0 && semi <= 24) {
        std::string_view type = trim(v.substr(0, semi));
        bool token = !type.empty() && ((type[0] >= 'a' && type[0] <= 'z') || (type[0] >= 'A' && type[0] <= 'Z'));
        for (char c : type)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
                token = false;
        if (token) {
            r.diagnostic_type = lower(type);
            v = trim(v.substr(semi + 1));
        }
    }
    r.diagnostic = mime::decode_words(v);
}

// A recipient block being read, into the Record it becomes (built in place at the end of the
// output, removed again when the block names no usable recipient).
struct Pending {
    explicit Pending(Record &r) : rec(r) {}
    Record &rec;
    bool has_final = false, has_original = false, has_actual = false;
    std::string actual;
    bool any() const { return has_final || has_original || has_actual; }
};

void apply_recipient_field(Pending &p, FieldId id, std::string_view value) {
    Record &r = p.rec;
    switch (id) {
        case FieldId::FinalRecipient:
            r.recipient = bare_address(value);
            p.has_final = true;
            break;
        case FieldId::OriginalRecipient:
        case FieldId::XOriginalRecipient:
            if (!p.has_original) r.original_recipient = bare_address(xtext_decode(value));
            p.has_original = true;
            break;
        case FieldId::XActualRecipient:
            p.actual = bare_address(value);
            p.has_actual = true;
            break;
        case FieldId::Action:
            if (r.action.empty()) r.action = normalize_action(value);
            break;
        case FieldId::Status:
            if (r.status.empty()) r.status = find_status(value);
            break;
        case FieldId::RemoteMta:
            if (r.remote_mta.empty()) r.remote_mta = host_of(value);
            break;
        case FieldId::DiagnosticCode:
            if (r.diagnostic.empty()) set_diagnostic(r, value);
            break;
        case FieldId::LastAttemptDate:
            if (r.last_attempt.empty()) r.last_attempt = iso_date(value);
            break;
        case FieldId::XPowermtaBounceCategory:
            // PowerMTA's bounce category (its own classification of the reply), per recipient.
            if (r.category.empty()) r.category = lower(trim(value));
            break;
        default:
            break;
    }
}

// Status refinement (docs/mime.md): a reply code followed by an enhanced code of the same class at
// the start of the diagnostic wins; else a missing Status, or a generic "c.0.0" one, takes the
// first code of the same class found in the diagnostic text. Nothing else overrides Status.
void refine_status(Record &r) {
    std::string d = find_status(r.diagnostic);
    if (d.empty()) return;
    // The remote server's own words: "550 5.7.1 ..." (reply code, then the enhanced code) is what
    // the receiving side said; it wins over the Status the reporting MTA wrote.
    if (!r.reply_code.empty()) {
        std::string_view t = trim(r.diagnostic);
        std::string_view after = t.substr(3);
        while (!after.empty() && (after[0] == ' ' || after[0] == '-')) after.remove_prefix(1);
        if (after.compare(0, d.size(), d) == 0 && d[0] == r.reply_code[0]) {
            r.status = d;
            return;
        }
    }
    if (r.status.empty()) {
        r.status = d;
        return;
    }
    bool generic = r.status.size() == 5 && r.status.compare(1, 4, ".0.0") == 0;
    if (generic && d[0] == r.status[0] && d.compare(1, 4, ".0.0") != 0) r.status = d;
}

// An address a sender can act on: local@domain with a dot in the domain, no source route.
bool usable_address(const std::string &a) {
    std::size_t at = a.rfind('@');
    if (at == std::string::npos || at == 0 || a[0] == '@' || a.find(':') != std::string::npos) return false;
    return a.find('.', at) != std::string::npos;
}

// False when the block names no recipient (its record is then dropped).
bool finish(Pending &p) {
    if (!p.any()) return false;
    Record &r = p.rec;
    // Final-Recipient is the address the reporting MTA last tried; when that is an internal
    // alias (a source route, a host without a domain, a pipe) while Original-Recipient is a
    // real address, the original is the one the sender knows.
    if (!usable_address(r.recipient) && usable_address(r.original_recipient)) r.recipient = r.original_recipient;
    if (r.recipient.empty()) r.recipient = !r.original_recipient.empty() ? r.original_recipient : p.actual;
    // Sendmail's X-Actual-Recipient names the mailbox an alias led to: the address to act on when
    // neither of the others is one.
    if (!usable_address(r.recipient) && usable_address(p.actual)) r.recipient = p.actual;
    return !r.recipient.empty();
}

// A delivery-status body read once, in place: the fields as views into the text (a value folded
// over several lines is the only one copied, into `folded`), and which of them form the
// per-message part and each recipient. Built by scan_dsn; read by both public entry points.
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

// Lines → fields, grouped in blocks at blank lines. An indented line continues the field before
// it; so does an unindented non-field line after Diagnostic-Code (broken folding). Each block is
// read as soon as it ends, so the scan stops at the end of the report instead of reading the
// returned message that often follows it in the same text.
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

}  // namespace

DeliveryStatus parse_delivery_status_fields(std::string_view text) {
    DsnScan s;
    scan_dsn(text, s);
    DeliveryStatus ds;
    for (std::size_t k : s.per_message)
        ds.per_message.add(s.fields[k].name, s.fields[k].value);
    for (const RecipientRange &range : s.recipients) {
        if (!range.named) continue;
        mime::Headers h;
        for (std::size_t k = range.begin; k < range.end; ++k)
            h.add(s.fields[k].name, s.fields[k].value);
        ds.recipients.push_back(std::move(h));
    }
    return ds;
}

namespace {

// parse_delivery_status, and with `anonymous` also a record for each recipient block that names
// no address (its recipient empty), for read_dsn to give it one from X-Failed-Recipients.
std::size_t read_delivery_status(std::string_view text, std::vector<Record> &out, bool anonymous) {
    DsnScan s;
    scan_dsn(text, s);
    std::string reporting;
    for (std::size_t k : s.per_message)
        if (s.fields[k].id == FieldId::ReportingMta) {
            reporting = host_of(s.fields[k].value);
            break;
        }
    std::size_t n = 0;
    out.reserve(out.size() + s.recipients.size());
    for (const RecipientRange &range : s.recipients) {
        if (!range.named && !anonymous) continue;
        Record &r = out.emplace_back();  // no reallocation: reserved above
        Pending p{r};
        for (std::size_t k = range.begin; k < range.end; ++k) apply_recipient_field(p, s.fields[k].id, s.fields[k].value);
        if (!finish(p) && !anonymous) {
            out.pop_back();
            continue;
        }
        r.reporting_mta = reporting;
        r.reply_code = leading_reply_code(r.diagnostic);
        refine_status(r);
        r.command = command_from_text(r.diagnostic);
        ++n;
    }
    return n;
}

// The local part of an address as a DSN may write it: "kim", "kim@host", "@relay:kim@host".
std::string_view local_part(std::string_view a) {
    std::size_t colon = a.rfind(':');
    if (a.size() > 0 && a[0] == '@' && colon != std::string_view::npos) a.remove_prefix(colon + 1);
    return a.substr(0, a.find('@'));
}

// Gives the records of recipient blocks that name no usable address (no Final-Recipient, an
// empty one, or a local name such as "kim") the addresses of X-Failed-Recipients that no other
// record names: a record whose address has the local part of exactly one of them takes that one;
// the others are paired in order when as many records as addresses are left. A record still
// without an address is dropped.
void join_failed_recipients(std::vector<Record> &recs, std::vector<std::string> failed) {
    std::vector<std::size_t> unnamed;  // indices of records without a usable address
    for (std::size_t i = 0; i < recs.size(); ++i) {
        if (!usable_address(recs[i].recipient)) {
            unnamed.push_back(i);
            continue;
        }
        for (auto f = failed.begin(); f != failed.end(); ++f)
            if (iequals(*f, recs[i].recipient)) {
                failed.erase(f);
                break;
            }
    }
    failed.erase(std::remove_if(failed.begin(), failed.end(), [](const std::string &a) { return !usable_address(a); }),
                 failed.end());
    // By local part: "Original-Recipient: rfc822; kim" is kim@example.org of the header.
    for (auto u = unnamed.begin(); u != unnamed.end();) {
        const Record &r = recs[*u];
        const std::string_view local = local_part(!r.recipient.empty() ? r.recipient : r.original_recipient);
        std::size_t match = failed.size(), matches = 0;
        if (!local.empty())
            for (std::size_t f = 0; f < failed.size(); ++f)
                if (iequals(local_part(failed[f]), local)) match = f, ++matches;
        if (matches == 1) {
            recs[*u].recipient = std::move(failed[match]);
            failed.erase(failed.begin() + static_cast<std::ptrdiff_t>(match));
            u = unnamed.erase(u);
        } else {
            ++u;
        }
    }
    // By order: one block and one address, or as many of each.
    if (unnamed.size() == failed.size())
        for (std::size_t k = 0; k < unnamed.size(); ++k) recs[unnamed[k]].recipient = std::move(failed[k]);
    recs.erase(std::remove_if(recs.begin(), recs.end(), [](const Record &r) { return r.recipient.empty(); }), recs.end());
}

}  // namespace

std::size_t parse_delivery_status(std::string_view text, std::vector<Record> &out) {
    return read_delivery_status(text, out, false);
}

bool read_dsn(const mime::Message &msg, Extraction &ex) {
    std::vector<Record> recs;
    // A recipient block may name no address when the bounce's X-Failed-Recipients header does.
    std::vector<std::string> failed;
    for (const std::string_view *v : msg.root.headers.all("X-Failed-Recipients")) append_address_list(*v, failed);
    auto read_part = [&](std::string_view text) {
        if (failed.empty()) {
            parse_delivery_status(text, recs);
            return;
        }
        read_delivery_status(text, recs, true);
        join_failed_recipients(recs, failed);
    };
    // 1. delivery-status parts outside attached messages (multipart/report at any depth, or a
    //    lone message/delivery-status), then 2. DSN fields written inline in a text part, then
    //    3. delivery-status parts inside attached messages (a forwarded bounce, whose recipients
    //    the X-Failed-Recipients of the bounce around it does not name).
    walk(msg.root, false, [&](const Part &p, bool inside) {
        if (!recs.empty() || inside || !p.children.empty()) return;
        if (is_delivery_status(p)) read_part(p.text);
    });
    if (recs.empty()) {
        walk(msg.root, false, [&](const Part &p, bool inside) {
            if (!recs.empty() || inside || p.type != "text"sv || !p.children.empty()) return;
            if (p.subtype != "plain"sv && p.subtype != "delivery-status"sv) return;
            // Only when a recipient field starts a line.
            const std::string &t = p.text;
            std::size_t pos = 0;
            bool found = false;
            while ((pos = find_bytes(t, "ecipient:", pos)) != std::string::npos) {
                // the field name must start the line: look back at most 24 bytes
                std::size_t ls = pos;
                while (ls > 0 && pos - ls < 24 && t[ls - 1] != '\n') --ls;
                std::string_view name = std::string_view(t).substr(ls, pos + 8 - ls);
                if (iequals(name, "final-recipient") || iequals(name, "original-recipient")) {
                    found = true;
                    break;
                }
                ++pos;
            }
            if (found) read_part(t);
        });
    }
    if (recs.empty()) {
        walk(msg.root, false, [&](const Part &p, bool inside) {
            if (!recs.empty() || !inside || !p.children.empty()) return;
            if (is_delivery_status(p)) parse_delivery_status(p.text, recs);
        });
    }
    if (recs.empty()) return false;
    ex.records = std::move(recs);
    ex.format = "rfc3464";
    ex.bounce = true;
    return true;
}

// ---- the returned original ------------------------------------------------------------------

namespace {

// What a field name tells about a quoted header block: a field of an original message
// (OriginalName::Known and up), one that marks the block as the original's headers (Key), or
// Received, which marks only a flush-left block (KeyFlushLeft). Told apart by length first, as
// field_id does: every field line of every candidate block comes here.
enum class OriginalName { Other, Known, Key, KeyFlushLeft };

OriginalName original_name(std::string_view n) {
    auto is = [n](std::string_view k) { return name_is(n, k); };
    switch (n.size()) {
        case 2:
            if (is("to") || is("cc")) return OriginalName::Known;
            break;
        case 4:
            if (is("from")) return OriginalName::Key;
            if (is("date")) return OriginalName::Known;
            break;
        case 6:
            if (is("sender")) return OriginalName::Known;
            break;
        case 7:
            if (is("subject")) return OriginalName::Key;
            if (is("list-id")) return OriginalName::Known;
            break;
        case 8:
            if (is("received")) return OriginalName::KeyFlushLeft;
            if (is("reply-to") || is("x-mailer")) return OriginalName::Known;
            break;
        case 10:
            if (is("message-id")) return OriginalName::Key;
            if (is("references") || is("user-agent")) return OriginalName::Known;
            break;
        case 11:
            if (is("return-path") || is("in-reply-to")) return OriginalName::Known;
            break;
        case 12:
            if (is("mime-version") || is("content-type") || is("delivered-to")) return OriginalName::Known;
            break;
        case 14:
            if (is("dkim-signature")) return OriginalName::Known;
            break;
        case 16:
            if (is("list-unsubscribe")) return OriginalName::Known;
            break;
        case 25:
            if (is("content-transfer-encoding")) return OriginalName::Known;
            break;
        default:
            break;
    }
    return OriginalName::Other;
}

// A field of a flush-left quoted block, noted while the block is qualified: its value as
// split_field read it and its continuation lines, trimmed: pieces [piece_begin, piece_end).
struct QuotedField {
    std::string_view name, value;
    std::size_t piece_begin, piece_end;
};

}  // namespace

// Looks for a header block quoted in a text body: a run of lines that starts at a paragraph or
// after a non-field line (such as "----- Original message -----"), holds no delivery-status
// field, and either (flush left) parses as at least three fields of an original message (From,
// To, Subject, Message-ID, Received, ...) including From, Message-ID, Subject or Received, or
// (indented, as in "Your message\n  To: ...\n  Subject: ...") as at least two including From,
// Message-ID or Subject.
//
// A flush-left block is read once: the fields noted while it is qualified are the fields
// mime::parse_headers would find (views into `text`; folded values joined into out.own) when
// the block ends at a blank line or at the end of the text and every line of it is a field with
// a plain name or a continuation. Any other block is parsed by mime::parse_headers, as before.
bool quoted_headers(std::string_view text, mime::Headers &out) {
    auto indent_of = [](std::string_view l) {
        std::size_t k = 0;
        while (k < l.size() && k < 16 && (l[k] == ' ' || l[k] == '\t')) ++k;
        return k;
    };
    std::size_t pos = 0;
    int tries = 0;
    bool prev_field = false;
    std::size_t prev_indent = 0;
    std::vector<QuotedField> noted;     // the fields of the candidate block (flush left only)
    std::vector<std::string_view> pieces;  // their continuation lines, trimmed
    noted.reserve(32);  // one allocation each for most texts
    pieces.reserve(32);
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
            // `read`: the noted fields are the block as parse_headers reads it (flush left only)
            bool read = ind == 0, ended = false;
            noted.clear();
            pieces.clear();
            std::size_t q = pos, end = pos;
            while (q < text.size()) {
                std::size_t qe = text.find('\n', q);
                if (qe == std::string_view::npos) qe = text.size();
                std::string_view l = text.substr(q, qe - q);
                if (trim(l).empty()) {
                    ended = true;
                    break;
                }
                std::size_t li = indent_of(l);
                if (li > ind) {  // continuation
                    if (read) {
                        if (noted.empty() || is_blank(l)) read = false;
                        else {
                            pieces.push_back(trim(l));
                            noted.back().piece_end = pieces.size();
                        }
                    }
                    q = end = qe + 1;
                    continue;
                }
                std::string_view n, v;
                if (li != ind || !split_field(l.substr(li), n, v)) break;
                if (read) {
                    // parse_headers' name: the bytes before the colon, blanks before it dropped
                    std::size_t k = n.size();
                    if (n.data() != l.data()) read = false;
                    while (read && k < l.size() && (l[k] == ' ' || l[k] == '\t')) ++k;
                    if (read && k < l.size() && l[k] == ':') noted.push_back({n, v, pieces.size(), pieces.size()});
                    else read = false;
                }
                const OriginalName on = original_name(n);
                if (on != OriginalName::Other) ++known;
                if (on == OriginalName::Key || (ind == 0 && on == OriginalName::KeyFlushLeft)) key = true;
                if (kind_of(n) != FieldKind::Other) dsn = true;
                q = end = qe + 1;
            }
            if (q >= text.size()) ended = true;
            if (key && !dsn && known >= (ind == 0 ? 3 : 2)) {
                if (read && ended) {
                    out.fields.reserve(noted.size());
                    for (const QuotedField &f : noted) {
                        std::string_view v = f.value;
                        if (f.piece_end != f.piece_begin) {
                            // a folded value: the trimmed lines joined by one space, as parse_headers does
                            std::size_t total = v.size();
                            for (std::size_t k = f.piece_begin; k < f.piece_end; ++k) total += (total != 0) + pieces[k].size();
                            if (!out.own) out.own = std::make_shared<mime::Arena>();
                            char *w = out.own->alloc(total);
                            std::memcpy(w, v.data(), v.size());
                            std::size_t at = v.size();
                            for (std::size_t k = f.piece_begin; k < f.piece_end; ++k) {
                                if (at != 0) w[at++] = ' ';
                                std::memcpy(w + at, pieces[k].data(), pieces[k].size());
                                at += pieces[k].size();
                            }
                            v = std::string_view(w, total);
                        }
                        out.fields.push_back(mime::Field{f.name, v});
                    }
                } else if (ind == 0) {
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

namespace {

const mime::Headers *attached_headers(const mime::Message &msg) {
    const mime::Headers *found = nullptr;
    walk(msg.root, false, [&](const Part &p, bool inside) {
        if (found || inside || &p == &msg.root) return;
        bool message = p.type == "message"sv && (p.subtype == "rfc822"sv || p.subtype == "global"sv || p.subtype == "news"sv ||
                                               p.subtype == "global-headers"sv || p.subtype == "rfc822-headers"sv);
        bool headers = p.type == "text"sv && (p.subtype == "rfc822-headers"sv || p.subtype == "rfc822-header"sv);
        if ((message || headers) && !p.children.empty() && !p.children[0].headers.fields.empty())
            found = &p.children[0].headers;
    });
    return found;
}

std::string angle_id(std::string_view v) {
    std::string_view t = trim(v);
    std::size_t lt = t.find('<'), gt = t.find('>', lt == std::string_view::npos ? 0 : lt);
    if (lt != std::string_view::npos && gt != std::string_view::npos) return std::string(trim(t.substr(lt + 1, gt - lt - 1)));
    return std::string(t);
}

// One pass over the fields (names told apart by length first) instead of a lookup per item: the
// header blocks of returned messages are long, and this runs for most messages.
void fill_original(const mime::Headers &h, const std::vector<std::string> &extra, bool received, Original &o) {
    const std::string_view *message_id = nullptr, *from = nullptr, *subject = nullptr, *date = nullptr,
                           *return_path = nullptr, *list_id = nullptr;
    for (const mime::Field &f : h.fields) {
        const std::string_view n = f.name;
        switch (n.size()) {
            case 2:
                if (iequals(n, "to"))
                    append_address_list(f.value, o.to);
                break;
            case 4:
                if (!from && iequals(n, "from")) from = &f.value;
                else if (!date && iequals(n, "date")) date = &f.value;
                break;
            case 7:
                if (!subject && iequals(n, "subject")) subject = &f.value;
                else if (!list_id && iequals(n, "list-id")) list_id = &f.value;
                break;
            case 8:
                if (received && iequals(n, "received")) o.received.emplace_back(f.value);
                break;
            case 10:
                if (!message_id && iequals(n, "message-id")) message_id = &f.value;
                break;
            case 11:
                if (!return_path && iequals(n, "return-path")) return_path = &f.value;
                break;
            default:
                break;
        }
    }
    if (message_id) o.message_id = angle_id(*message_id);
    if (from) {
        // decode_words returns plain valid UTF-8 unchanged: read such a value in place.
        const bool plain = from->find("=?") == std::string::npos && mime::valid_utf8(*from);
        o.from = plain ? bare_address(*from) : bare_address(mime::decode_words(*from));
    }
    o.subject = subject ? mime::decode_words(*subject) : std::string();
    if (date) {
        o.date = iso_date(*date);
        if (o.date.empty()) o.date = std::string(trim(*date));
    }
    if (return_path) o.return_path = bare_address(*return_path);
    if (list_id) o.list_id = angle_id(*list_id);
    for (const std::string &name : extra)
        for (const std::string_view *v : h.all(name)) o.headers.emplace_back(lower(name), mime::decode_words(*v));
    o.present = true;
}

}  // namespace

void read_original(const mime::Message &msg, const std::vector<std::string> &extra, Original &out,
                   bool received) {
    if (const mime::Headers *h = attached_headers(msg)) {
        fill_original(*h, extra, received, out);
        return;
    }
    mime::Headers quoted;
    bool found = false;
    walk(msg.root, false, [&](const Part &p, bool inside) {
        if (found || inside || p.type != "text"sv || !p.children.empty()) return;
        if (p.subtype != "plain"sv && p.subtype != "delivery-status"sv) return;
        found = quoted_headers(p.text, quoted);
    });
    if (found) fill_original(quoted, extra, received, out);
}

// ---- ARF ----------------------------------------------------------------------------------

namespace {

// The fields of a feedback report (repeatable fields kept).
mime::Headers feedback_fields(std::string_view text) {
    mime::Headers h;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t rest = 0;
        mime::Headers b = mime::parse_headers(text.substr(pos), &rest);
        for (const auto &f : b.fields) h.add(f.name, f.value);  // b's bytes die with b
        if (rest == 0) {  // a non-field line: skip it
            std::size_t e = text.find('\n', pos);
            pos = e == std::string_view::npos ? text.size() : e + 1;
        } else {
            pos += rest;
        }
    }
    return h;
}

std::string feedback_type(std::string_view v) {
    std::string t = lower(trim(v));
    std::size_t sp = t.find_first_of(" \t;(");
    if (sp != std::string::npos) t.resize(sp);
    if (t == "opt_out" || t == "optout" || t == "unsubscribe") return "opt-out";
    if (t == "auth_failure" || t == "dmarc") return "auth-failure";
    if (t == "not_spam" || t == "notspam") return "not-spam";
    if (t == "complaint" || t == "spam") return "abuse";
    return t;
}

void arf_records(const mime::Headers &fb, const mime::Message &msg, const std::string &type, Extraction &ex) {
    std::vector<std::string> rcpts;
    for (const std::string_view *v : fb.all("Original-Rcpt-To")) {
        std::string a = bare_address(*v);
        if (!a.empty()) rcpts.push_back(a);
    }
    if (rcpts.empty()) {
        if (const mime::Headers *h = attached_headers(msg)) {
            for (const char *n : {"X-HmXmrOriginalRecipient"})
                if (rcpts.empty())
                    for (const std::string_view *v : h->all(n))
                        for (auto &a : address_list(*v))
                            if (a.find('@') != std::string::npos) rcpts.push_back(a);
            if (rcpts.empty())
                for (const std::string_view *v : h->all("To"))
                    for (auto &a : address_list(*v))
                        if (a.find('@') != std::string::npos) rcpts.push_back(a);
        }
    }
    if (rcpts.empty())
        for (const std::string_view *v : fb.all("Removal-Recipient")) {
            std::string a = bare_address(*v);
            if (!a.empty()) rcpts.push_back(a);
        }
    if (rcpts.empty()) rcpts.push_back("");
    std::string reporting;
    if (const std::string_view *v = fb.get("Reporting-MTA")) reporting = strip_type(*v);
    std::string arrival;
    if (const std::string_view *v = fb.get("Arrival-Date")) arrival = iso_date(*v);
    for (auto &r : rcpts) {
        Record rec;
        rec.recipient = r;
        rec.feedback_type = type;
        rec.reporting_mta = reporting;
        rec.last_attempt = arrival;
        ex.records.push_back(std::move(rec));
    }
    ex.feedback = true;
    ex.format = "arf";
}

}  // namespace

bool read_arf(const mime::Message &msg, Extraction &ex) {
    // 1. RFC 5965: a message/feedback-report part.
    const Part *fbp = nullptr;
    walk(msg.root, false, [&](const Part &p, bool inside) {
        if (!fbp && !inside && p.type == "message"sv && p.subtype == "feedback-report"sv) fbp = &p;
    });
    if (fbp) {
        mime::Headers fb = feedback_fields(fbp->text);
        std::string type = fb.has("Feedback-Type") ? feedback_type(*fb.get("Feedback-Type")) : "other";
        if (type.empty()) type = "other";
        arf_records(fb, msg, type, ex);
        return true;
    }
    // 2. Feedback-Type written in a text part of a report (report-type=feedback-report, or a
    //    text/plain leaf with the fields at line starts).
    const Part *txt = nullptr;
    bool arf_report = false;
    walk(msg.root, false, [&](const Part &p, bool inside) {
        if (inside) return;
        if (p.report_type == "feedback-report"sv) arf_report = true;
        if (!txt && p.type == "text"sv && p.children.empty()) {
            std::size_t pos = 0;
            while ((pos = find_bytes(p.text, "eedback-Type:", pos)) != std::string::npos) {
                if (pos >= 1 && (p.text[pos - 1] == 'F' || p.text[pos - 1] == 'f') && (pos == 1 || p.text[pos - 2] == '\n')) {
                    txt = &p;
                    break;
                }
                ++pos;
            }
        }
    });
    if (txt) {
        mime::Headers fb = feedback_fields(txt->text);
        arf_records(fb, msg, feedback_type(fb.has("Feedback-Type") ? *fb.get("Feedback-Type") : "other"), ex);
        return true;
    }
    const mime::Headers &top = msg.root.headers;
    // 3. Microsoft JMRP-like reports: the complained-about message attached, carrying
    //    X-HmXmrOriginalRecipient (Outlook.com / Hotmail junk-mail reporting program).
    if (const mime::Headers *h = attached_headers(msg)) {
        if (h->has("X-HmXmrOriginalRecipient") || arf_report) {
            arf_records(mime::Headers(), msg, "abuse", ex);
            return true;
        }
    }
    // 4. Apple Mail's unsubscribe message: the subscriber opts out; the record is the subscriber.
    if (const std::string_view *v = top.get("X-Apple-Unsubscribe"); v && iequals(trim(*v), "true")) {
        Record rec;
        if (const std::string_view *f = top.get("From")) rec.recipient = bare_address(*f);
        rec.feedback_type = "opt-out";
        ex.records.push_back(std::move(rec));
        ex.feedback = true;
        ex.format = "arf";
        return true;
    }
    return false;
}

// ---- RFC 3834 -----------------------------------------------------------------------------

namespace {

// The prefixes a person's mail program puts before the subject of a reply or a forward ("Re:",
// "AW:", "Fwd:", "RV:", "回复:", ...), lower case, without the colon. An auto-responder puts its
// own marker first ("Automatic reply: Re: ..."), so a subject that opens with one of these is a
// person answering or passing on a message, whatever words follow.
constexpr std::string_view kReplyPrefixes[] = {
    "re", "aw", "sv", "vs", "antw", "odp", "res", "r", "ynt", "回复", "答复", "返信", "회신",
};
constexpr std::string_view kForwardPrefixes[] = {
    "fw", "fwd", "wg", "tr", "rv", "enc", "doorst", "转发", "転送", "전달",
};

}  // namespace

SubjectPrefix subject_prefix(std::string_view subject) {
    // The prefix and its colon stand in the first 16 bytes ("Antw:", "回复：", "Re[12]:").
    const std::string s = lower(trim(subject).substr(0, 16));
    std::size_t colon = s.find(':');
    std::size_t wide = s.find("\xef\xbc\x9a");  // U+FF1A FULLWIDTH COLON
    if (wide != std::string::npos && (colon == std::string::npos || wide < colon)) colon = wide;
    if (colon == std::string::npos || colon > 12) return SubjectPrefix::none;
    std::string_view head = trim(std::string_view(s).substr(0, colon));
    // "Re[2]:", "RE^3:" and similar counters
    if (std::size_t b = head.find_first_of("[^("); b != std::string_view::npos) head = trim(head.substr(0, b));
    for (std::string_view p : kReplyPrefixes)
        if (head == p) return SubjectPrefix::reply;
    for (std::string_view p : kForwardPrefixes)
        if (head == p) return SubjectPrefix::forward;
    return SubjectPrefix::none;
}

bool reply_or_forward_subject(std::string_view subject) { return subject_prefix(subject) != SubjectPrefix::none; }

namespace {

bool from_daemon(const mime::Headers &h) {
    const std::string_view *f = h.get("From");
    if (!f) return false;
    std::string a = lower(bare_address(*f));
    std::string local = a.substr(0, a.find('@'));
    return local == "mailer-daemon" || local == "postmaster" || local == "mailer_daemon" || local == "maildaemon" ||
           local == "mail-daemon" || local == "mdaemon" || local == "double-bounce";
}

// Subject phrases of auto-replies, lower-case UTF-8. The first list must start the subject; the
// second is specific enough to be matched anywhere in it ("Anna Berg is out of the office").
constexpr std::string_view kAutoSubjectPrefixes[] = {
    "auto:", "ooo:", "away:", "absence:", "abwesend:", "afwezig:", "ausente:", "assente:", "absent:",
    "on vacation", "away from", "vacation reply", "不在", "부재",
};
constexpr std::string_view kAutoSubjectPhrases[] = {
    "auto reply", "auto-reply", "autoreply", "auto response", "auto-response", "autoresponse",
    "automatic reply", "automatic response", "autosvar", "out of office", "out of the office",
    "réponse automatique", "reponse automatique", "automatische antwort", "automatisch antwoord",
    "abwesenheitsnotiz", "risposta automatica", "respuesta automática", "respuesta automatica",
    "fuera de la oficina", "resposta automática", "resposta automatica", "automatyczna odpowiedź",
    "автоматический ответ", "自動返信", "自动回复", "自動回覆", "자동 응답", "automatisk svar",
    "automaattinen vastaus",
};

// A header that states what it names: present, not empty, and not a negation. An empty
// "X-Autoreply:" (some clients write the field with no value) states nothing.
bool affirmative(const std::string_view *v) {
    if (!v) return false;
    const std::string a = lower(trim(*v));
    return !a.empty() && a != "no" && a != "false" && a != "0" && a != "off";
}

// A subject marker alone is words anyone may type ("Anna is out of the office until Monday - can
// you cover?"); an auto-reply also shows that it was sent by a program in answer to a message.
// Any of these is enough: the message answers one (In-Reply-To / References, as RFC 3834 3.1.5
// asks of responders), it was sent with a null return path, it asks not to be auto-answered
// itself (X-Auto-Response-Suppress, as Exchange's out-of-office does), it says it was sent
// automatically (Auto-Submitted other than "no"), or it has a bulk/junk precedence.
bool sent_like_a_responder(const mime::Headers &h) {
    if (h.has("In-Reply-To") || h.has("References") || h.has("X-Auto-Response-Suppress")) return true;
    if (const std::string_view *rp = h.get("Return-Path")) {
        std::string_view v = trim(*rp);
        if (v == "<>" || v == "< >") return true;
    }
    if (affirmative(h.get("Auto-Submitted"))) return true;
    if (const std::string_view *p = h.get("Precedence")) {
        const std::string v = lower(trim(*p));
        if (v == "bulk" || v == "junk") return true;
    }
    return false;
}

bool auto_reply_subject(std::string_view subject) {
    if (reply_or_forward_subject(subject)) return false;
    const std::string s = lower(subject);
    const std::string_view st = trim(s);
    for (auto p : kAutoSubjectPrefixes)
        if (istarts_with(st, p)) return true;
    for (auto p : kAutoSubjectPhrases)
        if (st.find(p) != std::string_view::npos) return true;
    return false;
}

}  // namespace

// What counts as an auto-reply is written down in docs/mime.md ("Auto-replies").
bool read_auto_reply(const mime::Message &msg, Extraction &ex) {
    const mime::Headers &h = msg.root.headers;
    if (from_daemon(h)) return false;
    // A delivery report is never an auto-reply.
    bool report = false;
    walk(msg.root, false, [&](const Part &p, bool) {
        if (is_delivery_status(p) || p.report_type == "delivery-status"sv) report = true;
    });
    if (report) return false;

    bool marked = false;
    if (const std::string_view *v = h.get("Auto-Submitted")) {
        std::string a = lower(trim(*v));
        // "no": a person sent it (RFC 3834 5.1), whatever its subject says.
        if (a == "no") return false;
        if (istarts_with(a, "auto-replied")) marked = true;
        // "auto-generated (failure)" is how Sendmail marks bounces; auto-generated alone is any
        // machine-made mail, an auto-reply only with another marker below.
    }
    for (const char *n : {"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Vacation", "X-Auto-Reply"})
        if (affirmative(h.get(n))) marked = true;
    if (const std::string_view *v = h.get("Precedence"); v && iequals(trim(*v), "auto_reply")) marked = true;
    if (const std::string_view *v = h.get("X-Apple-Action"); v && istarts_with(trim(*v), "vacation")) marked = true;
    if (const std::string_view *v = h.get("X-Mailer"); v && lower(*v).find("vacation") != std::string::npos) marked = true;
    if (!marked) marked = auto_reply_subject(h.decoded("Subject")) && sent_like_a_responder(h);
    if (!marked) return false;
    Record rec;
    const std::string_view *f = h.get("From");
    if (!f) f = h.get("Sender");
    if (!f) f = h.get("Reply-To");
    if (f) rec.recipient = bare_address(mime::decode_words(*f));
    rec.diagnostic = h.decoded("Subject");
    ex.records.push_back(std::move(rec));
    ex.auto_reply = true;
    ex.format = "rfc3834";
    return true;
}

// ---- MDN ----------------------------------------------------------------------------------

bool is_mdn(const mime::Message &msg) {
    bool mdn = false, dsn = false, rejected = false;
    walk(msg.root, false, [&](const Part &p, bool inside) {
        if (inside) return;
        if (p.report_type == "disposition-notification"sv ||
            (p.type == "message"sv &&
             (p.subtype == "disposition-notification"sv || p.subtype == "global-disposition-notification"sv)))
            mdn = true;
        if (is_delivery_status(p)) dsn = true;
        // "Disposition: automatic-action/MDN-sent-automatically; deleted" is how Sieve's reject
        // (RFC 5429 2.1) and delivery agents (Dovecot, Cyrus) refuse a message they accepted: a
        // bounce, read by lib/formats/lda_*.cc, not a receipt.
        if (p.type == "message"sv && p.subtype == "disposition-notification"sv) {
            const mime::Headers h = mime::parse_headers(p.text.empty() ? p.body : p.text);
            const std::string d = lower(h.decoded("Disposition"));
            if (d.find("automatic-action") != std::string::npos && d.find("deleted") != std::string::npos)
                rejected = true;
        }
    });
    return mdn && !dsn && !rejected;
}


}  // namespace carom::report
