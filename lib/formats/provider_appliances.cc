// Mail gateways and filtering appliances that write their own bounce letters:
//
// m-FILTER (X-Mailer: m-FILTER), a Japanese letter with ASCII section markers:
//   user@example.org                     (the failed address, alone on a line)
//   -------server message
//   550 unknown user <user@example.org>
//   -------SMTP command
//   DATA
//   -------original message
//
// McAfee (X-NAI-Header, "Delivery Status"):
//       --- The following addresses had delivery problems ---
//   <user@example.org>   (5.1.1 <user@example.org>... User unknown)
//
// Trend Micro InterScan (From "InterScan ..."):
//   Sent <<< RCPT TO:<user@example.org>
//   Received >>> 550 5.1.1 <user@example.org>... user unknown
// or "Unable to deliver message to <user@example.org> (and other recipients in the same domain)."
//
// MailFoundry:
//   Unable to deliver message to: <user@example.org>
//   Delivery failed for the following reason:
//   mx.example.org[192.0.2.1] responded with failure: 552 ...
//
// MailMarshal (Trustwave):
//   Could not be delivered because of
//   550 5.1.1 User unknown
//   The following recipients were affected:
//       user@example.org
//   Additional Information ... Remote-MTA: <192.0.2.1>
//
// Active!Hunter (X-AHMAILID), a Sendmail-like letter:
//     ----- The following addresses had permanent fatal errors -----
//   >>> user@example.org <user@example.org>
//     ----- Transcript of session follows -----
//   550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
#include "formats/markers.hh"
#include "formats/provider_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases the steps of this file's readers look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "-------server message",
    "--- The following addresses had delivery problems ---",
    "Sent <<<",
    "Unable to deliver message to",
    "InterScan",
    "Unable to deliver message to:",
    "Delivery failed for the following reason:",
    "The following recipients were affected",
    "Could not be delivered because of",
    "----- The following addresses had permanent fatal errors -----",
    "Active!Hunter",
};

bool scaffolding(std::string_view t) {
    return istarts_with(t, "--") || istarts_with(t, "Content-") || istarts_with(t, "This is a MIME") ||
           istarts_with(t, "This is a multi-part");
}


// ---------------------------------------------------------------- m-FILTER

bool mfilter_detect(const Input &in) {
    return body_has(in, BODY_MARKER("-------server message")) && hdr_has(in, "X-Mailer", "m-FILTER");
}

bool mfilter_read(const Input &in, Extraction &ex) {
    std::string_view body = in.body;
    std::size_t end = ifind(body, "-------original message");
    if (end != std::string_view::npos) body = body.substr(0, end);
    std::size_t sm = ifind(body, "-------server message");
    if (sm == std::string_view::npos) return false;
    std::vector<std::string> addrs;
    for (std::string_view raw : lines(body.substr(0, sm))) {
        std::string a = lone_address(raw);
        if (!a.empty()) addrs.push_back(a);
    }
    std::string diag, command;
    int section = 0;  // 1 server message, 2 SMTP command
    for (std::string_view raw : lines(body.substr(sm))) {
        std::string_view t = trim(raw);
        if (istarts_with(t, "-------server message")) section = 1;
        else if (istarts_with(t, "-------SMTP command")) section = 2;
        else if (istarts_with(t, "-------")) section = 0;
        else if (!t.empty() && section == 1) diag.append(t).push_back(' ');
        else if (!t.empty() && section == 2 && command.empty()) command = std::string(t);
    }
    diag = squeeze(diag);
    for (const auto &a : addrs) {
        if (ex.records.size() >= max_records(in)) break;
        Record &r = record_for(ex, a);
        r.diagnostic = diag;
        std::string c = lower(command);
        if (istarts_with(c, "rcpt")) r.command = "RCPT";
        else if (istarts_with(c, "mail")) r.command = "MAIL";
        else if (istarts_with(c, "data")) r.command = "DATA";
        else if (istarts_with(c, "ehlo")) r.command = "EHLO";
        else if (istarts_with(c, "helo")) r.command = "HELO";
        else if (istarts_with(c, "conn")) r.command = "CONN";
        fill_codes(r, diag);
    }
    return !ex.records.empty();
}

// ---------------------------------------------------------------- McAfee

bool mcafee_detect(const Input &in) {
    return body_has(in, BODY_MARKER("--- The following addresses had delivery problems ---")) &&
           (in.msg.root.headers.has("X-NAI-Header") || hdr_has(in, "Subject", "Delivery Status"));
}

