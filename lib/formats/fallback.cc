// The generic fallback: a bounce no reader claimed and that carries no RFC 3464 report. It runs
// only on messages that look like bounces (sent by a mail system, or with a failure subject, or
// with X-Failed-Recipients) and show a bounce's structure (bounce_evidence, mta_common.hh: a null
// Return-Path, a mail-system address, Auto-Submitted, a returned original), then looks for the failed recipients where bounces of every kind put
// them, in this order:
//
//   1. the X-Failed-Recipients header (Exim and its imitators);
//   2. the lines after a sentence that introduces the failed addresses ("could not be delivered
//      to", "The following address(es) failed", "Original-Recipient:", localised variants);
//   3. qmail/Postfix style "<address>:" paragraph heads;
//   4. the returned message's To, when the notice names no address at all.
//
// The bounce's own From/To/Reply-To, the original sender and mail-system mailboxes are never
// taken as failed recipients. The diagnostic is the text near the recipient that carries an SMTP
// reply or status code, else the sentence after it.
#include <string>

#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

constexpr std::string_view kSubjects[] = {
    "undelivered mail", "undeliverable", "undelivered", "delivery status notification", "returned mail",
    "failure notice", "mail delivery failed", "delivery failure", "delivery failed", "delivery notification",
    "mail system error", "message not delivered", "could not be delivered", "nondeliverable", "non-deliverable",
    "delivery problem", "returned to sender", "mail delivery error", "delivery error", "permanent error",
    "unzustellbar", "nicht zustellbar", "non remis", "non distribuable", "no se puede entregar",
    "no entregado", "não entregue", "nao entregue", "non recapitabile", "onbestelbaar", "niet afgeleverd",
    "недоставлено", "не доставлено", "未送达", "退信", "无法投递", "배달되지", "배달 실패", "配信不能",
    "配信エラー", "不達", "エラー", "zustellung fehlgeschlagen", "échec de la remise", "echec de la remise",
};

// Sentences after which bounces list the failed addresses.
constexpr std::string_view kIntros[] = {
    "could not be delivered to", "following address(es) failed", "following addresses failed",
    "following recipient(s)", "following recipients", "following recipient:", "following addresses",
    "following address", "Failed addresses follow:",
    "was not delivered to", "could not deliver to", "could not deliver the message to",
    "failed to deliver to", "delivery to the following", "undeliverable to", "unable to deliver to",
    "not be delivered to", "permanent fatal errors", "delivery has failed to", "message to the following",
    "Original-Recipient:", "Final-Recipient:", "Recipient address:", "Failed recipient:",
    "nicht zugestellt werden", "konnte nicht zugestellt", "folgende empfänger", "an folgende",
    "destinataires suivants", "n'a pas pu être remis", "n'a pas pu etre remis", "los siguientes destinatarios",
    "no se pudo entregar", "não pôde ser entregue", "nao pode ser entregue", "seguintes destinatários",
    "non è stato possibile recapitare", "destinatari seguenti", "seguenti destinatari",
    "kon niet worden bezorgd", "volgende ontvangers", "не может быть доставлено", "следующим получателям",
    "следующих получателей", "无法送达", "以下收件人", "无法投递", "다음 수신자", "배달할 수 없습니다",
    "宛先", "配信できませんでした", "送信できませんでした",
    "não foi possível entregar", "nao foi possivel entregar", "ao seguinte destinatário", "aos seguintes destinatários",
    "no se ha podido entregar", "al siguiente destinatario", "impossible de remettre", "au destinataire suivant",
    "konnte nicht zugestellt werden an", "an den folgenden empfänger", "al seguente destinatario",
    "aan de volgende ontvanger", "不能投递到", "無法投遞", "下列收件人", "以下の宛先",
    "下列收件者", "無法傳送", "無法送達", "次のアドレス",
};

// Labels that introduce the reason on a line of its own, in localised notices that list the
// address in one paragraph and say why in the next ("Reason: ...", "Причина: ...", "原因：...").
constexpr std::string_view kReasonLabels[] = {
    "Reason:", "Grund:", "Ursache:", "Fehler:", "Raison :", "Raison:", "Motif :", "Motif:", "Erreur :", "Motivo:",
    "Causa:", "Erro:", "Errore:", "Reden:", "Oorzaak:", "Fout:", "Причина:", "Ошибка:", "原因：", "原因:", "理由:",
    "理由：", "사유:", "이유:", "오류:",
};

