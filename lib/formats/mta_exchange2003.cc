// Microsoft Exchange 5.5 / 2000 / 2003 (Internet Mail Service / Internet Mail Connector). A plain
// text report, the returned message attached:
//
//   Your message
//
//     To:      user@example.org
//     Subject: Hello
//     Sent:    Thu, 29 Apr 2010 10:00:00 -0000
//
//   did not reach the following recipient(s):
//
//   user@example.org on Thu, 29 Apr 2010 10:00:00 -0000
//       The recipient name is not recognized
//       MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown Recipient
//
// Each recipient line is "ADDRESS on DATE"; the lines below it, up to the next recipient, explain
// the failure (a sentence and an MSEXCH diagnostic with the hexadecimal error code).
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "did not reach the following recipient(s)",
    "MSEXCH:",
};

constexpr std::string_view kIntro[] = {
    "did not reach the following recipient(s)",
    "could not be reached:",  // "The following recipient(s) could not be reached:"
};

bool exchange2003_detect(const Input &in) {
    // One pass over the fields for both X-Mailer texts.
    for (const auto &f : in.msg.root.headers.fields)
        if (f.name.size() == 8 && istarts_with(f.name, "X-Mailer") &&
            (icontains(f.value, "Internet Mail Service") ||
             icontains(f.value, "Microsoft Exchange Server Internet Mail Connector")))
            return true;
    if (in.msg.root.headers.has("X-MS-Embedded-Report")) return true;
    return body_has(in, BODY_MARKER("did not reach the following recipient(s)")) && body_has(in, BODY_MARKER("MSEXCH:"));
}

bool exchange2003_read(const Input &in, Extraction &ex) {
    std::size_t start = std::string_view::npos;
    std::string_view intro;
    for (std::string_view i : kIntro) {
        std::size_t p = ifind(in.body, i);
        if (p != std::string_view::npos && p < start) start = p, intro = i;
    }
    if (start == std::string_view::npos) return false;
    std::string_view text = block_after(std::string_view(in.body).substr(start), intro, {"--", "Content-Type:"});
    std::vector<Record> out;
    for (std::string_view raw : lines(text)) {
        std::string_view s = trim(raw);
        if (s.empty()) continue;
        std::size_t on = ifind(s, " on ");
        std::string_view head = on == std::string_view::npos ? s : s.substr(0, on);
        if (head.find(' ') == std::string_view::npos && head.find('@') != std::string_view::npos) {
            Record r;
            r.recipient = find_address(head);
            if (!r.recipient.empty()) {
                out.push_back(std::move(r));
                continue;
            }
        }
        if (out.empty()) continue;
        if (!out.back().diagnostic.empty()) out.back().diagnostic += ' ';
        out.back().diagnostic += std::string(s);
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader exchange2003_reader = {"exchange2003", markers(kMarkers), exchange2003_detect, exchange2003_read};

}  // namespace carom::formats
