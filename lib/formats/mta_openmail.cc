// HP OpenMail's notice: the bounce's own first Received line is "By OpenMail Mailer" (Sisimai,
// which did not name the maker, calls the layout "X1"; the output keeps that format name, "x1"):
//
//   The original message was received at Thu, 29 Apr 2011 10:00:00 +0900 (JST)
//   from sender@example.com
//
//   ---The following addresses had delivery errors---
//
//   user@example.org [User unknown]
//
// one "ADDRESS [reason]" line per recipient.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "---The following addresses had delivery errors---",
};

bool openmail_detect(const Input &in) { return body_has(in, BODY_MARKER("---The following addresses had delivery errors---")); }

bool openmail_read(const Input &in, Extraction &ex) {
    std::string_view text = block_after(in.body, "---The following addresses had delivery errors---", {"--", "Content-"});
    std::vector<Record> out;
    for (std::string_view l : lines(text)) {
        std::string_view s = trim(l);
        if (s.empty()) continue;
        std::size_t br = s.find(" [");
        std::string_view who = br == std::string_view::npos ? s : s.substr(0, br);
        if (who.find('@') == std::string_view::npos) continue;
        Record r;
        r.recipient = find_address(who);
        if (br != std::string_view::npos) {
            std::string_view why = s.substr(br + 2);
            if (!why.empty() && why.back() == ']') why.remove_suffix(1);
            r.diagnostic = std::string(why);
        }
        if (!r.recipient.empty()) out.push_back(std::move(r));
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader openmail_reader = {"x1", markers(kMarkers), openmail_detect, openmail_read};

}  // namespace carom::formats
