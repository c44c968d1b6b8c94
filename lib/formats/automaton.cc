#include "formats/automaton.hh"

#include <algorithm>

namespace carom::formats {
namespace {

inline unsigned char fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c; }

// The least power of two >= n.
std::size_t power_of_two_from(std::size_t n) {
    std::size_t p = 1;
    while (p < n) p *= 2;
    return p;
}

// A body of this many bytes or more is walked in two lanes (PhraseAutomaton::scan).
constexpr std::size_t kTwoLanes = 256;

// The trie of the phrases over byte classes, completed into the full transition table.
struct Trie {
    std::size_t classes = 0;
    std::uint8_t cls[256] = {};                  // byte -> class
    std::vector<std::int32_t> go;                // go[state * classes + class], -1 when absent
    std::vector<std::vector<std::uint16_t>> out; // per state: the phrases that end there
    std::vector<std::uint32_t> order;            // the states breadth first, the root first
    std::size_t states = 1;
};

// Classes: one per distinct folded byte of any phrase; 0 = a byte no phrase contains.
void make_classes(const std::vector<std::string_view> &phrases, Trie &t) {
    std::uint8_t class_of_folded[256] = {};
    for (std::string_view p : phrases)
        for (char ch : p) {
            const unsigned char f = fold(static_cast<unsigned char>(ch));
            if (class_of_folded[f] == 0) class_of_folded[f] = static_cast<std::uint8_t>(++t.classes);
        }
    ++t.classes;  // class 0
    for (unsigned b = 0; b < 256; ++b) t.cls[b] = class_of_folded[fold(static_cast<unsigned char>(b))];
}

void insert_phrases(const std::vector<std::string_view> &phrases, Trie &t) {
    std::size_t cap = 1;
    for (std::string_view p : phrases) cap += p.size();
    t.go.assign(cap * t.classes, -1);
    t.out.assign(1, {});
    for (std::size_t i = 0; i < phrases.size(); ++i) {
        std::size_t s = 0;
        for (char ch : phrases[i]) {
            const std::size_t c = t.cls[static_cast<unsigned char>(ch)];
            if (t.go[s * t.classes + c] < 0) {
                t.go[s * t.classes + c] = static_cast<std::int32_t>(t.states++);
                t.out.emplace_back();
            }
            s = static_cast<std::size_t>(t.go[s * t.classes + c]);
        }
        t.out[s].push_back(static_cast<std::uint16_t>(i));
    }
}

// Breadth first: failure links, outputs inherited from the failure state (a phrase that ends
// inside a longer one), and the trie completed in place into the full transition table (a missing
// edge goes where the failure state's edge goes; that state is shallower, so its row is already
// complete).
void complete(Trie &t) {
    std::vector<std::uint32_t> fail(t.states, 0);
    std::vector<std::uint32_t> &order = t.order;
    order.reserve(t.states);
    auto &go = t.go;
    const std::size_t classes = t.classes;
    for (std::size_t c = 0; c < classes; ++c) {
        if (go[c] > 0) order.push_back(static_cast<std::uint32_t>(go[c]));
        else go[c] = 0;
    }
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::uint32_t s = order[k];
        for (std::size_t c = 0; c < classes; ++c) {
            const std::int32_t to = go[s * classes + c];
            const std::int32_t via_fail = go[fail[s] * classes + c];
            if (to > 0) {
                fail[to] = static_cast<std::uint32_t>(via_fail);
                for (std::uint16_t m : t.out[via_fail]) t.out[to].push_back(m);
                order.push_back(static_cast<std::uint32_t>(to));
            } else {
                go[s * classes + c] = via_fail;
            }
        }
    }
    order.insert(order.begin(), 0);  // the root first
}

}  // namespace

PhraseAutomaton::PhraseAutomaton(std::vector<std::string_view> phrases) : phrases_(std::move(phrases)) {
    if (phrases_.size() <= kCapacity) build();
}

// The table is small enough to stay in the caches (the walk waits on one table load per byte):
// state numbers are 16 bits (about 3,700 states for today's readers, checked below), and the table
// is stored column by column, one column per class, each column one entry per state:
// next = table[column(byte) + state]. The column's offset (class x states) comes from a 256-entry
// table indexed by the byte, off the chain of dependent loads, so a step costs one add and one
// load, as with rows of offsets. States are numbered breadth first, so the shallow states, where a
// walk over ordinary text spends nearly all its time, share a few cache lines in each column.
void PhraseAutomaton::build() {
    Trie t;
    make_classes(phrases_, t);
    insert_phrases(phrases_, t);
    complete(t);
    classes_ = t.classes;
    for (std::string_view p : phrases_) longest_ = std::max(longest_, p.size());

    // Flatten. States are renumbered breadth first, those ending a phrase after all others, from
    // first_out_, the least power of two above the other states' numbers: a state number at or
    // above it then means "a phrase ends here", one comparison per byte; the lanes compare the
    // sum of their states with it, which two other states' numbers seldom reach with first_out_
    // so far above most of them (the numbers between are unused, a column's tail that is never
    // read). out_at_[s - first_out_] is where the state's phrases start in out_ids_ (a list ended
    // by kEnd).
    std::vector<std::uint32_t> number(t.states);
    std::uint32_t plain = 0;
    for (std::uint32_t st : t.order) plain += t.out[st].empty() ? 1 : 0;
    first_out_ = static_cast<std::uint32_t>(power_of_two_from(plain));
    std::uint32_t n = 0, m = first_out_;
    for (std::uint32_t st : t.order) number[st] = t.out[st].empty() ? n++ : m++;
    const std::size_t length = m;  // of a column
    if (length > std::size_t{0xFFFF} + 1) return;  // state numbers past 16 bits: not built
    table_.assign(length * classes_, 0);
    out_at_.assign(m - first_out_, 0);
    for (std::size_t st = 0; st < t.states; ++st) {
        for (std::size_t c = 0; c < classes_; ++c)
            table_[c * length + number[st]] = static_cast<State>(number[t.go[st * classes_ + c]]);
        if (!t.out[st].empty()) {
            out_at_[number[st] - first_out_] = static_cast<std::uint32_t>(out_ids_.size());
            out_ids_.insert(out_ids_.end(), t.out[st].begin(), t.out[st].end());
            out_ids_.push_back(kEnd);
        }
    }
    for (unsigned b = 0; b < 256; ++b) column_[b] = static_cast<std::uint32_t>(t.cls[b] * length);
    built_ = true;
}

