// The one table of limits. The C API (carom_limit_bounds, carom_options_set_limit), the CLI and
// docs/limits.md (checked by tests/abi/check_limits_doc.py) all read it.
#pragma once

#include <array>
#include <cstdint>

#include "carom.h"

namespace carom {

struct LimitSpec {
    carom_limit_t id;
    const char *name;
    std::uint64_t min, max, def;
    const char *doc;
};

inline constexpr std::size_t kLimitCount = 9;
extern const std::array<LimitSpec, kLimitCount> kLimits;

// Values of every limit for one engine, indexed by carom_limit_t.
struct Limits {
    std::array<std::uint64_t, kLimitCount> v{};
    Limits();
    std::uint64_t operator[](carom_limit_t id) const { return v[static_cast<std::size_t>(id)]; }
    std::uint64_t message_bytes() const { return v[CAROM_LIMIT_MESSAGE_BYTES]; }
    std::uint64_t header_line_bytes() const { return v[CAROM_LIMIT_HEADER_LINE_BYTES]; }
    std::uint64_t header_bytes() const { return v[CAROM_LIMIT_HEADER_BYTES]; }
    std::uint64_t mime_depth() const { return v[CAROM_LIMIT_MIME_DEPTH]; }
    std::uint64_t mime_parts() const { return v[CAROM_LIMIT_MIME_PARTS]; }
    std::uint64_t recipients() const { return v[CAROM_LIMIT_RECIPIENTS]; }
    std::uint64_t diagnostic_bytes() const { return v[CAROM_LIMIT_DIAGNOSTIC_BYTES]; }
    std::uint64_t rule_memory() const { return v[CAROM_LIMIT_RULE_MEMORY]; }
    std::uint64_t text_bytes() const { return v[CAROM_LIMIT_TEXT_BYTES]; }
};

const LimitSpec *find_limit(carom_limit_t id);

}  // namespace carom
