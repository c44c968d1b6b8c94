// See mdn.hh.
#include "base/strings.hh"
#include "report/mdn.hh"

#include "mime/decode.hh"
#include "report/parts.hh"

namespace carom::report {

using namespace std::string_view_literals;

bool is_mdn(const mime::Message &msg) {
    bool mdn = false, dsn = false, rejected = false;
    walk(msg.root, false, [&](const mime::Part &p, bool inside) {
        if (inside) return;
        if (p.report_type == "disposition-notification"sv ||
            (p.type == "message"sv &&
             (p.subtype == "disposition-notification"sv || p.subtype == "global-disposition-notification"sv)))
            mdn = true;
        if (is_delivery_status(p)) dsn = true;
        // "Disposition: automatic-action/MDN-sent-automatically; deleted" is how Sieve's reject
        // (RFC 5429 2.1) and delivery agents (Dovecot, Cyrus) refuse a message they accepted: a
        // bounce, read by lib/formats/lda_*.cc, not a receipt.
        if (p.type == "message"sv && p.subtype == "disposition-notification"sv) {
            const mime::Headers h = mime::parse_headers(p.text.empty() ? p.body : p.text);
            const std::string d = lower(h.decoded("Disposition"));
            if (d.find("automatic-action") != std::string::npos && d.find("deleted") != std::string::npos)
                rejected = true;
        }
    });
    return mdn && !dsn && !rejected;
}

}  // namespace carom::report
