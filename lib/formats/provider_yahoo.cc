// Yahoo! Mail (and Yahoo! Japan, AOL on Yahoo's platform) "Failure Notice" bounces:
//
//   Sorry, we were unable to deliver your message to the following address.
//
//   <user@example.org>:
//   Remote host said: 550 5.1.1 <user@example.org>... User Unknown [RCPT_TO]
//
//   --- Below this line is a copy of the message.
//
// Newer ones write the reply code first ("550: 5.2.2 <user@...>... Mailbox Full") or the local
// reason only ("No mx record found for domain=example.org"). The bracketed tag names the SMTP
// command that was answered: [RCPT_TO], [MAIL_FROM], [DATA], [BODY].
#include "formats/markers.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

constexpr std::string_view kStart = "Sorry, we were unable to deliver your message to the following address";

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    kStart,
};

std::string tag_command(std::string_view diag) {
    if (icontains(diag, "[RCPT_TO]")) return "RCPT";
    if (icontains(diag, "[MAIL_FROM]")) return "MAIL";
    if (icontains(diag, "[DATA]") || icontains(diag, "[BODY]")) return "DATA";
    return "";
}

// "550: 5.2.2 ..." or "550: : User unknown": the reply code written before a colon.
std::string leading_code(std::string_view diag) {
    std::string_view t = trim(diag);
    if (istarts_with(t, "Remote host said:")) t = trim(t.substr(17));
    if (t.size() >= 4 && (t[0] == '4' || t[0] == '5' || t[0] == '2') && t[1] >= '0' && t[1] <= '9' && t[2] >= '0' &&
        t[2] <= '9' && (t[3] == ':' || t[3] == ' '))
        return std::string(t.substr(0, 3));
    return "";
}


bool yahoo_detect(const Input &in) {
    if (!body_has(in, BODY_MARKER(kStart))) return false;  // a bit test before the header searches
    const std::string_view *from = in.msg.root.headers.get("From");
    const std::string_view *subj = in.msg.root.headers.get("Subject");
    bool hdr = (from && (icontains(*from, "yahoo") || istarts_with(trim(*from), "MAILER-DAEMON"))) ||
               (subj && icontains(*subj, "Failure Notice")) || in.msg.root.headers.has("X-YMailISG");
    return hdr;
}

bool yahoo_read(const Input &in, Extraction &ex) {
    const std::string_view text = before_original(in);
    std::size_t start = ifind(text, kStart);
    if (start == std::string_view::npos) return false;
    const auto ls = lines(text.substr(start));
    Record cur;
    std::string diag;
    auto flush = [&]() {
        if (cur.recipient.empty()) return;
        cur.diagnostic = squeeze(diag);
        cur.action = "failed";
        cur.status = find_status(cur.diagnostic);
        cur.reply_code = leading_code(cur.diagnostic);
        if (cur.reply_code.empty()) cur.reply_code = find_reply_code(cur.diagnostic);
        cur.command = tag_command(cur.diagnostic);
        ex.records.push_back(std::move(cur));
        cur = Record();
        diag.clear();
    };
    for (std::size_t i = 1; i < ls.size(); ++i) {
        std::string_view t = trim(ls[i]);
        if (t.size() > 3 && t.front() == '<' && t.back() == ':' && t[t.size() - 2] == '>') {
            flush();
            cur.recipient = find_address(t);
            continue;
        }
        if (cur.recipient.empty()) continue;
        diag.append(t).push_back(' ');
    }
    flush();
    return !ex.records.empty();
}

}  // namespace

extern const Reader yahoo_reader = {"yahoo", markers(kMarkers), yahoo_detect, yahoo_read};

}  // namespace carom::formats
