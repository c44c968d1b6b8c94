// Finding a header block quoted in a text body (quoted_headers, see original.hh): each line that
// may start a block is measured (its fields counted, named and noted) and the first block that
// qualifies is read.
#include "base/strings.hh"
#include "report/original.hh"

#include <algorithm>
#include <cstring>
#include <memory>

#include "mime/decode.hh"
#include "report/dsn_fields.hh"
#include "report/fields.hh"

namespace carom::report {


namespace {

// What a field name tells about a quoted header block: a field of an original message
// (OriginalName::Known and up), one that marks the block as the original's headers (Key), or
// Received, which marks only a flush-left block (KeyFlushLeft). Told apart by length first, as
// field_id does: every field line of every candidate block comes here.
enum class OriginalName { Other, Known, Key, KeyFlushLeft };

OriginalName original_name(std::string_view n) {
    auto is = [n](std::string_view k) { return name_is(n, k); };
    switch (n.size()) {
        case 2:
            if (is("to") || is("cc")) return OriginalName::Known;
            break;
        case 4:
            if (is("from")) return OriginalName::Key;
            if (is("date")) return OriginalName::Known;
            break;
        case 6:
            if (is("sender")) return OriginalName::Known;
            break;
        case 7:
            if (is("subject")) return OriginalName::Key;
            if (is("list-id")) return OriginalName::Known;
            break;
        case 8:
            if (is("received")) return OriginalName::KeyFlushLeft;
            if (is("reply-to") || is("x-mailer")) return OriginalName::Known;
            break;
        case 10:
            if (is("message-id")) return OriginalName::Key;
            if (is("references") || is("user-agent")) return OriginalName::Known;
            break;
        case 11:
            if (is("return-path") || is("in-reply-to")) return OriginalName::Known;
            break;
        case 12:
            if (is("mime-version") || is("content-type") || is("delivered-to")) return OriginalName::Known;
            break;
        case 14:
            if (is("dkim-signature")) return OriginalName::Known;
            break;
        case 16:
            if (is("list-unsubscribe")) return OriginalName::Known;
            break;
        case 25:
            if (is("content-transfer-encoding")) return OriginalName::Known;
            break;
        default:
            break;
    }
    return OriginalName::Other;
}

// A field of a flush-left quoted block, noted while the block is measured: its value as
// split_field read it and its continuation lines, trimmed: pieces [piece_begin, piece_end).
struct QuotedField {
    std::string_view name, value;
    std::size_t piece_begin, piece_end;
};

// A candidate block as measure_block found it. A flush-left block is read once: the fields noted
// while it is measured are the fields mime::parse_headers would find (views into the text; folded
// values joined when taken) when the block ends at a blank line or at the end of the text and
// every line of it is a field with a plain name or a continuation (`in_place`). Any other block
// is parsed by mime::parse_headers.
struct QuotedBlock {
    std::size_t indent = 0;  // of its field lines
    int known = 0;           // fields of an original message
    bool key = false;        // one of them marks the block as the original's headers
    bool dsn = false;        // a delivery-status field: a DSN block, not a quoted header block
    bool in_place = false;   // the noted fields are the block as parse_headers reads it
    bool ended = false;      // at a blank line or at the end of the text
    std::size_t end = 0;     // the offset after its last line
    std::vector<QuotedField> noted;        // its fields (flush left only)
    std::vector<std::string_view> pieces;  // their continuation lines, trimmed
};

std::size_t indent_of(std::string_view l) {
    std::size_t k = 0;
    while (k < l.size() && k < 16 && (l[k] == ' ' || l[k] == '\t')) ++k;
    return k;
}

// A continuation line of the block: joined to the noted field before it; a line of blanks only,
// or one before any field, is read differently by parse_headers.
void note_continuation(QuotedBlock &b, std::string_view l) {
    if (!b.in_place) return;
    if (b.noted.empty() || is_blank(l)) {
        b.in_place = false;
        return;
    }
    b.pieces.push_back(trim(l));
    b.noted.back().piece_end = b.pieces.size();
}

// A field line `l` of the block, its name and value as split_field read them.
void note_field(QuotedBlock &b, std::string_view l, std::string_view n, std::string_view v) {
    if (b.in_place) {
        // parse_headers' name: the bytes before the colon, blanks before it dropped
        std::size_t k = n.size();
        if (n.data() != l.data()) b.in_place = false;
        while (b.in_place && k < l.size() && (l[k] == ' ' || l[k] == '\t')) ++k;
        if (b.in_place && k < l.size() && l[k] == ':') b.noted.push_back({n, v, b.pieces.size(), b.pieces.size()});
        else b.in_place = false;
    }
    const OriginalName on = original_name(n);
    if (on != OriginalName::Other) ++b.known;
    if (on == OriginalName::Key || (b.indent == 0 && on == OriginalName::KeyFlushLeft)) b.key = true;
    if (kind_of(n) != FieldKind::Other) b.dsn = true;
}

// Measures the block of fields indented by b.indent that starts at `pos`, without allocating: it
// runs to the first line that is neither such a field nor a continuation of one.
void measure_block(std::string_view text, std::size_t pos, QuotedBlock &b) {
    b.known = 0;
    b.key = b.dsn = b.ended = false;
    b.in_place = b.indent == 0;
    b.noted.clear();
    b.pieces.clear();
    std::size_t q = pos;
    b.end = pos;
    while (q < text.size()) {
        std::size_t qe = text.find('\n', q);
        if (qe == std::string_view::npos) qe = text.size();
        std::string_view l = text.substr(q, qe - q);
        if (trim(l).empty()) {
            b.ended = true;
            break;
        }
        const std::size_t li = indent_of(l);
        std::string_view n, v;
        if (li > b.indent) note_continuation(b, l);
        else if (li == b.indent && split_field(l.substr(li), n, v)) note_field(b, l, n, v);
        else break;
        q = b.end = qe + 1;
    }
    if (q >= text.size()) b.ended = true;
}

bool qualifies(const QuotedBlock &b) { return b.key && !b.dsn && b.known >= (b.indent == 0 ? 3 : 2); }

// The noted fields into `out`; a folded value is its trimmed lines joined by one space, as
// parse_headers joins them, written into out's arena.
void take_noted_fields(const QuotedBlock &b, mime::Headers &out) {
    out.fields.reserve(b.noted.size());
    for (const QuotedField &f : b.noted) {
        std::string_view v = f.value;
        if (f.piece_end != f.piece_begin) {
            std::size_t total = v.size();
            for (std::size_t k = f.piece_begin; k < f.piece_end; ++k) total += (total != 0) + b.pieces[k].size();
            if (!out.own) out.own = std::make_shared<mime::Arena>();
            char *w = out.own->alloc(total);
            std::memcpy(w, v.data(), v.size());
            std::size_t at = v.size();
            for (std::size_t k = f.piece_begin; k < f.piece_end; ++k) {
                if (at != 0) w[at++] = ' ';
                std::memcpy(w + at, b.pieces[k].data(), b.pieces[k].size());
                at += b.pieces[k].size();
            }
            v = std::string_view(w, total);
        }
        out.fields.push_back(mime::Field{f.name, v});
    }
}

// The indented block [pos, end) without its indentation (a continuation line keeps one blank
// before it), for parse_headers.
std::string flatten_indented(std::string_view text, std::size_t pos, std::size_t end, std::size_t indent) {
    std::string flat;
    std::size_t k = pos;
    while (k < end && k < text.size()) {
        std::size_t ke = text.find('\n', k);
        if (ke == std::string_view::npos) ke = text.size();
        std::string_view l = text.substr(k, ke - k);
        std::size_t li = indent_of(l);
        if (li > indent) flat += ' ';
        flat.append(l.substr(std::min(li, indent)));
        flat += '\n';
        k = ke + 1;
    }
    return flat;
}

void read_block(std::string_view text, std::size_t pos, const QuotedBlock &b, mime::Headers &out) {
    if (b.in_place && b.ended) take_noted_fields(b, out);
    else if (b.indent == 0) out = mime::parse_headers(text.substr(pos));
    else out = mime::parse_headers(flatten_indented(text, pos, b.end, b.indent));
}

}  // namespace

bool quoted_headers(std::string_view text, mime::Headers &out) {
    std::size_t pos = 0;
    int tries = 0;
    bool prev_field = false;  // the line before was a field (or its continuation) ...
    std::size_t prev_indent = 0;  // ... indented this much
    QuotedBlock b;
    b.noted.reserve(32);  // one allocation each for most texts
    b.pieces.reserve(32);
    while (pos < text.size() && tries < 200) {
        std::size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(pos, e - pos);
        const std::size_t ind = indent_of(line);
        std::string_view name, value;
        const bool field = ind < line.size() && ind < 16 && split_field(line.substr(ind), name, value);
        if (field && !(prev_field && prev_indent == ind)) {  // a field that may start a block
            ++tries;
            b.indent = ind;
            measure_block(text, pos, b);
            if (qualifies(b)) {
                read_block(text, pos, b, out);
                return true;
            }
        }
        if (field) {
            prev_field = true;
            prev_indent = ind;
        } else if (!(prev_field && ind > prev_indent)) {
            prev_field = false;
        }
        pos = e + 1;
    }
    return false;
}

}  // namespace carom::report
