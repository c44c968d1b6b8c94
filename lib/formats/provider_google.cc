// Gmail's plain-text bounces (the format before Google switched to multipart/report) and Google
// Groups' "the group you tried to contact may not exist" notices.
//
// Gmail (From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>):
//
//   Delivery to the following recipient failed permanently:      (or "... has been delayed:")
//
//        user@example.org                                         (indented, one per line)
//
//   Technical details of permanent failure:                       (or "temporary failure")
//   Google tried to deliver your message, but it was rejected by the server for the recipient
//   domain example.org by mx.example.org. [192.0.2.1].
//
//   The error that the other server returned was:
//   550 5.1.1 <user@example.org>... User Unknown    (older: "... returned was: 554 554 5.7.0 x (state 18).")
//
//   ----- Original message -----
//
// "(state N)" is the step of Gmail's SMTP client at which the remote server answered.
//
// Gmail and Google Workspace today send a multipart/report whose text part opens with a heading
// and one sentence about the recipient, then quotes the remote server:
//
//   ** Address not found **                  (or "** Message not delivered **",
//                                              "** Delivery incomplete **", "** Message blocked **")
//   Your message wasn't delivered to user@example.org because the address couldn't be found.
//   ...
//   The response was:  /  The response from the remote server was:
//   550 5.1.1 <user@example.org>: User unknown
//
// The delivery-status part gives Status and Diagnostic-Code; the sentence is the diagnostic when
// the part gives none, and replaces it when it quotes it (merge()).
//
// Google Groups: the recipient is the group address in X-Failed-Recipients; the body is a
// localised letter ("Hello x, We're writing to let you know that the group you tried to contact
// (name) may not exist ...") followed by "----- Original message -----".
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

bool from_google(const Input &in) {
    const std::string_view *from = in.msg.root.headers.get("From");
    return from && (icontains(*from, "@googlemail.com") || icontains(*from, "@google.com") ||
                    icontains(*from, "@gmail.com"));
}

// Gmail client states → the SMTP command the remote server answered.
std::string state_command(std::string_view diag) {
    std::size_t p = ifind(diag, "(state ");
    if (p == std::string_view::npos) return "";
    p += 7;
    int n = 0, digits = 0;
    while (p < diag.size() && diag[p] >= '0' && diag[p] <= '9' && digits < 3) n = n * 10 + (diag[p++] - '0'), ++digits;
    if (digits == 0 || p >= diag.size() || diag[p] != ')') return "";
    if (n <= 5) return "CONN";
    if (n <= 7) return "EHLO";
    if (n <= 9) return "AUTH";
    if (n <= 12) return "MAIL";
    if (n == 13) return "EHLO";
    if (n <= 16) return "RCPT";
    if (n <= 18) return "DATA";
    return "";
}

std::string split_address_list(std::string_view value, std::vector<std::string> &out) {
    for (auto &a : find_addresses(value)) out.push_back(a);
    return out.empty() ? std::string() : out.front();
}

constexpr std::string_view kHeadings[] = {"** Address not found **", "** Message not delivered **",
                                           "** Delivery incomplete **", "** Message blocked **"};

// The phrases the steps of the two readers look for in the whole body (formats/markers.hh): the
// headings above and the older notice's phrases.
constexpr auto kMarkers = joined(kHeadings, {"Delivery to the following recipient", "Technical details of permanent failure",
                                             "Technical details of temporary failure", "Technical details of "});
constexpr MarkerMask kHeadingMarkers = marker_mask(kMarkers, kHeadings);

std::size_t heading_at(std::string_view body) {
    for (std::string_view h : kHeadings) {
        std::size_t p = ifind(body, h);
        if (p != std::string_view::npos) return p;
    }
    return std::string_view::npos;
}

// Google's multipart/report: the heading paragraph (up to the original message) for every
// recipient it names, merged with the delivery-status part.
bool read_google_dsn(const Input &in, Extraction &ex) {
    std::string_view text = before_original(in);
    std::size_t h = heading_at(text);
    if (h == std::string_view::npos) return false;
    text.remove_prefix(h);
    const std::string diag = squeeze(text);
    std::vector<Record> found;
    // "Your message wasn't delivered to ...", "There was a problem delivering your message to
    // ...", "Your message to ... has been blocked."
    for (std::string_view lead : {"delivered to ", "delivering your message to ", "Your message to "}) {
        std::size_t p = ifind(diag, lead);
        if (p == std::string_view::npos) continue;
        std::string_view rest = std::string_view(diag).substr(p + lead.size());
        std::string a = find_address(rest.substr(0, rest.find(' ')));
        if (a.empty()) continue;
        Record r;
        r.recipient = a;
        r.diagnostic = diag;
        found.push_back(std::move(r));
        break;
    }
    merge(in, ex, std::move(found));
    return !ex.records.empty();
}