// Lines where the notice ends and the returned message begins.
const std::vector<std::string_view> kEnds = {
    "--- Below this line is a copy of the message", "------ This is a copy of the message",
    "Original message follows", "--- Original message", "----- Original message", "-----Original Message",
    "Original message headers", "Below is a copy of", "----- Unsent message follows",
    "----- Transcript of session follows", "Content-Type: message/rfc822",
    "|------------------------- Message text follows",
};

bool bounce_like(const Input &in) {
    if (in.msg.root.headers.has("X-Failed-Recipients")) return true;
    if (from_mail_system(in)) return true;
    const std::string subject = lower(Subject(in));
    for (std::string_view s : kSubjects)
        if (subject.find(s) != std::string::npos) return true;
    return false;
}

bool system_mailbox(std::string_view a) {
    return istarts_with(a, "mailer-daemon@") || istarts_with(a, "postmaster@") || istarts_with(a, "mailer_daemon@") ||
           istarts_with(a, "noreply@") || istarts_with(a, "no-reply@") || istarts_with(a, "bounce@") ||
           istarts_with(a, "abuse@");
}

struct Excluded {
    std::vector<std::string> list;
    bool has(std::string_view a) const {
        for (const auto &x : list)
            if (same_address(x, a)) return true;
        return system_mailbox(a);
    }
};

Excluded exclusions(const Input &in, const Extraction &ex) {
    Excluded e;
    for (std::string_view h : {"From", "To", "Reply-To", "Sender", "Return-Path", "Cc"})
        for (const auto &f : in.msg.root.headers.fields)
            if (f.name.size() == h.size() && istarts_with(f.name, h))
                for (auto &a : find_addresses(f.value)) e.list.push_back(a);
    for (auto &a : find_addresses(ex.original.from)) e.list.push_back(a);
    for (auto &a : find_addresses(ex.original.return_path)) e.list.push_back(a);
    return e;
}

// The notice only: the text up to the returned message.
std::string_view notice(std::string_view body) { return block_after(body, "", kEnds); }

// Whether text's first enhanced status code or reply code is a failure's (4 or 5).
bool names_failure(std::string_view text) {
    const std::string st = find_status(text);
    if (!st.empty()) return st[0] == '4' || st[0] == '5';
    const std::string code = find_reply_code(text);
    return !code.empty() && (code[0] == '4' || code[0] == '5');
}

// The paragraph that begins at the first line holding addr (that line and up to 5 more).
std::string paragraph_at(std::string_view text, std::string_view addr);

// The diagnostic for addr: the line holding the address and the next lines of its paragraph;
// when that paragraph quotes no failure code (a session log that names the recipient first in
// its "To:" line, then answers "250 Ok" to MAIL FROM), the first line that names the address
// with one.
std::string diagnostic_for(std::string_view text, std::string_view addr) {
    std::string para = paragraph_at(text, addr);
    if (names_failure(para)) return para;
    std::string coded = failure_line_for(text, addr);
    return coded.empty() ? para : coded;
}

std::string paragraph_at(std::string_view text, std::string_view addr) {
    auto ls = lines(text);
    for (std::size_t i = 0; i < ls.size(); ++i) {
        if (!icontains(ls[i], addr)) continue;
        std::string para;
        for (std::size_t k = i; k < ls.size() && k < i + 6; ++k) {
            std::string_view s = trim(ls[k]);
            if (s.empty()) {
                if (k > i + 1 || !para.empty()) break;
                continue;
            }
            if (!para.empty()) para += ' ';
            para += std::string(s);
        }
        return para;
    }
    return "";
}

// The first line that starts with a reason label and the lines of its paragraph (at most 3); "".
std::string labelled_reason(std::string_view text) {
    auto ls = lines(text);
    for (std::size_t i = 0; i < ls.size(); ++i) {
        std::string_view s = trim(ls[i]);
        bool labelled = false;
        for (std::string_view l : kReasonLabels)
            if (istarts_with(s, l)) labelled = true;
        if (!labelled) continue;
        std::string out(s);
        for (std::size_t k = i + 1; k < ls.size() && k < i + 3 && !trim(ls[k]).empty(); ++k)
            out += ' ' + std::string(trim(ls[k]));
        return out;
    }
    return "";
}

