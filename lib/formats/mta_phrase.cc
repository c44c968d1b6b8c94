// "Phrase" bounces: notices with no structure at all, from small MTAs, gateways, list servers and
// scripts that answer a failure with one sentence ("User unknown", "Mailbox full", "This is a
// permanent error; I've given up", "Message not delivered", "Benutzer unbekannt", ...) and
// attach or quote the returned message. They name the failed address seldom, and when they do it
// stands on the sentence's line or the next ones.
//
// This reader runs only after every other reader, the RFC 3464 / auto-reply readers and the
// generic fallback found nothing (its last step, fallback.cc), on messages sent by a mail system or with a
// failure subject that also show a bounce's structure (bounce_evidence, checked by read_fallback). The diagnostic is the paragraph holding the first failure sentence; the
// recipients are the addresses of that paragraph, else the returned message's To (a mail system
// that says "User unknown" about a message with one recipient speaks of that one).
#include <string>

#include "formats/mta_common.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// Sentences that state a delivery failure (ASCII case-insensitive; other scripts as written).
constexpr std::string_view kPhrases[] = {
    "permanent error", "i've given up", "user unknown", "unknown user", "no such user", "unknown recipient",
    "recipient unknown", "invalid recipient", "mailbox full", "mailbox is full", "over quota", "quota exceeded",
    "does not exist", "doesn't exist", "not delivered", "undeliverable", "could not be delivered",
    "couldn't be delivered", "cannot be delivered", "can't be delivered", "delivery failed", "delivery has failed",
    "unable to deliver", "failed permanently", "address rejected", "recipient rejected", "no mailbox",
    "account is disabled", "account has been disabled", "host unknown", "domain not found", "unrouteable",
    "not a valid", "no longer", "message rejected", "mail rejected", "returned to sender", "receiver not found",
    "recipient not found", "user not found", "address not found",
    // de, fr, es, pt, it, nl
    "unbekannt", "unzustellbar", "nicht zugestellt", "existiert nicht", "postfach voll", "inconnu", "non remis",
    "n'a pas pu être", "n'existe pas", "boîte pleine", "desconocido", "no existe", "no se pudo entregar",
    "no entregado", "desconhecido", "não existe", "não foi entregue", "não entregue", "sconosciuto", "inesistente",
    "non recapitat", "onbekend", "bestaat niet", "niet bezorgd", "niet afgeleverd", "não foi possível entregar",
    "caixa postal cheia", "está cheia", "no se ha podido entregar", "está lleno", "è piena", "is vol",
    // ru, zh, ko, ja
    "не доставлено", "не может быть доставлено", "не найден", "не существует", "переполнен", "不存在", "未送达",
    "无法投递", "无法送达", "已满", "존재하지 않", "배달되지", "배달할 수 없", "存在しません", "配信できません",
    "届きませんでした", "送信できませんでした", "宛先不明",
};

constexpr std::string_view kSubjects[] = {
    "undeliver", "undelivered", "returned", "failure", "failed", "not delivered", "delivery", "rejected", "error",
    "unzustellbar", "non remis", "no entregado", "não entregue", "non recapitabile", "onbestelbaar", "не доставлено",
    "退信", "未送达", "배달", "不達", "エラー", "配信",
};

// The lines where the notice ends and the returned message begins.
const std::vector<std::string_view> kEnds = {
    "--- Below this line is a copy of the message", "------ This is a copy of the message",
    "Original message follows", "--- Original message", "----- Original message", "-----Original Message",
    "Original message headers", "Below is a copy of", "----- Unsent message follows",
    "Content-Type: message/rfc822", "Return-Path:", "Received:",
};

bool failure_subject(const Input &in) {
    const std::string s = lower(Subject(in));
    for (std::string_view k : kSubjects)
        if (s.find(k) != std::string::npos) return true;
    return false;
}

bool excluded(const Input &in, const Extraction &ex, std::string_view a) {
    if (istarts_with(a, "mailer-daemon@") || istarts_with(a, "postmaster@") || istarts_with(a, "root@") ||
        istarts_with(a, "noreply@") || istarts_with(a, "no-reply@"))
        return true;
    for (std::string_view h : {"From", "To", "Reply-To", "Sender", "Return-Path"})
        for (const std::string &x : find_addresses(header(in, h)))
            if (same_address(x, a)) return true;
    for (const std::string &x : find_addresses(ex.original.from))
        if (same_address(x, a)) return true;
    return false;
}

// The paragraph (up to 4 lines) holding the first failure sentence; "" when none.
std::string phrase_paragraph(std::string_view notice) {
    auto ls = lines(notice);
    for (std::size_t i = 0; i < ls.size(); ++i) {
        std::string_view s = trim(ls[i]);
        if (s.empty() || s.size() > 400 || s.front() == '>') continue;
        bool hit = false;
        for (std::string_view p : kPhrases)
            if (icontains(s, p)) { hit = true; break; }
        if (!hit) continue;
        std::string para(s);
        for (std::size_t k = i + 1; k < ls.size() && k < i + 4; ++k) {
            std::string_view t = trim(ls[k]);
            if (t.empty()) break;
            para += ' ';
            para += std::string(t);
        }
        return para;
    }
    return "";
}

}  // namespace

bool phrase_detect(const Input &in) {
    if (!(from_mail_system(in) || failure_subject(in))) return false;
    if (icontains(in.body, "successfully delivered") || icontains(in.body, "was delivered to")) return false;
    return true;
}

bool phrase_read(const Input &in, Extraction &ex) {
    const std::string_view notice = block_after(in.body, "", kEnds);
    const std::string diag = phrase_paragraph(notice);
    if (diag.empty()) return false;
    std::vector<Record> out;
    auto add = [&](const std::string &a) {
        if (a.empty() || a.find('@') == std::string::npos || excluded(in, ex, a)) return;
        for (const Record &r : out)
            if (same_address(r.recipient, a)) return;
        Record r;
        r.recipient = a;
        out.push_back(std::move(r));
    };
    for (const std::string &a : find_addresses(diag)) add(a);
    if (out.empty())
        for (const std::string &t : ex.original.to)
            for (const std::string &a : find_addresses(t)) add(a);
    if (out.empty()) return false;
    // The sentence says that it failed; the server's answer quoted further down says why
    // ("The response from the remote server was:" / "552 5.2.2 ...").
    std::string full = diag;
    if (find_status(diag).empty() && find_reply_code(diag).empty()) {
        const std::string coded = coded_line(notice);
        if (!coded.empty() && diag.find(coded) == std::string::npos) full += ' ' + coded;
    }
    for (Record &r : out) {
        r.diagnostic = full;
        r.remote_mta = remote_host_phrase(full);
    }
    merge(in, ex, std::move(out));
    ex.format = "phrase";
    ex.bounce = true;
    return !ex.records.empty();
}

}  // namespace carom::formats
