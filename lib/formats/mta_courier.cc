// Courier MTA. Its notices always have a text part in a fixed layout, and usually (not always:
// older releases, and local delivery failures, send the text alone) an RFC 3464 part:
//
//   This is a delivery status notification from mx.example.com,
//   running the Courier mail server, version 0.65.2.
//   ...
//                              UNDELIVERABLE MAIL
//
//   Your message to the following recipients cannot be delivered:
//
//   <user@example.org>:
//       mx.example.org [192.0.2.1]:
//   >>> RCPT TO:<user@example.org>
//   <<< 550 5.1.1 <user@example.org>... User unknown
//
// ">>>" is the last command Courier sent, "<<<" the remote reply (several lines when the reply
// is multi-line). A local failure has no host/command lines, only the reason indented under the
// address. The delay notice says "DELAYS IN DELIVERING YOUR MESSAGE" / "has not been delivered
// yet". The RFC 3464 part gives only Status 5.0.0 and lacks the command, so the text fills it.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

constexpr std::string_view kSignature = "running the Courier mail server";

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    kSignature,
    "UNDELIVERABLE MAIL",
};

bool courier_detect(const Input &in) {
    return body_has(in, BODY_MARKER(kSignature)) ||
           (body_has(in, BODY_MARKER("UNDELIVERABLE MAIL")) && header_has(in, "Message-ID", "courier"));
}

bool courier_read(const Input &in, Extraction &ex) {
    std::string_view body = in.body;
    std::size_t p = ifind(body, "the following recipients");
    if (p == std::string_view::npos) return false;
    std::string_view text = block_after(body.substr(p), "the following recipients",
                                        {"-----", "If your message was also sent", "--", "Content-Type:"});
    const bool delayed = icontains(body, "DELAYS IN DELIVERING") || icontains(body, "has not been delivered yet");
    std::vector<Record> out;
    std::vector<std::string> replies;
    for (std::string_view raw : lines(text)) {
        std::string_view s = trim(raw);
        if (s.empty()) continue;
        if (s.front() == '<' && s.back() == ':' && s.find('@') != std::string_view::npos) {
            Record r;
            r.recipient = find_address(s);
            if (r.recipient.empty()) continue;
            if (delayed) r.action = "delayed";
            out.push_back(std::move(r));
            replies.emplace_back();
            continue;
        }
        if (out.empty()) continue;
        Record &r = out.back();
        if (s.rfind(">>>", 0) == 0) {
            std::string_view cmd = trim(s.substr(3));
            r.command = find_command(cmd);
            if (r.command.empty()) r.command = std::string(cmd.substr(0, cmd.find_first_of(" :")));
            continue;
        }
        if (s.rfind("<<<", 0) == 0) {
            if (!replies.back().empty()) replies.back() += ' ';
            replies.back() += std::string(trim(s.substr(3)));
            continue;
        }
        if (s.back() == ':' && s.find('[') != std::string_view::npos) {
            r.remote_mta = host_before_bracket(s, s.find('['));
            continue;
        }
        if (!r.diagnostic.empty()) r.diagnostic += ' ';
        r.diagnostic += std::string(s);
    }
    for (std::size_t i = 0; i < out.size(); ++i)
        if (!replies[i].empty()) out[i].diagnostic = replies[i];
    std::string reporting;
    std::size_t f = ifind(body, "This is a delivery status notification from ");
    if (f != std::string_view::npos) {
        std::string_view h = body.substr(f + 44);
        h = h.substr(0, h.find_first_of(", \n"));
        reporting = std::string(h);
    }
    for (Record &r : out) r.reporting_mta = reporting;
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader courier_reader = {"courier", markers(kMarkers), courier_detect, courier_read};

}  // namespace carom::formats
