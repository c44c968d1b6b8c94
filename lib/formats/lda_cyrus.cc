// Cyrus IMAP's Sieve "reject" action (lmtpd). Like Dovecot's, the refusal is a disposition
// notification with a fixed text:
//
//   Subject: Automatically rejected mail
//   Auto-Submitted: auto-replied (rejected)
//
//   Your message was automatically rejected by Sieve, a mail
//   filtering language.
//
//   The following reason was given:
//   <the script's reason>
//
//   [message/disposition-notification]
//   Reporting-UA: imap.example.org; Cyrus sieve 2.4.17
//   Final-Recipient: rfc822; user@example.org
//   Disposition: automatic-action/MDN-sent-automatically; deleted
//
// Cyrus's other refusals (unknown mailbox, over quota) happen during LMTP and reach the sender
// inside the MTA's own bounce, where the MTA reader and the rules read them.
#include "formats/markers.hh"
#include "formats/lda_common.hh"
#include "formats/reader.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "automatically rejected by Sieve",
};

bool cyrus_detect(const Input &in) {
    if (icontains(mdn_field(in, "Reporting-UA"), "Cyrus")) return true;
    return body_has(in, BODY_MARKER("automatically rejected by Sieve"));
}

bool cyrus_read(const Input &in, Extraction &ex) {
    Record r;
    r.recipient = find_address(mdn_field(in, "Final-Recipient"));
    if (r.recipient.empty()) r.recipient = find_address(mdn_field(in, "Original-Recipient"));
    if (r.recipient.empty()) return false;
    r.recipient_source = "dsn";
    r.diagnostic = paragraph_after(in.body, "The following reason was given:");
    if (r.diagnostic.empty()) r.diagnostic = paragraph_after(in.body, "rejected by Sieve");
    add_refusal(in, std::move(r), ex, "cyrus");
    return true;
}

}  // namespace

extern const Reader cyrus_reader = {"cyrus", markers(kMarkers), cyrus_detect, cyrus_read};

}  // namespace carom::formats
