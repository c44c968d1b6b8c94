// Postmark and SparkPost webhook events. The facts are those of their documentation: Postmark's
// bounce webhook ("RecordType":"Bounce", "Type" HardBounce / SoftBounce / Transient / DnsError /
// SpamNotification / AutoResponder / ... with its "TypeCode", "Email", "Details" = the remote
// server's answer, "Description" = Postmark's text), "RecordType" SpamComplaint and Delivery; and
// SparkPost's events ({"msys":{"message_event":{...}}}, "type" bounce / out_of_band / delay /
// delivery / spam_complaint / policy_rejection, "bounce_class", "raw_rcpt_to", "raw_reason" = the
// remote server's answer, "error_code"). The rules read the remote answer; the vendor's type or
// bounce class fills in, and decides where nothing reached a remote server.
#include "base/strings.hh"
#include "formats/esp_common.hh"
#include "formats/text.hh"

namespace carom::formats::esp {
namespace {

struct Typed {
    std::string_view name;
    carom_reason_t reason;
    bool decides;
    std::string_view action;  // "failed", "delayed" or "" (not a delivery attempt)
};

// Postmark's bounce types (docs/taxonomy.md, "Postmark").
constexpr Typed kPostmarkTypes[] = {
    {"HardBounce", CAROM_REASON_USERUNKNOWN, false, "failed"},
    {"SoftBounce", CAROM_REASON_ONHOLD, false, "failed"},
    {"Transient", CAROM_REASON_EXPIRED, false, "delayed"},
    {"DnsError", CAROM_REASON_NETWORKERROR, false, "failed"},
    {"AddressChange", CAROM_REASON_HASMOVED, false, "failed"},
    {"BadEmailAddress", CAROM_REASON_USERUNKNOWN, false, "failed"},
    {"SpamNotification", CAROM_REASON_SPAMDETECTED, false, "failed"},
    {"VirusNotification", CAROM_REASON_VIRUSDETECTED, false, "failed"},
    {"Blocked", CAROM_REASON_BLOCKED, false, "failed"},
    {"DMARCPolicy", CAROM_REASON_AUTHFAILURE, false, "failed"},
    {"SMTPApiError", CAROM_REASON_SYSTEMERROR, false, "failed"},
    {"Unknown", CAROM_REASON_ONHOLD, false, "failed"},
    {"ManuallyDeactivated", CAROM_REASON_SUPPRESSED, true, "failed"},
    {"Unconfirmed", CAROM_REASON_SUPPRESSED, true, "failed"},
    {"AutoResponder", CAROM_REASON_VACATION, true, ""},
    {"ChallengeVerification", CAROM_REASON_CHALLENGE, true, ""},
};

void postmark_bounce(const Json &j, const Sent &sent, Extraction &ex, std::size_t max) {
    const std::string type = str(j, "Type");
    if (type == "SpamComplaint" || type == "Unsubscribe") {  // reported on the bounce hook too
        if (Record *r = add_record(ex, str(j, "Email"), sent, Given(), max))
            r->feedback_type = type == "SpamComplaint" ? "abuse" : "opt-out";
        return;
    }
    Typed t{type, CAROM_REASON_ONHOLD, false, "failed"};
    for (const Typed &k : kPostmarkTypes)
        if (k.name == type) t = k;
    Record *r = add_record(ex, str(j, "Email"), sent, given(t.reason, "postmark", type.empty() ? "bounce" : type, t.decides), max);
    if (!r) return;
    r->action = std::string(t.action);
    // Details is the remote server's answer when Postmark has one; its Description is its own.
    set_diagnostic(*r, str(j, "Details"));
}

// SparkPost's bounce classes (docs/taxonomy.md, "SparkPost").
struct BounceClass {
    int code;
    carom_reason_t reason;
    bool decides;
};

constexpr BounceClass kBounceClasses[] = {
    {1, CAROM_REASON_ONHOLD, false},         {10, CAROM_REASON_USERUNKNOWN, false},
    {20, CAROM_REASON_ONHOLD, false},        {21, CAROM_REASON_NETWORKERROR, false},
    {22, CAROM_REASON_MAILBOXFULL, false},   {23, CAROM_REASON_MESGTOOBIG, false},
    {24, CAROM_REASON_EXPIRED, false},       {25, CAROM_REASON_SUPPRESSED, true},
    {26, CAROM_REASON_SUPPRESSED, true},     {30, CAROM_REASON_ONHOLD, false},
    {40, CAROM_REASON_ONHOLD, false},        {50, CAROM_REASON_BLOCKED, false},
    {51, CAROM_REASON_BLOCKED, false},       {52, CAROM_REASON_SPAMDETECTED, false},
    {53, CAROM_REASON_VIRUSDETECTED, false}, {54, CAROM_REASON_NORELAYING, false},
    {60, CAROM_REASON_VACATION, true},       {70, CAROM_REASON_ONHOLD, false},
    {80, CAROM_REASON_FEEDBACK, true},       {90, CAROM_REASON_FEEDBACK, true},
    {100, CAROM_REASON_CHALLENGE, true},
};

Given sparkpost_class(const std::string &code) {
    const int n = code.size() <= 3 && !code.empty() && code.find_first_not_of("0123456789") == std::string::npos
                      ? std::stoi(code) : -1;
    for (const BounceClass &c : kBounceClasses)
        if (c.code == n) return given(c.reason, "sparkpost", "class." + code, c.decides);
    return given(CAROM_REASON_ONHOLD, "sparkpost", "bounce");
}

void sparkpost_event(const Json &e, const std::string &type, Extraction &ex, std::size_t max) {
    Sent sent;
    sent.sender = str(e, "msg_from");
    sent.message_id = str(e, "message_id");
    sent.subject = str(e, "subject");
    if (auto it = e.find("timestamp"); it != e.end()) sent.timestamp = event_time(*it);
    std::string address = str(e, "raw_rcpt_to");
    if (address.empty()) address = str(e, "rcpt_to");
    const bool failure = type == "bounce" || type == "out_of_band" || type == "policy_rejection";
    Given g = failure ? sparkpost_class(str(e, "bounce_class")) : Given();
    if (type == "policy_rejection") g.decides = true;  // SparkPost refused to send it
    Record *r = add_record(ex, address, sent, g, max);
    if (!r) return;
    if (type == "spam_complaint") {
        r->feedback_type = lower(str(e, "fbtype"));
        if (r->feedback_type.empty()) r->feedback_type = "abuse";
        return;
    }
    if (g.reason == CAROM_REASON_FEEDBACK) r->feedback_type = str(e, "bounce_class") == "80" ? "subscribe" : "opt-out";
    // An auto-reply, a challenge or a subscription message is no delivery attempt: no action.
    const bool attempt = !g.decides || g.reason == CAROM_REASON_SUPPRESSED;
    r->action = type == "delivery" ? "delivered" : type == "delay" ? "delayed" : attempt ? "failed" : "";
    std::string text = str(e, "raw_reason");
    if (text.empty()) text = str(e, "reason");
    set_diagnostic(*r, text);
    if (r->reply_code.empty()) r->reply_code = str(e, "error_code");
    r->remote_mta = str(e, "ip_address");
}

}  // namespace

bool read_postmark(const Json &j, Extraction &ex, std::size_t max) {
    const std::string record = str(j, "RecordType");
    if (record.empty()) return false;
    if (ex.format.empty()) ex.format = "postmark-event";
    Sent sent;
    sent.sender = str(j, "From");
    sent.message_id = str(j, "MessageID");
    sent.subject = str(j, "Subject");
    for (const char *key : {"BouncedAt", "DeliveredAt", "ReceivedAt"})
        if (auto it = j.find(key); it != j.end() && sent.timestamp.empty()) sent.timestamp = event_time(*it);
    if (record == "Bounce") {
        postmark_bounce(j, sent, ex, max);
    } else if (record == "SpamComplaint") {
        if (Record *r = add_record(ex, str(j, "Email"), sent, Given(), max)) r->feedback_type = "abuse";
    } else if (record == "Delivery") {
        if (Record *r = add_record(ex, str(j, "Recipient"), sent, Given(), max)) {
            r->action = "delivered";
            set_diagnostic(*r, str(j, "Details"));
        }
    }
    return true;
}

bool read_sparkpost(const Json &j, Extraction &ex, std::size_t max) {
    const Json *msys = object(j, "msys");
    if (!msys) return false;
    if (ex.format.empty()) ex.format = "sparkpost-event";
    for (const char *kind : {"message_event", "relay_event", "track_event", "gen_event", "unsubscribe_event"})
        if (const Json *e = object(*msys, kind)) {
            const std::string type = str(*e, "type");
            if (type == "bounce" || type == "out_of_band" || type == "policy_rejection" || type == "delay" ||
                type == "delivery" || type == "spam_complaint")
                sparkpost_event(*e, type, ex, max);
        }
    return true;
}

}  // namespace carom::formats::esp
