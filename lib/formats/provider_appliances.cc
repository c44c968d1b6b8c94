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
// Zoho Mail (X-ZohoMail): after Exim's sentences, one line per recipient,
//   "user@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action ..." or
//   "[Status: Error, Address: <user@example.org>, ResponseCode 421, , Host not reachable.]"
#include "formats/markers.hh"
#include "formats/readers.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

const mime::Headers &H(const Input &in) { return in.msg.root.headers; }

bool hdr_has(const Input &in, std::string_view name, std::string_view what) {
    const std::string_view *v = H(in).get(name);
    return v && icontains(*v, what);
}

bool scaffolding(std::string_view t) {
    return istarts_with(t, "--") || istarts_with(t, "Content-") || istarts_with(t, "This is a MIME") ||
           istarts_with(t, "This is a multi-part");
}

Record &add(Extraction &ex, const std::string &addr) {
    for (auto &r : ex.records)
        if (lower(r.recipient) == lower(addr)) return r;
    Record r;
    r.recipient = addr;
    r.action = "failed";
    ex.records.push_back(std::move(r));
    return ex.records.back();
}

void fill_codes(Record &r, std::string_view reply_text) {
    if (r.reply_code.empty()) r.reply_code = find_reply_code(trim(reply_text));
    if (r.status.empty()) r.status = find_status(r.diagnostic);
    if (r.command.empty()) r.command = find_command(r.diagnostic);
}

std::size_t max_records(const Input &in) { return static_cast<std::size_t>(in.limits.recipients()); }

}  // namespace

// ---------------------------------------------------------------- m-FILTER

bool detect_mfilter(const Input &in) {
    return body_has(in, BODY_MARKER("-------server message")) && hdr_has(in, "X-Mailer", "m-FILTER");
}

bool read_mfilter(const Input &in, Extraction &ex) {
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
        Record &r = add(ex, a);
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

bool detect_mcafee(const Input &in) {
    return body_has(in, BODY_MARKER("--- The following addresses had delivery problems ---")) &&
           (H(in).has("X-NAI-Header") || hdr_has(in, "Subject", "Delivery Status"));
}

bool read_mcafee(const Input &in, Extraction &ex) {
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
        Record &r = add(ex, a);
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

bool detect_trendmicro(const Input &in) {
    if (!(body_has(in, BODY_MARKER("Sent <<<")) || body_has(in, BODY_MARKER("Unable to deliver message to")))) return false;
    return body_has(in, BODY_MARKER("InterScan")) || hdr_has(in, "From", "InterScan");
}

bool read_trendmicro(const Input &in, Extraction &ex) {
    const std::string_view text = before_original(in);
    const auto ls = lines(text);
    for (std::size_t i = 0; i < ls.size(); ++i) {
        std::string_view t = trim(ls[i]);
        if (istarts_with(t, "Sent <<<") && icontains(t, "RCPT TO")) {
            std::string a = find_address(t);
            if (a.empty() || ex.records.size() >= max_records(in)) continue;
            Record &r = add(ex, a);
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
            Record &r = add(ex, a);
            r.diagnostic = squeeze(t);
            fill_codes(r, "");
        }
    }
    return !ex.records.empty();
}

// ---------------------------------------------------------------- MailFoundry

bool detect_mailfoundry(const Input &in) {
    return body_has(in, BODY_MARKER("Unable to deliver message to:")) && body_has(in, BODY_MARKER("Delivery failed for the following reason:"));
}

bool read_mailfoundry(const Input &in, Extraction &ex) {
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
        Record &r = add(ex, a);
        r.diagnostic = squeeze(diag);
        std::size_t rw = ifind(r.diagnostic, "responded with failure:");
        std::string_view reply = rw != std::string::npos ? std::string_view(r.diagnostic).substr(rw + 23) : std::string_view();
        r.remote_mta = rw != std::string::npos ? host_after(r.diagnostic, "") : "";
        fill_codes(r, reply);
    }
    return !ex.records.empty();
}

// ---------------------------------------------------------------- MailMarshal

bool detect_mailmarshal(const Input &in) {
    return body_has(in, BODY_MARKER("The following recipients were affected")) &&
           (hdr_has(in, "Subject", "Undeliverable Mail") || body_has(in, BODY_MARKER("Could not be delivered because of")));
}

bool read_mailmarshal(const Input &in, Extraction &ex) {
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
        Record &r = add(ex, a);
        r.diagnostic = diag;
        r.reply_code = reply;
        r.remote_mta = remote;
        fill_codes(r, "");
    }
    return !ex.records.empty();
}

// ---------------------------------------------------------------- Zoho Mail

bool detect_zoho(const Input &in) {
    if (!(body_has(in, BODY_MARKER("ERROR_CODE")) || body_has(in, BODY_MARKER("[Status: ")))) return false;
    return H(in).has("X-ZohoMail") || hdr_has(in, "X-Mailer", "Zoho Mail") || hdr_has(in, "From", "zoho.com");
}

bool read_zoho(const Input &in, Extraction &ex) {
    const std::string_view text = before_original(in);
    const bool delayed = icontains(text, "THIS IS A WARNING MESSAGE ONLY");
    for (std::string_view raw : lines(text)) {
        std::string_view t = trim(raw);
        if (istarts_with(t, "Received:")) break;  // the original's headers follow
        std::string a, diag;
        if (istarts_with(t, "[Status:")) {
            std::size_t ad = ifind(t, "Address:");
            if (ad == std::string_view::npos) continue;
            a = find_address(t.substr(ad));
            diag = std::string(t);
        } else if (icontains(t, "ERROR_CODE")) {
            std::size_t sp = t.find(' ');
            if (sp == std::string_view::npos) continue;
            a = find_address(t.substr(0, sp));
            diag = std::string(trim(t.substr(sp)));
        }
        if (a.empty() || ex.records.size() >= max_records(in)) continue;
        Record &r = add(ex, a);
        r.diagnostic = squeeze(diag);
        if (delayed) r.action = "delayed";
        std::size_t rc = ifind(diag, "ResponseCode ");
        if (rc == std::string::npos) rc = ifind(diag, "ERROR_CODE :");
        if (rc != std::string::npos) {
            std::size_t c = diag.find_first_of(" :", rc + 10);
            std::size_t d = diag.find_first_of("0123456789", c == std::string::npos ? rc : c);
            if (d != std::string::npos && d < rc + 16) r.reply_code = find_reply_code(std::string_view(diag).substr(d));
        }
        fill_codes(r, "");
    }
    return !ex.records.empty();
}

}  // namespace carom::formats

// ---------------------------------------------------------------- Active!Hunter
// Sendmail-like letter from the Active!Hunter gateway (X-AHMAILID):
//     ----- The following addresses had permanent fatal errors -----
//   >>> user@example.org <user@example.org>
//     ----- Transcript of session follows -----
//   550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
namespace carom::formats {

bool detect_activehunter(const Input &in) {
    if (!body_has(in, BODY_MARKER("----- The following addresses had permanent fatal errors -----"))) return false;
    return body_has(in, BODY_MARKER("Active!Hunter")) || H(in).has("X-AHMAILID");
}

bool read_activehunter(const Input &in, Extraction &ex) {
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
        Record &r = add(ex, a);
        r.diagnostic = diag;
        fill_codes(r, diag);
    }
    return !ex.records.empty();
}

}  // namespace carom::formats
