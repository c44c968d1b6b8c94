// The built-in rule files, embedded at build time by the embed_rules tool (embed.cc), which
// checks them with the parser and compiles them first: builtin_rules.cc is generated.
#pragma once

#include <vector>

#include "carom.h"
#include "rules/atoms.hh"
#include "rules/rules.hh"

namespace carom::rules {

// The built-in rule files in precedence order (name "builtin:FILE.rules", text).
std::vector<Source> builtin_sources();

// The atoms of the built-in text patterns (atoms.hh), computed by embed_rules with the default
// rule_memory.
KnownAtoms builtin_atoms();

// The class of a failed record with this reason in the built-in rule set: the "class" lines of
// the built-in files (every reason has one; the build checks it), CAROM_CLASS_SOFT for a value
// that is no reason. The answer of carom_reason_default_class.
carom_class_t builtin_class(carom_reason_t reason);

}  // namespace carom::rules
