// The rule model and the parser of the rules format (docs/rules-format.md). Internal to lib/rules.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "carom.h"
#include "rules/rules.hh"

namespace carom::rules {

// The current (and highest accepted) version of the rules format.
inline constexpr int kFormatVersion = 1;

// The fields a rule can condition on. Each field is compiled into one RE2::Set.
enum Field : std::size_t { kStatus = 0, kReply, kText, kCommand, kHost, kFormat, kAction, kReporter, kCategory, kReport, kFieldCount };

// Name of a field as written in a rule file ("status", "reply", "text", ...).
const char *field_name(Field f);

struct Condition {
    bool present = false;
    std::string value;    // as written in the file
    std::string pattern;  // RE2 syntax, as compiled
    unsigned line = 0, column = 0;
};

// Evidence tiers, most specific first.
enum Tier : std::uint8_t {
    kTierReport = 0,    // what the message says of itself: a complaint, an auto-reply, "delivered"
    kTierCategory = 1,  // the reporting MTA's own classification of the failure
    kTierProvider = 2,  // a named provider, reader or reporting MTA, with its own codes or words
    kTierText = 3,      // words of the diagnostic that name a cause
    kTierCode = 4,      // an enhanced status code with a detail (X.Y.Z, Z != 0)
    kTierGeneric = 5,   // a generic status code (X.Y.0, wildcards) or a reply code
    kTierStage = 6,     // only the SMTP command, the action, or "there is a diagnostic"
};
const char *tier_name(Tier t);

struct Rule {
    std::string id;
    std::vector<std::string> says;  // what the MTA writes (one or more comment lines)
    std::array<Condition, kFieldCount> cond;
    carom_reason_t reason = CAROM_REASON_UNDEFINED;
    std::string reason_name;        // as written
    int priority = -1;              // explicit priority; -1: none (kNoPriority)
    std::vector<carom_reason_t> excludes;  // reasons this rule rules out when it matches (a bound)
    bool provider_marker = false;   // "tier provider": its text is a provider's documented code
    unsigned line = 0;              // line of the "rule" keyword
    std::size_t source = 0;         // index of the source in the compile order
    std::string file;               // source name

    // The effective priority (lower wins): explicit, or kNoPriority.
    int effective_priority() const;
    // The kind of evidence the rule rests on (docs/taxonomy.md, "How a reason is decided"):
    // lower is more specific. Computed from the conditions, never set by hand.
    Tier tier() const;
    unsigned condition_count() const;
};

// The priority of a rule that sets none: the middle of 0-999, so that a user file can put its
// rules before (or after) the others of its own origin.
inline constexpr int kNoPriority = 500;

// Parses one source. On failure returns CAROM_E_RULES / CAROM_E_RULES_VERSION and sets error to
// "name:line:column: message"; on success appends the rules to out.
// The file-level lines that order reasons (docs/rules-format.md): "precedence" (which reason wins
// when equally strong evidence names two) and "outcome" (reasons that tell what became of the
// message, not why: words naming a cause outrank them) and "transient" (its first reason, the
// outcome of giving up, outranks the others, troubles that pass by themselves, once the record
// says the MTA gave up). Empty when the file has no such line.
struct Directives {
    std::vector<carom_reason_t> precedence, outcome, transient;
    // "class CLASS REASON...": the class of a failed record with these reasons, in file order.
    std::vector<std::pair<carom_class_t, std::vector<carom_reason_t>>> classes;
};

// The names the "report" condition takes (rules::Input::report).
inline constexpr const char *kReportNames[] = {"feedback", "auto-reply", "challenge", "virusnotice",
                                               "delivered", "relayed", "expanded"};
carom_status_t parse(const Source &source, std::vector<Rule> &out, std::string &error,
                     Directives *directives = nullptr);

// The words of a value, separated by spaces and tabs.
std::vector<std::string_view> split_words(std::string_view value);

// The RE2 pattern of a condition on field f with this value (conditions.cc): the alternatives of
// its words (codes, commands, names), or the value itself (text, host, reporter). On a bad value
// returns false with the offset in the value of what is wrong and a message.
bool condition_pattern(Field f, std::string_view value, std::string &pattern, std::size_t &bad_offset,
                       std::string &message);

// Text normalisation applied to the diagnostic before matching: Unicode NFKC, ICU default case
// folding, every run of white space (and control characters) collapsed to one space, trimmed.
// Invalid UTF-8 becomes U+FFFD.
std::string normalise(std::string_view text);
// The same through ICU for any input (normalise takes a shortcut for ASCII); exposed for the test
// that compares the two paths.
std::string normalise_unicode(std::string_view text);

}  // namespace carom::rules
