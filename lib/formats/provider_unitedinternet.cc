// GMX and 1&1 (IONOS), both United Internet (X-UI-* headers): one reader of Exim's letter
// (provider_eximletter.hh) as they rewrite it, under two names, each with its own detect step.
// Flat lines, each address on its own line, "Reason:" / "For the following reason:" labels, "SMTP
// error from remote server after RCPT command:" and "host: mx.example.org", then "--- The header of
// the original message is following. ---".
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
    "--- The header of the original message is following",
    "For the following reason",
};

bool gmx_detect(const Input &in) {
    if (!body_has(in, BODY_MARKER("could not be delivered"))) return false;
    return from_has(in, "gmx.") || in.msg.root.headers.has("X-GMX-Antispam") ||
           in.msg.root.headers.has("X-GMX-Antivirus");
}

bool einsundeins_detect(const Input &in) {
    if (!(body_has(in, BODY_MARKER("could not be delivered")) &&
          (body_has(in, BODY_MARKER("--- The header of the original message is following")) ||
           body_has(in, BODY_MARKER("For the following reason")))))
        return false;
    return from_has(in, "kundenserver") || from_has(in, "1and1") || from_has(in, "1und1") ||
           from_has(in, "ionos") || in.msg.root.headers.has("X-UI-Out-Filterresults");
}

bool unitedinternet_read(const Input &in, Extraction &ex) {
    return exim_permanent(in, ex, read_exim_blocks(english_part(exim_letter(in)), true, ex, max_records(in)));
}

}  // namespace

extern const Reader gmx_reader = {"gmx", markers(kMarkers), gmx_detect, unitedinternet_read};
extern const Reader einsundeins_reader = {"einsundeins", markers(kMarkers), einsundeins_detect, unitedinternet_read};

}  // namespace carom::formats
