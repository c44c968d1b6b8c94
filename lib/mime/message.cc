// The MIME tree: header blocks, multipart splitting, attached messages, transfer decoding.
// Written here instead of calling mimetic on the hot path; docs/mime.md gives the measurements
// and the list of mimetic defects this code avoids by construction.
#include "mime/message.hh"

#include <cstdint>
#include <cstring>

#include "mime/decode.hh"

namespace carom::mime {

using namespace std::string_view_literals;

namespace {

// A field name: printable ASCII except ':' (white space before the colon is tolerated). The
// colon is found with memchr and the name bytes checked eight at a time: `colon` receives the
// colon's offset (at most 256), `name_end` the end of the name. Forced inline: it runs for
// nearly every header line, and the call's register saves cost as much as the scan.
inline __attribute__((always_inline)) bool field_name(std::string_view line, std::size_t &colon, std::size_t &name_end) {
    const char *d = line.data();
    const void *cp = std::memchr(d, ':', line.size() < 257 ? line.size() : 257);
    if (!cp) return false;
    const std::size_t c = static_cast<std::size_t>(static_cast<const char *>(cp) - d);
    std::size_t e = c;
    while (e > 0 && is_wsp(d[e - 1])) --e;
    if (e == 0) return false;
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    std::size_t k = 0;
    for (; k + 8 <= e; k += 8) {
        std::uint64_t w;
        std::memcpy(&w, d + k, 8);
        // Some byte < 33 (control, space), or some byte > 126 (DEL, 8-bit).
        if (((w - ones * 33) & ~w & highs) | (((w + ones * 1) | w) & highs)) return false;
    }
    for (; k < e; ++k) {
        auto b = static_cast<unsigned char>(d[k]);
        if (b <= 32 || b >= 127) return false;
    }
    colon = c;
    name_end = e;
    return true;
}

struct HeaderLimits {
    std::uint64_t line, block;
};

// Appends a continuation line (trimmed, after one space) to the value of the field above.
carom_status_t fold_into(std::string &v, std::string_view line, const HeaderLimits *lim, std::string &error) {
    std::string_view t = trim(line);
    if (!v.empty()) v.push_back(' ');
    v.append(t.data(), t.size());
    if (lim && v.size() > lim->line) {
        error = "a header field is longer than the header_line_bytes limit (" + std::to_string(lim->line) + ")";
        return CAROM_E_HEADER_TOO_LONG;
    }
    return CAROM_OK;
}

// Reads one header block. Stops at the first blank (or white-space-only) line, or at the first
// line that is neither a field nor a continuation (the body starts there), or at the end of the
// text: the last field is kept in every case. The first line of a top-level message may be an
// mbox "From " separator, which is skipped.
carom_status_t read_headers(std::string_view text, const HeaderLimits *lim, bool top, Arena &arena, Headers &h,
                            std::size_t &rest, std::string &error) {
    std::size_t i = 0;
    rest = text.size();
    // The limits as plain numbers (none: the largest), compared without a null test and a load
    // per line.
    const std::uint64_t line_max = lim ? lim->line : UINT64_MAX, block_max = lim ? lim->block : UINT64_MAX;
    if (top && text.compare(0, 5, "From ") == 0) {
        std::size_t e = text.find('\n');
        i = e == std::string_view::npos ? text.size() : e + 1;
    }
    // The end of the line at next_i when the field above already found it.
    std::size_t next_i = std::string_view::npos, next_e = 0;
    // A value folded over more lines than are collected at once, or with stripped folding, grows
    // here (amortised: a new arena copy per line would be quadratic) and goes to the arena when
    // its field ends.
    std::string long_value;
    bool long_open = false;
    auto fold = [&](std::string_view line) {
        if (!long_open) {
            long_value.assign(h.fields.back().value.data(), h.fields.back().value.size());
            long_open = true;
        }
        return fold_into(long_value, line, lim, error);
    };
    auto close = [&] {
        if (long_open) {
            h.fields.back().value = arena.copy(long_value);
            long_open = false;
        }
    };
    while (i < text.size()) {
        std::size_t e = 0;
        if (i == next_i) {
            e = next_e;
        } else {
            e = text.find('\n', i);
            if (e == std::string_view::npos) e = text.size();
        }
        std::string_view line(text.data() + i, e - i);
        if (e > block_max) {
            error = "a header block is larger than the header_bytes limit (" + std::to_string(lim->block) + ")";
            return CAROM_E_HEADERS_TOO_LARGE;
        }
        if (is_blank(line)) {
            close();
            rest = e < text.size() ? e + 1 : text.size();
            return CAROM_OK;
        }
        if (is_wsp(line[0])) {
            if (h.fields.empty()) {
                rest = i;
                return CAROM_OK;
            }
            if (carom_status_t st = fold(line); st != CAROM_OK) return st;
            i = e + 1;
            continue;
        }
        std::size_t colon = 0, ne = 0;
        if (!field_name(line, colon, ne)) {
            // Folding without the leading white space (some gateways and redacted archives strip
            // it): a short run of non-field lines that is followed by another field, before any
            // blank line, continues the field above; so does a line after a field whose value is
            // still empty. Otherwise the body starts here.
            std::size_t j = i, run = 0, c2 = 0, ne2 = 0;
            bool continues = false;
            while (!h.fields.empty() && j < text.size() && run < 8) {
                std::size_t je = text.find('\n', j);
                if (je == std::string_view::npos) je = text.size();
                std::string_view l2(text.data() + j, je - j);
                if (is_blank(l2)) break;
                if (!is_wsp(l2[0]) && field_name(l2, c2, ne2)) {
                    continues = run > 0;
                    break;
                }
                ++run;
                j = je + 1;
            }
            // A field written with an empty value and its value on the next line is the same
            // stripped folding.
            if (!h.fields.empty() && (long_open ? long_value.empty() : h.fields.back().value.empty())) continues = true;
            if (!continues) {
                close();
                rest = i;
                return CAROM_OK;
            }
            if (carom_status_t st = fold(line); st != CAROM_OK) return st;
            i = e + 1;
            continue;
        }
        close();
        std::string_view value = trim(line.substr(colon + 1));
        if (value.size() > line_max) {
            error = "a header field is longer than the header_line_bytes limit (" + std::to_string(lim->line) + ")";
            return CAROM_E_HEADER_TOO_LONG;
        }
        // The indented continuation lines that follow are collected first, so that the value is
        // built with one allocation instead of growing once per folded line. The limits are
        // checked line by line in the same order as fold_into() would; the line that ends the
        // field is handed to the next iteration with its end already found. More than kPieces
        // continuation lines (rare) are appended by fold_into() in the next iterations.
        constexpr std::size_t kPieces = 16;
        const char *pd[kPieces];  // the pieces, uninitialised: filled up to np
        std::size_t pn[kPieces];
        std::size_t np = 0, total = value.size(), j = e + 1;
        while (j < text.size() && np < kPieces) {
            std::size_t je = text.find('\n', j);
            if (je == std::string_view::npos) je = text.size();
            std::string_view l2(text.data() + j, je - j);
            if (l2.empty() || !is_wsp(l2[0]) || is_blank(l2)) {
                next_i = j;
                next_e = je;
                break;
            }
            if (je > block_max) {
                error = "a header block is larger than the header_bytes limit (" + std::to_string(lim->block) + ")";
                return CAROM_E_HEADERS_TOO_LARGE;
            }
            std::string_view t = trim(l2);
            pd[np] = t.data();
            pn[np] = t.size();
            total += (total != 0) + t.size();
            ++np;
            if (total > line_max) {
                error = "a header field is longer than the header_line_bytes limit (" + std::to_string(lim->line) + ")";
                return CAROM_E_HEADER_TOO_LONG;
            }
            j = je + 1;
        }
        // An unfolded value is a view of the text; a folded one is joined into the arena.
        std::string_view v = value;
        if (np != 0) {
            char *w = arena.alloc(total);
            v = std::string_view(w, total);
            std::memcpy(w, value.data(), value.size());
            std::size_t at = value.size();
            for (std::size_t k = 0; k < np; ++k) {
                if (at != 0) w[at++] = ' ';
                std::memcpy(w + at, pd[k], pn[k]);
                at += pn[k];
            }
        }
        if (h.fields.empty()) h.fields.reserve(16);  // most blocks: one allocation, no regrowth
        h.fields.push_back(Field{std::string_view(line.data(), ne), v});
        i = j;
    }
    close();
    rest = text.size();
    return CAROM_OK;
}

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

void cut_utf8_to(std::string &s, std::size_t n) {
    if (s.size() <= n) return;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
}

carom_status_t parse_entity(std::string_view text, std::size_t depth, bool top, bool digest, bool attached, Ctx &ctx,
                            Part &out);

// A header-only block (text/rfc822-headers, message/global-headers): one child holding them.
carom_status_t header_child(std::string_view text, Ctx &ctx, Part &out) {
    HeaderLimits hl{ctx.lim.header_line_bytes(), ctx.lim.header_bytes()};
    Part c;
    std::size_t rest = 0;
    // The text is the Part's own string, which moves with the Part: the fields point into a copy.
    carom_status_t st = read_headers(ctx.arena.copy(text), &hl, false, ctx.arena, c.headers, rest, ctx.error);
    if (st != CAROM_OK) return st;
    if (++ctx.parts > ctx.lim.mime_parts()) {
        ctx.error = "more MIME parts than the mime_parts limit (" + std::to_string(ctx.lim.mime_parts()) + ")";
        return CAROM_E_TOO_MANY_PARTS;
    }
    out.children.push_back(std::move(c));
    return CAROM_OK;
}

carom_status_t parse_entity(std::string_view text, std::size_t depth, bool top, bool digest, bool attached, Ctx &ctx,
                            Part &out) {
    if (++ctx.parts > ctx.lim.mime_parts()) {
        ctx.error = "more MIME parts than the mime_parts limit (" + std::to_string(ctx.lim.mime_parts()) + ")";
        return CAROM_E_TOO_MANY_PARTS;
    }
    if (depth > ctx.lim.mime_depth()) {
        ctx.error = "MIME nesting deeper than the mime_depth limit (" + std::to_string(ctx.lim.mime_depth()) + ")";
        return CAROM_E_TOO_DEEP;
    }
    HeaderLimits hl{ctx.lim.header_line_bytes(), ctx.lim.header_bytes()};
    std::size_t rest = 0;
    carom_status_t st = read_headers(text, &hl, top, ctx.arena, out.headers, rest, ctx.error);
    if (st != CAROM_OK) return st;
    std::string_view body = text.substr(rest);

    if (digest) {
        out.type = "message";
        out.subtype = "rfc822";
    }
    QuickContentType q;
    if (const std::string_view *ctv = out.headers.get("Content-Type"); ctv && quick_content_type(*ctv, q)) {
        // The common forms: sliced, no parameter list built.
        if (!q.type.empty()) {
            out.type = lower(q.type);
            out.subtype = lower(q.subtype);
        }
        if (q.has_charset) out.charset = lower(trim(q.charset));
        if (q.has_boundary) out.boundary = std::string(q.boundary);
        if (q.has_report_type) out.report_type = lower(trim(q.report_type));
    } else if (ctv) {
        ContentType ct = parse_content_type(*ctv);
        if (!ct.type.empty()) {
            out.type = std::move(ct.type);
            out.subtype = std::move(ct.subtype);
        }
        // ct is ours: the boundary (often long) is moved out rather than copied.
        auto take = [&ct](std::string_view n) -> std::string * {
            for (auto &p : ct.params)
                if (p.first == n) return &p.second;
            return nullptr;
        };
        if (const std::string *v = ct.param("charset")) out.charset = lower(trim(*v));
        if (std::string *v = take("boundary")) out.boundary = std::move(*v);
        if (const std::string *v = ct.param("report-type")) out.report_type = lower(trim(*v));
    }

    if (out.type == "multipart"sv) {
        std::vector<std::string_view> pieces;
        if (!out.boundary.empty()) pieces = split_multipart(body, out.boundary);
        if (!pieces.empty()) {
            out.children.reserve(pieces.size());
            for (std::string_view piece : pieces) {
                out.children.emplace_back();
                st = parse_entity(piece, depth + 1, false, out.subtype == "digest"sv, attached, ctx, out.children.back());
                if (st != CAROM_OK) return st;
            }
            return CAROM_OK;
        }
        // A multipart without a usable boundary is read as plain text (the report-type is kept).
        out.type = "text";
        out.subtype = "plain";
    }

    if (out.type == "message"sv && (out.subtype == "rfc822"sv || out.subtype == "global"sv || out.subtype == "news"sv)) {
        // An attached message is parsed where it lies unless it is base64 / quoted-printable
        // encoded: the decoded bytes are then kept in the arena, where its fields point.
        std::string_view inner = body;
        if (needs_decoding(out.headers)) inner = ctx.arena.copy(transfer_decode(body, out.headers));
        out.children.emplace_back();
        return parse_entity(inner, depth + 1, false, false, true, ctx, out.children.back());
    }

    const bool headers_block = (out.type == "text"sv && (out.subtype == "rfc822-headers"sv || out.subtype == "rfc822-header"sv)) ||
                               (out.type == "message"sv && (out.subtype == "global-headers"sv || out.subtype == "rfc822-headers"sv));
    // Inside an attached message only text/plain and report leaves are decoded: the returned
    // original's HTML and attachments are never read, and skipping them keeps big bounces fast.
    const bool wanted = !attached || out.type == "message"sv || (out.type == "text"sv && out.subtype == "plain"sv);
    if (headers_block || (is_text_like(out) && wanted)) {
        std::string_view capped = body.size() > ctx.lim.text_bytes() ? body.substr(0, ctx.lim.text_bytes()) : body;
        // The decoded bytes become the text as they are when the charset changes nothing (the
        // usual ASCII / UTF-8 part): one copy of the body, not two.
        std::string raw = transfer_decode(capped, out.headers);
        if (to_utf8_into(raw, out.charset, out.text)) out.body = std::move(raw);
        else out.text = std::move(raw);
        cut_utf8_to(out.text, ctx.lim.text_bytes());
        if (headers_block) {
            if (depth + 1 > ctx.lim.mime_depth()) {
                ctx.error = "MIME nesting deeper than the mime_depth limit (" + std::to_string(ctx.lim.mime_depth()) + ")";
                return CAROM_E_TOO_DEEP;
            }
            return header_child(out.text, ctx, out);
        }
        return CAROM_OK;
    }
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

char *Arena::alloc(std::size_t n) {
    if (n > left_) {
        // Small requests share 4 KiB blocks; a large one (the input) gets a block of its own
        // with room for the small ones that follow.
        const std::size_t size = n < 2048 ? 4096 : n + 2048;
        // Owned before the vector may grow (and throw), so a failed growth frees the block.
        std::unique_ptr<char[]> b(new char[size]);
        cur_ = b.get();
        blocks_.push_back(std::move(b));
        left_ = size;
    }
    char *p = cur_;
    cur_ += n;
    left_ -= n;
    return p;
}

std::string_view Arena::copy(std::string_view s) {
    if (s.empty()) return std::string_view();
    char *p = alloc(s.size());
    std::memcpy(p, s.data(), s.size());
    return std::string_view(p, s.size());
}

void Headers::add(std::string_view name, std::string_view value) {
    if (!own) own = std::make_shared<Arena>();
    fields.push_back(Field{own->copy(name), own->copy(value)});
}

const std::string_view *Headers::get(std::string_view name) const {
    const std::size_t n = name.size();
    if (n == 0) {
        for (const auto &f : fields)
            if (f.name.empty()) return &f.value;
        return nullptr;
    }
    // Cheap filters before the full comparison: the length, then the last byte with the ASCII
    // case bit set (bytes that differ there are never equal ignoring case). Many names of equal
    // length share a prefix ("Content-", "X-"), so the last byte separates them sooner.
    const char last = static_cast<char>(name[n - 1] | 0x20);
    for (const auto &f : fields)
        if (f.name.size() == n && static_cast<char>(f.name[n - 1] | 0x20) == last && iequals(f.name, name))
            return &f.value;
    return nullptr;
}

std::string Headers::decoded(std::string_view name) const {
    const std::string_view *v = get(name);
    return v ? decode_words(*v) : std::string();
}

std::vector<const std::string_view *> Headers::all(std::string_view name) const {
    std::vector<const std::string_view *> r;
    for (const auto &f : fields)
        if (iequals(f.name, name)) r.push_back(&f.value);
    return r;
}

Headers parse_headers(std::string_view text, std::size_t *rest) {
    Headers h;
    h.own = std::make_shared<Arena>();
    std::size_t r = 0;
    std::string error;
    read_headers(text, nullptr, false, *h.own, h, r, error);
    if (rest) *rest = r;
    // The views into `text` are moved to a copy of the block, so that the Headers may outlive
    // it (folded values are in the arena already).
    if (!h.fields.empty()) {
        const char *b = text.data(), *e = b + r;
        const char *c = h.own->copy(text.substr(0, r)).data();
        auto rebase = [&](std::string_view &v) {
            if (!v.empty() && v.data() >= b && v.data() < e) v = std::string_view(c + (v.data() - b), v.size());
        };
        for (Field &f : h.fields) {
            rebase(f.name);
            rebase(f.value);
        }
    }
    return h;
}

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
    // Leading blank lines (some archives prepend them) are not the end of an empty header block.
    while (!text.empty() && text.front() == '\n') text.remove_prefix(1);
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
