// Microsoft Exchange 5.5 / 2000 / 2003 notices as Exchange renders them for Outlook users (the
// SMTP-side NDR of those servers). Text only, often in the server's language:
//
//   Your message did not reach some or all of the intended recipients.
//
//         Subject:	Hello
//         Sent:	14/03/2006 10:15
//
//   The following recipient(s) could not be reached:
//
//         user@example.org on 14/03/2006 10:15
//               The e-mail address you entered couldn't be found. ...
//               <mail.example.com #5.1.1>
//
//         'John Smith' on 14/03/2006 10:15
//               You do not have permission to send to this recipient. ...
//               <mail.example.com #5.7.1 smtp;550 5.7.1 Relaying denied>
//
// Each recipient line is less indented than the lines explaining it, whatever the language
// ("am", "le", "el", "の" instead of "on"), so the layout is read by indentation. The closing
// "<HOST #S.S.S[ smtp;REPLY]>" names the Exchange server that gave up, the enhanced status code
// and, when a remote server refused, its SMTP reply. A recipient shown by display name only is
// found in the diagnostic or in the returned message's To. Notices that carry "MSEXCH:" lines
// (Exchange's own X.400 codes) are read by mta_exchange2003.cc first.
#include <algorithm>
#include <cctype>

#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// "Your message did not reach some or all of the intended recipients." as Outlook/Exchange
// localise it.
constexpr std::string_view kTop[] = {
    "did not reach some or all of the intended recipients",
    "Ihre Nachricht hat einige oder alle Empf",          // ... Empfänger nicht erreicht.
    "n'a pas pu être remis à certains ou à l'ensemble des destinataires",
    "no llegó a algunos o a ninguno de los destinatarios",
    "Impossibile recapitare il messaggio ad alcuni o a tutti i destinatari",
    "heeft sommige of alle geadresseerden niet bereikt",
    "não chegou a alguns ou a todos os destinatários",
};

// Its body markers (formats/markers.hh): the sentences above, and hMailServer's name (hMailServer
// writes the same sentences, mta_hmailserver.cc).
constexpr auto kMarkers = joined(kTop, {"hMailServer"});
constexpr MarkerMask kTopMarkers = marker_mask(kMarkers, kTop);

// "The following recipient(s) could not be reached:" and its translations: the list follows.
constexpr std::string_view kList[] = {
    "could not be reached:",
    "nicht erreicht werden:",
    "n'ont) pas pu être joint(s)",
    "pas pu être joint",
    "No se puede obtener acceso a los siguientes destinatarios",
    "No se pudo tener acceso a los siguientes destinatarios",
    "Impossibile raggiungere i seguenti destinatari",
    "kan/kunnen niet worden bereikt",
    "niet worden bereikt:",
    "Não foi possível acessar",
    "Não foi possível alcançar",
};

const std::vector<std::string_view> kEnds = {
    "--", "Content-Type:", "Original message", "----- Original", "Received:",
};

std::size_t indent(std::string_view l) {
    std::size_t n = 0;
    for (char c : l) {
        if (c == ' ') ++n;
        else if (c == '\t') n = (n / 8 + 1) * 8;
        else break;
    }
    return n;
}

// "<mail.example.com #5.1.1 smtp;550 5.1.1 ...>" inside d: fills host, status and the SMTP reply.
bool exchange_token(std::string_view d, std::string &host, std::string &status, std::string &reply) {
    std::size_t hash = d.find(" #");
    while (hash != std::string_view::npos) {
        std::size_t lt = d.rfind('<', hash);
        if (lt != std::string_view::npos && d.substr(lt, hash - lt).find(' ') == std::string_view::npos &&
            hash + 3 < d.size() && (d[hash + 2] == '4' || d[hash + 2] == '5' || d[hash + 2] == '2') &&
            d[hash + 3] == '.') {
            host = std::string(d.substr(lt + 1, hash - lt - 1));
            std::size_t e = hash + 2;
            while (e < d.size() && (is_digit(d[e]) || d[e] == '.')) ++e;
            status = std::string(d.substr(hash + 2, e - hash - 2));
            std::size_t semi = ifind(d, "smtp;", e);
            std::size_t gt = d.rfind('>');
            if (semi != std::string_view::npos && semi < e + 3) {
                std::size_t b = semi + 5;
                reply = std::string(trim(d.substr(b, gt != std::string_view::npos && gt > b ? gt - b : std::string_view::npos)));
            }
            return true;
        }
        hash = d.find(" #", hash + 2);
    }
    return false;
}

