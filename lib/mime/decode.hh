// The small decoders of the MIME layer, written here rather than taken from mimetic (see
// docs/mime.md): each is total (any input gives an output, nothing throws except bad_alloc),
// linear in its input, and tolerant of the broken forms mailers write.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.hh"

namespace carom::mime {

// Base64 (RFC 2045 6.8). Characters outside the alphabet (white space, junk) are skipped; '='
// ends the current 4-character quantum, so missing padding and concatenated encodings decode.
std::string decode_base64(std::string_view in);

// Quoted-printable (RFC 2045 6.7): "=XX" (either case), soft line breaks "=\n" (also with white
// space between '=' and the line end). A '=' not followed by two hex digits is kept literally.
// With `q` set, decodes RFC 2047's Q encoding instead ('_' is a space, no soft breaks).
std::string decode_qp(std::string_view in, bool q = false);

// RFC 2231 / RFC 2045 parameter list of a structured header (the part after "type/subtype").
// Names are lower-cased; values are unquoted, continuations joined, RFC 2231 charsets and
// (non-standard but common) RFC 2047 words decoded to UTF-8. First occurrence of a name wins.
using Params = std::vector<std::pair<std::string, std::string>>;
Params parse_params(std::string_view in);

struct ContentType {
    std::string type, subtype;  // lower case; empty when the value has no "type/subtype"
    Params params;
    const std::string *param(std::string_view name) const;  // name in lower case
};
ContentType parse_content_type(std::string_view value);

// The common Content-Type forms without a single allocation: views into `value` of the type and
// subtype (not lower-cased; empty when the value has no "type/subtype") and of the first
// charset, boundary and report-type parameters (has_* false when absent). Returns false, leaving the
// work to parse_content_type(), for comments, RFC 2231 sections, quoted pairs and encoded words;
// otherwise the result is the one parse_content_type() gives, before lower-casing.
struct QuickContentType {
    std::string_view type, subtype;
    bool has_charset = false, has_boundary = false, has_report_type = false;
    std::string_view charset, boundary, report_type;
};
bool quick_content_type(std::string_view value, QuickContentType &out);

// to_utf8() without the copy when nothing changes: returns false when the UTF-8 text is `bytes`
// as they are (ASCII, valid UTF-8 under a UTF-8 or sniffed label; `out` untouched), true when
// `out` received the converted text.
bool to_utf8_into(std::string_view bytes, std::string_view charset, std::string &out);

// Splits a multipart body at its "--boundary" lines (lib/mime/message.cc; declared here for the
// tests). Delimiters count only at a line start with nothing but white space (or "--") after.
std::vector<std::string_view> split_multipart(std::string_view body, std::string_view boundary);

// True when the bytes are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool valid_utf8(std::string_view s);

// Strips tags from HTML, drops <script>/<style>/<head> content, turns block tags and <br> into
// line breaks and decodes the common character references. Input and output UTF-8.
std::string html_to_text(std::string_view html);

}  // namespace carom::mime
