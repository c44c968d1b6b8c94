// SendGrid and Mailgun webhook events. The facts are those of their documentation: SendGrid's
// Event Webhook reference (an array of events, "event" bounce / dropped / deferred / delivered /
// spamreport / unsubscribe, a bounce's "type" bounce or blocked, "reason", "status",
// "bounce_classification") and Mailgun's events ("event-data" with "event" failed / delivered /
// complained / unsubscribed, "severity" permanent or temporary, "reason", "delivery-status" with
// "code", "message", "description", "enhanced-code"). The remote server's answer (SendGrid's
// reason or response, Mailgun's delivery-status) is read by the rules; the vendor's own type fills
// in, and decides for a message it never sent (SendGrid's dropped, Mailgun's suppress-*).
#include "base/strings.hh"
#include "formats/esp_common.hh"
#include "formats/text.hh"

namespace carom::formats::esp {
namespace {

struct Named {
    std::string_view name;
    carom_reason_t reason;
};

// SendGrid's bounce_classification (docs/taxonomy.md, "SendGrid").
constexpr Named kSendgridClassifications[] = {
    {"Invalid Address", CAROM_REASON_USERUNKNOWN},    {"Mailbox Unavailable", CAROM_REASON_SUSPEND},
    {"Reputation", CAROM_REASON_BADREPUTATION},       {"Content", CAROM_REASON_CONTENTERROR},
    {"Frequency or Volume Too High", CAROM_REASON_SPEEDING}, {"Technical", CAROM_REASON_SYSTEMERROR},
    {"Unclassified", CAROM_REASON_ONHOLD},
};

Given sendgrid_bounce(const Json &j) {
    const std::string cls = str(j, "bounce_classification");
    for (const Named &n : kSendgridClassifications)
        if (n.name == cls) return given(n.reason, "sendgrid", "classification." + lower(cls));
    if (str(j, "type") == "blocked") return given(CAROM_REASON_BLOCKED, "sendgrid", "blocked");
    return given(CAROM_REASON_ONHOLD, "sendgrid", "bounce");
}

// A dropped message was never sent: SendGrid names the list or check that stopped it.
Given sendgrid_dropped(const std::string &reason) {
    if (icontains(reason, "spam content")) return given(CAROM_REASON_SPAMDETECTED, "sendgrid", "dropped.spam-content", true);
    return given(CAROM_REASON_SUPPRESSED, "sendgrid", "dropped", true);
}

void sendgrid_event(const Json &j, const std::string &event, Extraction &ex, std::size_t max) {
    Sent sent;
    sent.message_id = str(j, "smtp-id");
    if (auto it = j.find("timestamp"); it != j.end()) sent.timestamp = event_time(*it);
    Given g;
    if (event == "bounce") g = sendgrid_bounce(j);
    if (event == "dropped") g = sendgrid_dropped(str(j, "reason"));
    Record *r = add_record(ex, str(j, "email"), sent, g, max);
    if (!r) return;
    if (event == "spamreport") r->feedback_type = "abuse";
    if (event == "unsubscribe" || event == "group_unsubscribe") r->feedback_type = "opt-out";
    if (!r->feedback_type.empty()) return;
    r->action = event == "delivered" ? "delivered" : event == "deferred" ? "delayed" : "failed";
    r->status = find_status(str(j, "status"));
    set_diagnostic(*r, event == "bounce" || event == "dropped" ? str(j, "reason") : str(j, "response"));
}

// Mailgun's failure reasons (docs/taxonomy.md, "Mailgun"): suppress-* decide.
Given mailgun_failed(const std::string &reason) {
    if (starts_with(reason, "suppress-")) return given(CAROM_REASON_SUPPRESSED, "mailgun", reason, true);
    if (reason == "old") return given(CAROM_REASON_EXPIRED, "mailgun", reason);
    if (reason == "espblock") return given(CAROM_REASON_BLOCKED, "mailgun", reason);
    return given(CAROM_REASON_ONHOLD, "mailgun", reason.empty() ? "failed" : reason);
}

void mailgun_status(Record &r, const Json &status) {
    r.status = find_status(str(status, "enhanced-code"));
    std::string text = str(status, "message");
    const std::string description = str(status, "description");
    if (!description.empty() && description != text) text += (text.empty() ? "" : " ") + description;
    const std::string code = str(status, "code");
    // Mailgun gives the reply code apart: put it before the words, as a DSN's diagnostic has it.
    if (code.size() == 3 && (code[0] == '2' || code[0] == '4' || code[0] == '5') && !starts_with(text, code)) text = code + " " + text;
    set_diagnostic(r, text);
    r.remote_mta = str(status, "mx-host");
}

void mailgun_event(const Json &d, const std::string &event, Extraction &ex, std::size_t max) {
    Sent sent;
    if (const Json *env = object(d, "envelope")) sent.sender = str(*env, "sender");
    if (const Json *m = object(d, "message"))
        if (const Json *h = object(*m, "headers")) {
            sent.message_id = str(*h, "message-id");
            sent.subject = str(*h, "subject");
        }
    if (auto it = d.find("timestamp"); it != d.end()) sent.timestamp = event_time(*it);
    const bool temporary = str(d, "severity") == "temporary";
    Given g = event == "failed" ? mailgun_failed(str(d, "reason")) : Given();
    if (temporary && !g.decides) g = Given();  // a retry to come: the delay rules decide
    Record *r = add_record(ex, str(d, "recipient"), sent, g, max);
    if (!r) return;
    if (event == "complained") r->feedback_type = "abuse";
    if (event == "unsubscribed") r->feedback_type = "opt-out";
    if (!r->feedback_type.empty()) return;
    r->action = event == "delivered" ? "delivered" : temporary ? "delayed" : "failed";
    if (const Json *status = object(d, "delivery-status")) mailgun_status(*r, *status);
}

}  // namespace

bool read_sendgrid(const Json &j, Extraction &ex, std::size_t max) {
    const std::string event = str(j, "event");
    if (event.empty() || !j.contains("email")) return false;
    if (ex.format.empty()) ex.format = "sendgrid-event";
    if (event == "bounce" || event == "dropped" || event == "deferred" || event == "delivered" ||
        event == "spamreport" || event == "unsubscribe" || event == "group_unsubscribe")
        sendgrid_event(j, event, ex, max);
    return true;  // processed, open, click, ...: a SendGrid event, no record
}

bool read_mailgun(const Json &j, Extraction &ex, std::size_t max) {
    const Json *d = object(j, "event-data");
    if (!d) {
        // An item of Mailgun's Events API: the event data itself.
        if (!j.contains("recipient") || !(j.contains("delivery-status") || j.contains("log-level"))) return false;
        d = &j;
    }
    const std::string event = str(*d, "event");
    if (event.empty()) return false;
    if (ex.format.empty()) ex.format = "mailgun-event";
    if (event == "failed" || event == "delivered" || event == "complained" || event == "unsubscribed")
        mailgun_event(*d, event, ex, max);
    return true;
}

}  // namespace carom::formats::esp
