// Providers whose bounces are built on Exim's "could not be delivered" letter, each with its own
// touches:
//
// - Mail.Ru: a Russian paragraph with the list of failed addresses, "**********************",
//   then Exim's English letter with the same list again (addresses are merged).
//       user@example.org
//         SMTP error from remote mail server after RCPT TO:<user@example.org>:
//         host mx.example.org [192.0.2.1]: 550 5.1.1 <user@example.org>... User unknown
// - GMX and 1&1 (United Internet, X-UI-* headers): flat lines, each address on its own line,
//   "Reason:" / "For the following reason:" labels, "SMTP error from remote server after RCPT
//   command:" and "host: mx.example.org", then "--- The header of the original message is
//   following. ---".
// - MXLogic (McAfee SaaS): "<user@example.org>: 550 ..." on one line, then "Included is a copy
//   of the message header:".
#include "formats/markers.hh"
#include "formats/readers.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

const std::string_view *hdr(const Input &in, std::string_view name) { return in.msg.root.headers.get(name); }

bool from_has(const Input &in, std::string_view what) {
    const std::string_view *f = hdr(in, "From");
    return f && icontains(*f, what);
}

// Text of the letter: up to the copy of the original message or its headers.
std::string_view letter(const Input &in) {
    std::string_view body = before_original(in);
    // Each end phrase in turn cuts the text where it first starts, when it lies within what is
    // left (as searching the shortened text would find it); positions from the body scan.
    static constexpr std::size_t kEnds[] = {
        BODY_MARKER("--- The header of the original message is following"),
        BODY_MARKER("Included is a copy of the message header"),
        BODY_MARKER("------ This is a copy of the message's headers"),
    };
    for (std::size_t m : kEnds) {
        const std::size_t p = body_find(in, m);
        if (p != std::string_view::npos && p + kBodyMarkers[m].size() <= body.size()) body = body.substr(0, p);
    }
    return body;
}

// A line that names a failed recipient: "user@x", "<user@x>", "\"user@x\":", "<user@x>: text".
// Returns the address and sets rest to the text after it (after a colon), or "" when not such
// a line.
std::string address_line(std::string_view t, std::string_view &rest) {
    if (t.empty()) return "";
    std::size_t end = 0;
    char open = t[0];
    if (open == '<' || open == '"') {
        char close = open == '<' ? '>' : '"';
        end = t.find(close, 1);
        if (end == std::string_view::npos) return "";
        std::string_view inner = t.substr(1, end - 1);
        if (inner.find('@') == std::string_view::npos || inner.find(' ') != std::string_view::npos) return "";
        ++end;
    } else {
        end = t.find_first_of(" \t:");
        if (end == std::string_view::npos) end = t.size();
        std::string_view tok = t.substr(0, end);
        if (tok.find('@') == std::string_view::npos) return "";
    }
    std::string_view after = trim(t.substr(end));
    if (!after.empty() && after[0] == ':') after = trim(after.substr(1));
    else if (!after.empty()) return "";  // an address inside a sentence
    rest = after;
    std::string a = find_address(t.substr(0, end));
    return a;
}

bool label_line(std::string_view t) {
    return t == "Reason:" || istarts_with(t, "For the following reason") || istarts_with(t, "The following address");
}

std::string exim_command(std::string_view diag) {
    std::string c = find_command(diag);
    if (!c.empty()) return c;
    if (icontains(diag, "after RCPT")) return "RCPT";
    if (icontains(diag, "after MAIL")) return "MAIL";
    if (icontains(diag, "after DATA")) return "DATA";
    return "";
}

