// Amazon SES notifications sent by e-mail (an SNS topic with an e-mail subscription, or SES's own
// feedback forwarding): the body is JSON, either the SES notification itself
//
//   {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General",
//    "bouncedRecipients":[{"emailAddress":"u@example.org","action":"failed","status":"5.1.1",
//    "diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"reportingMTA":"dsn; a1-2.smtp-out..."},
//    "mail":{...}}
//
// or the SNS envelope {"Type":"Notification", ..., "Message":"<the notification as a string>"}.
// Complaints ("notificationType":"Complaint") are feedback reports; deliveries
// ("notificationType":"Delivery") are delivery reports. Long lines are often folded by the
// mail path ("\n " and, by Sendmail, "!\n "), which is undone before parsing.
#include <nlohmann/json.hpp>

#include "base/json_release.hh"

#include "formats/markers.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "notificationType",
    "eventType",
    "\"notificationType\"",
};

using nlohmann::json;

constexpr std::size_t kMaxDepth = 64;

// The first balanced JSON object in text, unfolded; "" when none or nested too deeply.
std::string json_object(std::string_view body) {
    std::size_t b = body.find('{');
    if (b == std::string_view::npos) return "";
    std::string s(body.size() - b, '\0');  // never longer: written through a pointer
    char *w = &s[0];
    for (std::size_t i = b; i < body.size(); ++i) {
        if (body[i] == '!' && i + 2 < body.size() && body[i + 1] == '\n' && body[i + 2] == ' ') {
            i += 2;
            continue;
        }
        if (body[i] == '\n' && i + 1 < body.size() && body[i + 1] == ' ') {
            ++i;
            continue;
        }
        *w++ = body[i];
    }
    s.resize(static_cast<std::size_t>(w - &s[0]));
    std::size_t depth = 0;
    bool str = false, esc = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (str) {
            if (esc) esc = false;
            else if (c == '\\') esc = true;
            else if (c == '"') str = false;
            continue;
        }
        if (c == '"') str = true;
        else if (c == '{' || c == '[') {
            if (++depth > kMaxDepth) return "";
        } else if (c == '}' || c == ']') {
            if (depth == 0) return "";
            if (--depth == 0) return s.substr(0, i + 1);
        }
    }
    return "";
}

