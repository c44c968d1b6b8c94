// Postfix (bounce(8) templates). The notice is a multipart/report whose text part, after "The
// mail system", lists one paragraph per recipient:
//
//   <user@example.org> (expanded from <alias@example.org>): host mx.example.org[192.0.2.1]
//       said: 550 5.1.1 <user@example.org>: Recipient address rejected: User unknown
//       (in reply to RCPT TO command)
//
// The RFC 3464 part carries Status and Diagnostic-Code; the text adds the SMTP command, the
// remote host and the complete reply. Old Postfix versions (and some relays) send the text alone.
// A second notice, "Postfix SMTP server: errors from HOST", is a postmaster copy of an SMTP
// session transcript ("In:" / "Out:" lines); its recipient is the last "RCPT TO" sent.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "Transcript of session follows",
    "This is the mail system at host",
    "This is the Postfix program at host",
    "THIS IS A WARNING ONLY",
};

bool is_transcript(const Input &in) {
    return istarts_with(Subject(in), "Postfix SMTP server: errors from") &&
           body_has(in, BODY_MARKER("Transcript of session follows"));
}

// One paragraph per recipient: a line starting "<addr>" followed by ":" (possibly after an
// "(expanded from <...>)" note), continued by indented lines.
std::vector<Record> paragraphs(std::string_view body) {
    std::vector<Record> out;
    auto ls = lines(body);
    bool in_para = false;
    for (std::string_view raw : ls) {
        std::string_view line = raw;
        if (istarts_with(line, "--") || istarts_with(line, "Content-")) {
            in_para = false;
            continue;
        }
        if (!line.empty() && line[0] == '<') {
            std::size_t gt = line.find('>');
            if (gt != std::string_view::npos && line.substr(1, gt - 1).find('@') != std::string_view::npos) {
                std::string_view after = trim(line.substr(gt + 1));
                if (istarts_with(after, ":") || istarts_with(after, "(expanded from")) {
                    Record r;
                    r.recipient = std::string(line.substr(1, gt - 1));
                    r.diagnostic = std::string(after);
                    out.push_back(std::move(r));
                    in_para = true;
                    continue;
                }
            }
        }
        // Postfix indents the continuation lines of a paragraph; some relays strip the indent.
        // Paragraphs end at a blank line either way.
        if (in_para && !trim(line).empty()) {
            out.back().diagnostic += ' ';
            out.back().diagnostic += std::string(trim(line));
            continue;
        }
        in_para = false;
    }
    for (Record &r : out) {
        // Drop the "(expanded from <alias>):" note and the colon after the address.
        if (istarts_with(r.diagnostic, "(expanded from")) {
            std::size_t e = r.diagnostic.find("):");
            r.diagnostic = e == std::string::npos ? std::string() : r.diagnostic.substr(e + 2);
        } else if (!r.diagnostic.empty() && r.diagnostic[0] == ':') {
            r.diagnostic.erase(0, 1);
        }
        r.diagnostic = std::string(trim(r.diagnostic));
        r.remote_mta = remote_host_phrase(r.diagnostic);
        if (r.remote_mta.empty()) {
            std::size_t c = ifind(r.diagnostic, "connect to ");
            if (c != std::string::npos) {
                std::size_t br = r.diagnostic.find('[', c);
                if (br != std::string::npos) r.remote_mta = host_before_bracket(r.diagnostic, br);
            }
        }
    }
    return out;
}

// "In:  RCPT TO:<a@b>" / "Out: 550 ..." transcript: the recipient of the last RCPT TO, the first
// failing reply, and the command it answered.
std::vector<Record> transcript(std::string_view body) {
    std::vector<Record> out;
    std::string rcpt, last_cmd, diag, cmd_at_error;
    for (std::string_view raw : lines(body)) {
        std::string_view line = trim(raw);
        if (istarts_with(line, "In:")) {
            std::string_view c = trim(line.substr(3));
            last_cmd = find_command(c);
            if (last_cmd.empty() && istarts_with(c, "DATA")) last_cmd = "DATA";
            if (last_cmd.empty() && istarts_with(c, "MAIL")) last_cmd = "MAIL";
            if (istarts_with(c, "RCPT")) rcpt = find_address(c);
        } else if (istarts_with(line, "Out:")) {
            std::string_view o = trim(line.substr(4));
            if (diag.empty() && (istarts_with(o, "4") || istarts_with(o, "5")) && !find_reply_code(o).empty()) {
                diag = std::string(o);
                cmd_at_error = last_cmd;
            }
        }
    }
    if (!rcpt.empty() && !diag.empty()) {
        Record r;
        r.recipient = rcpt;
        r.diagnostic = diag;
        r.command = cmd_at_error;
        out.push_back(std::move(r));
    }
    return out;
}

bool postfix_detect(const Input &in) {
    if (body_has(in, BODY_MARKER("This is the mail system at host")) || body_has(in, BODY_MARKER("This is the Postfix program at host")))
        return true;
    const Subject subject(in);
    if (istarts_with(subject, "Undelivered Mail Returned to Sender") || istarts_with(subject, "Delayed Mail (still being retried)"))
        return true;
    return is_transcript(in);
}

bool postfix_read(const Input &in, Extraction &ex) {
    std::vector<Record> text = is_transcript(in) ? transcript(in.body) : paragraphs(in.body);
    const bool warning = body_has(in, BODY_MARKER("THIS IS A WARNING ONLY")) ||
                         istarts_with(Subject(in), "Delayed Mail");
    for (Record &r : text)
        if (warning) r.action = "delayed";
    if (!merge(in, ex, std::move(text)) && !ex.original.to.empty() && from_mail_system(in)) {
        // "--- Delivery report unavailable ---": the recipient is only in the returned message.
        Record r;
        r.recipient = find_address(ex.original.to.front());
        r.recipient_source = "original-header";
        if (r.recipient.empty()) return false;
        r.action = warning ? "delayed" : "failed";
        ex.records.push_back(std::move(r));
    }
    return !ex.records.empty();
}

}  // namespace

extern const Reader postfix_reader = {"postfix", markers(kMarkers), postfix_detect, postfix_read};

}  // namespace carom::formats