bool gmail_detect(const Input &in) {
    // The body's phrases are bit tests: decide from them whether the From search is needed.
    const bool headings = body_has_any(in, kHeadingMarkers);
    const bool details = body_has(in, BODY_MARKER("Delivery to the following recipient")) ||
                         body_has(in, BODY_MARKER("Technical details of permanent failure")) ||
                         body_has(in, BODY_MARKER("Technical details of temporary failure"));
    if (!headings && !details) return false;
    const bool google = from_google(in);
    // The heading layout without its delivery-status part (a relay or client that kept only the
    // text and HTML, multipart/alternative): Google's mailer-daemon address still says who wrote it.
    if (google && headings &&
        ((in.msg.root.headers.get("Content-Type") && icontains(*in.msg.root.headers.get("Content-Type"), "report")) ||
         from_mail_system(in)))
        return true;
    if (!google && !body_has(in, BODY_MARKER("Technical details of "))) return false;
    return details;
}

bool gmail_read(const Input &in, Extraction &ex) {
    if (body_has_any(in, kHeadingMarkers) && !body_has(in, BODY_MARKER("Technical details of ")))
        return read_google_dsn(in, ex);
    const std::string_view text = before_original(in);
    const auto ls = lines(text);
    std::vector<std::string> rcpts;
    std::string action = "failed";
    std::size_t i = 0;
    for (; i < ls.size(); ++i) {
        if (!icontains(ls[i], "Delivery to the following recipient")) continue;
        if (icontains(ls[i], "delayed")) action = "delayed";
        ++i;
        // Blank lines, then indented addresses, up to the next paragraph.
        bool seen = false;
        for (; i < ls.size(); ++i) {
            std::string_view t = trim(ls[i]);
            if (t.empty()) {
                if (seen) break;
                continue;
            }
            std::string a = find_address(t);
            if (a.empty() || t.find(' ') != std::string_view::npos) break;
            rcpts.push_back(a);
            seen = true;
        }
        break;
    }
    if (rcpts.empty()) {
        if (const std::string_view *xf = in.msg.root.headers.get("X-Failed-Recipients")) split_address_list(*xf, rcpts);
    }
    if (rcpts.empty()) return false;

    // The diagnostic: "Technical details of ... failure:" up to the original message; else the
    // paragraphs after the recipient list.
    std::string diag;
    std::size_t td = ifind(text, "Technical details of ");
    if (td != std::string_view::npos) {
        std::size_t colon = text.find(':', td);
        if (colon != std::string_view::npos) diag = squeeze(text.substr(colon + 1));
        if (icontains(text.substr(td, 40), "temporary")) action = "delayed";
    } else {
        std::string rest;
        for (; i < ls.size(); ++i) rest.append(ls[i]).push_back('\n');
        diag = squeeze(rest);
    }

    std::string_view said = diag;
    std::size_t rw = ifind(diag, "returned was:");
    if (rw != std::string_view::npos) said = std::string_view(diag).substr(rw + 13);
    std::string remote = host_after(diag, "recipient domain ");
    if (!remote.empty()) {
        // "... recipient domain example.org by mx.example.org. [192.0.2.1]."
        std::size_t p = ifind(diag, "recipient domain ");
        std::string by = host_after(std::string_view(diag).substr(p), " by ");
        remote = by;
    }
    if (remote.empty()) remote = host_after(diag, "[(0) ");

    for (const auto &a : rcpts) {
        Record r;
        r.recipient = a;
        r.action = action;
        r.diagnostic = diag;
        r.reply_code = find_reply_code(trim(said));
        r.status = find_status(said);
        if (r.status.empty() && action == "failed" && r.reply_code.empty()) r.status = "5.0.0";
        r.command = state_command(diag);
        if (r.command.empty()) r.command = find_command(said);
        r.remote_mta = remote;
        ex.records.push_back(std::move(r));
    }
    return true;
}

bool googlegroups_detect(const Input &in) {
    const std::string_view *xf = in.msg.root.headers.get("X-Failed-Recipients");
    return xf && icontains(*xf, "@googlegroups.com") && from_google(in);
}

bool googlegroups_read(const Input &in, Extraction &ex) {
    std::vector<std::string> rcpts;
    if (const std::string_view *xf = in.msg.root.headers.get("X-Failed-Recipients")) split_address_list(*xf, rcpts);
    if (rcpts.empty()) return false;
    const std::string diag = squeeze(before_original(in));
    for (const auto &a : rcpts) {
        Record r;
        r.recipient = a;
        r.action = "failed";
        r.status = "5.0.0";
        r.diagnostic = diag;
        ex.records.push_back(std::move(r));
    }
    return true;
}

}  // namespace

extern const Reader gmail_reader = {"gmail", markers(kMarkers), gmail_detect, gmail_read};
extern const Reader googlegroups_reader = {"googlegroups", markers(kMarkers), googlegroups_detect, googlegroups_read};

}  // namespace carom::formats
