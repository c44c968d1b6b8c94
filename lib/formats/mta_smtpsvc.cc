// The "automatically generated Delivery Status Notification" of Microsoft's SMTP service (SMTPSVC:
// IIS SMTP, the transport of Exchange 2000/2003 and of the older Hotmail; its notices carry
// X-DSNContext):
//
//   This is an automatically generated Delivery Status Notification.
//
//   Delivery to the following recipients failed.
//
//          user@example.org
//
// and a framed variant of the same text whose maker is unknown (Sisimai's "X3"; the output keeps
// that format name, "x3", for both):
//
//   ============================================================================
//         This is an automatically generated Delivery Status Notification.
//
//   Delivery to the following recipients failed permanently:
//
//      * user@example.org
//
//   ============================================================================
//                               Technical details:
//
//   SMTP:RCPT host 192.0.2.1: 553 5.3.0 <user@example.org>... No such user here
//
// ("Delevery" in some versions; "was aborted after N second(s)" for local aborts). The
// technical details name the SMTP command and the remote host. An RFC 3464 part may follow.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "This is an automatically generated Delivery Status Notification",
    "to the following recipients",
    "to the following recipients has been delayed",
};

bool smtpsvc_detect(const Input &in) {
    return body_has(in, BODY_MARKER("This is an automatically generated Delivery Status Notification")) &&
           body_has(in, BODY_MARKER("to the following recipients"));
}

bool smtpsvc_read(const Input &in, Extraction &ex) {
    std::string_view list = block_after(in.body, "to the following recipients", {"=====", "Technical details", "--"});
    std::string_view tech = block_after(in.body, "Technical details:", {"=====", "--"});
    std::string diag = squeeze(tech);
    const bool delayed = body_has(in, BODY_MARKER("to the following recipients has been delayed"));
    std::vector<Record> out;
    for (std::string_view l : lines(list)) {
        std::string_view s = trim(l);
        if (!istarts_with(s, "*")) continue;
        Record r;
        r.recipient = find_address(s.substr(1));
        if (r.recipient.empty()) continue;
        r.diagnostic = diag;
        if (delayed) r.action = "delayed";
        // "SMTP:RCPT host 192.0.2.1: 553 ..."
        if (istarts_with(diag, "SMTP:")) {
            std::string_view v = std::string_view(diag).substr(5);
            std::size_t sp = v.find(' ');
            std::string verb(v.substr(0, sp));
            if (verb == "RCPT" || verb == "MAIL" || verb == "DATA" || verb == "EHLO" || verb == "HELO") r.command = verb;
            std::size_t h = ifind(v, "host ");
            if (h != std::string_view::npos) {
                std::size_t e = v.find_first_of(": ", h + 5);
                r.remote_mta = std::string(v.substr(h + 5, e == std::string_view::npos ? std::string_view::npos : e - h - 5));
            }
        }
        out.push_back(std::move(r));
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader smtpsvc_reader = {"x3", markers(kMarkers), smtpsvc_detect, smtpsvc_read};

}  // namespace carom::formats
