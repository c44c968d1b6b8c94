// Ipswitch IMail Server (X-Mailer: <SMTP32 vNNN>). Each failed recipient is one line "reason:
// address" above "Original message follows.":
//
//   Unknown user: user@example.org
//   User mailbox exceeds allowed size: user@example.org
//   Delivery failed 20 attempts: user@example.org
//
// Remote failures add the SMTP reply on the following lines.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "Original message follows.",
};

bool imailserver_detect(const Input &in) {
    return header_has(in, "X-Mailer", "<SMTP32 v") ||
           (istarts_with(Subject(in), "Undeliverable Mail") && body_has(in, BODY_MARKER("Original message follows.")));
}

bool imailserver_read(const Input &in, Extraction &ex) {
    std::string_view text = block_after(in.body, "", {"Original message follows", "--", "Content-Type:"});
    std::vector<Record> out;
    for (std::string_view l : lines(text)) {
        std::string_view s = trim(l);
        if (s.empty()) continue;
        std::size_t colon = s.rfind(": ");
        if (colon != std::string_view::npos) {
            std::string_view who = trim(s.substr(colon + 2));
            if (who.find(' ') == std::string_view::npos && who.find('@') != std::string_view::npos) {
                Record r;
                r.recipient = find_address(who);
                r.diagnostic = std::string(s);
                if (!r.recipient.empty()) {
                    out.push_back(std::move(r));
                    continue;
                }
            }
        }
        if (!out.empty()) out.back().diagnostic += " " + std::string(s);
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader imailserver_reader = {"imailserver", markers(kMarkers), imailserver_detect, imailserver_read};

}  // namespace carom::formats
