// Feedback reports: ARF (RFC 5965, message/feedback-report in a multipart/report) and the
// variants mailbox providers send. See docs/mime.md ("ARF").
#pragma once

#include "base/model.hh"
#include "mime/message.hh"

namespace carom::report {

// ARF (message/feedback-report and variants): one record per reported recipient, class feedback.
bool read_arf(const mime::Message &msg, Extraction &ex);

}  // namespace carom::report
