// Dovecot's delivery agents (dovecot-lda, LMTP) and its Sieve plugin (Pigeonhole). When they
// refuse a message they already accepted (Sieve "reject", or a full mailbox with
// quota_full_tempfail off) they send a disposition notification, not a DSN:
//
//   Subject: Rejected: <original subject>
//   Auto-Submitted: auto-replied (rejected)
//   Content-Type: multipart/report; report-type=disposition-notification; ...
//
//   Your message to <user@example.org> was automatically rejected:
//   Quota exceeded (mailbox for user is full)
//
//   [message/disposition-notification]
//   Reporting-UA: mail.example.org; Dovecot Mail Delivery Agent
//   Final-Recipient: rfc822; user@example.org
//   Disposition: automatic-action/MDN-sent-automatically; deleted
//
// The sentence ("rejection_reason") and the subject ("rejection_subject") are configurable, the
// Reporting-UA is not; the reason text is Dovecot's own ("Quota exceeded (mailbox for user is
// full)", "Not enough disk space", "Mailbox doesn't exist: X") or the Sieve script's.
#include "formats/markers.hh"
#include "formats/lda_common.hh"
#include "formats/reader.hh"

namespace carom::formats {
namespace {

constexpr std::string_view kSentence = "was automatically rejected:";

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    kSentence,
    "Your message to <",
};

bool dovecot_ua(const Input &in) {
    const std::string ua = mdn_field(in, "Reporting-UA");
    return icontains(ua, "Dovecot") || icontains(ua, "Pigeonhole");
}

bool dovecot_detect(const Input &in) {
    if (dovecot_ua(in)) return true;
    return body_has(in, BODY_MARKER("Your message to <")) && body_has(in, BODY_MARKER(kSentence));
}

bool dovecot_read(const Input &in, Extraction &ex) {
    Record r;
    std::size_t p = ifind(in.body, "Your message to ");
    if (p != std::string_view::npos) {
        std::string_view line = std::string_view(in.body).substr(p);
        line = line.substr(0, line.find('\n'));
        r.recipient = find_address(line);
    }
    if (r.recipient.empty()) r.recipient = find_address(mdn_field(in, "Final-Recipient"));
    if (r.recipient.empty()) return false;
    r.diagnostic = paragraph_after(in.body, kSentence);
    if (r.diagnostic.empty() && !dovecot_ua(in)) return false;
    add_refusal(in, std::move(r), ex, "dovecot");
    return true;
}

}  // namespace

extern const Reader dovecot_reader = {"dovecot", markers(kMarkers), dovecot_detect, dovecot_read};

}  // namespace carom::formats
