// Exception-free view of one email as a MIME tree. Parsing enforces the limits before any parser
// sees the bytes, normalises line ends (CRLF and bare CR become LF, so the three variants of a
// message give identical results) and decodes transfer encodings and charsets to UTF-8.
//
// Header fields are views (std::string_view): into the Message's own copy of the input (or into
// the caller's input itself, for parse(..., Bytes::borrow)), or into blocks of an Arena that the
// Message (or a Headers from parse_headers) keeps alive. The
// other strings of a Part are owned. A copy of a Part's Headers taken from a Message views the
// Message's storage: it must not outlive the Message.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "carom.h"
#include "base/limits.hh"

namespace carom::mime {

// Bump allocator for the bytes header fields point into. Blocks are heap arrays that never move
// (a view into a short std::string would move with it), freed together with the arena.
class Arena {
public:
    // n bytes that stay put until the arena dies.
    char *alloc(std::size_t n);
    std::string_view copy(std::string_view s);

private:
    std::vector<std::unique_ptr<char[]>> blocks_;
    char *cur_ = nullptr;
    std::size_t left_ = 0;
};

struct Field {
    std::string_view name;   // as written
    std::string_view value;  // unfolded, leading/trailing white space trimmed; raw (RFC 2047 words NOT decoded)
};

struct Headers {
    std::vector<Field> fields;
    // Owns the bytes of the fields when they are not the Message's (parse_headers, add); shared,
    // so a copy of the Headers stays valid.
    std::shared_ptr<Arena> own;
    // Appends a field whose bytes are copied into `own`.
    void add(std::string_view name, std::string_view value);
    // First field of that name (ASCII case-insensitive), or nullptr.
    const std::string_view *get(std::string_view name) const;
    // The first field's value with RFC 2047 words decoded to UTF-8; "" when absent.
    std::string decoded(std::string_view name) const;
    bool has(std::string_view name) const { return get(name) != nullptr; }
    // Every field of that name, in order.
    std::vector<const std::string_view *> all(std::string_view name) const;
};

struct Part {
    Headers headers;
    std::string type = "text", subtype = "plain";  // lower case
    std::string charset;                            // lower case, as declared ("" if none)
    std::string boundary;
    std::string report_type;                        // multipart/report's report-type, lower case
    std::string body;                               // leaf: transfer-decoded bytes (raw charset) when they
                                                    // differ from `text` (a charset was converted), and of
                                                    // application/* when <= text_bytes; empty when `text`
                                                    // holds them unchanged (ASCII, UTF-8), for image/audio/
                                                    // video and for non-plain leaves inside attached
                                                    // messages. Read `text.empty() ? body : text`.
    std::string text;                               // leaf text/* and message/* (not rfc822): UTF-8
    std::vector<Part> children;                     // multipart: its parts; message/rfc822, message/global:
                                                    // one child, the message; text/rfc822-headers,
                                                    // message/global-headers: one child holding the headers
    bool is(std::string_view t, std::string_view s) const { return type == t && subtype == s; }
    bool multipart() const { return type == "multipart"; }
};

struct Message {
    Part root;          // root.headers are the bounce's own headers
    std::size_t parts = 0;
    // The copy of the input (line ends normalised; not with Bytes::borrow when the input had no
    // CR: the fields then view the caller's bytes), decoded attached messages, header blocks
    // read from texts and unfolded values: every header field of the tree points in here.
    std::shared_ptr<Arena> store;
};

// What parse() does with the input bytes. `copy`: the Message keeps its own copy (line ends
// normalised) and never depends on the caller's buffer. `borrow`: when the bytes have no CR to
// normalise, the tree views them where they are (no copy), so they must stay alive and unchanged
// for as long as the Message (and any view taken from it) is used; input with CRs is copied as
// with `copy`.
enum class Bytes { copy, borrow };

// Parses bytes into `out`. Returns CAROM_OK, or the limit/format status that stopped it with a
// message in `error` (CAROM_E_TOO_LARGE, CAROM_E_HEADER_TOO_LONG, CAROM_E_TOO_DEEP,
// CAROM_E_TOO_MANY_PARTS, CAROM_E_NOT_EMAIL, CAROM_E_EMPTY, CAROM_E_HEADERS_TOO_LARGE).
carom_status_t parse(std::string_view bytes, const Limits &limits, Message &out, std::string &error,
                     Bytes mode = Bytes::copy);

// Parses a header block (RFC 5322 fields, folded lines) that ends at the first blank line or at
// the end of the text; the last field is kept even without a closing blank line. `rest`, when not
// null, receives the offset just past the blank line (or text.size()). The Headers own a copy of
// the block: they may outlive `text`.
Headers parse_headers(std::string_view text, std::size_t *rest = nullptr);

// CRLF and bare CR → LF.
std::string normalize_newlines(std::string_view bytes);

// RFC 2047 encoded words → UTF-8 (invalid bytes replaced, never thrown).
std::string decode_words(std::string_view raw);

// Converts bytes in `charset` (any label ICU knows, plus common misspellings) to UTF-8. Unknown
// charsets are treated as windows-1252 when the bytes are not valid UTF-8.
std::string to_utf8(std::string_view bytes, std::string_view charset);

// Depth-first search for the first part of type/subtype (either may be "*"), or nullptr.
const Part *find(const Part &root, std::string_view type, std::string_view subtype);

// The human-readable text of the message: the UTF-8 text of text/plain leaves outside attached
// messages (text/html stripped of tags when there is no text/plain), joined by newlines.
std::string body_text(const Message &msg);

// The same text without a copy when a single non-empty text/plain leaf makes it up (the common
// case): returns that leaf's `text`; otherwise builds the text in `scratch` and returns it. The
// reference lives as long as `msg` and `scratch`.
const std::string &body_text(const Message &msg, std::string &scratch);

}  // namespace carom::mime
