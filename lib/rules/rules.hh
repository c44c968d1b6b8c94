// The rule set: data files (docs/rules-format.md) compiled into RE2 sets. It maps the facts of
// one record (status code, reply code, diagnostic text, command, remote host, format) to a
// reason and names the rule that decided.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "carom.h"

namespace carom::rules {

struct Source {
    std::string name;  // file name for error messages
    std::string text;
};

// What a rule is matched against (one record).
struct Input {
    std::string_view status;      // "5.1.1" or ""
    std::string_view reply_code;  // "550" or ""
    std::string_view diagnostic;  // UTF-8 diagnostic text (not yet normalised)
    std::string_view command;     // "RCPT" or ""
    std::string_view remote_mta;  // host name or ""
    std::string_view format;      // reader name ("postfix", "rfc3464", ...)
    std::string_view action;      // "failed", "delayed", ...
    std::string_view reporting_mta;  // the MTA that wrote the bounce (Reporting-MTA) or ""
    std::string_view category;    // the reporting MTA's own classification ("bad-mailbox") or ""
    // What the message or record says of itself (ruleset.hh, kReportNames): "feedback",
    // "auto-reply", "challenge", "virusnotice", "delivered" ... or "" for a failure or delay.
    std::string_view report = {};
};

struct Decision {
    bool decided = false;
    carom_reason_t reason = CAROM_REASON_UNDEFINED;
    std::string rule;                // id of the deciding rule
    std::vector<std::string> hits;   // every matching rule id in priority order (explain only)
};

// Checks one rule file's syntax and structure (not RE2 validity). On failure returns
// CAROM_E_RULES or CAROM_E_RULES_VERSION and sets error to "name:line:column: message".
carom_status_t check(const Source &source, std::string &error);

class Compiled {
public:
    virtual ~Compiled() = default;
    // Thread-safe: const; the one state it changes is each text pattern's compilation, done once,
    // the first time a text needs it (std::call_once).
    virtual Decision decide(const Input &input, bool explain) const = 0;
    virtual std::size_t size() const = 0;
    // The class of a failed record with this reason: the "class" lines of the rule data (the
    // built-in ones, replaced reason by reason by user files).
    virtual carom_class_t class_of(carom_reason_t reason) const = 0;
    virtual std::string list_jsonl() const = 0;
    // One JSON object: the tiers, the "precedence" and "outcome" lines, the class of each reason.
    virtual std::string decision_json() const = 0;
};

// Compiles the built-in rules (when `builtin`) plus the user sources (later ones take precedence
// over earlier ones; all user rules over built-in ones). On failure returns nullptr, sets status
// (CAROM_E_RULES, CAROM_E_RULES_VERSION, CAROM_E_REGEX_MEMORY) and error. (builtin.cc)
std::unique_ptr<Compiled> compile(const std::vector<Source> &user, bool builtin, std::uint64_t max_mem,
                                  carom_status_t &status, std::string &error);

// The same with the built-in files given (the build tool compiles them before they are embedded):
// `builtin` are one origin, after every user source. A reason that no "class" line names takes
// unnamed_class(reason). `known`: the atoms of text patterns checked in advance with this
// max_mem or less (atoms.hh): those patterns are compiled when first needed, the others now.
// (compile.cc)
struct PatternAtoms;
using KnownAtoms = std::unordered_map<std::string, PatternAtoms>;
std::unique_ptr<Compiled> compile_sources(const std::vector<Source> &user, const std::vector<Source> &builtin,
                                          carom_class_t (*unnamed_class)(carom_reason_t), std::uint64_t max_mem,
                                          carom_status_t &status, std::string &error,
                                          const KnownAtoms *known = nullptr);

// Version of the built-in rule set.
const char *builtin_version();

}  // namespace carom::rules
