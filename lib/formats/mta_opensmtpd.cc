// OpenSMTPD (smtpd(8) bounce.c). The notice is indented prose, then one line per recipient:
//
//       Hi!
//
//       This is the MAILER-DAEMON, please DO NOT REPLY to this email.
//
//       An error has occurred while attempting to deliver a message for
//       the following list of recipients:
//
//   user@example.org: 550 5.1.1 <user@example.org>: Recipient address rejected
//
//       Below is a copy of the original message:
//
// The subject says "Delivery status notification: error" (or failed / delayed / warning); new
// versions add an RFC 3464 part whose Status is only 5.0.0, so the text's code is kept.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "This is the MAILER-DAEMON, please DO NOT REPLY to this",
    "list of recipients:",
    "has been delayed",
    "A message is delayed",
};

bool opensmtpd_detect(const Input &in) {
    if (body_has(in, BODY_MARKER("This is the MAILER-DAEMON, please DO NOT REPLY to this"))) return true;
    return istarts_with(Subject(in), "Delivery status notification:") &&
           body_has(in, BODY_MARKER("list of recipients:"));
}

bool opensmtpd_read(const Input &in, Extraction &ex) {
    std::string_view list = block_after(in.body, "list of recipients:",
                                        {"Below is a copy of", "--", "Content-Type:"});
    const Subject subject(in);
    const bool delayed = icontains(subject, "delay") || icontains(subject, "warning") ||
                         body_has(in, BODY_MARKER("has been delayed")) || body_has(in, BODY_MARKER("A message is delayed"));
    std::vector<Record> out;
    for (std::string_view raw : lines(list)) {
        if (raw.empty() || raw[0] == ' ' || raw[0] == '\t') {
            // Indented prose, or the wrapped end of the previous recipient's line.
            if (!out.empty() && !trim(raw).empty() && raw.size() > 4 && raw.substr(0, 4) != "    ")
                out.back().diagnostic += " " + std::string(trim(raw));
            continue;
        }
        std::size_t colon = raw.find(": ");
        if (colon == std::string_view::npos) continue;
        std::string_view who = trim(raw.substr(0, colon));
        if (who.find('@') == std::string_view::npos || who.find(' ') != std::string_view::npos) continue;
        Record r;
        r.recipient = find_address(who);
        r.diagnostic = std::string(trim(raw.substr(colon + 2)));
        if (delayed) r.action = "delayed";
        if (!r.recipient.empty()) out.push_back(std::move(r));
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader opensmtpd_reader = {"opensmtpd", markers(kMarkers), opensmtpd_detect, opensmtpd_read};

}  // namespace carom::formats
