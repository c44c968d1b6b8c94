// The ARF reader. See arf.hh.
#include "base/strings.hh"
#include "report/arf.hh"

#include "mime/decode.hh"
#include "report/fields.hh"
#include "report/parts.hh"

namespace carom::report {

using namespace std::string_view_literals;

using mime::Part;

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

// The RFC 5965 feedback type (abuse, fraud, virus, other, not-spam, auth-failure, opt-out, ...),
// lower case, with the spellings some providers write mapped onto it.
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

// Appends the bare address of every `name` field of `h` (report fields: one address each).
void add_bare(const mime::Headers &h, const char *name, std::vector<std::string> &out) {
    for (const std::string_view *v : h.all(name)) {
        std::string a = bare_address(*v);
        if (!a.empty()) out.push_back(std::move(a));
    }
}

// Appends the addresses with an '@' of every `name` field of `h` (address lists).
void add_listed(const mime::Headers &h, const char *name, std::vector<std::string> &out) {
    for (const std::string_view *v : h.all(name))
        for (auto &a : address_list(*v))
            if (a.find('@') != std::string::npos) out.push_back(std::move(a));
}

// Who was reported, in order of preference: the report's Original-Rcpt-To; the attached message's
// X-HmXmrOriginalRecipient (Microsoft's junk-mail reporting program), else its To; the report's
// Removal-Recipient. One empty address when nothing names anyone.
std::vector<std::string> reported_recipients(const mime::Headers &fb, const mime::Message &msg) {
    std::vector<std::string> rcpts;
    add_bare(fb, "Original-Rcpt-To", rcpts);
    if (rcpts.empty())
        if (const mime::Headers *h = attached_headers(msg)) {
            add_listed(*h, "X-HmXmrOriginalRecipient", rcpts);
            if (rcpts.empty()) add_listed(*h, "To", rcpts);
        }
    if (rcpts.empty()) add_bare(fb, "Removal-Recipient", rcpts);
    if (rcpts.empty()) rcpts.push_back("");
    return rcpts;
}

void arf_records(const mime::Headers &fb, const mime::Message &msg, const std::string &type, Extraction &ex) {
    const std::vector<std::string> rcpts = reported_recipients(fb, msg);
    std::string reporting;
    if (const std::string_view *v = fb.get("Reporting-MTA")) reporting = strip_type(*v);
    std::string arrival, arrival_stamp;
    if (const std::string_view *v = fb.get("Arrival-Date")) {
        arrival = iso_date(*v);
        arrival_stamp = rfc3339_date(*v);
    }
    for (auto &r : rcpts) {
        Record rec;
        rec.recipient = r;
        rec.recipient_source = "arf";
        rec.feedback_type = type;
        rec.reporting_mta = reporting;
        rec.last_attempt = arrival;
        if (!arrival_stamp.empty()) {
            rec.timestamp = arrival_stamp;
            rec.timestamp_source = "arrival";
        }
        ex.records.push_back(std::move(rec));
    }
    ex.feedback = true;
    ex.format = "arf";
}

// True when a line of the text starts with "Feedback-Type:" (either case of the 'F').
bool feedback_type_starts_a_line(std::string_view text) {
    std::size_t pos = 0;
    while ((pos = find_bytes(text, "eedback-Type:", pos)) != std::string::npos) {
        if (pos >= 1 && (text[pos - 1] == 'F' || text[pos - 1] == 'f') && (pos == 1 || text[pos - 2] == '\n')) return true;
        ++pos;
    }
    return false;
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
        if (!txt && p.type == "text"sv && p.children.empty() && feedback_type_starts_a_line(p.text)) txt = &p;
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
        rec.recipient_source = "from-header";
        rec.feedback_type = "opt-out";
        ex.records.push_back(std::move(rec));
        ex.feedback = true;
        ex.format = "arf";
        return true;
    }
    return false;
}

}  // namespace carom::report
