// The delivery-status reader as it was before the one-pass rewrite (commit "report: one-pass
// delivery-status reader"), kept as the reference the new one is compared against.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "base/model.hh"
#include "mime/decode.hh"
#include "mime/message.hh"
#include "report/fields.hh"
#include "report/report.hh"

namespace old_report {

using namespace carom;
using namespace carom::report;
using namespace std::string_view_literals;
using carom::iequals;
using carom::lower;
using carom::trim;
using report::DeliveryStatus;

namespace {

// ---- delivery-status blocks -----------------------------------------------------------------

enum class FieldKind { PerMessage, PerRecipient, Other };

FieldKind kind_of(std::string_view name) {
    static constexpr std::string_view kMsg[] = {"reporting-mta",     "dsn-gateway",      "received-from-mta",
                                                "arrival-date",      "original-envelope-id", "x-postfix-queue-id",
                                                "x-postfix-sender"};
    static constexpr std::string_view kRcpt[] = {"original-recipient", "final-recipient",  "action",
                                                 "status",             "remote-mta",       "diagnostic-code",
                                                 "last-attempt-date",  "final-log-id",     "will-retry-until",
                                                 "x-actual-recipient", "x-original-recipient"};
    for (auto n : kMsg)
        if (iequals(name, n)) return FieldKind::PerMessage;
    for (auto n : kRcpt)
        if (iequals(name, n)) return FieldKind::PerRecipient;
    return FieldKind::Other;
}

// One "Name: value" line of a DSN block; false when the line is not a field.
bool split_field(std::string_view line, std::string_view &name, std::string_view &value) {
    std::size_t c = line.find(':');
    if (c == std::string_view::npos || c == 0 || c > 64) return false;
    std::string_view n = trim(line.substr(0, c));
    if (n.empty()) return false;
    for (char ch : n)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
            return false;
    name = n;
    value = trim(line.substr(c + 1));
    return true;
}

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
    std::string h = strip_type(value);
    std::size_t e = h.find_first_of(" \t(");
    if (e != std::string::npos && e > 0) h.resize(e);
    return h;
}

// Fills the diagnostic fields of a record from "type; text".
void set_diagnostic(Record &r, std::string_view value) {
    std::string_view v = trim(value);
    std::size_t semi = v.find(';');
    if (semi != std::string_view::npos && semi > 0 && semi <= 24) {
        std::string_view type = trim(v.substr(0, semi));
        bool token = !type.empty();
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

struct Pending {
    Record rec;
    bool has_final = false, has_original = false, has_actual = false;
    std::string actual;
    bool any() const { return has_final || has_original || has_actual; }
};

void apply_recipient_field(Pending &p, std::string_view name, std::string_view value) {
    Record &r = p.rec;
    if (iequals(name, "final-recipient")) {
        r.recipient = bare_address(value);
        p.has_final = true;
    } else if (iequals(name, "original-recipient") || iequals(name, "x-original-recipient")) {
        if (!p.has_original) r.original_recipient = bare_address(xtext_decode(value));
        p.has_original = true;
    } else if (iequals(name, "x-actual-recipient")) {
        p.actual = bare_address(value);
        p.has_actual = true;
    } else if (iequals(name, "action")) {
        if (r.action.empty()) r.action = normalize_action(value);
    } else if (iequals(name, "status")) {
        if (r.status.empty()) r.status = find_status(value);
    } else if (iequals(name, "remote-mta")) {
        if (r.remote_mta.empty()) r.remote_mta = host_of(value);
    } else if (iequals(name, "diagnostic-code")) {
        if (r.diagnostic.empty()) set_diagnostic(r, value);
    } else if (iequals(name, "last-attempt-date")) {
        if (r.last_attempt.empty()) r.last_attempt = iso_date(value);
    } else if (iequals(name, "x-powermta-bouncecategory")) {
        // PowerMTA's bounce category (its own classification of the reply), per recipient.
        if (r.category.empty()) r.category = lower(trim(value));
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

void finish(Pending &p, std::vector<Record> &out) {
    if (!p.any()) return;
    Record &r = p.rec;
    // Final-Recipient is the address the reporting MTA last tried; when that is an internal
    // alias (a source route, a host without a domain, a pipe) while Original-Recipient is a
    // real address, the original is the one the sender knows.
    if (!usable_address(r.recipient) && usable_address(r.original_recipient)) r.recipient = r.original_recipient;
    if (r.recipient.empty()) r.recipient = !r.original_recipient.empty() ? r.original_recipient : p.actual;
    // Not in the replaced reader: a behaviour added later (issue 14), here so that the comparison
    // keeps testing the rewrite. A usable X-Actual-Recipient stands in for unusable others.
    if (!usable_address(r.recipient) && usable_address(p.actual)) r.recipient = p.actual;
    if (r.recipient.empty()) return;
    out.push_back(std::move(r));
}

}  // namespace

inline DeliveryStatus parse_delivery_status_fields(std::string_view text) {
    DeliveryStatus ds;
    std::string norm;
    if (text.find('\r') != std::string_view::npos) {
        norm = mime::normalize_newlines(text);
        text = norm;
    }
    // Lines → fields, grouped in blocks at blank lines. An indented line continues the field
    // before it; so does an unindented non-field line after Diagnostic-Code (broken folding).
    struct OwnedField {
        std::string name, value;
    };
    std::vector<std::vector<OwnedField>> blocks(1);
    std::size_t i = 0;
    bool last_is_diag = false;
    while (i <= text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(i, e - i);
        i = e + 1;
        if (trim(line).empty()) {
            if (!blocks.back().empty()) blocks.emplace_back();
            last_is_diag = false;
            if (e >= text.size()) break;
            continue;
        }
        std::string_view name, value;
        bool indented = line[0] == ' ' || line[0] == '\t';
        if (!indented && split_field(line, name, value)) {
            if (blocks.back().empty()) blocks.back().reserve(8);  // one allocation for most blocks
            blocks.back().push_back({std::string(name), std::string(value)});
            last_is_diag = iequals(name, "diagnostic-code");
        } else if ((indented || last_is_diag) && !blocks.back().empty()) {
            std::string &v = blocks.back().back().value;
            std::string_view t = trim(line);
            if (!v.empty()) v.push_back(' ');
            v.append(t.data(), t.size());
        }
        if (e >= text.size()) break;
    }
    bool started = false;
    for (auto &b : blocks) {
        if (b.empty()) continue;
        bool dsn_fields = std::any_of(b.begin(), b.end(), [](const OwnedField &f) { return kind_of(f.name) != FieldKind::Other; });
        if (!dsn_fields) {
            if (started) break;  // the DSN is over (the returned message's headers follow)
            continue;
        }
        started = true;
        const bool identity = std::any_of(b.begin(), b.end(), [](const OwnedField &f) {
            return iequals(f.name, "final-recipient") || iequals(f.name, "original-recipient") ||
                   iequals(f.name, "x-actual-recipient");
        });
        if (!identity) {
            for (auto &f : b)
                if (kind_of(f.name) == FieldKind::PerMessage) ds.per_message.add(f.name, f.value);
            continue;
        }
        // A recipient block; a second Final-Recipient (or a second Original-Recipient) starts
        // the next recipient when blocks are not separated by blank lines. Either order of the
        // two fields is accepted.
        mime::Headers cur;
        cur.fields.reserve(b.size());
        bool has_final = false, has_orig = false;
        for (auto &f : b) {
            bool fin = iequals(f.name, "final-recipient"), orig = iequals(f.name, "original-recipient");
            if ((fin && has_final) || (orig && has_orig)) {
                ds.recipients.push_back(std::move(cur));
                cur = mime::Headers();
                has_final = has_orig = false;
            }
            has_final |= fin;
            has_orig |= orig;
            if (kind_of(f.name) == FieldKind::PerMessage) ds.per_message.add(f.name, f.value);
            cur.add(f.name, f.value);
        }
        ds.recipients.push_back(std::move(cur));
    }
    return ds;
}

inline std::size_t parse_delivery_status(std::string_view text, std::vector<Record> &out) {
    DeliveryStatus ds = parse_delivery_status_fields(text);
    std::string reporting;
    if (const std::string_view *v = ds.per_message.get("Reporting-MTA")) reporting = host_of(*v);
    std::size_t n = 0;
    for (const mime::Headers &h : ds.recipients) {
        Pending p;
        for (const auto &f : h.fields) apply_recipient_field(p, f.name, f.value);
        std::size_t before = out.size();
        finish(p, out);
        if (out.size() == before) continue;
        Record &r = out.back();
        r.reporting_mta = reporting;
        r.reply_code = leading_reply_code(r.diagnostic);
        refine_status(r);
        r.command = command_from_text(r.diagnostic);
        ++n;
    }
    return n;
}


// The former split_field under a name of its own (carom::report::split_field is visible here too).
inline bool reference_split_field(std::string_view line, std::string_view &name, std::string_view &value) {
    return split_field(line, name, value);
}

}  // namespace old_report
