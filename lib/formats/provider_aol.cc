// AOL's own notices of the 1990s, before its relays sent sendmail's reports: one sentence, then
// the recipients' screen names, one to a line, indented and without a domain:
//
//   Your mail to the following recipients could not be delivered because they are not
//   accepting mail from sender@example.org:
//   	screenname
//
// The sender is MAILER-DAEMON at AOL's domain; a screen name is a mailbox at that domain.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

constexpr std::string_view kStart = "mail to the following recipients could not be delivered";

constexpr std::string_view kMarkers[] = {
    kStart,
};

// "aol.com" from MAILER-DAEMON@aol.com; "" unless the sender is AOL's mail system.
std::string aol_domain(const Input &in) {
    const std::string from = lower(find_address(header(in, "From")));
    const std::size_t at = from.find('@');
    if (at == std::string::npos) return "";
    const std::string local = from.substr(0, at), domain = from.substr(at + 1);
    if (local != "mailer-daemon" && local != "postmaster") return "";
    if (!(istarts_with(domain, "aol.") || icontains(domain, ".aol."))) return "";
    return domain;
}

bool aol_detect(const Input &in) {
    return body_has(in, BODY_MARKER(kStart)) && !aol_domain(in).empty();
}

bool aol_read(const Input &in, Extraction &ex) {
    const std::string domain = aol_domain(in);
    const std::string_view text = before_original(in);
    std::size_t start = ifind(text, kStart);
    if (start == std::string_view::npos || domain.empty()) return false;
    const std::size_t line_start = text.rfind('\n', start);
    start = line_start == std::string_view::npos ? 0 : line_start + 1;  // "Your mail ..."

    const auto ls = lines(text.substr(start));
    std::string sentence;
    std::size_t i = 0;
    // The sentence runs up to its colon, over one or more lines.
    for (; i < ls.size(); ++i) {
        std::string_view t = trim(ls[i]);
        sentence.append(t).push_back(' ');
        if (!t.empty() && t.back() == ':') break;
    }
    std::string diagnostic = squeeze(sentence);  // every recipient's
    if (!diagnostic.empty() && diagnostic.back() == ':') diagnostic.pop_back();
    std::vector<Record> out;
    for (++i; i < ls.size(); ++i) {
        std::string_view t = trim(ls[i]);
        if (t.empty()) {
            if (out.empty()) continue;
            break;
        }
        if (t.find_first_of(" \t") != std::string_view::npos) break;  // prose again: the list ended
        Record r;
        r.recipient = t.find('@') == std::string_view::npos ? std::string(t) + "@" + domain : find_address(t);
        if (r.recipient.empty()) break;
        r.action = "failed";
        r.diagnostic = diagnostic;
        out.push_back(std::move(r));
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader aol_reader = {"aol", markers(kMarkers), aol_detect, aol_read};

}  // namespace carom::formats
