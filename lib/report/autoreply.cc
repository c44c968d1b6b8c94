// The auto-reply reader and the subject prefixes. See autoreply.hh.
#include "base/strings.hh"
#include "report/autoreply.hh"

#include "mime/decode.hh"
#include "report/fields.hh"
#include "report/parts.hh"

namespace carom::report {

using namespace std::string_view_literals;

using mime::Part;

namespace {

// The prefixes a person's mail program puts before the subject of a reply or a forward ("Re:",
// "AW:", "Fwd:", "RV:", "回复:", ...), lower case, without the colon. An auto-responder puts its
// own marker first ("Automatic reply: Re: ..."), so a subject that opens with one of these is a
// person answering or passing on a message, whatever words follow.
constexpr std::string_view kReplyPrefixes[] = {
    "re", "aw", "sv", "vs", "antw", "odp", "res", "r", "ynt", "回复", "答复", "返信", "회신",
};
constexpr std::string_view kForwardPrefixes[] = {
    "fw", "fwd", "wg", "tr", "rv", "enc", "doorst", "转发", "転送", "전달",
};

}  // namespace

SubjectPrefix subject_prefix(std::string_view subject) {
    // The prefix and its colon stand in the first 16 bytes ("Antw:", "回复：", "Re[12]:").
    const std::string s = lower(trim(subject).substr(0, 16));
    std::size_t colon = s.find(':');
    std::size_t wide = s.find("\xef\xbc\x9a");  // U+FF1A FULLWIDTH COLON
    if (wide != std::string::npos && (colon == std::string::npos || wide < colon)) colon = wide;
    if (colon == std::string::npos || colon > 12) return SubjectPrefix::none;
    std::string_view head = trim(std::string_view(s).substr(0, colon));
    // "Re[2]:", "RE^3:" and similar counters
    if (std::size_t b = head.find_first_of("[^("); b != std::string_view::npos) head = trim(head.substr(0, b));
    for (std::string_view p : kReplyPrefixes)
        if (head == p) return SubjectPrefix::reply;
    for (std::string_view p : kForwardPrefixes)
        if (head == p) return SubjectPrefix::forward;
    return SubjectPrefix::none;
}

bool reply_or_forward_subject(std::string_view subject) { return subject_prefix(subject) != SubjectPrefix::none; }

namespace {

bool from_daemon(const mime::Headers &h) {
    const std::string_view *f = h.get("From");
    if (!f) return false;
    std::string a = lower(bare_address(*f));
    std::string local = a.substr(0, a.find('@'));
    return local == "mailer-daemon" || local == "postmaster" || local == "mailer_daemon" || local == "maildaemon" ||
           local == "mail-daemon" || local == "mdaemon" || local == "double-bounce";
}

// Subject phrases of auto-replies, lower-case UTF-8. The first list must start the subject; the
// second is specific enough to be matched anywhere in it ("Anna Berg is out of the office").
constexpr std::string_view kAutoSubjectPrefixes[] = {
    "auto:", "ooo:", "away:", "absence:", "abwesend:", "afwezig:", "ausente:", "assente:", "absent:",
    "on vacation", "away from", "vacation reply", "不在", "부재",
};
constexpr std::string_view kAutoSubjectPhrases[] = {
    "auto reply", "auto-reply", "autoreply", "auto response", "auto-response", "autoresponse",
    "automatic reply", "automatic response", "autosvar", "out of office", "out of the office",
    "réponse automatique", "reponse automatique", "automatische antwort", "automatisch antwoord",
    "abwesenheitsnotiz", "risposta automatica", "respuesta automática", "respuesta automatica",
    "fuera de la oficina", "resposta automática", "resposta automatica", "automatyczna odpowiedź",
    "автоматический ответ", "自動返信", "自动回复", "自動回覆", "자동 응답", "automatisk svar",
    "automaattinen vastaus",
};

// A header that states what it names: present, not empty, and not a negation. An empty
// "X-Autoreply:" (some clients write the field with no value) states nothing.
bool affirmative(const std::string_view *v) {
    if (!v) return false;
    const std::string a = lower(trim(*v));
    return !a.empty() && a != "no" && a != "false" && a != "0" && a != "off";
}

// A subject marker alone is words anyone may type ("Anna is out of the office until Monday - can
// you cover?"); an auto-reply also shows that it was sent by a program in answer to a message.
// Any of these is enough: the message answers one (In-Reply-To / References, as RFC 3834 3.1.5
// asks of responders), it was sent with a null return path, it asks not to be auto-answered
// itself (X-Auto-Response-Suppress, as Exchange's out-of-office does), it says it was sent
// automatically (Auto-Submitted other than "no"), or it has a bulk/junk precedence.
bool sent_like_a_responder(const mime::Headers &h) {
    if (h.has("In-Reply-To") || h.has("References") || h.has("X-Auto-Response-Suppress")) return true;
    if (const std::string_view *rp = h.get("Return-Path")) {
        std::string_view v = trim(*rp);
        if (v == "<>" || v == "< >") return true;
    }
    if (affirmative(h.get("Auto-Submitted"))) return true;
    if (const std::string_view *p = h.get("Precedence")) {
        const std::string v = lower(trim(*p));
        if (v == "bulk" || v == "junk") return true;
    }
    return false;
}

bool auto_reply_subject(std::string_view subject) {
    if (reply_or_forward_subject(subject)) return false;
    const std::string s = lower(subject);
    const std::string_view st = trim(s);
    for (auto p : kAutoSubjectPrefixes)
        if (istarts_with(st, p)) return true;
    for (auto p : kAutoSubjectPhrases)
        if (st.find(p) != std::string_view::npos) return true;
    return false;
}

}  // namespace

// What counts as an auto-reply is written down in docs/mime.md ("Auto-replies").
bool read_auto_reply(const mime::Message &msg, Extraction &ex) {
    const mime::Headers &h = msg.root.headers;
    if (from_daemon(h)) return false;
    // A delivery report is never an auto-reply.
    bool report = false;
    walk(msg.root, false, [&](const Part &p, bool) {
        if (is_delivery_status(p) || p.report_type == "delivery-status"sv) report = true;
    });
    if (report) return false;

    bool marked = false;
    if (const std::string_view *v = h.get("Auto-Submitted")) {
        std::string a = lower(trim(*v));
        // "no": a person sent it (RFC 3834 5.1), whatever its subject says.
        if (a == "no") return false;
        if (istarts_with(a, "auto-replied")) marked = true;
        // "auto-generated (failure)" is how Sendmail marks bounces; auto-generated alone is any
        // machine-made mail, an auto-reply only with another marker below.
    }
    for (const char *n : {"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Vacation", "X-Auto-Reply"})
        if (affirmative(h.get(n))) marked = true;
    if (const std::string_view *v = h.get("Precedence"); v && iequals(trim(*v), "auto_reply")) marked = true;
    if (const std::string_view *v = h.get("X-Apple-Action"); v && istarts_with(trim(*v), "vacation")) marked = true;
    if (const std::string_view *v = h.get("X-Mailer"); v && lower(*v).find("vacation") != std::string::npos) marked = true;
    if (!marked) marked = auto_reply_subject(h.decoded("Subject")) && sent_like_a_responder(h);
    if (!marked) return false;
    Record rec;
    const std::string_view *f = h.get("From");
    if (!f) f = h.get("Sender");
    if (!f) f = h.get("Reply-To");
    if (f) rec.recipient = bare_address(mime::decode_words(*f));
    rec.recipient_source = "from-header";
    rec.diagnostic = h.decoded("Subject");
    ex.records.push_back(std::move(rec));
    ex.auto_reply = true;
    ex.format = "rfc3834";
    return true;
}

}  // namespace carom::report
