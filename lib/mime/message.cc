// The MIME tree: parts and their Content-Type, multipart splitting, attached messages, transfer
// decoding, body_text (header blocks: headers.cc).
// Written here instead of calling mimetic on the hot path; docs/mime.md gives the measurements
// and the list of mimetic defects this code avoids by construction.
#include "mime/message.hh"

#include <cstdint>
#include <cstring>

#include "base/strings.hh"
#include "mime/decode.hh"
#include "mime/headers.hh"

namespace carom::mime {

using namespace std::string_view_literals;

namespace {

struct Ctx {
    const Limits &lim;
    Arena &arena;
    std::size_t parts = 0;
    std::string error;
};

// True when the Content-Transfer-Encoding is one transfer_decode() changes bytes for.
bool needs_decoding(const Headers &h) {
    const std::string_view *cte = h.get("Content-Transfer-Encoding");
    if (!cte) return false;
    std::string_view v = trim(*cte);
    return istarts_with(v, "base64") || istarts_with(v, "quoted-printable");
}

std::string transfer_decode(std::string_view body, const Headers &h) {
    const std::string_view *cte = h.get("Content-Transfer-Encoding");
    if (!cte) return std::string(body);
    std::string_view v = trim(*cte);
    if (istarts_with(v, "base64")) return decode_base64(body);
    if (istarts_with(v, "quoted-printable")) return decode_qp(body);
    return std::string(body);
}

bool is_text_like(const Part &p) {
    if (p.type == "text"sv) return true;
    if (p.type != "message"sv) return false;
    // Every message/* leaf carries text fields: delivery-status, global-delivery-status,
    // feedback-report, disposition-notification, ...
    return true;
}

}  // namespace

// Splits a multipart body at "--boundary" lines. A delimiter counts only at the start of a line
// and only when the rest of the line is white space (or "--" for the close delimiter), so a
// boundary string inside a line, or a longer boundary that starts with this one, never splits.
// The close delimiter may be missing: the last part then runs to the end.
std::vector<std::string_view> split_multipart(std::string_view body, std::string_view boundary) {
    std::vector<std::string_view> parts;
    parts.reserve(4);  // a report's three parts and the odd fourth: no regrowth
    // The first line start at or after `from` that begins with the delimiter: a Horspool search
    // for "\n--boundary", which skips up to its length per step through the long parts (the
    // delimiter's leading '-' alone is everywhere in bounce text). Linear: the needle has a single
    // line break, at its start, so partial matches never overlap. One string holds the needle;
    // the delimiter is its tail. Skips are bytes (capped at 255, never more than the true shift),
    // so the table is set with one memset.
    std::string needle = "\n--";
    needle.append(boundary.data(), boundary.size());
    const std::string_view delim = std::string_view(needle).substr(1);
    std::size_t pos = 0;
    std::size_t part_start = std::string_view::npos;
    const std::size_t nl = needle.size();
    std::uint8_t skip[256];
    std::memset(skip, static_cast<int>(nl < 255 ? nl : 255), sizeof skip);
    for (std::size_t k = nl > 256 ? nl - 256 : 0; k + 1 < nl; ++k)
        skip[static_cast<unsigned char>(needle[k])] = static_cast<std::uint8_t>(nl - 1 - k);
    auto next_delim = [&](std::size_t from) -> std::size_t {
        if (from == 0 && body.compare(0, delim.size(), delim) == 0) return 0;
        std::size_t q = from == 0 ? 0 : from - 1;  // the '\n' before a line start >= from
        const char *h = body.data();
        const char last = needle[nl - 1];
        while (q + nl <= body.size()) {
            const char c = h[q + nl - 1];
            if (c == last && std::memcmp(h + q, needle.data(), nl - 1) == 0) return q + 1;
            q += skip[static_cast<unsigned char>(c)];
        }
        return std::string_view::npos;
    };
    while (pos <= body.size()) {
        std::size_t p = next_delim(pos);
        if (p == std::string_view::npos) break;
        std::size_t after = p + delim.size();
        std::size_t eol = body.find('\n', after);
        if (eol == std::string_view::npos) eol = body.size();
        std::string_view tail = body.substr(after, eol - after);
        bool close = tail.size() >= 2 && tail[0] == '-' && tail[1] == '-';
        if (!close && !is_blank(tail)) {
            pos = p + 1;
            continue;
        }
        if (part_start != std::string_view::npos) {
            std::size_t end = p > part_start ? p - 1 : part_start;  // the line break before the delimiter
            parts.push_back(body.substr(part_start, end - part_start));
        }
        if (close) return parts;
        part_start = eol < body.size() ? eol + 1 : body.size();
        pos = part_start;
    }
    if (part_start != std::string_view::npos && part_start < body.size()) parts.push_back(body.substr(part_start));
    else if (part_start != std::string_view::npos && parts.empty()) parts.push_back(std::string_view());
    return parts;
}

namespace {

carom_status_t parse_entity(std::string_view text, std::size_t depth, bool top, bool digest, bool attached, Ctx &ctx,
                            Part &out);

carom_status_t count_part(Ctx &ctx) {
    if (++ctx.parts <= ctx.lim.mime_parts()) return CAROM_OK;
    ctx.error = "more MIME parts than the mime_parts limit (" + std::to_string(ctx.lim.mime_parts()) + ")";
    return CAROM_E_TOO_MANY_PARTS;
}

carom_status_t check_depth(std::size_t depth, Ctx &ctx) {
    if (depth <= ctx.lim.mime_depth()) return CAROM_OK;
    ctx.error = "MIME nesting deeper than the mime_depth limit (" + std::to_string(ctx.lim.mime_depth()) + ")";
    return CAROM_E_TOO_DEEP;
}

// A header-only block (text/rfc822-headers, message/global-headers): one child holding them.
carom_status_t header_child(std::string_view text, Ctx &ctx, Part &out) {
    HeaderLimits hl{ctx.lim.header_line_bytes(), ctx.lim.header_bytes()};
    Part c;
    std::size_t rest = 0;
    // The text is the Part's own string, which moves with the Part: the fields point into a copy.
    carom_status_t st = read_headers(ctx.arena.copy(text), &hl, false, ctx.arena, c.headers, rest, ctx.error);
    if (st != CAROM_OK) return st;
    if (st = count_part(ctx); st != CAROM_OK) return st;
    out.children.push_back(std::move(c));
    return CAROM_OK;
}

// The part's type, subtype, charset, boundary and report-type from its Content-Type.
void read_content_type(Part &out) {
    const std::string_view *ctv = out.headers.get("Content-Type");
    if (!ctv) return;
    QuickContentType q;
    if (quick_content_type(*ctv, q)) {
        // The common forms: sliced, no parameter list built.
        if (!q.type.empty()) {
            out.type = lower(q.type);
            out.subtype = lower(q.subtype);
        }
        if (q.has_charset) out.charset = lower(trim(q.charset));
        if (q.has_boundary) out.boundary = std::string(q.boundary);
        if (q.has_report_type) out.report_type = lower(trim(q.report_type));
        return;
    }
    ContentType ct = parse_content_type(*ctv);
    if (!ct.type.empty()) {
        out.type = std::move(ct.type);
        out.subtype = std::move(ct.subtype);
    }
    if (const std::string *v = ct.param("charset")) out.charset = lower(trim(*v));
    if (const std::string *v = ct.param("boundary")) out.boundary = *v;
    if (const std::string *v = ct.param("report-type")) out.report_type = lower(trim(*v));
}

// A multipart's parts, each parsed as an entity of its own. False (and nothing parsed) when the
// body has no usable boundary.
bool parse_multipart(std::string_view body, std::size_t depth, bool attached, Ctx &ctx, Part &out, carom_status_t &st) {
    if (out.boundary.empty()) return false;
    std::vector<std::string_view> pieces = split_multipart(body, out.boundary);
    if (pieces.empty()) return false;
    out.children.reserve(pieces.size());
    st = CAROM_OK;
    for (std::string_view piece : pieces) {
        out.children.emplace_back();
        st = parse_entity(piece, depth + 1, false, out.subtype == "digest"sv, attached, ctx, out.children.back());
        if (st != CAROM_OK) break;
    }
    return true;
}

// A text-like leaf (or a header block) decoded to UTF-8 text, capped at text_bytes.
carom_status_t decode_text_leaf(std::string_view body, std::size_t depth, bool headers_block, Ctx &ctx, Part &out) {
    std::string_view capped = body.size() > ctx.lim.text_bytes() ? body.substr(0, ctx.lim.text_bytes()) : body;
    // The decoded bytes become the text as they are when the charset changes nothing (the usual
    // ASCII / UTF-8 part): one copy of the body, not two.
    std::string raw = transfer_decode(capped, out.headers);
    if (to_utf8_into(raw, out.charset, out.text)) out.body = std::move(raw);
    else out.text = std::move(raw);
    cut_utf8(out.text, ctx.lim.text_bytes());
    if (!headers_block) return CAROM_OK;
    if (carom_status_t st = check_depth(depth + 1, ctx); st != CAROM_OK) return st;
    return header_child(out.text, ctx, out);
}

bool is_headers_block(const Part &p) {
    return (p.type == "text"sv && (p.subtype == "rfc822-headers"sv || p.subtype == "rfc822-header"sv)) ||
           (p.type == "message"sv && (p.subtype == "global-headers"sv || p.subtype == "rfc822-headers"sv));
}

bool is_attached_message(const Part &p) {
    return p.type == "message"sv && (p.subtype == "rfc822"sv || p.subtype == "global"sv || p.subtype == "news"sv);
}

carom_status_t parse_entity(std::string_view text, std::size_t depth, bool top, bool digest, bool attached, Ctx &ctx,
                            Part &out) {
    if (carom_status_t st = count_part(ctx); st != CAROM_OK) return st;
    if (carom_status_t st = check_depth(depth, ctx); st != CAROM_OK) return st;
    HeaderLimits hl{ctx.lim.header_line_bytes(), ctx.lim.header_bytes()};
    std::size_t rest = 0;
    carom_status_t st = read_headers(text, &hl, top, ctx.arena, out.headers, rest, ctx.error);
    if (st != CAROM_OK) return st;
    std::string_view body = text.substr(rest);
    if (digest) {
        out.type = "message";
        out.subtype = "rfc822";
    }
    read_content_type(out);
    if (out.type == "multipart"sv) {
        if (parse_multipart(body, depth, attached, ctx, out, st)) return st;
        // A multipart without a usable boundary is read as plain text (the report-type is kept).
        out.type = "text";
        out.subtype = "plain";
    }
    if (is_attached_message(out)) {
        // Parsed where it lies unless it is base64 / quoted-printable encoded: the decoded bytes
        // are then kept in the arena, where its fields point.
        std::string_view inner = body;
        if (needs_decoding(out.headers)) inner = ctx.arena.copy(transfer_decode(body, out.headers));
        out.children.emplace_back();
        return parse_entity(inner, depth + 1, false, false, true, ctx, out.children.back());
    }
    // Inside an attached message only text/plain and report leaves are decoded: the returned
    // original's HTML and attachments are never read, and skipping them keeps big bounces fast.
    const bool wanted = !attached || out.type == "message"sv || (out.type == "text"sv && out.subtype == "plain"sv);
    if (is_headers_block(out) || (is_text_like(out) && wanted))
        return decode_text_leaf(body, depth, is_headers_block(out), ctx, out);
    // Other leaves: application/* (a report or original sometimes travels as octet-stream) is
    // transfer-decoded when small; images, audio and video never are. None is converted to text,
    // so a 15 MB attachment costs only the boundary scan.
    if (!attached && out.type == "application"sv && body.size() <= ctx.lim.text_bytes())
        out.body = transfer_decode(body, out.headers);
    return CAROM_OK;
}

// Appends the text/plain leaves to `out` (html false), or the text/html leaves converted to text
// (html true), each after a line break.
void collect_text(const Part &p, bool html, std::string &out) {
    if (p.multipart()) {
        for (const Part &c : p.children) collect_text(c, html, out);
        return;
    }
    if (p.type != "text"sv || p.subtype != (html ? "html" : "plain")) return;  // message/*, binaries
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
    if (html)
        out += html_to_text(p.text);
    else
        out += p.text;
}

// The text/plain leaves collect_text(p, false, ...) would join: counts them and keeps the first.
// Stops counting at two.
void plain_leaves(const Part &p, const std::string *&first, int &n) {
    if (p.multipart()) {
        for (const Part &c : p.children) {
            plain_leaves(c, first, n);
            if (n > 1) return;
        }
        return;
    }
    if (p.type != "text"sv || p.subtype != "plain"sv) return;
    if (n++ == 0) first = &p.text;
}

}  // namespace

namespace {

// CRLF and bare CR -> LF, written to `w` (room for bytes.size()): one memcpy per line instead of
// an append and a push_back. Returns the length written (never more than the input's). `cr` is
// the first '\r' of the input when the caller has found it already, else null.
std::size_t normalize_into(std::string_view bytes, char *w, const char *cr = nullptr) {
    char *const w0 = w;
    const char *p = bytes.data();
    const char *end = p + bytes.size();
    while (p < end) {
        if (!cr) cr = static_cast<const char *>(std::memchr(p, '\r', static_cast<std::size_t>(end - p)));
        if (!cr) {
            std::memcpy(w, p, static_cast<std::size_t>(end - p));
            w += end - p;
            break;
        }
        std::memcpy(w, p, static_cast<std::size_t>(cr - p));
        w += cr - p;
        *w++ = '\n';
        p = cr + 1;
        if (p < end && *p == '\n') ++p;
        cr = nullptr;
    }
    return static_cast<std::size_t>(w - w0);
}

}  // namespace

std::string normalize_newlines(std::string_view bytes) {
    std::string norm(bytes.size(), '\0');
    norm.resize(normalize_into(bytes, norm.data()));
    return norm;
}

carom_status_t parse(std::string_view bytes, const Limits &limits, Message &out, std::string &error, Bytes mode) {
    out = Message();
    if (bytes.empty()) return error = "empty message", CAROM_E_EMPTY;
    if (bytes.size() > limits.message_bytes()) {
        error = "the message has " + std::to_string(bytes.size()) + " bytes, more than the message_bytes limit (" +
                std::to_string(limits.message_bytes()) + ")";
        return CAROM_E_TOO_LARGE;
    }
    // CRLF and bare CR become LF before anything reads the bytes, so the three variants of a
    // message are byte-identical from here on. The header fields point into the Message's copy
    // of the bytes (normalised on the way into the arena), so the Message does not depend on the
    // caller's buffer; a borrowing parse views the caller's bytes when they need no normalising.
    out.store = std::make_shared<Arena>();
    std::string_view text;
    const char *cr = mode == Bytes::borrow ? static_cast<const char *>(std::memchr(bytes.data(), '\r', bytes.size())) : nullptr;
    if (mode == Bytes::borrow && !cr) {
        text = bytes;
    } else {
        char *w = out.store->alloc(bytes.size());
        text = std::string_view(w, normalize_into(bytes, w, cr));
    }
    // Leading blank or white-space-only lines (some archives and pasted messages start with them)
    // are not the end of an empty header block.
    for (;;) {
        const std::size_t blank = text.find_first_not_of(" \t");
        if (blank == std::string_view::npos || text[blank] != '\n') break;
        text.remove_prefix(blank + 1);
    }
    if (text.empty()) return error = "the message has only blank lines", CAROM_E_EMPTY;

    Ctx ctx{limits, *out.store, 0, {}};
    carom_status_t st = parse_entity(text, 0, true, false, false, ctx, out.root);
    out.parts = ctx.parts;
    if (st != CAROM_OK) {
        error = ctx.error;
        return st;
    }
    if (out.root.headers.fields.empty()) {
        error = "no header block: this is not an email";
        return CAROM_E_NOT_EMAIL;
    }
    return CAROM_OK;
}

const Part *find(const Part &root, std::string_view type, std::string_view subtype) {
    if ((type == "*" || root.type == type) && (subtype == "*" || root.subtype == subtype)) return &root;
    for (const auto &c : root.children)
        if (const Part *p = find(c, type, subtype)) return p;
    return nullptr;
}

std::string body_text(const Message &msg) {
    // The HTML leaves are converted only when the plain ones say nothing.
    std::string plain;
    collect_text(msg.root, false, plain);
    if (!plain.empty()) return plain;
    std::string html;
    collect_text(msg.root, true, html);
    return html;
}

const std::string &body_text(const Message &msg, std::string &scratch) {
    // A lone non-empty text/plain leaf joins to exactly its own text. (An empty leaf after a
    // non-empty one still adds a line break, and no plain text means the HTML path: both copy.)
    const std::string *first = nullptr;
    int n = 0;
    plain_leaves(msg.root, first, n);
    if (n == 1 && !first->empty()) return *first;
    scratch = body_text(msg);
    return scratch;
}

}  // namespace carom::mime
