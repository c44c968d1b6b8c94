#include "formats/markers.hh"

#include <algorithm>
#include <vector>

#include "formats/mta_common.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

inline unsigned char fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c; }

// A deterministic Aho-Corasick automaton over every phrase of kBodyMarkers, bytes folded like
// ifind does (A-Z as a-z, every other byte as itself). Bytes are first mapped to classes (the
// distinct folded bytes the phrases use, 0 for all others), so a state's row is short; a row
// holds, per class, the next state's row offset. Scanning is then one table step and one
// comparison per body byte (about 6 instructions). Built once, immutable afterwards.
class Automaton {
public:
    Automaton() {
        // Classes: one per distinct folded byte of any phrase; 0 = a byte no phrase contains.
        std::size_t total = 0;
        for (std::string_view p : kBodyMarkers) {
            total += p.size();
            for (char ch : p) {
                const unsigned char f = fold(static_cast<unsigned char>(ch));
                if (class_of_folded_[f] == 0) class_of_folded_[f] = static_cast<std::uint8_t>(++classes_);
            }
        }
        ++classes_;  // class 0
        for (unsigned b = 0; b < 256; ++b) cls_[b] = class_of_folded_[fold(static_cast<unsigned char>(b))];

        // The trie: goto_[state * classes_ + class], -1 when absent.
        const std::size_t cap = total + 1;
        std::vector<std::int32_t> go(cap * classes_, -1);
        std::vector<std::vector<std::uint16_t>> out(1);
        std::size_t states = 1;
        for (std::size_t i = 0; i < kBodyMarkerCount; ++i) {
            std::size_t s = 0;
            for (char ch : kBodyMarkers[i]) {
                const std::size_t c = cls_[static_cast<unsigned char>(ch)];
                if (go[s * classes_ + c] < 0) {
                    go[s * classes_ + c] = static_cast<std::int32_t>(states++);
                    out.emplace_back();
                }
                s = static_cast<std::size_t>(go[s * classes_ + c]);
            }
            out[s].push_back(static_cast<std::uint16_t>(i));
        }

        // Breadth first: failure links, outputs inherited from the failure state (a phrase that
        // ends inside a longer one), and the trie completed in place into the full transition
        // table (a missing edge goes where the failure state's edge goes; that state is
        // shallower, so its row is already complete).
        std::vector<std::uint32_t> fail(states, 0), order;
        order.reserve(states);
        for (std::size_t c = 0; c < classes_; ++c) {
            if (go[c] > 0) order.push_back(static_cast<std::uint32_t>(go[c]));
            else go[c] = 0;
        }
        for (std::size_t k = 0; k < order.size(); ++k) {
            const std::uint32_t s = order[k];
            for (std::size_t c = 0; c < classes_; ++c) {
                const std::int32_t t = go[s * classes_ + c];
                const std::int32_t via_fail = go[fail[s] * classes_ + c];
                if (t > 0) {
                    fail[t] = static_cast<std::uint32_t>(via_fail);
                    for (std::uint16_t m : out[via_fail]) out[t].push_back(m);
                    order.push_back(static_cast<std::uint32_t>(t));
                } else {
                    go[s * classes_ + c] = via_fail;
                }
            }
        }
        const auto &next = go;

        // Flatten. States are renumbered so that those ending a phrase come last: a row offset at
        // or above first_out_ then means "a phrase ends here", one comparison per byte. Each row
        // has one more column after the classes: where the state's phrases start in out_ids_
        // (a list ended by kEnd).
        std::vector<std::uint32_t> number(states);
        std::uint32_t n = 0;
        for (int pass = 0; pass < 2; ++pass)
            for (std::size_t st = 0; st < states; ++st)
                if (out[st].empty() == (pass == 0)) number[st] = n++;
        const std::size_t width = classes_ + 1;
        delta_.assign(states * width, 0);
        first_out_ = static_cast<std::uint32_t>(states * width);
        for (std::size_t st = 0; st < states; ++st) {
            std::uint32_t *row = &delta_[number[st] * width];
            for (std::size_t c = 0; c < classes_; ++c)
                row[c] = static_cast<std::uint32_t>(number[next[st * classes_ + c]] * width);
            if (!out[st].empty()) {
                first_out_ = std::min<std::uint32_t>(first_out_, static_cast<std::uint32_t>(number[st] * width));
                row[classes_] = static_cast<std::uint32_t>(out_ids_.size());
                out_ids_.insert(out_ids_.end(), out[st].begin(), out[st].end());
                out_ids_.push_back(kEnd);
            }
        }
    }

