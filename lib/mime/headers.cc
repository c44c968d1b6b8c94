// Header blocks: the RFC 5322 reader (unfolding, the stripped folding some gateways write, the
// limits), the arena the unfolded values live in, and Headers' lookups.
#include "mime/headers.hh"

#include <cstring>
#include <vector>

#include "base/strings.hh"
#include "mime/decode.hh"

namespace carom::mime {

namespace {

// A field name: printable ASCII except ':' (white space before the colon is tolerated), the
// colon at most 256 bytes in. `colon` receives the colon's offset, `name_end` the end of the name.
bool field_name(std::string_view line, std::size_t &colon, std::size_t &name_end) {
    const std::size_t c = line.substr(0, 257).find(':');
    if (c == std::string_view::npos) return false;
    std::size_t e = c;
    while (e > 0 && is_wsp(line[e - 1])) --e;
    if (e == 0) return false;
    for (char b : line.substr(0, e))
        if (b <= ' ' || b >= 127) return false;
    colon = c;
    name_end = e;
    return true;
}

bool is_field(std::string_view line) {
    std::size_t colon = 0, name_end = 0;
    return field_name(line, colon, name_end);
}

// One header block being read, a line at a time: the text, the current line, the limits and the
// error.
class BlockReader {
public:
    BlockReader(std::string_view text, const HeaderLimits *lim, std::string &error)
        : text_(text),
          lim_(lim),
          line_max_(lim ? lim->line : UINT64_MAX),
          block_max_(lim ? lim->block : UINT64_MAX),
          error_(error) {
        seek(0);
    }

    bool more() const { return pos_ < text_.size(); }
    std::size_t pos() const { return pos_; }
    // The current line, without its '\n'.
    std::string_view line() const { return text_.substr(pos_, end_ - pos_); }
    void advance() { seek(end_ < text_.size() ? end_ + 1 : text_.size()); }
    void skip_mbox_from() {
        if (starts_with(text_, "From ")) advance();
    }

    // field_name() of the current line. Remembered: the line that ends a field's continuations
    // is the next field.
    bool field_here(std::size_t &colon, std::size_t &name_end) {
        if (tested_ != pos_) {
            tested_ = pos_;
            is_field_ = field_name(line(), colon_, name_end_);
        }
        colon = colon_;
        name_end = name_end_;
        return is_field_;
    }

    // The header block may not reach past the current line.
    carom_status_t check_block() {
        if (end_ <= block_max_) return CAROM_OK;
        error_ = "a header block is larger than the header_bytes limit (" + std::to_string(lim_->block) + ")";
        return CAROM_E_HEADERS_TOO_LARGE;
    }

    // Reads the field on the current line (its name found by field_here) and its continuation
    // lines into `f`.
    carom_status_t read_field(std::size_t colon, std::size_t name_end, Arena &arena, Field &f);

private:
    std::size_t line_end(std::size_t from) const {
        const std::size_t e = text_.find('\n', from);
        return e == std::string_view::npos ? text_.size() : e;
    }
    void seek(std::size_t p) {
        pos_ = p;
        end_ = line_end(p);
    }
    carom_status_t check_value(std::size_t size) {
        if (size <= line_max_) return CAROM_OK;
        error_ = "a header field is longer than the header_line_bytes limit (" + std::to_string(lim_->line) + ")";
        return CAROM_E_HEADER_TOO_LONG;
    }
    bool continues(bool value_empty);
    std::string_view join(Arena &arena, std::string_view value, std::size_t size) const;
    bool stripped_fold_follows() const;

    std::string_view text_;
    std::size_t pos_ = 0, end_ = 0;  // the current line
    std::size_t tested_ = std::string_view::npos, colon_ = 0, name_end_ = 0;
    bool is_field_ = false;
    const HeaderLimits *lim_;
    const std::uint64_t line_max_, block_max_;
    std::string &error_;
    std::vector<std::string_view> pieces_;  // a folded value's continuation lines, trimmed
};

// Folding without the leading white space (some gateways and redacted archives strip it): a
// short run of non-field lines (the one at pos() first) that is followed by another field,
// before any blank line, continues the field above.
bool BlockReader::stripped_fold_follows() const {
    std::size_t j = pos_;
    for (int run = 0; j < text_.size() && run < 8; ++run) {
        std::string_view l = text_.substr(j, line_end(j) - j);
        if (is_blank(l)) return false;
        if (!is_wsp(l[0]) && is_field(l)) return run > 0;
        j = line_end(j) + 1;
    }
    return false;
}

// The current line (not blank) continues the field above: it is indented (RFC 5322 folding),
// or it is a stripped fold; so is any line after a field whose value is still empty.
bool BlockReader::continues(bool value_empty) {
    if (is_wsp(line()[0])) return true;
    std::size_t colon = 0, name_end = 0;
    if (field_here(colon, name_end)) return false;
    return value_empty || stripped_fold_follows();
}

carom_status_t BlockReader::read_field(std::size_t colon, std::size_t name_end, Arena &arena, Field &f) {
    f.name = line().substr(0, name_end);
    f.value = trim(line().substr(colon + 1));
    if (carom_status_t st = check_value(f.value.size()); st != CAROM_OK) return st;
    advance();
    // The unfolded value: each continuation line trimmed, after one space (none after an empty
    // value). `size` is its length so far.
    pieces_.clear();
    std::size_t size = f.value.size();
    while (more() && !is_blank(line()) && continues(size == 0)) {
        if (carom_status_t st = check_block(); st != CAROM_OK) return st;
        pieces_.push_back(trim(line()));
        size += (size != 0) + pieces_.back().size();
        if (carom_status_t st = check_value(size); st != CAROM_OK) return st;
        advance();
    }
    if (!pieces_.empty()) f.value = join(arena, f.value, size);
    return CAROM_OK;
}

// The value followed by the pieces, joined by single spaces into `size` bytes of the arena.
std::string_view BlockReader::join(Arena &arena, std::string_view value, std::size_t size) const {
    char *const w = arena.alloc(size);
    std::memcpy(w, value.data(), value.size());
    std::size_t at = value.size();
    for (std::string_view p : pieces_) {
        if (at != 0) w[at++] = ' ';
        std::memcpy(w + at, p.data(), p.size());
        at += p.size();
    }
    return std::string_view(w, size);
}

}  // namespace

carom_status_t read_headers(std::string_view text, const HeaderLimits *lim, bool top, Arena &arena, Headers &h,
                            std::size_t &rest, std::string &error) {
    BlockReader r(text, lim, error);
    if (top) r.skip_mbox_from();
    while (r.more()) {
        if (carom_status_t st = r.check_block(); st != CAROM_OK) return st;
        if (is_blank(r.line())) {
            r.advance();
            rest = r.pos();
            return CAROM_OK;
        }
        // Continuation lines were taken by the field above: anything else that is not a field
        // starts the body.
        std::size_t colon = 0, name_end = 0;
        if (!r.field_here(colon, name_end)) {
            rest = r.pos();
            return CAROM_OK;
        }
        if (h.fields.empty()) h.fields.reserve(16);  // most blocks: one allocation, no regrowth
        Field f;
        if (carom_status_t st = r.read_field(colon, name_end, arena, f); st != CAROM_OK) return st;
        h.fields.push_back(f);
    }
    rest = text.size();
    return CAROM_OK;
}

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
    for (const auto &f : fields)
        if (iequals(f.name, name)) return &f.value;
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

}  // namespace carom::mime
