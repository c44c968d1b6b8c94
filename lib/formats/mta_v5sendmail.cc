// Sendmail 5 (and 8 without DSN): no recipient list, only the transcript. Each failed recipient
// has a summary line "NNN <user@example.org>... reason" after the SMTP dialogue it belongs to:
//
//      ----- Transcript of session follows -----
//   While talking to mx.example.org:
//   >>> RCPT To:<user@example.org>
//   <<< 550 No such user here
//   550 <user@example.org>... User unknown
//
//      ----- Unsent message follows -----
//
// A deferral names only the host ("421 example.org (smtp)... Deferred: ..."); the recipient is
// then the To of the unsent message.
#include <cctype>

#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

constexpr std::string_view kEndList[] = {"----- Unsent message follows", "----- Original message follows",
                                         "----- Message header follows", "----- Returned message follows"};
const std::vector<std::string_view> kEnds(std::begin(kEndList), std::end(kEndList));

// Its body markers (formats/markers.hh): the end lines above and the section headings.
constexpr auto kMarkers =
    joined(kEndList, {"----- The following addresses had", "----- Transcript of session follows -----"});
constexpr MarkerMask kEndMarkers = marker_mask(kMarkers, kEndList);

bool three_digits(std::string_view s) {
    return s.size() > 4 && is_digit(s[0]) &&
           is_digit(s[1]) && is_digit(s[2]) &&
           s[3] == ' ';
}

std::string verb(std::string_view cmd) {
    cmd = trim(cmd);
    std::size_t e = 0;
    while (e < cmd.size() && is_alpha(cmd[e])) ++e;
    return upper(cmd.substr(0, e));
}

bool v5sendmail_detect(const Input &in) {
    if (body_has(in, BODY_MARKER("----- The following addresses had"))) return false;
    if (!body_has(in, BODY_MARKER("----- Transcript of session follows -----"))) return false;
    return body_has_any(in, kEndMarkers);
}

// Only a host-level deferral ("421 example.org (smtp)... Deferred: ..."): the recipient is the
// unsent message's To; no recipient when it names none.
Record deferral_record(const Input &in, const Extraction &ex, const std::string &deferral) {
    Record r;
    std::string to;
    for (std::string_view e : kEnds) {
        std::size_t p = ifind(in.body, e);
        if (p == std::string_view::npos) continue;
        std::size_t nl = in.body.find('\n', p);
        if (nl == std::string_view::npos) break;
        mime::Headers h = mime::parse_headers(std::string_view(in.body).substr(nl + 1));
        if (const std::string_view *v = h.get("To")) to = find_address(*v);
        break;
    }
    if (to.empty() && !ex.original.to.empty()) to = find_address(ex.original.to.front());
    if (to.empty()) return r;
    r.recipient = to;
    std::size_t dots = deferral.find("... ");
    r.diagnostic = deferral.substr(dots + 4);
    if (deferral[0] == '4') r.action = "delayed";
    r.reply_code = deferral.substr(0, 3);
    return r;
}

bool v5sendmail_read(const Input &in, Extraction &ex) {
    std::string_view t = block_after(in.body, "----- Transcript of session follows -----", kEnds);
    std::vector<Record> out;
    std::string host, cmd, reply, deferral;
    bool queued = false;  // the last record is Sendmail's own line about a queued recipient
    for (std::string_view raw : lines(t)) {
        std::string_view s = trim(raw);
        if (s.empty()) continue;
        std::size_t w = ifind(s, "while talking to ");
        if (w != std::string_view::npos && w < 8) {
            std::string_view h = trim(s.substr(w + 17));
            while (!h.empty() && (h.back() == ':' || h.back() == '.')) h.remove_suffix(1);
            host = std::string(h), cmd.clear(), reply.clear();
            continue;
        }
        if (istarts_with(s, ">>>")) {
            cmd = verb(s.substr(3));
            continue;
        }
        if (istarts_with(s, "<<<")) {
            if (reply.empty()) reply = std::string(trim(s.substr(3)));
            continue;
        }
        if (!three_digits(s)) {
            // Sendmail's own word on a recipient it keeps in the queue, without a code
            // ("<user@example.org>... Deferred: Connection refused by mx.example.org."), and the
            // lines it adds about the queue ("Message could not be delivered for 5 days",
            // "Warning: message still undelivered after 4 hours"), which continue it.
            std::size_t dots = s.find("... ");
            std::string addr = dots == std::string_view::npos ? std::string() : lone_address(s.substr(0, dots));
            if (!addr.empty()) {
                Record r;
                r.recipient = addr;
                r.diagnostic = std::string(trim(s.substr(dots + 4)));
                r.remote_mta = host;
                out.push_back(std::move(r));
                queued = true;
            } else if (queued) {
                out.back().diagnostic += ' ' + std::string(s);
            }
            continue;
        }
        queued = false;
        std::size_t dots = s.find("... ");
        if (dots == std::string_view::npos) continue;
        std::string_view who = trim(s.substr(4, dots - 4));
        std::string_view why = trim(s.substr(dots + 4));
        std::string addr = who.find('@') != std::string_view::npos ? find_address(who) : std::string();
        if (addr.empty()) {
            if (deferral.empty()) deferral = std::string(s);
            continue;
        }
        Record r;
        r.recipient = addr;
        r.diagnostic = std::string(why);
        if (find_reply_code(why).empty() && !reply.empty()) r.diagnostic += ": " + reply;
        if (!reply.empty() && (cmd == "RCPT" || cmd == "MAIL" || cmd == "DATA" || cmd == "EHLO" || cmd == "HELO"))
            r.command = cmd;
        r.remote_mta = host;
        out.push_back(std::move(r));
    }
    if (out.empty() && !deferral.empty()) {
        Record r = deferral_record(in, ex, deferral);
        if (!r.recipient.empty()) out.push_back(std::move(r));
    }
    // A warning: the message stays in the queue.
    if (icontains(in.body, "THIS IS A WARNING MESSAGE ONLY"))
        for (Record &r : out) r.action = "delayed";
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader v5sendmail_reader = {"v5sendmail", markers(kMarkers), v5sendmail_detect, v5sendmail_read};

}  // namespace carom::formats