// The display name of "'John Smith' on DATE" / "John Smith am DATE": the quoted text, else "".
std::string quoted_name(std::string_view s) {
    if (s.size() > 2 && (s[0] == '\'' || s[0] == '"')) {
        std::size_t e = s.find(s[0], 1);
        if (e != std::string_view::npos) return std::string(s.substr(1, e - 1));
    }
    return "";
}

// The address written after display name `name` in the returned message's To or Cc ("Vega, Jo
// Ann" <jo@example.org>: names may hold commas, so the field is searched, not split); "".
std::string address_of_name(const Input &in, std::string_view name) {
    const mime::Part *p = mime::find(in.msg.root, "message", "rfc822");
    if (p == nullptr || p->children.empty()) p = mime::find(in.msg.root, "text", "rfc822-headers");
    if (p == nullptr || p->children.empty()) return "";
    for (std::string_view field : {"To", "Cc"}) {
        const std::string v = p->children[0].headers.decoded(field);
        std::size_t at = ifind(v, name);
        if (at == std::string::npos) continue;
        std::string a = find_address(std::string_view(v).substr(at + name.size()));
        if (!a.empty()) return a;
    }
    return "";
}

bool exchange2000_detect(const Input &in) {
    if (body_has(in, BODY_MARKER("hMailServer"))) return false;  // mta_hmailserver.cc
    return body_has_any(in, kTopMarkers);
}

bool exchange2000_read(const Input &in, Extraction &ex) {
    std::size_t start = std::string_view::npos;
    std::string_view intro;
    for (std::string_view l : kList) {
        std::size_t p = ifind(in.body, l);
        if (p != std::string_view::npos && p < start) start = p, intro = l;
    }
    if (start == std::string_view::npos) return false;
    std::string_view text = block_after(std::string_view(in.body).substr(start), intro, kEnds);
    std::vector<std::string_view> ls;
    std::size_t base = std::string_view::npos;
    for (std::string_view l : lines(text)) {
        if (trim(l).empty()) continue;
        ls.push_back(l);
        base = std::min(base, indent(l));
    }
    std::vector<Record> out;
    std::vector<std::string> names;
    bool open = false;
    for (std::string_view l : ls) {
        std::string_view s = trim(l);
        if (indent(l) == base) {
            // A recipient line: "ADDR on DATE", "'Name' on DATE", "ADDR".
            std::string name = quoted_name(s);
            std::string addr = name.find('@') != std::string::npos ? find_address(name) : std::string();
            if (addr.empty() && name.empty()) addr = find_address(s.substr(0, s.find(' ')));
            open = !addr.empty() || !name.empty();
            if (!open) continue;
            Record r;
            r.recipient = addr;
            out.push_back(std::move(r));
            names.push_back(name);
            continue;
        }
        if (!open) continue;
        if (!out.back().diagnostic.empty()) out.back().diagnostic += ' ';
        out.back().diagnostic += std::string(s);
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        Record &r = out[i];
        std::string host, status, reply;
        if (exchange_token(r.diagnostic, host, status, reply)) {
            r.status = status;
            r.reporting_mta = host;
            if (!reply.empty()) r.reply_code = find_reply_code(reply);
        }
        if (!r.recipient.empty()) continue;
        // Display name only: the address in the remote reply, else the original's To entry that
        // carries the name, else the only address of the original's To.
        if (!reply.empty()) r.recipient = find_address(reply);
        if (r.recipient.empty() && !names[i].empty()) r.recipient = address_of_name(in, names[i]);
        if (r.recipient.empty() && out.size() == 1 && ex.original.to.size() == 1) {
            r.recipient = find_address(ex.original.to[0]);
            r.recipient_source = "original-header";
        }
    }
    std::vector<Record> named;
    for (Record &r : out)
        if (!r.recipient.empty()) named.push_back(std::move(r));
    merge(in, ex, std::move(named));
    return !ex.records.empty();
}

}  // namespace

extern const Reader exchange2000_reader = {"exchange2000", markers(kMarkers), exchange2000_detect, exchange2000_read};

}  // namespace carom::formats
