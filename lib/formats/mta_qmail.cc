// qmail and the MTAs that reuse its bounce layout (netqmail, qmail-ldap, vpopmail deliveries,
// indimail, and the unnamed "X2"/"X4" systems of Sisimai's collection). qmail-send writes:
//
//   Hi. This is the qmail-send program at mx.example.org.
//   I'm afraid I wasn't able to deliver your message to the following addresses.
//   This is a permanent error; I've given up. Sorry it didn't work out.
//
//   <user@example.org>:
//   192.0.2.1 does not like recipient.
//   Remote host said: 550 5.1.1 <user@example.org>: Recipient address rejected
//   Giving up on 192.0.2.1.
//
//   --- Below this line is a copy of the message.
//
// Variants change the greeting ("Unable to deliver message to the following address(es).",
// "Your mail message to the following address(es) could not be delivered.") and the closing
// line ("--- Original message follows.", "--- Enclosed is a copy of the message."), never the
// "<address>:" paragraphs. qmail's own status codes appear as "(#5.1.1)".
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The greetings, which are its body markers (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "This is the qmail-send program at",
    "I'm afraid I wasn't able to deliver your message to the following addresses",
    "Unable to deliver message to the following address(es)",
    "Your mail message to the following address(es) could not be delivered",
    "I wasn't able to deliver your message to the following addresses",
    "This is the qmail-",
    // Forks and translations (the "<address>:" paragraphs stay the same): qmail-send's own name,
    // netqmail/qmail-ldap/vpopmail wordings, the Spanish translation.
    "qmail-send",
    "This is the mail delivery agent at",
    "Unfortunately, your mail was not delivered to the following address",
    "Sorry, we were unable to deliver your message to the following address",
    "Your message to the following addresses",
    "Su mensaje no pudo ser entregado",
};

constexpr MarkerMask kGreetings = marker_mask(kMarkers, kMarkers);

constexpr std::string_view kCopy[] = {
    "--- Below this line is a copy of the message",
    "--- Enclosed is a copy of the message",
    "--- Original message follows",
    "--- Below the next line is a copy of the message",
    "--- Enclosed are the original headers of the message",
};

bool address_line(std::string_view s, std::string &addr) {
    s = trim(s);
    if (s.size() < 5 || s[0] != '<') return false;
    std::size_t gt = s.find('>');
    if (gt == std::string_view::npos || s.substr(1, gt - 1).find('@') == std::string_view::npos) return false;
    std::string_view rest = trim(s.substr(gt + 1));
    if (!(rest == ":" || rest.empty())) return false;
    addr = std::string(s.substr(1, gt - 1));
    return true;
}

// The host a qmail diagnostic talks about: "Connected to H but", "H does not like",
// "H failed after", "remote host H said", "Giving up on H.".
std::string qmail_host(std::string_view d) {
    auto token_after = [&](std::string_view key) -> std::string {
        std::size_t p = ifind(d, key);
        if (p == std::string_view::npos) return "";
        std::size_t b = p + key.size(), e = b;
        while (e < d.size() && d[e] != ' ' && d[e] != '\n') ++e;
        std::string h(d.substr(b, e - b));
        while (!h.empty() && (h.back() == '.' || h.back() == ':' || h.back() == ',')) h.pop_back();
        return h;
    };
    auto token_before = [&](std::string_view key) -> std::string {
        std::size_t p = ifind(d, key);
        if (p == std::string_view::npos || p == 0) return "";
        std::size_t e = p, b = p;
        while (b > 0 && d[b - 1] != ' ' && d[b - 1] != '\n' && d[b - 1] != '>' && d[b - 1] != ':') --b;
        return std::string(d.substr(b, e - b));
    };
    for (std::string h : {token_after("Giving up on "), token_after("Connected to "), token_after("remote host "),
                          token_before(" does not like "), token_before(" failed after ")})
        if (!h.empty() && (h.find('.') != std::string::npos || h.find(':') != std::string::npos)) return h;
    return "";
}

bool qmail_detect(const Input &in) {
    return body_has_any(in, kGreetings);
}

bool qmail_read(const Input &in, Extraction &ex) {
    const std::size_t start = body_find_first(in, kGreetings);  // the earliest greeting
    if (start == std::string_view::npos) return false;
    std::string_view body = std::string_view(in.body).substr(start);
    std::vector<std::string_view> ends(std::begin(kCopy), std::end(kCopy));
    ends.push_back("--");
    std::string_view text = block_after(body, "", ends);
    const bool success = icontains(text, "successfully delivered");
    std::vector<Record> out;
    bool open = false;
    for (std::string_view line : lines(text)) {
        std::string addr;
        if (address_line(line, addr)) {
            Record r;
            r.recipient = addr;
            if (success) r.action = "delivered";
            out.push_back(std::move(r));
            open = true;
            continue;
        }
        if (trim(line).empty()) {
            // A blank line right after "<addr>:" does not end the paragraph.
            if (open && !out.empty() && !out.back().diagnostic.empty()) open = false;
            continue;
        }
        if (open) {
            Record &r = out.back();
            if (!r.diagnostic.empty()) r.diagnostic += ' ';
            r.diagnostic += std::string(trim(line));
        }
    }
    for (Record &r : out) r.remote_mta = qmail_host(r.diagnostic);
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader qmail_reader = {"qmail", markers(kMarkers), qmail_detect, qmail_read};

}  // namespace carom::formats
