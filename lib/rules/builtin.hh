// The built-in rule files, embedded at build time by embed.py (builtin_rules.cc is generated).
#pragma once

#include <vector>

#include "rules/rules.hh"

namespace carom::rules {

// The built-in rule files in precedence order (name "builtin:FILE.rules", text).
std::vector<Source> builtin_sources();

}  // namespace carom::rules
