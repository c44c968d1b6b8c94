// hMailServer (Windows). Its notice borrows Outlook's opening sentence and then labels every
// fact on its own indented line under the failed address:
//
//   Your message did not reach some or all of the intended recipients.
//
//      Sent: Mon, 01 Jan 2018 10:00:00 +0100
//      Subject: Hello
//
//   The following recipient(s) could not be reached:
//
//   user@example.org
//      Error Type: SMTP
//      Remote server (192.0.2.1) issued an error.
//      hMailServer sent: RCPT TO:<user@example.org>
//      Remote server replied: 550 5.1.1 <user@example.org>: Recipient address rejected
//
//   hMailServer
//
// The diagnostic is the remote reply when there is one (else the explaining lines); the command
// is the one hMailServer sent; the remote host is named only by its address.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

constexpr std::string_view kList = "could not be reached:";

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    kList,
    "hMailServer",
    "did not reach some or all of the intended recipients",
};

std::string_view after_label(std::string_view s, std::string_view label) {
    return istarts_with(s, label) ? trim(s.substr(label.size())) : std::string_view();
}

bool hmailserver_detect(const Input &in) {
    return body_has(in, BODY_MARKER("hMailServer")) &&
           (body_has(in, BODY_MARKER(kList)) || body_has(in, BODY_MARKER("did not reach some or all of the intended recipients")));
}

bool hmailserver_read(const Input &in, Extraction &ex) {
    std::size_t p = ifind(in.body, kList);
    if (p == std::string_view::npos) return false;
    std::string_view text = block_after(std::string_view(in.body).substr(p), kList, {"--", "Content-Type:"});
    std::vector<Record> out;
    std::vector<std::string> replies;
    for (std::string_view raw : lines(text)) {
        std::string_view s = trim(raw);
        if (s.empty()) continue;
        const bool indented = raw.front() == ' ' || raw.front() == '\t';
        if (!indented) {
            std::string addr = s.find(' ') == std::string_view::npos ? find_address(s) : std::string();
            if (!addr.empty()) {
                Record r;
                r.recipient = addr;
                out.push_back(std::move(r));
                replies.emplace_back();
            }
            continue;
        }
        if (out.empty()) continue;
        Record &r = out.back();
        std::string_view v;
        if (!(v = after_label(s, "Error Type:")).empty()) {
            r.diagnostic_type = lower(v);
            continue;
        }
        if (!(v = after_label(s, "hMailServer sent:")).empty()) {
            r.command = find_command(v);
            if (r.command.empty()) r.command = std::string(v.substr(0, v.find_first_of(" :")));
            continue;
        }
        if (!(v = after_label(s, "Remote server replied:")).empty()) {
            replies.back() = std::string(v);
            continue;
        }
        if (istarts_with(s, "Remote server (")) {
            std::size_t e = s.find(')');
            if (e != std::string_view::npos) r.remote_mta = std::string(s.substr(15, e - 15));
        }
        if (!r.diagnostic.empty()) r.diagnostic += ' ';
        r.diagnostic += std::string(s);
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        if (!replies[i].empty()) out[i].diagnostic = replies[i];
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader hmailserver_reader = {"hmailserver", markers(kMarkers), hmailserver_detect, hmailserver_read};

}  // namespace carom::formats
