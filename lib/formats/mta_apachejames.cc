// Apache James. The notice explains the error, then repeats the envelope:
//
//   Error: Invalid user address
//
//   Error message below:
//   550 - Requested action not taken: no such user here
//
//   Message details:
//     Subject: Hello
//     MAIL FROM: sender@example.com
//     RCPT TO: user@example.org
//     From: sender@example.com
//
// Received headers of the bounce name "JAMES SMTP Server".
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "Message details:",
    "Error message below:",
};

bool apachejames_detect(const Input &in) {
    // Both ways need "Message details:": a bit test before the header searches.
    if (!body_has(in, BODY_MARKER("Message details:"))) return false;
    return body_has(in, BODY_MARKER("Error message below:")) || header_has(in, "Received", "JAMES SMTP Server") ||
           header_has(in, "Message-ID", ".JavaMail.");
}

bool apachejames_read(const Input &in, Extraction &ex) {
    std::string_view details = block_after(in.body, "Message details:", {"--", "Content-Type:"});
    std::string diag = squeeze(block_after(in.body, "Error message below:", {"Message details:"}));
    std::vector<Record> out;
    for (std::string_view l : lines(details)) {
        std::string_view s = trim(l);
        if (!istarts_with(s, "RCPT TO:")) continue;
        for (const std::string &a : find_addresses(s.substr(8))) {
            Record r;
            r.recipient = a;
            r.diagnostic = diag;
            out.push_back(std::move(r));
        }
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader apachejames_reader = {"apachejames", markers(kMarkers), apachejames_detect, apachejames_read};

}  // namespace carom::formats