std::string str(const json &j, const char *key) {
    if (!j.is_object()) return "";
    auto it = j.find(key);
    return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

const json *obj(const json &j, const char *key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return (it != j.end() && (it->is_object() || it->is_array())) ? &*it : nullptr;
}

// "dsn; host" / "smtp; 550 ..." → the value after the type.
std::string untype(const std::string &v) {
    std::size_t sc = v.find(';');
    if (sc != std::string::npos && sc < 12 && v.find(' ') > sc) return std::string(trim(std::string_view(v).substr(sc + 1)));
    return v;
}

bool parse_notification(const std::string &text, json &out) {
    std::string s = json_object(text);
    if (s.empty()) return false;
    out = json::parse(s, nullptr, false);
    if (out.is_discarded() || !out.is_object()) return false;
    // SNS envelope: the notification is a JSON string in "Message".
    if (!out.contains("notificationType") && !out.contains("eventType")) {
        std::string inner = str(out, "Message");
        if (inner.empty()) return false;
        std::string s2 = json_object(inner);
        if (s2.empty()) return false;
        json_release(out);  // before the old tree is destroyed (base/json_release.hh)
        out = json::parse(s2, nullptr, false);
        if (out.is_discarded() || !out.is_object()) return false;
    }
    return true;
}

bool amazonses_detect(const Input &in) {
    // The body's phrases (bit tests) first, the headers (searches) last.
    if (!(body_has(in, BODY_MARKER("notificationType")) || body_has(in, BODY_MARKER("eventType")))) return false;
    if (in.body.find('{') == std::string::npos) return false;
    if (body_has(in, BODY_MARKER("\"notificationType\""))) return true;
    const auto &h = in.msg.root.headers;
    const std::string_view *from = h.get("From");
    return h.has("x-amz-sns-message-id") || (from && (icontains(*from, "@sns.amazonaws.com") ||
                                                      icontains(*from, "amazonses.com")));
}

bool read_notification(const json &n, const Input &in, Extraction &ex);

bool amazonses_read(const Input &in, Extraction &ex) {
    json n;
    bool ok = parse_notification(in.body, n) && read_notification(n, in, ex);
    json_release(n);  // so that the destructor allocates nothing (base/json_release.hh)
    return ok;
}

bool read_notification(const json &n, const Input &in, Extraction &ex) {
    std::string type = str(n, "notificationType");
    if (type.empty()) type = str(n, "eventType");
    const std::size_t max = static_cast<std::size_t>(in.limits.recipients());

    if (type == "Bounce") {
        const json *b = obj(n, "bounce");
        if (!b) return false;
        const std::string btype = str(*b, "bounceType"), sub = str(*b, "bounceSubType");
        const std::string reporting = untype(str(*b, "reportingMTA"));
        const json *list = obj(*b, "bouncedRecipients");
        if (!list || !list->is_array()) return false;
        for (const auto &e : *list) {
            if (ex.records.size() >= max) break;
            Record r;
            r.recipient = find_address(str(e, "emailAddress"));
            if (r.recipient.empty()) continue;
            r.action = lower(str(e, "action"));
            if (r.action.empty()) r.action = btype == "Transient" ? "delayed" : "failed";
            r.status = find_status(str(e, "status"));
            std::string dc = str(e, "diagnosticCode");
            if (!dc.empty()) {
                std::size_t sc = dc.find(';');
                if (sc != std::string::npos && sc < 12) r.diagnostic_type = std::string(trim(std::string_view(dc).substr(0, sc)));
                r.diagnostic = squeeze(untype(dc));
            } else {
                // No text from a remote server: SES's own classification is the diagnostic.
                r.diagnostic = "Amazon SES " + btype + " bounce: " + sub;
            }
            r.reply_code = find_reply_code(r.diagnostic);
            if (r.status.empty()) r.status = find_status(r.diagnostic);
            r.reporting_mta = reporting;
            r.remote_mta = reporting;
            ex.records.push_back(std::move(r));
        }
    } else if (type == "Complaint") {
        const json *c = obj(n, "complaint");
        if (!c) return false;
        const json *list = obj(*c, "complainedRecipients");
        if (!list || !list->is_array()) return false;
        std::string fbt = str(*c, "complaintFeedbackType");
        if (fbt.empty()) fbt = "abuse";
        for (const auto &e : *list) {
            if (ex.records.size() >= max) break;
            Record r;
            r.recipient = find_address(str(e, "emailAddress"));
            if (r.recipient.empty()) continue;
            r.feedback_type = fbt;
            r.diagnostic = squeeze(str(*c, "userAgent"));
            ex.records.push_back(std::move(r));
        }
        ex.feedback = !ex.records.empty();
    } else if (type == "Delivery") {
        const json *d = obj(n, "delivery");
        if (!d) return false;
        const json *list = obj(*d, "recipients");
        if (!list || !list->is_array()) return false;
        const std::string resp = squeeze(str(*d, "smtpResponse"));
        const std::string reporting = untype(str(*d, "reportingMTA"));
        for (const auto &e : *list) {
            if (ex.records.size() >= max) break;
            if (!e.is_string()) continue;
            Record r;
            r.recipient = find_address(e.get<std::string>());
            if (r.recipient.empty()) continue;
            r.action = "delivered";
            r.diagnostic = resp;
            r.status = find_status(resp);
            r.reply_code = find_reply_code(resp);
            r.reporting_mta = reporting;
            r.remote_mta = reporting;
            ex.records.push_back(std::move(r));
        }
    } else {
        return false;
    }
    return !ex.records.empty();
}

}  // namespace

extern const Reader amazonses_reader = {"amazonses", markers(kMarkers), amazonses_detect, amazonses_read};

}  // namespace carom::formats
