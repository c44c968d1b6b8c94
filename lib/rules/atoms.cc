#include "rules/atoms.hh"

#include <re2/filtered_re2.h>

#include <algorithm>
#include <deque>

namespace carom::rules {

namespace {

// The bound of the implicant search: sets looked at (each either holds a smaller implicant, or
// is asked about).
constexpr std::size_t kMaxSets = 20000;

// Calls visit(subset) for every subset of `pool` of `size` elements, in lexicographic order,
// while visit returns true. False when visit stopped it.
template <typename Visit>
bool each_subset(const std::vector<std::uint16_t> &pool, std::size_t size, Visit visit) {
    if (size > pool.size()) return true;
    std::vector<std::size_t> at(size);
    for (std::size_t k = 0; k < size; ++k) at[k] = k;
    std::vector<std::uint16_t> subset(size);
    for (;;) {
        for (std::size_t k = 0; k < size; ++k) subset[k] = pool[at[k]];
        if (!visit(subset)) return false;
        std::size_t k = size;
        while (k > 0 && at[k - 1] == pool.size() - size + k - 1) --k;
        if (k == 0) return true;
        ++at[k - 1];
        for (std::size_t j = k; j < size; ++j) at[j] = at[j - 1] + 1;
    }
}

bool contains(const std::vector<std::uint16_t> &set, const std::vector<std::uint16_t> &part) {
    return std::includes(set.begin(), set.end(), part.begin(), part.end());
}

// The implicants of the one pattern of `filter` (atoms.hh), smallest first: a set that the
// formula accepts and that holds no smaller accepted set. A set that holds an atom accepted
// alone is never minimal unless it is that atom, so larger sets are drawn from the others.
std::vector<std::vector<std::uint16_t>> find_implicants(const re2::FilteredRE2 &filter, std::size_t atom_count) {
    std::vector<std::vector<std::uint16_t>> found;
    std::size_t sets = 0;
    auto accepted = [&](const std::vector<std::uint16_t> &set) {
        std::vector<int> atoms(set.begin(), set.end()), hits;
        filter.AllPotentials(atoms, &hits);
        return !hits.empty();
    };
    std::vector<std::uint16_t> rest;
    for (std::size_t a = 0; a < atom_count; ++a) {
        const std::vector<std::uint16_t> one{static_cast<std::uint16_t>(a)};
        if (accepted(one)) found.push_back(one);
        else rest.push_back(static_cast<std::uint16_t>(a));
    }
    // By size: once every set of a size holds an implicant, so does every larger set.
    bool complete = true, open = true;
    for (std::size_t size = 2; size <= rest.size() && complete && open; ++size) {
        open = false;
        complete = each_subset(rest, size, [&](const std::vector<std::uint16_t> &set) {
            if (++sets > kMaxSets) return false;
            for (const auto &f : found)
                if (contains(set, f)) return true;
            if (accepted(set))
                found.push_back(set);
            else
                open = true;  // a larger set may still be an implicant
            return true;
        });
    }
    if (!complete || found.empty()) {
        // Only "any one atom" is sure to let every match through.
        found.clear();
        for (std::size_t a = 0; a < atom_count; ++a) found.push_back({static_cast<std::uint16_t>(a)});
    }
    return found;
}

}  // namespace

bool pattern_atoms(const std::string &pattern, const RE2::Options &options, PatternAtoms &out, RE2::ErrorCode &code) {
    re2::FilteredRE2 filter(kMinAtomLength);
    int id = -1;
    code = filter.Add(pattern, options, &id);
    if (code != RE2::NoError || id < 0) return false;
    out.atoms.clear();
    filter.Compile(&out.atoms);
    // With no atom found at all, only an unfiltered pattern is still a candidate.
    std::vector<int> candidates;
    filter.AllPotentials({}, &candidates);
    // Atoms are numbered in 16 bits: a pattern with more (none comes near) simply always runs.
    out.unfiltered = !candidates.empty() || out.atoms.size() > 0xFFFF;
    out.implicants.clear();
    if (!out.unfiltered && !out.atoms.empty()) out.implicants = find_implicants(filter, out.atoms.size());
    return true;
}

std::uint32_t AtomFinder::child(std::uint32_t state, unsigned char c) const {
    const auto &next = states_[state].next;
    const auto it = std::lower_bound(next.begin(), next.end(), c,
                                     [](const std::pair<unsigned char, std::uint32_t> &e, unsigned char b) { return e.first < b; });
    return it != next.end() && it->first == c ? it->second : 0;
}

std::uint32_t AtomFinder::step(std::uint32_t state, unsigned char c) const {
    for (;;) {
        const std::uint32_t t = child(state, c);
        if (t != 0 || state == 0) return t;
        state = states_[state].fail;
    }
}

void AtomFinder::build(const std::vector<std::string> &atoms) {
    states_.assign(1, State{});
    atom_count_ = atoms.size();
    for (std::size_t a = 0; a < atoms.size(); ++a) {
        std::uint32_t s = 0;
        for (unsigned char c : atoms[a]) {
            std::uint32_t t = child(s, c);
            if (t == 0) {
                t = static_cast<std::uint32_t>(states_.size());
                auto &next = states_[s].next;
                next.insert(std::lower_bound(next.begin(), next.end(), std::make_pair(c, std::uint32_t{0})),
                            std::make_pair(c, t));
                states_.emplace_back();
            }
            s = t;
        }
        states_[s].atoms.push_back(static_cast<std::uint32_t>(a));
    }
    // Breadth first: a state's fail and dict links use those of shorter prefixes.
    std::deque<std::uint32_t> queue;
    for (const auto &e : states_[0].next) queue.push_back(e.second);
    while (!queue.empty()) {
        const std::uint32_t s = queue.front();
        queue.pop_front();
        for (const auto &e : states_[s].next) {
            const std::uint32_t t = e.second;
            std::uint32_t f = states_[s].fail;
            while (f != 0 && child(f, e.first) == 0) f = states_[f].fail;
            const std::uint32_t via = child(f, e.first);
            states_[t].fail = via != t ? via : 0;
            const State &fs = states_[states_[t].fail];
            states_[t].dict = !fs.atoms.empty() ? states_[t].fail : fs.dict;
            queue.push_back(t);
        }
    }
}

void AtomFinder::find(std::string_view text, std::vector<std::uint32_t> &found) const {
    if (states_.empty()) return;
    std::uint32_t s = 0;
    for (unsigned char c : text) {
        s = step(s, c);
        for (std::uint32_t u = states_[s].atoms.empty() ? states_[s].dict : s; u != 0; u = states_[u].dict)
            found.insert(found.end(), states_[u].atoms.begin(), states_[u].atoms.end());
    }
}

const RE2 *LazyPattern::get() const {
    std::call_once(once_, [this] { re_ = std::make_unique<RE2>(pattern_, options_); });
    return re_ && re_->ok() ? re_.get() : nullptr;
}

}  // namespace carom::rules