void add(std::vector<Record> &out, const Excluded &ex, const std::string &a, const char *source = "text") {
    if (a.empty() || a.find('@') == std::string::npos || ex.has(a)) return;
    for (const Record &r : out)
        if (same_address(r.recipient, a)) return;
    Record r;
    r.recipient = a;
    r.recipient_source = source;
    out.push_back(std::move(r));
}

}  // namespace

namespace {

bool read_generic(const Input &in, Extraction &ex) {
    if (!bounce_like(in)) return false;
    const Excluded excluded = exclusions(in, ex);
    const std::string_view text = notice(in.body);
    std::vector<Record> out;

    for (const auto &f : in.msg.root.headers.fields)
        if (f.name.size() == 19 && istarts_with(f.name, "X-Failed-Recipients"))
            for (const std::string &a : find_addresses(f.value)) add(out, excluded, a, "x-failed-recipients");

    if (out.empty()) {
        for (std::string_view intro : kIntros) {
            std::size_t p = ifind(text, intro);
            if (p == std::string_view::npos) continue;
            // The rest of the intro line and the paragraph(s) after it, up to 12 lines.
            std::string_view rest = text.substr(p + intro.size());
            int n = 0, blanks = 0;
            for (std::string_view l : lines(rest)) {
                if (++n > 12) break;
                if (trim(l).empty()) {
                    if (!out.empty() || ++blanks > 2) break;
                    continue;
                }
                if (istarts_with(trim(l), "mailto:") || icontains(l, "message-id")) continue;
                for (const std::string &a : find_addresses(l)) add(out, excluded, a);
            }
            if (!out.empty()) break;
        }
    }

    if (out.empty()) {
        for (std::string_view l : lines(text)) {
            std::string_view s = trim(l);
            if (s.size() > 3 && s[0] == '<') {
                std::size_t gt = s.find('>');
                if (gt != std::string_view::npos && gt + 1 < s.size() && s[gt + 1] == ':')
                    add(out, excluded, find_address(s.substr(0, gt + 1)));
            }
        }
    }

    if (out.empty() && !ex.original.to.empty() && !coded_line(text).empty()) {
        for (const std::string &t : ex.original.to) add(out, excluded, find_address(t));
    }
    if (out.empty()) return false;

    const std::string fallback_diag = coded_line(text);
    const bool delayed = icontains(text, "will be retried") || icontains(text, "still trying") ||
                         icontains(text, "THIS IS A WARNING") || icontains(text, "has been delayed") ||
                         icontains(text, "is delayed") || icontains(text, "not yet been delivered");
    for (Record &r : out) {
        r.diagnostic = diagnostic_for(text, r.recipient);
        // Only the address (and a label): the reason stands in a paragraph of its own.
        if (squeeze(r.diagnostic).size() <= r.recipient.size() + 24) {
            const std::string why = labelled_reason(text);
            if (!why.empty() && r.diagnostic.find(why) == std::string::npos) r.diagnostic += ' ' + why;
        }
        if (find_reply_code(r.diagnostic).empty() && find_status(r.diagnostic).empty() && !fallback_diag.empty()) {
            if (!r.diagnostic.empty()) r.diagnostic += ' ';
            r.diagnostic += fallback_diag;
        }
        if (delayed) r.action = "delayed";
        r.remote_mta = remote_host_phrase(r.diagnostic);
    }
    merge(in, ex, std::move(out));
    if (ex.records.empty()) return false;
    ex.format = "fallback";
    ex.bounce = true;
    return true;
}

}  // namespace

bool read_fallback(const Input &in, Extraction &ex) {
    // Both readers below go by wording, which ordinary mail shares ("your parcel could not be
    // delivered", "payment failed"): they also need a bounce's structure (mta_common.hh).
    if (!bounce_evidence(in, ex)) return false;
    if (read_generic(in, ex)) return true;
    // Last: one-sentence notices whose recipient only the returned message names (mta_phrase.cc).
    if (!phrase_detect(in)) return false;
    Extraction tmp;
    tmp.original = ex.original;
    if (!phrase_read(in, tmp)) return false;
    ex = std::move(tmp);
    return true;
}

}  // namespace carom::formats
