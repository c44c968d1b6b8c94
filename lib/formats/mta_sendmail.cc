// Sendmail 8 ("Mail Delivery Subsystem"). The text part lists the recipients under a dashed
// banner and then copies the SMTP dialogue:
//
//      ----- The following addresses had permanent fatal errors -----
//   <user@example.org>
//       (reason: 550 5.1.1 <user@example.org>... User unknown)
//
//      ----- Transcript of session follows -----
//   ... while talking to mx.example.org.:
//   >>> RCPT To:<user@example.org>
//   <<< 550 5.1.1 <user@example.org>... User unknown
//   550 5.1.1 <user@example.org>... User unknown
//
// "transient non-fatal errors" and "THIS IS A WARNING MESSAGE ONLY" mark a delay warning. The
// RFC 3464 part (when present) gives Status and Diagnostic-Code; the transcript adds the SMTP
// command (the last ">>>" line of the conversation about that recipient) and the remote host.
#include <cctype>

#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "----- The following addresses had",
};

struct Talk {
    std::string host;
    std::vector<std::string_view> lines;
};

// The "... while talking to HOST:" sections of the transcript.
std::vector<Talk> transcript(std::string_view body) {
    std::vector<Talk> out;
    std::string_view t = block_after(body, "----- Transcript of session follows -----",
                                     {"----- ", "--", "Content-Type:"});
    for (std::string_view line : lines(t)) {
        std::string_view s = trim(line);
        std::size_t w = ifind(s, "while talking to ");
        if (w != std::string_view::npos && w < 8) {
            Talk k;
            std::string_view h = trim(s.substr(w + 17));
            while (!h.empty() && (h.back() == ':' || h.back() == '.')) h.remove_suffix(1);
            k.host = std::string(h);
            out.push_back(std::move(k));
            continue;
        }
        if (s.empty()) continue;
        if (out.empty()) out.push_back(Talk{});
        out.back().lines.push_back(s);
    }
    return out;
}

// The command a ">>>" line sends, upper case, when it is one of those below; "" otherwise.
const char *smtp_verb(std::string_view cmd) {
    cmd = trim(cmd);
    std::size_t e = 0;
    while (e < cmd.size() && is_alpha(cmd[e])) ++e;
    static constexpr const char *kVerbs[] = {"RCPT", "MAIL", "DATA", "EHLO", "HELO", "QUIT", "RSET", "STARTTLS", "AUTH"};
    for (const char *v : kVerbs) {
        const std::string_view sv(v);
        if (sv.size() == e && istarts_with(cmd, sv)) return v;
    }
    return "";
}

// Sendmail's own lines of a conversation (neither ">>>" nor "<<<"): "<user@example.org>...
// Deferred: Connection refused by mx.example.org.", "554 5.3.0 unknown mailer error 255",
// "Message could not be delivered for 5 days". A line that starts with a reply code is
// Sendmail's verdict, and the last one wins over the rest; without one, the lines joined.
std::string own_text(const Talk &k) {
    std::string_view verdict;
    std::string own;
    for (std::string_view l : k.lines) {
        if (istarts_with(l, ">>>") || istarts_with(l, "<<<")) continue;
        if (!find_reply_code(l).empty() && (istarts_with(l, "4") || istarts_with(l, "5"))) {
            verdict = l;
        } else {
            if (!own.empty()) own += ' ';
            own += l;
        }
    }
    return verdict.empty() ? own : std::string(verdict);
}

// Sendmail's own verdict on the recipient, the last line of the conversation that starts with a
// reply code and names it ("550 5.1.2 <user@example.org>... Host unknown (Name server: ...)"):
// it gives the enhanced status the remote's words lack ("(reason: 550 MAILBOX NOT FOUND)" is
// Sendmail's 5.1.1), and replaces a "(reason: 550 Host unknown)" summary whose words it holds.
void adopt_verdict(Record &r, const Talk &k) {
    if (r.recipient.empty() || r.diagnostic.empty() || !find_status(r.diagnostic).empty()) return;
    std::string_view verdict;
    for (std::string_view l : k.lines)
        if ((istarts_with(l, "4") || istarts_with(l, "5")) && !find_reply_code(l).empty() && icontains(l, r.recipient))
            verdict = l;
    const std::string st = find_status(verdict);
    if (st.empty()) return;
    const std::string code = find_reply_code(r.diagnostic);
    if (!code.empty() && code[0] != verdict[0]) return;
    std::string_view rest = r.diagnostic;
    if (!code.empty() && istarts_with(rest, code)) rest = trim(rest.substr(code.size()));
    if (!rest.empty() && verdict.size() > r.diagnostic.size() && icontains(verdict, rest)) {
        r.diagnostic = std::string(verdict);
    } else if (r.status.empty()) {
        r.status = st;
    }
}

