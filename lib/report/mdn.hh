// Message disposition notifications (RFC 8098): read receipts, told apart from the MDN-shaped
// refusals of Sieve and delivery agents.
#pragma once

#include "mime/message.hh"

namespace carom::report {

// A read receipt: a multipart/report with report-type=disposition-notification, or a
// message/disposition-notification part, outside attached messages; not when the message also
// holds a delivery-status part, nor when the disposition is an automatic "deleted" (a refusal,
// read as a bounce by lib/formats/lda_*.cc).
bool is_mdn(const mime::Message &msg);

}  // namespace carom::report
