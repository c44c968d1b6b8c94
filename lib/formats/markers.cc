#include "formats/markers.hh"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "formats/mta_common.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

inline unsigned char fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c; }

// Phrase bytes in all, plus the root: a bound on the automaton's states, known at compile time.
constexpr std::size_t max_states() {
    std::size_t n = 1;
    for (std::string_view p : kBodyMarkers) n += p.size();
    return n;
}

// The least power of two >= n.
constexpr std::size_t power_of_two_from(std::size_t n) {
    std::size_t p = 1;
    while (p < n) p *= 2;
    return p;
}

// A deterministic Aho-Corasick automaton over every phrase of kBodyMarkers, bytes folded like
// ifind does (A-Z as a-z, every other byte as itself). Bytes are first mapped to classes (the
// distinct folded bytes the phrases use, 0 for all others). Built once, immutable afterwards.
//
// The table is small enough to stay in the caches (the walk waits on one table load per byte):
// state numbers are 16 bits when the phrases allow it (State: 3,730 states today, numbered below
// 4,096 plus the states that end a phrase; a bound past 65,535 would take 32 bits, chosen at
// compile time), and the table is stored column by column, one column per class, each column
// one entry per state: next = table[column(byte) + state].
// The column's offset (class x states) comes from a 256-entry table indexed by the byte, off the
// chain of dependent loads, so a step costs one add and one load, as with rows of offsets. States
// are numbered breadth first, so the shallow states, where a walk over ordinary text spends
// nearly all its time, share a few cache lines in each column (0.8 MB in all; rows of 32-bit
// row offsets in insertion order were 1.6 MB, their hot entries spread over all of it).
class Automaton {
public:
    using State = std::conditional_t<(power_of_two_from(max_states()) + max_states() <= 0xFFFF), std::uint16_t,
                                     std::uint32_t>;

