// The text patterns' literals ("atoms") and the automaton that finds them in a text: which text
// patterns can match a diagnostic at all, before any of them runs. Internal to lib/rules.
//
// A text pattern can only match where its atoms say so: RE2's FilteredRE2 computes, per pattern, a
// formula of the literals every match must contain (AND / OR of strings, no negation), and lets
// a pattern through only when the literals found in a text satisfy it. Such a formula is an AND
// of "clauses", each a set of atoms of which the text must hold one; the clauses are found once
// by asking the filter about sets of atoms. Any clauses found this way make a sound filter (a
// text a pattern matches holds an atom of each); they are found with one filter of all the
// built-in patterns, which RE2 prunes much tighter than a filter of one pattern. A pattern whose
// formula holds for any text (no literal of kMinAtomLength bytes is required) is "unfiltered"
// and always runs.
//
// The atoms and clauses of the built-in patterns are computed when carom is built (embed_rules)
// and embedded with the rules; an engine then compiles a built-in pattern only the first time a
// text meets its clauses (LazyPattern). User patterns get theirs when the engine is built.
#pragma once

#include <re2/re2.h>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "carom.h"

namespace carom::rules {

// Literals shorter than this are not worth finding: a pattern whose literals are all shorter is
// unfiltered (FilteredRE2's min_atom_len).
constexpr int kMinAtomLength = 3;

struct PatternAtoms {
    std::vector<std::string> atoms;
    // Each clause as indexes into atoms, ascending; an empty clause is never met (the filter
    // never lets the pattern through).
    std::vector<std::vector<std::uint16_t>> clauses;
    bool unfiltered = false;
};

// The atoms of one pattern, compiled with `options`. False when it does not compile; `code` says
// why.
bool pattern_atoms(const std::string &pattern, const RE2::Options &options, PatternAtoms &out, RE2::ErrorCode &code);

// The atoms of patterns known in advance (the built-in ones), by pattern (rules.hh: KnownAtoms).
using AtomTable = std::unordered_map<std::string, PatternAtoms>;

// Recomputes the clauses of every pattern of the table with one filter of them all, as
// FilteredRE2 filters a set: much tighter than each pattern's own filter. embed_rules does it
// for the built-in patterns; the atoms stay.
void refine_together(AtomTable &table, const RE2::Options &options);

// Finds which of a fixed set of literals occur in a text, in one pass (Aho-Corasick).
class AtomFinder {
public:
    // Atoms are numbered by their place in `atoms`; an atom given twice is found as the first.
    void build(const std::vector<std::string> &atoms);
    // Appends the ids of the atoms found in text (an atom found twice is appended twice).
    void find(std::string_view text, std::vector<std::uint32_t> &found) const;
    std::size_t size() const { return atom_count_; }

private:
    static constexpr std::uint32_t kNoAtom = 0xFFFFFFFF;
    // State 0 is the root (the empty prefix); every other state is a prefix of some atom,
    // numbered breadth first. The automaton is a few flat arrays (one allocation each, not a few
    // per state): state s's transitions are edges [first_[s], first_[s + 1]), sorted by byte.
    std::uint32_t child(std::uint32_t state, unsigned char c) const;  // 0 when there is none
    std::uint32_t step(std::uint32_t state, unsigned char c) const;

    std::vector<std::uint32_t> first_;      // per state, then one past the last
    std::vector<unsigned char> edge_byte_;  // per edge
    std::vector<std::uint32_t> edge_to_;    // per edge
    std::vector<std::uint32_t> fail_;       // per state: the longest proper suffix that is a state
    std::vector<std::uint32_t> dict_;       // per state: the longest proper suffix that is an atom (0: none)
    std::vector<std::uint32_t> atom_;       // per state: the atom equal to it, or kNoAtom
    std::array<std::uint32_t, 256> root_{};  // the root's transitions by byte: most steps end there
    std::size_t atom_count_ = 0;
};

// A text pattern compiled the first time it is needed; safe to use from several threads at once.
class LazyPattern {
public:
    LazyPattern(std::string pattern, const RE2::Options &options) : pattern_(std::move(pattern)), options_(options) {}
    // The compiled pattern; null if it does not compile (cannot happen for a pattern checked at
    // build time with these options).
    const RE2 *get() const;
    const std::string &pattern() const { return pattern_; }

private:
    std::string pattern_;
    RE2::Options options_;
    mutable std::once_flag once_;
    mutable std::unique_ptr<RE2> re_;
};

}  // namespace carom::rules