// Fills command / remote host / reply for a recipient from the conversation that mentions it
// (or the only conversation there is; or the last one, when the bounce is about one recipient
// only and Sendmail tried several hosts for it).
void enrich(Record &r, const std::vector<Talk> &talks, bool single) {
    const Talk *hit = nullptr;
    for (const Talk &k : talks) {
        for (std::string_view l : k.lines)
            if (icontains(l, r.recipient)) hit = &k;
        if (hit) break;
    }
    if (!hit && (talks.size() == 1 || (single && !talks.empty()))) hit = &talks.back();
    if (!hit) return;
    std::string last_cmd, reply;
    bool sent = false;       // a command was sent: a reply before any is the greeting
    bool continued = false;  // the reply so far ends with a "NNN-" line
    for (std::string_view l : hit->lines) {
        if (istarts_with(l, ">>>")) {
            const char *v = smtp_verb(l.substr(3));
            if (*v) last_cmd = v;
            sent = true;
        } else if (istarts_with(l, "<<<")) {
            std::string_view rr = trim(l.substr(3));
            // A multi-line reply ("550-5.7.1 first part" / "550 5.7.1 rest"): the text of the
            // following lines continues the first one.
            if (continued && !reply.empty()) {
                std::string_view more = rr;
                const std::string code = find_reply_code(more);
                if (!code.empty() && istarts_with(more, code)) more.remove_prefix(code.size() + (more.size() > 3 ? 1 : 0));
                const std::string es = find_status(more);
                if (!es.empty() && istarts_with(more, es)) more.remove_prefix(es.size());
                reply += ' ';
                reply += trim(more);
                continued = rr.size() > 3 && rr[3] == '-';
                continue;
            }
            if (reply.empty() && rr.size() > 3 && rr[3] == '-' && (istarts_with(rr, "4") || istarts_with(rr, "5")))
                continued = true;
            if (!sent && last_cmd.empty() && (istarts_with(rr, "4") || istarts_with(rr, "5"))) last_cmd = "CONN";
            if (reply.empty() && (istarts_with(rr, "4") || istarts_with(rr, "5"))) reply = std::string(rr);
        }
        // Sendmail's own lines are read only when the diagnostic needs them (own_text).
    }
    if (r.command.empty() && last_cmd != "QUIT" && last_cmd != "RSET") r.command = last_cmd;
    if (r.remote_mta.empty()) r.remote_mta = hit->host;
    // A bare number is a local mailer's exit status ("(reason: 255)", "X-Unix; 71"): the
    // transcript explains it.
    const bool bare = !r.diagnostic.empty() && r.diagnostic.find_first_not_of("0123456789") == std::string::npos;
    // The "(reason: ...)" line holds only the first line of a multi-line reply.
    if (!reply.empty() && !r.diagnostic.empty() && reply.size() > r.diagnostic.size() &&
        squeeze(reply).rfind(squeeze(r.diagnostic), 0) == 0)
        r.diagnostic = reply;
    if (r.diagnostic.empty() || bare) {
        if (!reply.empty()) r.diagnostic = reply;
        else if (std::string own = own_text(*hit); !own.empty()) r.diagnostic = std::move(own);
    }
    adopt_verdict(r, *hit);
}

// The recipients under "----- The following addresses had ... errors -----" banners.
std::vector<Record> listed(std::string_view body) {
    std::vector<Record> out;
    std::size_t p = 0;
    while ((p = ifind(body, "----- The following addresses had", p)) != std::string_view::npos) {
        std::size_t nl = body.find('\n', p);
        if (nl == std::string_view::npos) break;
        const bool transient = icontains(body.substr(p, nl - p), "transient");
        std::string_view rest = body.substr(nl + 1);
        std::string_view list = block_after(rest, "", {"-----", "--", "Content-Type:"});
        bool pending = false;  // a program or file entry waiting for its "(expanded from:" address
        for (std::string_view line : lines(list)) {
            if (trim(line).empty()) break;
            std::string_view s = trim(line);
            if (line[0] != ' ' && line[0] != '\t') {
                std::string a = find_address(s);
                pending = a.empty() && (istarts_with(s, "\"|") || istarts_with(s, "|") || istarts_with(s, "/") ||
                                        istarts_with(s, "\"/"));
                if (a.empty() && !pending) break;
                Record r;
                r.recipient = a;
                if (transient) r.action = "delayed";
                out.push_back(std::move(r));
            } else if (!out.empty() && istarts_with(s, "(reason:")) {
                std::string_view why = trim(s.substr(8));
                if (!why.empty() && why.back() == ')') why.remove_suffix(1);
                out.back().diagnostic = std::string(trim(why));
            } else if (!out.empty() && pending && istarts_with(s, "(expanded from:")) {
                out.back().recipient = find_address(s);
                pending = false;
            }
        }
        p = nl;
    }
    std::vector<Record> kept;
    for (Record &r : out)
        if (!r.recipient.empty()) kept.push_back(std::move(r));
    return kept;
}

bool sendmail_detect(const Input &in) {
    if (body_has(in, BODY_MARKER("----- The following addresses had"))) return true;
    // The Subject first: read_known decoded it once for every reader, the From is decoded here.
    const Subject subject(in);
    return (icontains(subject, "see transcript for details") || istarts_with(subject, "Warning: could not send message")) &&
           icontains(header(in, "From"), "Mail Delivery Subsystem");
}

bool sendmail_read(const Input &in, Extraction &ex) {
    // A notice forwarded inline ("> " quoting) reads the same once unquoted.
    const std::string body = unquote_around(in.body, "----- The following addresses had");
    std::vector<Record> text = listed(body);
    const auto talks = transcript(body);
    const bool warning = icontains(body, "THIS IS A WARNING MESSAGE ONLY");
    for (Record &r : text) {
        if (warning) r.action = "delayed";
        enrich(r, talks, text.size() == 1);
    }
    merge(in, ex, std::move(text));
    // The DSN may name recipients the banner list did not (or there was no list): the transcript
    // still says which command failed.
    for (Record &r : ex.records) {
        Record t;
        t.recipient = r.recipient;
        enrich(t, talks, ex.records.size() == 1);
        if (!t.command.empty()) r.command = t.command;
        if (r.remote_mta.empty()) r.remote_mta = t.remote_mta;
        const bool bare = r.diagnostic.find_first_not_of("0123456789") == std::string::npos;
        if (bare && !t.diagnostic.empty()) {
            r.diagnostic = t.diagnostic;
            finish(r);
        }
    }
    return !ex.records.empty();
}

}  // namespace

extern const Reader sendmail_reader = {"sendmail", markers(kMarkers), sendmail_detect, sendmail_read};

}  // namespace carom::formats