bool mcafee_read(const Input &in, Extraction &ex) {
    std::string_view text = before_original(in);
    std::size_t p = ifind(text, "--- The following addresses had delivery problems ---");
    if (p == std::string_view::npos) return false;
    for (std::string_view raw : lines(text.substr(p))) {
        std::string_view t = trim(raw);
        if (t.empty() || istarts_with(t, "---")) {
            if (!ex.records.empty() && !t.empty()) break;
            continue;
        }
        if (t.front() != '<') {
            if (!ex.records.empty()) break;
            continue;
        }
        std::size_t gt = t.find('>');
        if (gt == std::string_view::npos) continue;
        std::string a = find_address(t.substr(0, gt + 1));
        if (a.empty() || ex.records.size() >= max_records(in)) continue;
        std::string_view rest = trim(t.substr(gt + 1));
        if (!rest.empty() && rest.front() == '(') rest.remove_prefix(1);
        if (!rest.empty() && rest.back() == ')') rest.remove_suffix(1);
        Record &r = record_for(ex, a);
        r.diagnostic = squeeze(rest);
        fill_codes(r, rest);
    }
    // The delivery-status part gives the reply code and host.
    const mime::Part *ds = mime::find(in.msg.root, "message", "delivery-status");
    const std::string_view st = ds ? std::string_view(ds->text.empty() ? ds->body : ds->text) : std::string_view(in.body);
    std::size_t dc = ifind(st, "Diagnostic-Code:");
    if (dc != std::string::npos && ex.records.size() == 1) {
        std::string_view line = st.substr(dc + 16);
        line = line.substr(0, line.find('\n'));
        std::size_t sc = line.find(';');
        if (sc != std::string_view::npos) line = line.substr(sc + 1);
        if (ex.records[0].reply_code.empty()) ex.records[0].reply_code = find_reply_code(trim(line));
    }
    std::size_t rm = ifind(st, "Remote-MTA:");
    if (rm != std::string::npos) {
        std::string_view line = st.substr(rm + 11);
        line = trim(line.substr(0, line.find('\n')));
        std::size_t sc = line.find(';');
        if (sc != std::string_view::npos) line = trim(line.substr(sc + 1));
        for (auto &r : ex.records) r.remote_mta = std::string(line);
    }
    return !ex.records.empty();
}

// ---------------------------------------------------------------- Trend Micro InterScan

bool trendmicro_detect(const Input &in) {
    if (!(body_has(in, BODY_MARKER("Sent <<<")) || body_has(in, BODY_MARKER("Unable to deliver message to")))) return false;
    return body_has(in, BODY_MARKER("InterScan")) || hdr_has(in, "From", "InterScan");
}

bool trendmicro_read(const Input &in, Extraction &ex) {
    const std::string_view text = before_original(in);
    const auto ls = lines(text);
    for (std::size_t i = 0; i < ls.size(); ++i) {
        std::string_view t = trim(ls[i]);
        if (istarts_with(t, "Sent <<<") && icontains(t, "RCPT TO")) {
            std::string a = find_address(t);
            if (a.empty() || ex.records.size() >= max_records(in)) continue;
            Record &r = record_for(ex, a);
            r.command = "RCPT";
            if (i + 1 < ls.size() && istarts_with(trim(ls[i + 1]), "Received >>>")) {
                std::string_view reply = trim(trim(ls[i + 1]).substr(12));
                r.diagnostic = squeeze(reply);
                fill_codes(r, reply);
            }
        } else if (icontains(t, "Unable to deliver message to")) {
            std::size_t p = ifind(t, "Unable to deliver message to");
            std::string a = find_address(t.substr(p));
            if (a.empty() || ex.records.size() >= max_records(in)) continue;
            Record &r = record_for(ex, a);
            r.diagnostic = squeeze(t);
            fill_codes(r, "");
        }
    }
    return !ex.records.empty();
}

// ---------------------------------------------------------------- MailFoundry

bool mailfoundry_detect(const Input &in) {
    return body_has(in, BODY_MARKER("Unable to deliver message to:")) && body_has(in, BODY_MARKER("Delivery failed for the following reason:"));
}

