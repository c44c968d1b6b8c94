// Auto-replies (RFC 3834 and the de-facto markers of out-of-office responders), and the subject
// prefixes of a person's reply or forward, which tell quoted words from a message's own.
// See docs/mime.md ("Auto-replies").
#pragma once

#include <string_view>

#include "base/model.hh"
#include "mime/message.hh"

namespace carom::report {

// An auto-reply (Auto-Submitted: auto-replied, X-Autoreply and the like, or an auto-reply subject
// on a message sent as responders send): one record, the responder's address with the subject as
// its diagnostic; ex.format = "rfc3834". Never a delivery report, a message from a mailer-daemon,
// or one marked "Auto-Submitted: no".
bool read_auto_reply(const mime::Message &msg, Extraction &ex);

// True when the subject opens with the prefix a person's mail program puts on a reply or a
// forward ("Re:", "AW:", "Fwd:", "WG:", "RV:", "回复:", "Re[2]:", ...): the message answers or
// passes on another, so words of that other message (an auto-reply's, a bounce's) in its subject
// or body are quoted, not its own.
bool reply_or_forward_subject(std::string_view subject);
// Which of the two the prefix is (Re:, AW:, SV:, 回复: ... answer; Fwd:, WG:, TR:, RV:, 転送: ... pass on).
enum class SubjectPrefix { none, reply, forward };
SubjectPrefix subject_prefix(std::string_view subject);


}  // namespace carom::report
