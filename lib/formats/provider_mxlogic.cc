// MXLogic (McAfee SaaS): Exim's letter (provider_eximletter.hh) with "<user@example.org>: 550 ..."
// on one line, then "Included is a copy of the message header:".
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
};

bool mxlogic_detect(const Input &in) {
    if (!body_has(in, BODY_MARKER("could not be delivered"))) return false;  // a bit test before the headers
    bool h = from_has(in, "mxlogic") || in.msg.root.headers.has("X-MX-Bounce") ||
             in.msg.root.headers.has("X-MXL-NoteHash") || in.msg.root.headers.has("X-MXL-Hash");
    if (!h) {
        // The bounce's own Received: "by mxlNN.example.net (mxl_mta-6.5.0-5)".
        for (const auto &f : in.msg.root.headers.fields)
            if (f.name.size() == 8 && istarts_with(f.name, "received") && icontains(f.value, "mxl_mta")) h = true;
    }
    return h;
}

bool mxlogic_read(const Input &in, Extraction &ex) {
    return exim_permanent(in, ex, read_exim_blocks(english_part(exim_letter(in)), false, ex, max_records(in)));
}

}  // namespace

extern const Reader mxlogic_reader = {"mxlogic", markers(kMarkers), mxlogic_detect, mxlogic_read};

}  // namespace carom::formats
