// The rule model and the parser of the rules format (docs/rules-format.md). Internal to lib/rules.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "carom.h"
#include "rules/rules.hh"

namespace carom::rules {

// The current (and highest accepted) version of the rules format.
inline constexpr int kFormatVersion = 1;

// The fields a rule can condition on. Each field is compiled into one RE2::Set.
enum Field : std::size_t { kStatus = 0, kReply, kText, kCommand, kHost, kFormat, kAction, kReporter, kCategory, kFieldCount };

// Name of a field as written in a rule file ("status", "reply", "text", ...).
const char *field_name(Field f);

struct Condition {
    bool present = false;
    std::string value;    // as written in the file
    std::string pattern;  // RE2 syntax, as compiled
    unsigned line = 0, column = 0;
};

struct Rule {
    std::string id;
    std::vector<std::string> says;  // what the MTA writes (one or more comment lines)
    std::array<Condition, kFieldCount> cond;
    carom_reason_t reason = CAROM_REASON_UNDEFINED;
    std::string reason_name;        // as written
    int priority = -1;              // explicit priority; -1: default from the conditions
    unsigned line = 0;              // line of the "rule" keyword
    std::size_t source = 0;         // index of the source in the compile order
    std::string file;               // source name

    // The effective priority (lower wins): explicit, or the default of docs/rules-format.md.
    int effective_priority() const;
    unsigned condition_count() const;
};

// Parses one source. On failure returns CAROM_E_RULES / CAROM_E_RULES_VERSION and sets error to
// "name:line:column: message"; on success appends the rules to out.
carom_status_t parse(const Source &source, std::vector<Rule> &out, std::string &error);

// Text normalisation applied to the diagnostic before matching: Unicode NFKC, ICU default case
// folding, every run of white space (and control characters) collapsed to one space, trimmed.
// Invalid UTF-8 becomes U+FFFD.
std::string normalise(std::string_view text);
// The same through ICU for any input (normalise takes a shortcut for ASCII); exposed for the test
// that compares the two paths.
std::string normalise_unicode(std::string_view text);

}  // namespace carom::rules
