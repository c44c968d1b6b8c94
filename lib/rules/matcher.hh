// The compiled rule set (rules::Compiled) as data: one RE2::Set per field, the text patterns
// behind a literal filter, and what the decision procedure of docs/taxonomy.md ("How a reason is
// decided") needs per rule. Built once by compile.cc, read-only after. Internal to lib/rules.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <bitset>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/atoms.hh"
#include "rules/rules.hh"
#include "rules/ruleset.hh"

namespace carom::rules {

// The status, reply, command, format, action, category and report patterns must match the whole
// value; text, host and reporter patterns are searched in it.
inline bool anchored(Field f) { return !(f == kText || f == kHost || f == kReporter); }

// A bitset over reason values (all below 128, include/carom.h).
using ReasonSet = std::bitset<128>;
inline std::size_t reason_bit(carom_reason_t r) { return static_cast<std::size_t>(r) & 127; }

// The text patterns are not one RE2::Set: with over a thousand of them, nearly every new DFA state
// of the set held thousands of NFA threads, and a varied archive built new states for most
// messages. Instead each pattern's required literals ("atoms", atoms.hh) are found in the text
// in one pass, and only the patterns with an atom there (and the unfiltered ones) run, each
// compiled the first time it runs.
struct TextFilter {
    std::vector<std::unique_ptr<LazyPattern>> patterns;  // by text id, for the leftmost-longest match
    std::vector<PatternAtoms> atoms_of;                  // by text id
    std::vector<std::uint32_t> rule_of;                  // text id → rule index
    AtomFinder atoms;                                    // every atom, numbered
    // The clauses of all text ids, numbered in text id order (a text id's clauses are
    // consecutive): per clause its text id, per text id how many clauses it has, per atom the
    // clauses it is in. A text id is a candidate when each of its clauses has an atom found.
    std::vector<std::uint32_t> clause_owner;
    std::vector<std::uint32_t> clause_count;
    std::vector<std::vector<std::uint32_t>> clauses_of;
    std::vector<std::uint32_t> unfiltered;                // text ids that run on every text
    bool empty() const { return patterns.empty(); }
    // The text ids whose patterns may match text (ascending): those with an atom of each of
    // their clauses in it, and the unfiltered ones.
    std::vector<std::uint32_t> candidates(std::string_view text) const;
};

// A pattern of an unanchored field that matches almost any text (`text .`: "there is a
// diagnostic") is matched on its own, not in the set: in a set it makes nearly every DFA state a
// match state, and RE2 then re-inserts every match id of the state at every byte (the text set
// cost three times as much with the two `.` rules in it). Alone, RE2 stops at the first character.
struct AlonePattern {
    std::unique_ptr<RE2> re;
    std::vector<std::uint32_t> rules;  // the rules with this very pattern (matched once)
    // `text .`: RE2's dot matches any character but a line feed, and a normalised text has no
    // line feed (white space is collapsed to spaces): it matches every text that is not empty.
    bool any_text = false;
};

struct FieldSet {
    std::unique_ptr<RE2::Set> set;          // null when the field has no pattern for a set
    std::vector<std::uint32_t> rule_of;     // set index → rule index
    std::vector<std::string> patterns;      // the set's patterns, for the one-by-one fallback
    TextFilter text;                        // the text field's patterns (instead of `set`)
    std::vector<AlonePattern> alone;
    // The rules that match a value the field often takes (status codes x.y.z with small y and z,
    // reply codes 200-599, SMTP commands, the names the rules list): matched once when the engine
    // is built, then looked up instead of running the set for every record. It pays: a set's
    // Match on such a short value costs many times the lookup, several times for each record.
    std::map<std::string, std::vector<std::uint32_t>, std::less<>> memo;
    // The memo holds every value that can match (fields whose patterns are alternations of
    // literal names: format, action, category, command, report): a value not in it matches nothing.
    bool memo_complete = false;
};

class Matcher final : public Compiled {
public:
    std::vector<Rule> rules;          // in static order (index = rank)
    std::vector<std::uint8_t> need;   // conditions per rule
    // Rules of one group (same origin, priority and tier) are ranked by their evidence first:
    // group[i] numbers the group of rule i; evidence[i] is rule i's text pattern compiled for the
    // leftmost-longest match (null without a text condition).
    std::vector<std::uint32_t> group;
    std::vector<const LazyPattern *> evidence;               // the filter's pattern, or one in own_evidence
    std::vector<std::unique_ptr<LazyPattern>> own_evidence;  // for the text patterns matched alone
    std::vector<ReasonSet> excludes;                 // per rule: the reasons it rules out
    ReasonSet outcome;                               // the reasons that tell an outcome, not a cause
    // The "transient" line: once the MTA gave up, a rule of gave_up outranks these reasons.
    carom_reason_t gave_up = CAROM_REASON_UNDEFINED;
    ReasonSet transient;
    std::vector<carom_class_t> classes;  // per reason value: its class ("class" lines)
    Directives directives;               // as read, for decision_json
    FieldSet fields[kFieldCount];
    // The host and then the reporter are matched last, and only when one of their rules can still
    // be complete (host rules also want a text, which seldom matches): most records skip their
    // sets. Each field's rules, with how many of their conditions are on that field or after it.
    struct Pending {
        std::uint32_t rule;
        std::uint8_t left;
    };
    std::vector<Pending> last[2];
    RE2::Options options;  // the options every pattern was compiled with

    Decision decide(const Input &input, bool explain) const override;
    std::size_t size() const override { return rules.size(); }
    carom_class_t class_of(carom_reason_t reason) const override;
    std::string list_jsonl() const override;
    std::string decision_json() const override;
    // The atoms of every text pattern (embed_rules embeds those of the built-in set).
    AtomTable text_atoms() const;

private:
    // Per-decision scratch (the matcher itself stays immutable).
    struct Scratch {
        explicit Scratch(std::size_t rule_count) : count(rule_count, 0) { touched.reserve(64); }
        std::vector<std::uint8_t> count;     // matched conditions per rule
        std::vector<std::uint32_t> touched;  // rules whose count went above 0, each once
        std::vector<int> hits;               // a set's answer, reused across fields
        void credit(std::uint32_t rule) {
            std::uint8_t &c = count[rule];
            if (c == 0) touched.push_back(rule);
            if (c < 255) ++c;
        }
    };
    // The decision's steps, in order.
    void match_fields(const Input &in, const std::string &text, Scratch &s) const;
    std::vector<std::uint32_t> complete_matches(Scratch &s) const;
    void rank_first_group(std::vector<std::uint32_t> &found, std::string_view text) const;
    void apply_transient(std::vector<std::uint32_t> &found, std::string_view action) const;

    void match_field(Field f, std::string_view value, Scratch &s) const;
    void match_set(Field f, const FieldSet &fs, std::string_view value, Scratch &s) const;
    void match_text(const TextFilter &tf, std::string_view text, Scratch &s) const;
    // The length of the longest stretch of the text that rule i's text pattern matches.
    std::size_t evidence_length(std::size_t i, std::string_view text) const;
    // Whether a rule with a condition on f (host or reporter, matched last in that order) still
    // can be complete: its matched conditions plus those left to match (f and after) reach need.
    bool can_complete(Field f, const Scratch &s) const;
};

}  // namespace carom::rules