    Automaton() {
        // Classes: one per distinct folded byte of any phrase; 0 = a byte no phrase contains.
        std::uint8_t class_of_folded[256] = {};
        std::uint8_t cls[256] = {};
        for (std::string_view p : kBodyMarkers) {
            longest_ = std::max(longest_, p.size());
            for (char ch : p) {
                const unsigned char f = fold(static_cast<unsigned char>(ch));
                if (class_of_folded[f] == 0) class_of_folded[f] = static_cast<std::uint8_t>(++classes_);
            }
        }
        ++classes_;  // class 0
        for (unsigned b = 0; b < 256; ++b) cls[b] = class_of_folded[fold(static_cast<unsigned char>(b))];

        // The trie: go[state * classes_ + class], -1 when absent.
        const std::size_t cap = max_states();
        std::vector<std::int32_t> go(cap * classes_, -1);
        std::vector<std::vector<std::uint16_t>> out(1);
        std::size_t states = 1;
        for (std::size_t i = 0; i < kBodyMarkerCount; ++i) {
            std::size_t s = 0;
            for (char ch : kBodyMarkers[i]) {
                const std::size_t c = cls[static_cast<unsigned char>(ch)];
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
        // shallower, so its row is already complete). `order` is the breadth-first order.
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
        order.insert(order.begin(), 0);  // the root first
        const auto &next = go;

        // Flatten. States are renumbered breadth first, those ending a phrase after all others,
        // from first_out_, the least power of two above the other states' numbers: a state
        // number at or above it then means "a phrase ends here", one comparison per byte; the
        // lanes compare the sum of their states with it, which two other states' numbers seldom
        // reach with first_out_ so far above most of them (the numbers between are unused, a
        // column's tail that is never read). out_at_[s - first_out_] is where the state's
        // phrases start in out_ids_ (a list ended by kEnd).
        std::vector<std::uint32_t> number(states);
        std::uint32_t plain = 0;
        for (std::uint32_t st : order) plain += out[st].empty() ? 1 : 0;
        first_out_ = static_cast<std::uint32_t>(power_of_two_from(plain));
        std::uint32_t n = 0, m = first_out_;
        for (std::uint32_t st : order) number[st] = out[st].empty() ? n++ : m++;
        const std::size_t length = m;  // of a column
        table_.assign(length * classes_, 0);
        out_at_.assign(m - first_out_, 0);
        for (std::size_t st = 0; st < states; ++st) {
            for (std::size_t c = 0; c < classes_; ++c)
                table_[c * length + number[st]] = static_cast<State>(number[next[st * classes_ + c]]);
            if (!out[st].empty()) {
                out_at_[number[st] - first_out_] = static_cast<std::uint32_t>(out_ids_.size());
                out_ids_.insert(out_ids_.end(), out[st].begin(), out[st].end());
                out_ids_.push_back(kEnd);
            }
        }
        for (unsigned b = 0; b < 256; ++b) column_[b] = static_cast<std::uint32_t>(cls[b] * length);
    }

    // Each table step depends on the one before (the next row comes from the last load), so a
    // single walk runs at the latency of a load per byte, not at the instruction rate. A body of
    // kTwoLanes bytes or more is therefore cut into two lanes walked together in one loop, so that
    // their loads overlap (the scan alone: 1.8x faster over the Sisimai bodies; four lanes were
    // slower than two). Lane k starts at k * size / lanes and
    // runs to where lane k + 1 starts plus the longest phrase less one byte, so every phrase
    // starting in a lane ends in it, and every occurrence lies wholly in the lane where it
    // starts. A phrase lane k finds starts there before any occurrence a later lane sees (an
    // earlier such occurrence would lie inside lane k too), so the lanes are merged in order, each
    // adding only the phrases no earlier lane found. Same answer as one walk
    // (tests/unit/formats/test_markers.cc).
    void scan(std::string_view body, MarkerSet &found, std::size_t *first) const {
        const auto *begin = reinterpret_cast<const unsigned char *>(body.data());
        if (body.size() < kTwoLanes)
            walk(begin, begin, begin + body.size(), found, first);
        else
            lanes<2>(begin, body.size(), found, first);
    }

private:
    static constexpr std::size_t kTwoLanes = 256;

    // A phrase ends at byte `last` in state `s`: note it, and where it starts when it is its
    // first time (matches come in order of their end, so the first end is the first start).
    void hit(std::size_t s, const unsigned char *last, const unsigned char *begin, MarkerSet &found,
             std::size_t *first) const {
        for (const std::uint16_t *o = &out_ids_[out_at_[s - first_out_]]; *o != kEnd; ++o)
            if (!found.has(*o)) {
                found.add(*o);
                first[*o] = static_cast<std::size_t>(last - begin) + 1 - kBodyMarkers[*o].size();
            }
    }

    // One lane over [p, e), positions relative to begin, from state s.
    void walk(const unsigned char *begin, const unsigned char *p, const unsigned char *e, MarkerSet &found,
              std::size_t *first, std::size_t s = 0) const {
        const State *d = table_.data();
        const std::uint32_t *col = column_;
        const std::size_t first_out = first_out_;
        // Four bytes per iteration: the loop test is paid once for four table steps.
        for (const auto *e4 = e - p >= 4 ? e - 3 : p; p < e4; p += 4) {
            if ((s = d[col[p[0]] + s]) >= first_out) hit(s, p, begin, found, first);
            if ((s = d[col[p[1]] + s]) >= first_out) hit(s, p + 1, begin, found, first);
            if ((s = d[col[p[2]] + s]) >= first_out) hit(s, p + 2, begin, found, first);
            if ((s = d[col[p[3]] + s]) >= first_out) hit(s, p + 3, begin, found, first);
        }
        for (; p < e; ++p)
            if ((s = d[col[*p] + s]) >= first_out) hit(s, p, begin, found, first);
    }

    // The lanes' steps from j on, until n or until a step at which some lane's state may end a
    // phrase: returns that step's j, with the lanes' states after it in st. A function of its
    // own with no call inside, so that the compiler keeps the lanes' pointers and states in
    // registers (inlined into lanes, with hit's calls beside, it kept the pointers on the stack
    // and loaded them at every step).
    template <std::size_t N>
    __attribute__((noinline)) static std::size_t steps(const State *d, const std::uint32_t *col, std::uint32_t fo,
                                                       const unsigned char *const *from, std::size_t *st,
                                                       std::size_t j, std::size_t n) {
        static_assert(N == 2, "the steps are written for two lanes (four were slower)");
        const unsigned char *const f0 = from[0], *const f1 = from[1];
        std::uint32_t s0 = static_cast<std::uint32_t>(st[0]), s1 = static_cast<std::uint32_t>(st[1]);
        // One step of both lanes at byte i; true when some lane's state may end a phrase
        // (fo = first_out). The test is on the sum of the states, which the compiler forms in a
        // third register (an or overwrote one of the states and put a copy into the chain of
        // dependent loads): at or above first_out whenever one of them is (the sum stays below
        // 2^32), and now and then when neither is (two deep states), which lanes then sees and
        // steps on.
        auto step = [&](std::size_t i) {
            s0 = d[col[f0[i]] + s0];
            s1 = d[col[f1[i]] + s1];
            return s0 + s1 >= fo;
        };
        for (; j + 4 <= n; j += 4) {  // four steps per loop test
            if (step(j)) goto out;
            if (step(j + 1)) {
                j += 1;
                goto out;
            }
            if (step(j + 2)) {
                j += 2;
                goto out;
            }
            if (step(j + 3)) {
                j += 3;
                goto out;
            }
        }
        for (; j < n; ++j)
            if (step(j)) break;
    out:
        st[0] = s0;
        st[1] = s1;
        return j;
    }

    // N lanes over a body of `size` bytes (size >= N * longest_), merged into found / first.
    template <std::size_t N>
    void lanes(const unsigned char *begin, std::size_t size, MarkerSet &found, std::size_t *first) const {
        const unsigned char *from[N], *to[N];
        for (std::size_t k = 0; k < N; ++k) {
            from[k] = begin + k * size / N;
            to[k] = k + 1 == N ? begin + size : begin + std::min(size, (k + 1) * size / N + longest_ - 1);
        }
        MarkerSet lane_found[N];
        std::size_t lane_first[N][kBodyMarkerCount];
        lane_found[0] = found;
        std::size_t n = static_cast<std::size_t>(to[N - 1] - from[N - 1]);  // the shortest lane
        for (std::size_t k = 0; k + 1 < N; ++k) n = std::min(n, static_cast<std::size_t>(to[k] - from[k]));

        const State *d = table_.data();
        const std::uint32_t *col = column_;
        const std::size_t first_out = first_out_;
        std::size_t st[N] = {};
        for (std::size_t j = 0; (j = steps<N>(d, col, first_out_, from, st, j, n)) < n; ++j)
            for (std::size_t k = 0; k < N; ++k)
                if (st[k] >= first_out) hit(st[k], from[k] + j, begin, lane_found[k], lane_first[k]);
        for (std::size_t k = 0; k < N; ++k)  // each lane's rest, from its state
            walk(begin, from[k] + n, to[k], lane_found[k], lane_first[k], st[k]);

        // Merge in lane order: a lane adds only what no earlier lane (nor the caller) found.
        for (std::size_t k = 0; k < N; ++k) {
            for (std::size_t w = 0; w < MarkerSet::kWords; ++w) {
                for (std::uint64_t only = lane_found[k].w[w] & ~found.w[w]; only != 0; only &= only - 1) {
                    const std::size_t i = w * 64 + static_cast<std::size_t>(__builtin_ctzll(only));
                    first[i] = lane_first[k][i];
                }
                found.w[w] |= lane_found[k].w[w];
            }
        }
    }

    static constexpr std::uint16_t kEnd = 0xFFFF;
    static_assert(kBodyMarkerCount < kEnd, "marker ids are 16 bits");
    std::uint32_t column_[256] = {};    // per byte: its class's column (class x states)
    std::size_t classes_ = 0;
    std::size_t longest_ = 1;           // the longest phrase's length
    std::vector<State> table_;          // classes_ columns of one next state per state
    std::uint32_t first_out_ = 0;       // the first state that ends a phrase
    std::vector<std::uint32_t> out_at_; // per such state (less first_out_): its list in out_ids_
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
