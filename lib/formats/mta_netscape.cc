// Netscape Messaging Server 3.x/4.x (and Software.com's Post.Office, whose notices it shares):
// the MTA before the iPlanet/Sun releases, which write the "This report relates to ..." layout
// (mta_messagingserver.cc). A plain text notice, one reason for the whole message:
//
//   This Message was undeliverable due to the following reason:
//
//   The following destination addresses were unknown (please check
//   the addresses and re-mail the message):
//
//   SMTP <user@example.org>
//
//   Please reply to Postmaster@mail.example.com
//   if you feel this message to be in error.
//
// Other reasons list the addresses as "<user@example.org>" lines after the explanation, or give
// a reason per recipient:
//
//       Recipient: <user@example.org>
//       Reason:    5.1.1 <user@example.org>... User unknown
//
// The diagnostic is the recipient's own "Reason:" when there is one, else the explanation
// paragraph(s) (the server's fixed sentences, which name the failure: "unknown", "over quota",
// "was not reachable within the allowed queue period", ...).
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

constexpr std::string_view kIntro = "This Message was undeliverable due to the following reason";

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    kIntro,
};

const std::vector<std::string_view> kEnds = {
    "Please reply to", "--", "Content-Type:", "Original message follows", "----- Original message",
};

// "<addr>", "SMTP <addr>", "Recipient: <addr>" (also without brackets): the address, else "".
std::string address_line(std::string_view s, bool &labelled) {
    labelled = istarts_with(s, "Recipient:");
    if (labelled) s = trim(s.substr(10));
    else if (istarts_with(s, "SMTP ")) s = trim(s.substr(5));
    if (s.empty() || s.find(' ') != std::string_view::npos) return "";
    return find_address(s);
}

// The au/EZweb carrier (provider_carriers.cc) writes the same notice with its own reasons.
bool netscape_detect(const Input &in) {
    if (!body_has(in, BODY_MARKER(kIntro))) return false;
    if (header_has(in, "From", "ezweb.ne.jp") || header_has(in, "From", "au.com")) return false;
    for (const std::string_view *r : in.msg.root.headers.all("Received"))
        if (icontains(*r, "ezweb.ne.jp") || icontains(*r, ".au.com")) return false;
    return true;
}

bool netscape_read(const Input &in, Extraction &ex) {
    std::size_t p = ifind(in.body, kIntro);
    if (p == std::string_view::npos) return false;
    std::string_view text = block_after(std::string_view(in.body).substr(p), kIntro, kEnds);
    std::vector<Record> out;
    std::vector<bool> own;  // the record has its own "Reason:"
    std::string explanation;
    bool reason_open = false;
    for (std::string_view raw : lines(text)) {
        std::string_view s = trim(raw);
        if (s.empty()) {
            reason_open = false;
            continue;
        }
        bool labelled = false;
        std::string addr = address_line(s, labelled);
        if (!addr.empty()) {
            Record r;
            r.recipient = addr;
            out.push_back(std::move(r));
            own.push_back(false);
            reason_open = false;
            continue;
        }
        if (istarts_with(s, "Reason:") && !out.empty()) {
            out.back().diagnostic = std::string(trim(s.substr(7)));
            own.back() = true;
            reason_open = true;
            continue;
        }
        if (reason_open) {
            out.back().diagnostic += " " + std::string(s);
            continue;
        }
        if (!explanation.empty()) explanation += ' ';
        explanation += std::string(s);
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        if (!own[i]) out[i].diagnostic = explanation;
    for (Record &r : out) r.remote_mta = remote_host_phrase(r.diagnostic);
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader netscape_reader = {"netscape", markers(kMarkers), netscape_detect, netscape_read};

}  // namespace carom::formats
