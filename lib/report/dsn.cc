// The delivery-status reader: records from the fields of each recipient block, and read_dsn's
// search of the message for a report. See dsn.hh.
#include "base/strings.hh"
#include "report/dsn.hh"

#include <algorithm>

#include "mime/decode.hh"
#include "report/dsn_fields.hh"
#include "report/fields.hh"
#include "report/parts.hh"

namespace carom::report {

using namespace std::string_view_literals;

using mime::Part;

namespace {

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
            if (r.timestamp.empty()) {
                r.timestamp = rfc3339_date(value);
                if (!r.timestamp.empty()) r.timestamp_source = "last-attempt";
            }
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
    r.recipient_source = "dsn";
    return !r.recipient.empty();
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
    std::string reporting, arrival;
    bool have_reporting = false;
    for (std::size_t k : s.per_message) {
        if (s.fields[k].id == FieldId::ReportingMta && !have_reporting) {
            reporting = host_of(s.fields[k].value);
            have_reporting = true;
        } else if (s.fields[k].id == FieldId::ArrivalDate && arrival.empty()) {
            arrival = rfc3339_date(s.fields[k].value);  // the first one that reads
        }
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
        // A recipient without a readable Last-Attempt-Date: the report's Arrival-Date.
        if (r.timestamp.empty() && !arrival.empty()) {
            r.timestamp = arrival;
            r.timestamp_source = "arrival";
        }
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
            recs[*u].recipient_source = "x-failed-recipients";
            failed.erase(failed.begin() + static_cast<std::ptrdiff_t>(match));
            u = unnamed.erase(u);
        } else {
            ++u;
        }
    }
    // By order: one block and one address, or as many of each.
    if (unnamed.size() == failed.size())
        for (std::size_t k = 0; k < unnamed.size(); ++k) {
            recs[unnamed[k]].recipient = std::move(failed[k]);
            recs[unnamed[k]].recipient_source = "x-failed-recipients";
        }
    recs.erase(std::remove_if(recs.begin(), recs.end(), [](const Record &r) { return r.recipient.empty(); }), recs.end());
}

// True when a line of the text starts with a Final-Recipient or Original-Recipient field: the
// sign of DSN fields written inline in a text part.
bool recipient_field_starts_a_line(std::string_view t) {
    std::size_t pos = 0;
    while ((pos = find_bytes(t, "ecipient:", pos)) != std::string::npos) {
        // the field name must start the line: look back at most 24 bytes
        std::size_t ls = pos;
        while (ls > 0 && pos - ls < 24 && t[ls - 1] != '\n') --ls;
        std::string_view name = t.substr(ls, pos + 8 - ls);
        if (iequals(name, "final-recipient") || iequals(name, "original-recipient")) return true;
        ++pos;
    }
    return false;
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
            if (recipient_field_starts_a_line(p.text)) read_part(p.text);
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

}  // namespace carom::report
