// Challenge-response requests and antivirus / content-filter notices: messages that answer mail
// without being delivery reports, and are backscatter by nature (docs/backscatter.md, tier 4).
#pragma once

#include "base/model.hh"
#include "mime/message.hh"

namespace carom {

// A challenge-response system asks the (claimed) sender to prove it is human.
bool is_challenge(const mime::Message &msg);
// A machine-generated antivirus or content-filter notice about a message "from you".
bool is_virus_notice(const mime::Message &msg);

// Adds one record for a challenge or an antivirus notice and sets ex.notice ("challenge" /
// "virusnotice") and ex.format; false for any other message. Called when no reader found a
// bounce.
bool read_notice(const mime::Message &msg, Extraction &ex);

}  // namespace carom
