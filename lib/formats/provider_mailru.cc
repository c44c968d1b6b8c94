// Mail.Ru: Exim's letter (provider_eximletter.hh) after a Russian paragraph with the list of failed
// addresses, "**********************", then the English letter with the same list again
// (addresses are merged):
//       user@example.org
//         SMTP error from remote mail server after RCPT TO:<user@example.org>:
//         host mx.example.org [192.0.2.1]: 550 5.1.1 <user@example.org>... User unknown
#include "formats/markers.hh"
#include "formats/provider_common.hh"
#include "formats/provider_eximletter.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "could not be delivered",
    "не может быть доставлено",
};

bool mailru_detect(const Input &in) {
    // The body's phrases first (bit tests), the headers (searches) only when they are there.
    if (!(body_has(in, BODY_MARKER("could not be delivered")) || body_has(in, BODY_MARKER("не может быть доставлено"))))
        return false;
    return from_has(in, "mail.ru") || in.msg.root.headers.has("X-Mailru-Intl-Transport") ||
           in.msg.root.headers.has("X-Mras");
}

bool mailru_read(const Input &in, Extraction &ex) {
    return exim_permanent(in, ex, read_exim_blocks(exim_letter(in), false, ex, max_records(in)));
}

}  // namespace

extern const Reader mailru_reader = {"mailru", markers(kMarkers), mailru_detect, mailru_read};

}  // namespace carom::formats
