// Amazon SES events, as SNS notifications ("notificationType") or event publishing ("eventType"):
// Bounce, Complaint, Delivery and DeliveryDelay. The facts are those of the SES documentation
// ("Contents of notifications for Amazon SES", "Contents of event data"):
//
//   {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General",
//    "bouncedRecipients":[{"emailAddress":"kim@example.org","action":"failed","status":"5.1.1",
//    "diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2026-01-27T14:59:38.237Z",
//    "reportingMTA":"dsn; a8-70.smtp-out.amazonses.com"},"mail":{"source":"news@ours.example",
//    "messageId":"0100...","commonHeaders":{"messageId":"<n-1@ours.example>"}}}
//
// The diagnosticCode is the remote server's answer: the rules read it as a DSN's. bounceType /
// bounceSubType and delayType are SES's own reading: they fill in when the words name no cause;
// Suppressed and OnAccountSuppressionList decide (SES sent nothing).
#include "base/strings.hh"
#include "formats/esp_common.hh"
#include "formats/text.hh"
#include "report/fields.hh"

namespace carom::formats::esp {
namespace {

constexpr std::string_view kVendor = "ses";

struct SubType {
    std::string_view name;
    carom_reason_t reason;
    bool decides;
};

// bounceSubType → reason (docs/taxonomy.md, "Amazon SES").
constexpr SubType kBounceSubTypes[] = {
    {"NoEmail", CAROM_REASON_USERUNKNOWN, false},
    {"Suppressed", CAROM_REASON_SUPPRESSED, true},
    {"OnAccountSuppressionList", CAROM_REASON_SUPPRESSED, true},
    {"MailboxFull", CAROM_REASON_MAILBOXFULL, false},
    {"MessageTooLarge", CAROM_REASON_MESGTOOBIG, false},
    {"ContentRejected", CAROM_REASON_CONTENTERROR, false},
    {"AttachmentRejected", CAROM_REASON_CONTENTERROR, false},
    {"General", CAROM_REASON_ONHOLD, false},
    {"Undetermined", CAROM_REASON_ONHOLD, false},
};

// delayType → reason.
constexpr SubType kDelayTypes[] = {
    {"MailboxFull", CAROM_REASON_MAILBOXFULL, false},
    {"SpamDetected", CAROM_REASON_SPAMDETECTED, false},
    {"RecipientServerError", CAROM_REASON_SYSTEMERROR, false},
    {"IPFailure", CAROM_REASON_BLOCKED, false},
    {"TransientCommunicationFailure", CAROM_REASON_NETWORKERROR, false},
    {"BYOIPHostNameLookupUnavailable", CAROM_REASON_NETWORKERROR, false},
    {"InternalFailure", CAROM_REASON_SYSTEMERROR, false},
    {"SendingDeferral", CAROM_REASON_SYSTEMERROR, false},
    {"General", CAROM_REASON_EXPIRED, false},
    {"Undetermined", CAROM_REASON_EXPIRED, false},
};

template <std::size_t N>
Given lookup(const SubType (&table)[N], std::string_view prefix, const std::string &name) {
    for (const SubType &t : table)
        if (t.name == name) return given(t.reason, kVendor, std::string(prefix) + lower(name), t.decides);
    return given(CAROM_REASON_ONHOLD, kVendor, std::string(prefix) + "other");
}

Sent sent_of(const Json &event, const Json &detail) {
    Sent s;
    if (const Json *mail = object(event, "mail")) {
        s.sender = str(*mail, "source");
        const Json *common = object(*mail, "commonHeaders");
        std::string id = common ? str(*common, "messageId") : "";
        if (id.empty()) id = str(*mail, "messageId");
        s.message_id = std::move(id);
        if (common) s.subject = str(*common, "subject");
    }
    if (auto it = detail.find("timestamp"); it != detail.end()) s.timestamp = event_time(*it);
    return s;
}

// The bounce's and the delay's recipients: the remote server's status and diagnostic.
void failed_recipients(const Json &list, const Sent &sent, const Json &detail, const Given &g,
                       std::string_view action, Extraction &ex, std::size_t max) {
    const std::string reporting = report::strip_type(str(detail, "reportingMTA"));
    const std::string remote = str(detail, "remoteMtaIp");
    for (const Json &e : list) {
        Record *r = add_record(ex, str(e, "emailAddress"), sent, g, max);
        if (!r) continue;
        r->action = lower(str(e, "action"));
        if (r->action.empty() || action == "delayed") r->action = std::string(action);
        r->status = find_status(str(e, "status"));
        set_diagnostic(*r, str(e, "diagnosticCode"));
        r->reporting_mta = reporting;
        r->remote_mta = remote;
    }
}

void read_bounce(const Json &event, const Json &b, Extraction &ex, std::size_t max) {
    const std::string type = str(b, "bounceType");
    Given g = lookup(kBounceSubTypes, lower(type) + ".", str(b, "bounceSubType"));
    if (const Json *list = array(b, "bouncedRecipients")) failed_recipients(*list, sent_of(event, b), b, g, "failed", ex, max);
}

void read_complaint(const Json &event, const Json &c, Extraction &ex, std::size_t max) {
    std::string type = lower(str(c, "complaintFeedbackType"));
    if (type.empty()) type = "abuse";  // a complaint event is a spam report unless it says otherwise
    const Sent sent = sent_of(event, c);
    if (const Json *list = array(c, "complainedRecipients"))
        for (const Json &e : *list)
            if (Record *r = add_record(ex, str(e, "emailAddress"), sent, Given(), max)) {
                r->feedback_type = type;
                set_diagnostic(*r, str(c, "userAgent"));
            }
}

void read_delivery(const Json &event, const Json &d, Extraction &ex, std::size_t max) {
    const Sent sent = sent_of(event, d);
    const std::string response = str(d, "smtpResponse"), reporting = report::strip_type(str(d, "reportingMTA"));
    if (const Json *list = array(d, "recipients"))
        for (const Json &e : *list)
            if (Record *r = add_record(ex, e.is_string() ? e.get<std::string>() : "", sent, Given(), max)) {
                r->action = "delivered";
                set_diagnostic(*r, response);
                r->reporting_mta = reporting;
                r->remote_mta = str(d, "remoteMtaIp");
            }
}

}  // namespace

bool read_ses(const Json &j, Extraction &ex, std::size_t max) {
    std::string type = str(j, "notificationType");
    if (type.empty()) type = str(j, "eventType");
    if (type.empty() || !object(j, "mail")) return false;
    if (ex.format.empty()) ex.format = "ses-event";
    if (const Json *b = type == "Bounce" ? object(j, "bounce") : nullptr) {
        read_bounce(j, *b, ex, max);
    } else if (const Json *c = type == "Complaint" ? object(j, "complaint") : nullptr) {
        read_complaint(j, *c, ex, max);
    } else if (const Json *d = type == "Delivery" ? object(j, "delivery") : nullptr) {
        read_delivery(j, *d, ex, max);
    } else if (const Json *dd = type == "DeliveryDelay" ? object(j, "deliveryDelay") : nullptr) {
        Given g = lookup(kDelayTypes, "delay.", str(*dd, "delayType"));
        if (const Json *list = array(*dd, "delayedRecipients"))
            failed_recipients(*list, sent_of(j, *dd), *dd, g, "delayed", ex, max);
    }
    return true;  // Send, Reject, Open, Click, ...: an SES event, no record
}

}  // namespace carom::formats::esp