bool mailfoundry_read(const Input &in, Extraction &ex) {
    const std::string_view text = before_original(in);
    const auto ls = lines(text);
    for (std::size_t i = 0; i < ls.size(); ++i) {
        std::string_view t = trim(ls[i]);
        if (!istarts_with(t, "Unable to deliver message to:")) continue;
        std::string a = find_address(t.substr(29));
        if (a.empty() || ex.records.size() >= max_records(in)) continue;
        std::string diag;
        for (std::size_t k = i + 1; k < ls.size(); ++k) {
            std::string_view u = trim(ls[k]);
            if (istarts_with(u, "Unable to deliver message to:") || scaffolding(u)) break;
            if (u.empty() || istarts_with(u, "Delivery failed for the following reason")) continue;
            diag.append(u).push_back(' ');
        }
        Record &r = record_for(ex, a);
        r.diagnostic = squeeze(diag);
        std::size_t rw = ifind(r.diagnostic, "responded with failure:");
        std::string_view reply = rw != std::string::npos ? std::string_view(r.diagnostic).substr(rw + 23) : std::string_view();
        r.remote_mta = rw != std::string::npos ? host_after(r.diagnostic, "") : "";
        fill_codes(r, reply);
    }
    return !ex.records.empty();
}

// ---------------------------------------------------------------- MailMarshal

bool mailmarshal_detect(const Input &in) {
    return body_has(in, BODY_MARKER("The following recipients were affected")) &&
           (hdr_has(in, "Subject", "Undeliverable Mail") || body_has(in, BODY_MARKER("Could not be delivered because of")));
}

bool mailmarshal_read(const Input &in, Extraction &ex) {
    std::string_view text = before_original(in);
    std::size_t ai = ifind(text, "Additional Information");
    std::string_view extra = ai == std::string_view::npos ? std::string_view() : text.substr(ai);
    if (ai != std::string_view::npos) text = text.substr(0, ai);
    std::size_t cb = ifind(text, "Could not be delivered because of");
    std::size_t fr = ifind(text, "The following recipients were affected");
    if (fr == std::string_view::npos) return false;
    std::string diag;
    if (cb != std::string_view::npos && cb < fr) diag = squeeze(text.substr(cb, fr - cb));
    std::string reply = cb != std::string_view::npos ? find_reply_code(trim(text.substr(cb + 33))) : "";
    std::string remote;
    std::size_t rm = ifind(extra, "Remote-MTA:");
    if (rm != std::string_view::npos) remote = host_after(extra.substr(rm + 11), "");
    for (std::string_view raw : lines(text.substr(fr))) {
        std::string a = lone_address(raw);
        if (a.empty() || ex.records.size() >= max_records(in)) continue;
        Record &r = record_for(ex, a);
        r.diagnostic = diag;
        r.reply_code = reply;
        r.remote_mta = remote;
        fill_codes(r, "");
    }
    return !ex.records.empty();
}

// ---------------------------------------------------------------- Active!Hunter

bool activehunter_detect(const Input &in) {
    if (!body_has(in, BODY_MARKER("----- The following addresses had permanent fatal errors -----"))) return false;
    return body_has(in, BODY_MARKER("Active!Hunter")) || in.msg.root.headers.has("X-AHMAILID");
}

bool activehunter_read(const Input &in, Extraction &ex) {
    const std::string_view text = before_original(in);
    std::size_t p = ifind(text, "----- The following addresses had permanent fatal errors -----");
    if (p == std::string_view::npos) return false;
    std::size_t tr = ifind(text, "----- Transcript of session follows -----", p);
    std::string_view list = text.substr(p, tr == std::string_view::npos ? std::string_view::npos : tr - p);
    std::string diag;
    if (tr != std::string_view::npos) {
        for (std::string_view raw : lines(text.substr(tr + 41))) {
            std::string_view t = trim(raw);
            if (scaffolding(t)) break;
            if (!t.empty()) diag.append(t).push_back(' ');
        }
    }
    diag = squeeze(diag);
    for (std::string_view raw : lines(list)) {
        std::string_view t = trim(raw);
        if (!istarts_with(t, ">>>")) continue;
        std::string a = find_address(t);
        if (a.empty() || ex.records.size() >= max_records(in)) continue;
        Record &r = record_for(ex, a);
        r.diagnostic = diag;
        fill_codes(r, diag);
    }
    return !ex.records.empty();
}

}  // namespace

extern const Reader mfilter_reader = {"mfilter", markers(kMarkers), mfilter_detect, mfilter_read};
extern const Reader mcafee_reader = {"mcafee", markers(kMarkers), mcafee_detect, mcafee_read};
extern const Reader trendmicro_reader = {"trendmicro", markers(kMarkers), trendmicro_detect, trendmicro_read};
extern const Reader mailfoundry_reader = {"mailfoundry", markers(kMarkers), mailfoundry_detect, mailfoundry_read};
extern const Reader mailmarshal_reader = {"mailmarshal", markers(kMarkers), mailmarshal_detect, mailmarshal_read};
extern const Reader activehunter_reader = {"activehunter", markers(kMarkers), activehunter_detect, activehunter_read};

}  // namespace carom::formats