// Reads the failed-address blocks of an Exim-style letter. `flat`: diagnostics may follow blank
// lines and labels (GMX, 1&1).
bool read_blocks(std::string_view text, bool flat, Extraction &ex, std::size_t max) {
    const auto ls = lines(text);
    std::vector<std::string> diags;
    int cur = -1;
    bool keep = false;  // append to the current record's diagnostic
    bool blank = false;
    for (std::string_view raw : ls) {
        std::string_view t = trim(raw);
        if (t.empty()) {
            blank = true;
            continue;
        }
        if (t.find_first_not_of('*') == std::string_view::npos) {  // Mail.Ru's separator
            cur = -1;
            continue;
        }
        std::string_view rest;
        std::string a = address_line(t, rest);
        if (!a.empty()) {
            int found = -1;
            for (std::size_t i = 0; i < ex.records.size(); ++i)
                if (lower(ex.records[i].recipient) == lower(a)) found = static_cast<int>(i);
            if (found >= 0 && found == cur) {  // the address again, inside its own diagnostic
                diags[cur].append(" ").append(t);
                blank = false;
                continue;
            }
            if (found < 0) {
                if (ex.records.size() >= max) break;
                Record r;
                r.recipient = a;
                r.action = "failed";
                ex.records.push_back(std::move(r));
                diags.emplace_back();
                found = static_cast<int>(ex.records.size() - 1);
            }
            cur = found;
            keep = diags[cur].empty();
            if (keep && !rest.empty()) diags[cur].append(rest);
            blank = false;
            continue;
        }
        if (cur < 0) continue;
        bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
        if (!flat && blank && !indented) {  // a new paragraph ends the list
            cur = -1;
            continue;
        }
        blank = false;
        if (!keep || label_line(t)) continue;
        if (!diags[cur].empty()) diags[cur] += ' ';
        diags[cur].append(t);
    }
    for (std::size_t i = 0; i < ex.records.size(); ++i) {
        Record &r = ex.records[i];
        r.diagnostic = squeeze(diags[i]);
        std::string_view d = r.diagnostic;
        std::size_t said = ifind(d, "]: ");
        std::string_view reply = said != std::string_view::npos ? d.substr(said + 3) : d;
        r.reply_code = find_reply_code(reply);
        r.status = find_status(reply);
        r.command = exim_command(d);
        r.remote_mta = host_after(d, "host: ");
        if (r.remote_mta.empty()) r.remote_mta = host_after(d, " host ");
        if (r.remote_mta.empty() && istarts_with(d, "host ")) r.remote_mta = host_after(d, "host ");
    }
    return !ex.records.empty();
}

// From the English letter on when it is there (Mail.Ru writes Russian first).
std::string_view english_part(std::string_view text) {
    std::size_t p = ifind(text, "This message was created automatically by mail delivery software");
    return p == std::string_view::npos ? text : text.substr(p);
}

std::size_t max_records(const Input &in) { return static_cast<std::size_t>(in.limits.recipients()); }

// Exim says "This is a permanent error" for the whole letter: class 5 when nothing more precise.
bool permanent(const Input &in, Extraction &ex, bool ok) {
    if (!ok || !body_has(in, BODY_MARKER("This is a permanent error"))) return ok;
    for (Record &r : ex.records)
        if (r.status.empty() && r.reply_code.empty()) r.status = "5.0.0";
    return ok;
}

}  // namespace

bool detect_mailru(const Input &in) {
    // The body's phrases first (bit tests), the headers (searches) only when they are there.
    if (!(body_has(in, BODY_MARKER("could not be delivered")) || body_has(in, BODY_MARKER("не может быть доставлено"))))
        return false;
    return from_has(in, "mail.ru") || in.msg.root.headers.has("X-Mailru-Intl-Transport") ||
           in.msg.root.headers.has("X-Mras");
}

bool read_mailru(const Input &in, Extraction &ex) {
    return permanent(in, ex, read_blocks(letter(in), false, ex, max_records(in)));
}

bool detect_gmx(const Input &in) {
    if (!body_has(in, BODY_MARKER("could not be delivered"))) return false;
    return from_has(in, "gmx.") || in.msg.root.headers.has("X-GMX-Antispam") ||
           in.msg.root.headers.has("X-GMX-Antivirus");
}

bool detect_einsundeins(const Input &in) {
    if (!(body_has(in, BODY_MARKER("could not be delivered")) &&
          (body_has(in, BODY_MARKER("--- The header of the original message is following")) ||
           body_has(in, BODY_MARKER("For the following reason")))))
        return false;
    return from_has(in, "kundenserver") || from_has(in, "1and1") || from_has(in, "1und1") ||
           from_has(in, "ionos") || in.msg.root.headers.has("X-UI-Out-Filterresults");
}

bool read_gmx(const Input &in, Extraction &ex) {
    return permanent(in, ex, read_blocks(english_part(letter(in)), true, ex, max_records(in)));
}

bool detect_mxlogic(const Input &in) {
    if (!body_has(in, BODY_MARKER("could not be delivered"))) return false;  // a bit test before the headers
    bool h = from_has(in, "mxlogic") || in.msg.root.headers.has("X-MX-Bounce") ||
             in.msg.root.headers.has("X-MXL-NoteHash") || in.msg.root.headers.has("X-MXL-Hash");
    if (!h) {
        // The bounce's own Received: "by mxlNN.example.net (mxl_mta-6.5.0-5)".
        for (const auto &f : in.msg.root.headers.fields)
            if (f.name.size() == 8 && istarts_with(f.name, "received") && icontains(f.value, "mxl_mta")) h = true;
    }
    return h;
}

bool read_mxlogic(const Input &in, Extraction &ex) {
    return permanent(in, ex, read_blocks(english_part(letter(in)), false, ex, max_records(in)));
}

}  // namespace carom::formats
