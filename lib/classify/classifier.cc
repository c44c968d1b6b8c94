#include "classify/classifier.hh"

#include "base/strings.hh"
#include "base/taxonomy.hh"
#include "formats/text.hh"

namespace carom {
namespace {

// When a bounce gives no enhanced status code, the record still says which class of failure
// it is: from the reply code (550 → 5.0.0) or, failing that, from the action.
std::string derived_status(const Record &r) {
    if (r.reply_code.size() == 3 && (r.reply_code[0] == '4' || r.reply_code[0] == '5'))
        return std::string(1, r.reply_code[0]) + ".0.0";
    if (r.action == "delayed") return "4.0.0";
    if (r.action == "delivered" || r.action == "relayed" || r.action == "expanded") return "2.0.0";
    // A bounce that says nothing more is a permanent failure: the message came back.
    return "5.0.0";
}

// A status the MTA writes for itself rather than for the remote server's answer: X.4.7 ("I gave
// up retrying") or a code without detail (X.Y.0, X.0.0).
bool own_status(const std::string &s) {
    if (s.size() < 5) return false;
    if (s.compare(1, 4, ".4.7") == 0 && s.size() == 5) return true;
    return s.size() >= 5 && s.compare(s.size() - 2, 2, ".0") == 0;
}

// The record's status is what the remote server said about this recipient, when the diagnostic
// quotes the remote's reply:
// 1. The reply's own enhanced code (the first code of the diagnostic) wins over a different
//    status when the reply code agrees with its class ("Status: 5.1.1" beside "Diagnostic-Code:
//    smtp; 550 5.7.1 IP address blacklisted" is 5.7.1), unless it is only a class-level code
//    of the same class as the status.
// 2. A status the MTA wrote for itself (X.4.7 "I gave up", or X.Y.0 without detail) yields to the
//    first precise code of the same class the diagnostic quotes ("554 4.4.7 Message expired ...
//    <421 4.4.2 Connection timed out>", "5.1.0 - Unknown address error '5.7.1 ... Access
//    denied'").
void prefer_quoted_status(Record &r) {
    if (r.status.empty() || r.diagnostic.empty()) return;
    const std::string first = formats::find_status(r.diagnostic);
    if (first.empty()) return;
    if (first != r.status && !r.reply_code.empty() && r.reply_code[0] == first[0] &&
        (first[0] != r.status[0] || !own_status(first))) {
        r.status = first;
        return;
    }
    if (!own_status(r.status)) return;
    std::string_view rest = r.diagnostic;
    for (int guard = 0; guard < 16 && !rest.empty(); ++guard) {
        std::string code = formats::find_status(rest);
        if (code.empty()) return;
        std::size_t at = rest.find(code);
        rest.remove_prefix(at == std::string_view::npos ? rest.size() : at + code.size());
        if (code[0] != r.status[0] || code == r.status || own_status(code)) continue;
        r.status = code;
        return;
    }
}

// The facts the rules read (rules::Input; the format is the message's) are the same in both
// records. `a` was decided before b and may since have had an empty status filled in:
// a_status_empty says what it had when decided (the action is filled in before deciding).
bool same_facts(const Record &a, bool a_status_empty, const Record &b) {
    return (a_status_empty ? b.status.empty() : a.status == b.status) && a.action == b.action &&
           a.reply_code == b.reply_code &&
           a.command == b.command && a.remote_mta == b.remote_mta && a.reporting_mta == b.reporting_mta &&
           a.category == b.category && a.diagnostic == b.diagnostic;
}

// What the message or the record says of itself, for the rules' "report" condition. A record
// with a feedback type is a complaint (ARF, or an ESP's complaint event).
std::string_view report_of(const Extraction &ex, const Record &r) {
    if (ex.feedback || !r.feedback_type.empty()) return "feedback";
    if (ex.auto_reply) return "auto-reply";
    if (!ex.notice.empty()) return ex.notice;  // "challenge", "virusnotice"
    if (r.action == "delivered" || r.action == "relayed" || r.action == "expanded") return r.action;
    return {};
}

// The ESP's own verdict on record i (Extraction::given), when its event gave one.
const Given *given_of(const Extraction &ex, std::size_t i) {
    return i < ex.given.size() && ex.given[i].reason != CAROM_REASON_UNDEFINED ? &ex.given[i] : nullptr;
}

// True when the rules found no cause in the record's words: nothing decided, only "there is a
// diagnostic" (onhold), or only a code without detail (X.Y.0), a reply code or the action.
bool names_no_cause(const Record &r) {
    if (r.reason == CAROM_REASON_UNDEFINED || r.reason == CAROM_REASON_ONHOLD) return true;
    const std::string &id = r.rule;
    return starts_with(id, "reply.") || starts_with(id, "action.") ||
           (starts_with(id, "status.x.") && id.size() > 2 && id.compare(id.size() - 2, 2, ".0") == 0);
}

void run_rules(const rules::Compiled &rules, bool explain, const Extraction &ex, std::string_view report, Record &r) {
    rules::Input in{r.status, r.reply_code, r.diagnostic, r.command, r.remote_mta, ex.format, r.action,
                    r.reporting_mta, r.category, report};
    rules::Decision d = rules.decide(in, explain);
    r.reason = d.decided ? d.reason : CAROM_REASON_UNDEFINED;
    r.rule = d.decided ? std::move(d.rule) : std::string("none");
    r.hits = std::move(d.hits);
}

// The status and class once the reason is known.
void finish(const rules::Compiled &rules, std::string_view report, Record &r) {
    if (r.status.empty() && (report == "delivered" || report == "relayed" || report == "expanded")) r.status = "2.0.0";
    if (r.status.empty() && report.empty() && !r.action.empty()) {
        r.status = derived_status(r);
        r.status_derived = true;
    }
    r.cls = rules.class_of(r.reason);
    if (!report.empty()) return;
    // Two facts of the record itself, not judgements of its words: a delay notice is a
    // delay whatever its cause, and a temporary failure (4.x.x) may pass later, so it is
    // never hard.
    if (r.action == "delayed")
        r.cls = CAROM_CLASS_DELAYED;
    else if (r.cls == CAROM_CLASS_HARD && starts_with(r.status, "4"))
        r.cls = CAROM_CLASS_SOFT;
}

}  // namespace

void decide(const rules::Compiled &rules, bool explain, Extraction &ex, Result &out) {
    // A bounce to many recipients often says the same for each: a record with the same facts as
    // the record the rules decided just before takes that decision (the rules are a function of
    // the facts) instead of running them again.
    const Record *prev = nullptr;
    bool prev_status_empty = false;
    for (std::size_t i = 0; i < ex.records.size(); ++i) {
        Record &r = ex.records[i];
        const Given *given = given_of(ex, i);
        if (given && given->decides) {  // the ESP sent nothing: its verdict is the fact
            r.reason = given->reason;
            r.rule = given->rule;
            if (explain) r.hits = {given->rule};
            finish(rules, report_of(ex, r), r);
            prev = nullptr;
            continue;
        }
        const std::string_view report = report_of(ex, r);
        if (report.empty()) prefer_quoted_status(r);
        // A bounce record that names no action is a failure (the message came back); the rules
        // see it as one ("a timeout in a failure means the MTA gave up").
        if (r.action.empty() && report.empty()) r.action = "failed";
        if (prev && !given && report.empty() && report_of(ex, *prev).empty() && same_facts(*prev, prev_status_empty, r)) {
            r.reason = prev->reason;
            r.rule = prev->rule;
            r.hits = prev->hits;
        } else {
            run_rules(rules, explain, ex, report, r);
        }
        // An ESP's type fills in where the words name no cause (docs/taxonomy.md, "ESP events").
        if (given && report.empty() && names_no_cause(r)) {
            r.reason = given->reason;
            r.rule = given->rule;
            if (explain) r.hits.insert(r.hits.begin(), given->rule);
        }
        prev = given ? nullptr : &r;
        prev_status_empty = r.status.empty();
        finish(rules, report, r);
    }
    out.records = std::move(ex.records);
}

}  // namespace carom
