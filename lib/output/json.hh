// Renders a result in the output schema (docs/schema.md).
#pragma once

#include <string>
#include <string_view>

#include "base/model.hh"

namespace carom {

// One JSON object on one line. `source` may be null (JSON null).
std::string to_json(const Result &result, const std::string_view *source);

}  // namespace carom
