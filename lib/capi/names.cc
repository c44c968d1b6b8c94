// Static names of statuses, classes, reasons and limits, and the version functions.
#include <cstdlib>

#include "base/limits.hh"
#include "base/taxonomy.hh"
#include "capi/guard.hh"
#include "carom.h"
#include "rules/builtin.hh"

namespace {

struct StatusName {
    carom_status_t status;
    const char *name;
    const char *text;
};

constexpr StatusName kStatuses[] = {
    {CAROM_OK, "ok", "success"},
    {CAROM_E_INVALID, "invalid", "invalid argument"},
    {CAROM_E_RANGE, "range", "value outside the allowed range"},
    {CAROM_E_NOMEM, "nomem", "out of memory"},
    {CAROM_E_INTERNAL, "internal", "internal error (a bug in carom)"},
    {CAROM_E_RULES, "rules", "invalid rule file"},
    {CAROM_E_RULES_VERSION, "rules_version", "rule file format version not supported"},
    {CAROM_E_CONTEXT, "context", "invalid backscatter context"},
    {CAROM_E_REGEX_MEMORY, "regex_memory", "rule set exceeds its memory budget"},
    {CAROM_E_UNSUPPORTED, "unsupported", "feature not built into this library"},
    {CAROM_E_EMPTY, "empty", "empty message"},
    {CAROM_E_TOO_LARGE, "too_large", "message larger than the size limit"},
    {CAROM_E_HEADER_TOO_LONG, "header_too_long", "header line longer than the limit"},
    {CAROM_E_TOO_DEEP, "too_deep", "MIME nesting deeper than the limit"},
    {CAROM_E_TOO_MANY_PARTS, "too_many_parts", "more MIME parts than the limit"},
    {CAROM_E_TOO_MANY_RECIPIENTS, "too_many_recipients", "more recipients than the limit"},
    {CAROM_E_NOT_EMAIL, "not_email", "input is not an email message"},
    {CAROM_E_HEADERS_TOO_LARGE, "headers_too_large", "header block larger than the limit"},
};

const StatusName *find_status(carom_status_t s) {
    for (const auto &e : kStatuses)
        if (e.status == s) return &e;
    return nullptr;
}

}  // namespace

extern "C" {

// These are table lookups that cannot throw; they still run through the guard, so that the rule
// "every extern C definition is guarded" has no exception to remember (tests/abi/check_guard.py).
using carom::guard;
using carom::guard_value;

unsigned carom_version_number(void) {
    return guard_value(0u, [] { return static_cast<unsigned>(CAROM_VERSION_NUMBER); });
}

const char *carom_version_string(void) {
    return guard_value<const char *>(CAROM_VERSION_STRING, [] { return CAROM_VERSION_STRING; });
}

const char *carom_status_string(carom_status_t status) {
    return guard_value<const char *>("unknown status", [&] {
        const StatusName *s = find_status(status);
        return s ? s->text : "unknown status";
    });
}

const char *carom_status_name(carom_status_t status) {
    return guard_value<const char *>(nullptr, [&]() -> const char * {
        const StatusName *s = find_status(status);
        return s ? s->name : nullptr;
    });
}

void carom_string_free(char *string) {
    guard([&] {
        std::free(string);
        return CAROM_OK;
    });
}

unsigned carom_class_count(void) {
    return guard_value(0u, [] { return carom::class_count(); });
}

const char *carom_class_name(carom_class_t cls) {
    return guard_value<const char *>(nullptr, [&] { return carom::class_name(cls); });
}

unsigned carom_reason_count(void) {
    return guard_value(0u, [] { return carom::reason_count(); });
}

const char *carom_reason_name(carom_reason_t reason) {
    return guard_value<const char *>(nullptr, [&] { return carom::reason_name(reason); });
}

carom_status_t carom_reason_from_name(const char *name, size_t length, carom_reason_t *reason) {
    if (reason) *reason = CAROM_REASON_UNDEFINED;
    return guard([&] {
        if (!name || !reason) return CAROM_E_INVALID;
        return carom::reason_from_name(std::string_view(name, length), reason) ? CAROM_OK : CAROM_E_INVALID;
    });
}

// The "class" lines of the built-in rule files, embedded at build time (one source of truth).
carom_class_t carom_reason_default_class(carom_reason_t reason) {
    return guard_value(CAROM_CLASS_SOFT, [&] { return carom::rules::builtin_class(reason); });
}

unsigned carom_limit_count(void) {
    return guard_value(0u, [] { return static_cast<unsigned>(carom::kLimitCount); });
}

const char *carom_limit_name(carom_limit_t limit) {
    return guard_value<const char *>(nullptr, [&]() -> const char * {
        const carom::LimitSpec *s = carom::find_limit(limit);
        return s ? s->name : nullptr;
    });
}

carom_status_t carom_limit_bounds(carom_limit_t limit, uint64_t *min, uint64_t *max, uint64_t *default_value) {
    return guard([&] {
        const carom::LimitSpec *s = carom::find_limit(limit);
        if (min) *min = s ? s->min : 0;
        if (max) *max = s ? s->max : 0;
        if (default_value) *default_value = s ? s->def : 0;
        return s ? CAROM_OK : CAROM_E_INVALID;
    });
}

}  // extern "C"
