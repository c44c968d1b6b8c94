// Finding the parts of a message the report readers look at (internal to lib/report): a walk over
// the MIME tree that tells whether a part is inside an attached message, the delivery-status
// parts, the attached original's headers, and a fast byte search for the readers' markers.
#pragma once

#include <cstring>
#include <string_view>

#include "mime/message.hh"

namespace carom::report {

// Calls f(part, inside_attached_message) for every part, depth-first: a part under a message/*
// part with children is inside an attached message (a returned original, a forwarded bounce).
template <class F>
void walk(const mime::Part &p, bool inside, F &&f) {
    using namespace std::string_view_literals;
    f(p, inside);
    const bool attached = p.type == "message"sv && !p.children.empty();
    for (const mime::Part &c : p.children) walk(c, inside || attached, f);
}

// message/delivery-status, its RFC 6533 form message/global-delivery-status, and the
// x-delivery-status some MTAs write.
inline bool is_delivery_status(const mime::Part &p) {
    using namespace std::string_view_literals;
    return p.subtype == "delivery-status"sv || p.subtype == "global-delivery-status"sv ||
           p.subtype == "x-delivery-status"sv;
}

// The headers of the first attached message or header block outside attached messages
// (message/rfc822, message/global, message/news, message/global-headers, message/rfc822-headers,
// text/rfc822-headers): the returned original of a bounce, the reported message of an ARF
// report. Null when there is none.
const mime::Headers *attached_headers(const mime::Message &msg);

// Offset of needle in hay at or after `from`, or npos (glibc's memmem: linear, and much faster
// than std::string::find on text where the needle's first byte is common).
inline std::size_t find_bytes(std::string_view hay, std::string_view needle, std::size_t from) {
    if (from >= hay.size()) return std::string_view::npos;
    const void *p = memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
    return p ? static_cast<std::size_t>(static_cast<const char *>(p) - hay.data()) : std::string_view::npos;
}

}  // namespace carom::report
