#include "rules/atoms.hh"

#include <re2/filtered_re2.h>

#include <algorithm>

namespace carom::rules {

namespace {

// The clauses of a pattern's formula (atoms.hh): `passes(present)` says whether the filter lets
// the pattern through when exactly the atoms `present` (indexes) are in a text. For each atom not
// yet in a clause, the atoms are taken away one by one, keeping away those whose absence still
// stops the pattern: what is left is a smallest set of atoms of which a match needs one.
template <typename Passes>
std::vector<std::vector<std::uint16_t>> find_clauses(std::size_t atom_count, Passes passes) {
    std::vector<std::vector<std::uint16_t>> clauses;
    std::vector<bool> covered(atom_count, false);
    auto without = [&](const std::vector<bool> &away) {
        std::vector<std::uint16_t> present;
        for (std::size_t k = 0; k < atom_count; ++k)
            if (!away[k]) present.push_back(static_cast<std::uint16_t>(k));
        return present;
    };
    std::vector<bool> all_away(atom_count, true);
    if (passes(without(all_away))) return clauses;  // the filter lets it through on no atom at all
    std::vector<bool> none_away(atom_count, false);
    if (!passes(without(none_away))) return {{}};  // never through: an empty clause, never met
    for (std::size_t a = 0; a < atom_count; ++a) {
        if (covered[a]) continue;
        std::vector<bool> away(atom_count, true);
        for (std::size_t b = 0; b < atom_count; ++b) {
            if (b == a) continue;
            away[b] = false;
            if (passes(without(away))) away[b] = true;  // b is needed away: keep it in the clause
        }
        // Still blocking with only these away; does `a` matter? (If not, its clause was found.)
        away[a] = false;
        const bool a_needed = passes(without(away));
        away[a] = true;
        if (!a_needed) continue;
        std::vector<std::uint16_t> clause;
        for (std::size_t k = 0; k < atom_count; ++k)
            if (away[k]) {
                clause.push_back(static_cast<std::uint16_t>(k));
                covered[k] = true;
            }
        clauses.push_back(std::move(clause));
    }
    return clauses;
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
    out.clauses.clear();
    if (out.unfiltered || out.atoms.empty()) return true;
    out.clauses = find_clauses(out.atoms.size(), [&](const std::vector<std::uint16_t> &present) {
        std::vector<int> atoms(present.begin(), present.end()), hits;
        filter.AllPotentials(atoms, &hits);
        return !hits.empty();
    });
    return true;
}

void refine_together(AtomTable &table, const RE2::Options &options) {
    re2::FilteredRE2 filter(kMinAtomLength);
    std::vector<PatternAtoms *> by_id;
    for (auto &e : table) {
        int id = -1;
        if (filter.Add(e.first, options, &id) != RE2::NoError || id != static_cast<int>(by_id.size())) return;
        by_id.push_back(&e.second);
    }
    std::vector<std::string> atoms;
    filter.Compile(&atoms);
    std::unordered_map<std::string, int> index;
    for (std::size_t k = 0; k < atoms.size(); ++k) index.emplace(atoms[k], static_cast<int>(k));
    std::vector<int> none;
    filter.AllPotentials({}, &none);
    for (std::size_t id = 0; id < by_id.size(); ++id) {
        PatternAtoms &p = *by_id[id];
        const int me = static_cast<int>(id);
        if (p.unfiltered || std::find(none.begin(), none.end(), me) != none.end()) continue;
        // The pattern's own atoms, as the filter numbers them (an atom the filter dropped never
        // helps this pattern pass).
        std::vector<int> number(p.atoms.size(), -1);
        for (std::size_t k = 0; k < p.atoms.size(); ++k) {
            const auto it = index.find(p.atoms[k]);
            if (it != index.end()) number[k] = it->second;
        }
        p.clauses = find_clauses(p.atoms.size(), [&](const std::vector<std::uint16_t> &present) {
            std::vector<int> given, hits;
            for (std::uint16_t k : present)
                if (number[k] >= 0) given.push_back(number[k]);
            filter.AllPotentials(given, &hits);
            return std::find(hits.begin(), hits.end(), me) != hits.end();
        });
    }
}

void AtomFinder::build(const std::vector<std::string> &atoms) {
    atom_count_ = atoms.size();
    // The atoms in byte order: the atoms below a state are a range of them, and its children are
    // the runs of that range with the same next byte, met in byte order.
    std::vector<std::uint32_t> order;
    for (std::uint32_t a = 0; a < atoms.size(); ++a)
        if (!atoms[a].empty()) order.push_back(a);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return atoms[a] < atoms[b]; });
    const auto byte = [&](std::size_t i, std::size_t depth) { return static_cast<unsigned char>(atoms[order[i]][depth]); };
    struct Node {
        std::size_t lo, hi, depth;  // its atoms order[lo, hi), all with the same first depth bytes
    };
    std::vector<Node> nodes{{0, order.size(), 0}};  // by state; read in state order = breadth first
    first_.assign(1, 0);
    atom_.assign(1, kNoAtom);
    edge_byte_.clear();
    edge_to_.clear();
    for (std::size_t s = 0; s < nodes.size(); ++s) {
        const Node n = nodes[s];
        std::size_t i = n.lo;
        if (i < n.hi && atoms[order[i]].size() == n.depth) atom_[s] = order[i];  // it sorts first
        while (i < n.hi && atoms[order[i]].size() == n.depth) ++i;             // and once only
        while (i < n.hi) {
            const unsigned char c = byte(i, n.depth);
            std::size_t j = i + 1;
            while (j < n.hi && byte(j, n.depth) == c) ++j;
            edge_byte_.push_back(c);
            edge_to_.push_back(static_cast<std::uint32_t>(nodes.size()));
            nodes.push_back({i, j, n.depth + 1});
            atom_.push_back(kNoAtom);
            i = j;
        }
        first_.push_back(static_cast<std::uint32_t>(edge_to_.size()));
    }
    root_.fill(0);
    for (std::uint32_t e = first_[0]; e < first_[1]; ++e) root_[edge_byte_[e]] = edge_to_[e];
    // Breadth first: a state's fail and dict links use those of shorter prefixes.
    fail_.assign(nodes.size(), 0);
    dict_.assign(nodes.size(), 0);
    for (std::uint32_t s = 0; s < nodes.size(); ++s) {
        for (std::uint32_t e = first_[s]; e < first_[s + 1]; ++e) {
            const std::uint32_t t = edge_to_[e];
            if (s != 0) {
                std::uint32_t f = fail_[s];
                while (f != 0 && child(f, edge_byte_[e]) == 0) f = fail_[f];
                const std::uint32_t via = child(f, edge_byte_[e]);
                fail_[t] = via != t ? via : 0;
            }
            dict_[t] = atom_[fail_[t]] != kNoAtom ? fail_[t] : dict_[fail_[t]];
        }
    }
}

std::uint32_t AtomFinder::child(std::uint32_t state, unsigned char c) const {
    const auto begin = edge_byte_.begin() + first_[state], end = edge_byte_.begin() + first_[state + 1];
    const auto it = std::lower_bound(begin, end, c);
    return it != end && *it == c ? edge_to_[static_cast<std::size_t>(it - edge_byte_.begin())] : 0;
}

std::uint32_t AtomFinder::step(std::uint32_t state, unsigned char c) const {
    for (; state != 0; state = fail_[state])
        if (const std::uint32_t t = child(state, c)) return t;
    return root_[c];
}

void AtomFinder::find(std::string_view text, std::vector<std::uint32_t> &found) const {
    if (first_.empty()) return;
    std::uint32_t s = 0;
    for (unsigned char c : text) {
        s = step(s, c);
        for (std::uint32_t u = atom_[s] == kNoAtom ? dict_[s] : s; u != 0; u = dict_[u]) found.push_back(atom_[u]);
    }
}

const RE2 *LazyPattern::get() const {
    std::call_once(once_, [this] { re_ = std::make_unique<RE2>(pattern_, options_); });
    return re_ && re_->ok() ? re_.get() : nullptr;
}

}  // namespace carom::rules
