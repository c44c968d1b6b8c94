// The header-block reader shared by the MIME tree (message.cc) and parse_headers (headers.cc).
// Internal to lib/mime.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "carom.h"
#include "mime/message.hh"

namespace carom::mime {

struct HeaderLimits {
    std::uint64_t line, block;  // header_line_bytes, header_bytes
};

// Reads one header block into `h`. Stops at the first blank (or white-space-only) line, or at the
// first line that is neither a field nor a continuation (the body starts there), or at the end of
// the text: the last field is kept in every case. `rest` receives where the body starts (past the
// blank line). With `top`, a first line that is an mbox "From " separator is skipped. Unfolded
// values are views of `text` when they fit on one line, else joined into `arena`. `lim` null:
// no limits; otherwise a block or field over its limit stops with a status and `error`.
carom_status_t read_headers(std::string_view text, const HeaderLimits *lim, bool top, Arena &arena, Headers &h,
                            std::size_t &rest, std::string &error);

}  // namespace carom::mime
