// Names and default classes of the pinned taxonomy enums (docs/taxonomy.md).
#pragma once

#include <string_view>

#include "carom.h"

namespace carom {

struct ReasonSpec {
    carom_reason_t id;
    const char *name;
    carom_class_t cls;  // default class of a failed recipient with this reason
};

const char *class_name(carom_class_t cls);
const char *reason_name(carom_reason_t reason);
// Exact lower-case class name ("hard", "auto_reply").
bool class_from_name(std::string_view name, carom_class_t *out);
// Case-insensitive; understands both generations of Sisimai names and a few aliases.
bool reason_from_name(std::string_view name, carom_reason_t *out);
carom_class_t reason_default_class(carom_reason_t reason);
unsigned reason_count();
unsigned class_count();

}  // namespace carom
