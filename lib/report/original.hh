// The returned original of a bounce: the message or headers attached to it (message/rfc822,
// text/rfc822-headers, message/global-headers, ...) or, failing that, a header block quoted in
// its text. See docs/mime.md ("The returned original").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/model.hh"
#include "mime/message.hh"

namespace carom::report {

// The header block quoted in a text body that read_original falls back to: true and `out` filled
// when the text holds one. A block is a run of lines that starts at a paragraph or after a
// non-field line (such as "----- Original message -----"), holds no delivery-status field, and
// either (flush left) parses as at least three fields of an original message (From, To, Subject,
// Message-ID, Received, ...) including From, Message-ID, Subject or Received, or (indented, as in
// "Your message\n  To: ...\n  Subject: ...") as at least two including From, Message-ID or
// Subject. The fields are those mime::parse_headers reads from the block's first line on (for an
// indented block: from the block without its indentation). Exposed for the unit tests.
bool quoted_headers(std::string_view text, mime::Headers &out);

// The returned original: fills ex.original from the attached message or headers, or from headers
// quoted in the body. `extra` names additional headers to keep (lower case). The Received chain
// (out.received, long strings read only by the backscatter relay check) is copied only when
// `received` is true.
void read_original(const mime::Message &msg, const std::vector<std::string> &extra, Original &out,
                   bool received = true);

}  // namespace carom::report
