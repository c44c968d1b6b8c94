// Zoho Mail (X-ZohoMail): after Exim's sentences, one line per recipient,
//   "user@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action ..." or
//   "[Status: Error, Address: <user@example.org>, ResponseCode 421, , Host not reachable.]"
#include "formats/markers.hh"
#include "formats/provider_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "ERROR_CODE",
    "[Status: ",
};

bool zoho_detect(const Input &in) {
    if (!(body_has(in, BODY_MARKER("ERROR_CODE")) || body_has(in, BODY_MARKER("[Status: ")))) return false;
    return in.msg.root.headers.has("X-ZohoMail") || hdr_has(in, "X-Mailer", "Zoho Mail") || hdr_has(in, "From", "zoho.com");
}

bool zoho_read(const Input &in, Extraction &ex) {
    const std::string_view text = before_original(in);
    const bool delayed = icontains(text, "THIS IS A WARNING MESSAGE ONLY");
    for (std::string_view raw : lines(text)) {
        std::string_view t = trim(raw);
        if (istarts_with(t, "Received:")) break;  // the original's headers follow
        std::string a, diag;
        if (istarts_with(t, "[Status:")) {
            std::size_t ad = ifind(t, "Address:");
            if (ad == std::string_view::npos) continue;
            a = find_address(t.substr(ad));
            diag = std::string(t);
        } else if (icontains(t, "ERROR_CODE")) {
            std::size_t sp = t.find(' ');
            if (sp == std::string_view::npos) continue;
            a = find_address(t.substr(0, sp));
            diag = std::string(trim(t.substr(sp)));
        }
        if (a.empty() || ex.records.size() >= max_records(in)) continue;
        Record &r = record_for(ex, a);
        r.diagnostic = squeeze(diag);
        if (delayed) r.action = "delayed";
        std::size_t rc = ifind(diag, "ResponseCode ");
        if (rc == std::string::npos) rc = ifind(diag, "ERROR_CODE :");
        if (rc != std::string::npos) {
            std::size_t c = diag.find_first_of(" :", rc + 10);
            std::size_t d = diag.find_first_of("0123456789", c == std::string::npos ? rc : c);
            if (d != std::string::npos && d < rc + 16) r.reply_code = find_reply_code(std::string_view(diag).substr(d));
        }
        fill_codes(r, "");
    }
    return !ex.records.empty();
}

}  // namespace

extern const Reader zoho_reader = {"zoho", markers(kMarkers), zoho_detect, zoho_read};

}  // namespace carom::formats