// Each table step depends on the one before (the next row comes from the last load), so a single
// walk runs at the latency of a load per byte, not at the instruction rate. A body of kTwoLanes
// bytes or more is therefore cut into two lanes walked together in one loop, so that their loads
// overlap (four lanes were slower than two). Lane k starts at k * size / lanes and runs to where
// lane k + 1 starts plus the longest phrase less one byte, so every phrase starting in a lane ends
// in it, and every occurrence lies wholly in the lane where it starts. A phrase lane k finds
// starts there before any occurrence a later lane sees (an earlier such occurrence would lie
// inside lane k too), so the lanes are merged in order, each adding only the phrases no earlier
// lane found. Same answer as one walk (tests/unit/formats/test_markers.cc).
void PhraseAutomaton::scan(std::string_view text, MarkerSet &found, std::size_t first[kCapacity]) const {
    if (!built_) return;
    const auto *begin = reinterpret_cast<const unsigned char *>(text.data());
    if (text.size() < kTwoLanes)
        walk(begin, begin, begin + text.size(), found, first);
    else
        lanes(begin, text.size(), found, first);
}

// A phrase ends at byte `last` in state `s`: note it, and where it starts when it is its first
// time (matches come in order of their end, so the first end is the first start).
void PhraseAutomaton::hit(std::size_t s, const unsigned char *last, const unsigned char *begin, MarkerSet &found,
                          std::size_t *first) const {
    for (const std::uint16_t *o = &out_ids_[out_at_[s - first_out_]]; *o != kEnd; ++o)
        if (!found.has(*o)) {
            found.add(*o);
            first[*o] = static_cast<std::size_t>(last - begin) + 1 - phrases_[*o].size();
        }
}

// One lane over [p, e), positions relative to begin, from state s.
void PhraseAutomaton::walk(const unsigned char *begin, const unsigned char *p, const unsigned char *e,
                           MarkerSet &found, std::size_t *first, std::size_t s) const {
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

// The two lanes' steps from j on, until n or until a step at which some lane's state may end a
// phrase: returns that step's j, with the lanes' states after it in st. A function of its own with
// no call inside, so that the compiler keeps the lanes' pointers and states in registers (inlined
// into lanes, with hit's calls beside, it kept the pointers on the stack and loaded them at every
// step).
__attribute__((noinline)) std::size_t PhraseAutomaton::steps(const State *d, const std::uint32_t *col, std::uint32_t fo,
                                                             const unsigned char *const *from, std::size_t *st,
                                                             std::size_t j, std::size_t n) {
    const unsigned char *const f0 = from[0], *const f1 = from[1];
    std::uint32_t s0 = static_cast<std::uint32_t>(st[0]), s1 = static_cast<std::uint32_t>(st[1]);
    // One step of both lanes at byte i; true when some lane's state may end a phrase
    // (fo = first_out). The test is on the sum of the states, which the compiler forms in a third
    // register (an or overwrote one of the states and put a copy into the chain of dependent
    // loads): at or above first_out whenever one of them is (the sum stays below 2^32), and now
    // and then when neither is (two deep states), which lanes then sees and steps on.
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

// Two lanes over a body of `size` bytes (size >= 2 * longest_), merged into found / first.
void PhraseAutomaton::lanes(const unsigned char *begin, std::size_t size, MarkerSet &found, std::size_t *first) const {
    constexpr std::size_t N = 2;
    const unsigned char *from[N], *to[N];
    for (std::size_t k = 0; k < N; ++k) {
        from[k] = begin + k * size / N;
        to[k] = k + 1 == N ? begin + size : begin + std::min(size, (k + 1) * size / N + longest_ - 1);
    }
    MarkerSet lane_found[N];
    std::size_t lane_first[N][kCapacity];
    lane_found[0] = found;
    std::size_t n = static_cast<std::size_t>(to[N - 1] - from[N - 1]);  // the shortest lane
    for (std::size_t k = 0; k + 1 < N; ++k) n = std::min(n, static_cast<std::size_t>(to[k] - from[k]));

    const State *d = table_.data();
    const std::uint32_t *col = column_;
    const std::size_t first_out = first_out_;
    std::size_t st[N] = {};
    for (std::size_t j = 0; (j = steps(d, col, first_out_, from, st, j, n)) < n; ++j)
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

}  // namespace carom::formats