    void scan(std::string_view body, MarkerSet &found, std::size_t *first) const {
        const std::uint32_t *d = delta_.data();
        const std::uint8_t *cls = cls_;
        const std::uint32_t first_out = first_out_, outs = static_cast<std::uint32_t>(classes_);
        const auto *begin = reinterpret_cast<const unsigned char *>(body.data());
        // A phrase ends at byte `last`: note it, and where it starts when it is its first time
        // (matches come in order of their end, so the first end is the first start).
        auto hit = [&](std::size_t s, const unsigned char *last) {
            for (const std::uint16_t *o = &out_ids_[d[s + outs]]; *o != kEnd; ++o)
                if (!found.has(*o)) {
                    found.add(*o);
                    first[*o] = static_cast<std::size_t>(last - begin) + 1 - kBodyMarkers[*o].size();
                }
        };
        const auto *p = begin;
        const auto *e = p + body.size();
        // The state is a row offset; kept 64 bits wide so that indexing needs no zero-extension.
        std::size_t s = 0;
        // Four bytes per iteration: the loop test is paid once for four table steps.
        for (const auto *e4 = body.size() >= 4 ? e - 3 : p; p < e4; p += 4) {
            if ((s = d[s + cls[p[0]]]) >= first_out) hit(s, p);
            if ((s = d[s + cls[p[1]]]) >= first_out) hit(s, p + 1);
            if ((s = d[s + cls[p[2]]]) >= first_out) hit(s, p + 2);
            if ((s = d[s + cls[p[3]]]) >= first_out) hit(s, p + 3);
        }
        for (; p < e; ++p)
            if ((s = d[s + cls[*p]]) >= first_out) hit(s, p);
    }

private:
    static constexpr std::uint16_t kEnd = 0xFFFF;
    static_assert(kBodyMarkerCount < kEnd, "marker ids are 16 bits");
    std::uint8_t class_of_folded_[256] = {};
    std::uint8_t cls_[256] = {};
    std::size_t classes_ = 0;
    std::vector<std::uint32_t> delta_;  // rows of classes_ + 1 entries, indexed by row offset
    std::uint32_t first_out_ = 0;       // the first row offset of a state that ends a phrase
    std::vector<std::uint16_t> out_ids_;
};

const Automaton &automaton() {
    static const Automaton a;  // immutable after construction (thread-safe initialisation)
    return a;
}

}  // namespace

void prepare() { (void)automaton(); }

void scan_body_markers(std::string_view body, MarkerSet &found, std::size_t first[kBodyMarkerCount]) {
    automaton().scan(body, found, first);
}

MarkerSet scan_body_markers(std::string_view body) {
    MarkerSet found;
    std::size_t first[kBodyMarkerCount];
    automaton().scan(body, found, first);
    return found;
}

Scan scan(const Input &in) {
    Scan s;
    automaton().scan(in.body, s.body, s.first);
    s.subject = header(in, "Subject");
    return s;
}

bool body_search(const Input &in, std::size_t marker) { return icontains(in.body, kBodyMarkers[marker]); }

std::size_t body_find(const Input &in, std::size_t marker) {
    if (in.scan) return in.scan->body.has(marker) ? in.scan->first[marker] : std::string_view::npos;
    return ifind(in.body, kBodyMarkers[marker]);
}

std::size_t body_find_first(const Input &in, const MarkerSet &set) {
    std::size_t best = std::string_view::npos;
    for (std::size_t i = 0; i < kBodyMarkerCount; ++i)
        if (set.has(i)) best = std::min(best, body_find(in, i));
    return best;
}

std::string_view before_original(const Input &in) {
    // The same phrases as text.cc's before_original, which keeps the earliest.
    static constexpr std::string_view kCuts[] = {
        "----- original message -----",  "--- below this line is a copy of the message",
        "------ this is a copy of the message", "----- message header follows -----",
        "\ncontent-type: message/rfc822", "\ncontent-type: text/rfc822-headers",
    };
    static constexpr MarkerSet kCutMarkers = body_markers(kCuts);
    const std::size_t p = body_find_first(in, kCutMarkers);
    return std::string_view(in.body).substr(0, p == std::string_view::npos ? in.body.size() : p);
}

std::size_t body_find_latest(const Input &in, const MarkerSet &set) {
    std::size_t latest = std::string_view::npos;
    for (std::size_t i = 0; i < kBodyMarkerCount; ++i) {
        if (!set.has(i)) continue;
        const std::size_t p = body_find(in, i);
        if (p != std::string_view::npos && (latest == std::string_view::npos || p > latest)) latest = p;
    }
    return latest;
}

bool body_has_any(const Input &in, const MarkerSet &set) {
    if (in.scan) return in.scan->body.any_of(set);
    for (std::size_t i = 0; i < kBodyMarkerCount; ++i)
        if (set.has(i) && icontains(in.body, kBodyMarkers[i])) return true;
    return false;
}

}  // namespace carom::formats
