// Names of the pinned taxonomy enums (docs/taxonomy.md). The class of each reason is rule data
// (lib/rules/builtin.hh, builtin_class).
#pragma once

#include <string_view>

#include "carom.h"

namespace carom {

struct ReasonSpec {
    carom_reason_t id;
    const char *name;
};

const char *class_name(carom_class_t cls);
const char *reason_name(carom_reason_t reason);
// Exact lower-case class name ("hard", "auto_reply").
bool class_from_name(std::string_view name, carom_class_t *out);
// Case-insensitive; understands both generations of Sisimai names and a few aliases.
bool reason_from_name(std::string_view name, carom_reason_t *out);
unsigned reason_count();
unsigned class_count();

}  // namespace carom
