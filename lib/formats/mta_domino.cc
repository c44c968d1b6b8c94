// IBM Lotus Domino. Subject "DELIVERY FAILURE: <reason>", body:
//
//   Your message
//
//     Subject: Hello
//
//   was not delivered to:
//
//     user@example.org
//
//   because:
//
//     User Some Name (user@example.org) not listed in Domino Directory
//
// Several addresses may be listed between "was not delivered to:" and "because:". The German
// notice has the same layout: "Ihre Nachricht ... wurde nicht zugestellt an: ... weil: ...".
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "was not delivered to:",
    "because:",
    "wurde nicht zugestellt an:",
    "weil:",
};

// The two labels of the layout, English or German.
struct Labels {
    std::string_view who, why;
};

bool domino_detect(const Input &in) {
    const Subject subject(in);
    if (istarts_with(subject, "DELIVERY FAILURE:") || istarts_with(subject, "DELIVERY_FAILURE:") ||
        istarts_with(subject, "Delivery Failure Report"))
        return true;
    return (body_has(in, BODY_MARKER("was not delivered to:")) && body_has(in, BODY_MARKER("because:"))) ||
           (body_has(in, BODY_MARKER("wurde nicht zugestellt an:")) && body_has(in, BODY_MARKER("weil:")));
}

bool domino_read(const Input &in, Extraction &ex) {
    const bool german = !body_has(in, BODY_MARKER("was not delivered to:")) &&
                        body_has(in, BODY_MARKER("wurde nicht zugestellt an:"));
    const Labels l = german ? Labels{"wurde nicht zugestellt an:", "weil:"} : Labels{"was not delivered to:", "because:"};
    std::string_view who = block_after(in.body, l.who, {l.why});
    std::string_view why = block_after(in.body, l.why, {"--", "Content-Type:", "Reporting-MTA:"});
    // The reason is the first paragraph after "because:".
    std::string reason;
    for (std::string_view line : lines(why)) {
        if (trim(line).empty()) {
            if (!reason.empty()) break;
            continue;
        }
        if (!reason.empty()) reason += ' ';
        reason += std::string(trim(line));
    }
    if (reason.empty()) {
        const Subject subject(in);
        std::size_t c = subject.view().find(':');
        if (c != std::string_view::npos) reason = std::string(trim(subject.view().substr(c + 1)));
    }
    std::vector<Record> out;
    for (std::string_view line : lines(who)) {
        std::string a = find_address(line);
        if (a.empty()) continue;
        Record r;
        r.recipient = a;
        r.diagnostic = reason;
        out.push_back(std::move(r));
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader domino_reader = {"domino", markers(kMarkers), domino_detect, domino_read};

}  // namespace carom::formats
