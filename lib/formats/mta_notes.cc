// Lotus Notes (the older Notes SMTP MTA). The reasons come first, then the addresses, between two
// dashed banners (the reason is often in the server's language, e.g. ISO-2022-JP Japanese):
//
//   ------- Failure Reasons  --------
//
//   User not listed in public Name & Address Book
//   user@example.org
//
//   ------- Returned Message --------
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "------- Failure Reasons",
};

bool notes_detect(const Input &in) { return body_has(in, BODY_MARKER("------- Failure Reasons")); }

bool notes_read(const Input &in, Extraction &ex) {
    std::string_view text = block_after(in.body, "------- Failure Reasons", {"------- Returned Message", "--"});
    std::vector<Record> out;
    std::string reason;
    for (std::string_view l : lines(text)) {
        std::string_view s = trim(l);
        if (s.empty()) continue;
        if (s.find(' ') == std::string_view::npos && s.find('@') != std::string_view::npos) {
            Record r;
            r.recipient = find_address(s);
            if (!r.recipient.empty()) out.push_back(std::move(r));
            continue;
        }
        if (!reason.empty()) reason += ' ';
        reason += std::string(s);
    }
    for (Record &r : out) r.diagnostic = reason;
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader notes_reader = {"notes", markers(kMarkers), notes_detect, notes_read};

}  // namespace carom::formats
