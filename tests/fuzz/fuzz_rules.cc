// Fuzz target: the rules parser (carom_options_add_rules), then, for text it accepts, pattern
// compilation (carom_engine_new) and matching on a fixed bounce. The built-in rules are off so
// that each input compiles only its own rules.
#include "carom.h"
#include "fixed_bounce.hh"
#include "fuzz_common.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 64 * 1024) return 0;
    carom_options_t *o = nullptr;
    if (carom_options_new(&o) != CAROM_OK) return 0;
    FUZZ_CHECK(carom_options_use_builtin_rules(o, 0) == CAROM_OK);
    // The smallest RE2 budget: a pattern that needs more must fail cleanly.
    FUZZ_CHECK(carom_options_set_limit(o, CAROM_LIMIT_RULE_MEMORY, 1u << 20) == CAROM_OK);
    char *error = nullptr;
    carom_status_t st = carom_options_add_rules(o, "fuzz.rules", 10, reinterpret_cast<const char *>(data), size, &error);
    if (st != CAROM_OK) {
        FUZZ_CHECK(st == CAROM_E_RULES || st == CAROM_E_RULES_VERSION || st == CAROM_E_NOMEM);
        FUZZ_CHECK(st == CAROM_E_NOMEM || error != nullptr);
        carom_string_free(error);
        carom_options_free(o);
        return 0;
    }
    FUZZ_CHECK(error == nullptr);
    carom_engine_t *e = nullptr;
    st = carom_engine_new(o, &e, &error);
    carom_options_free(o);
    if (st != CAROM_OK) {
        FUZZ_CHECK(e == nullptr);
        FUZZ_CHECK(st == CAROM_E_RULES || st == CAROM_E_REGEX_MEMORY || st == CAROM_E_NOMEM);
        carom_string_free(error);
        return 0;
    }
    char *json = nullptr;
    if (carom_engine_rules_json(e, &json, nullptr) == CAROM_OK) carom_string_free(json);
    carom_result_t *r = nullptr;
    st = carom_classify_ex(e, kFixedBounce, sizeof kFixedBounce - 1, CAROM_CLASSIFY_EXPLAIN, &r);
    FUZZ_CHECK(st == CAROM_OK || st == CAROM_E_NOMEM);
    if (r) {
        FUZZ_CHECK(carom_result_status(r) == CAROM_OK);
        if (carom_result_to_json(r, nullptr, 0, &json, nullptr) == CAROM_OK) carom_string_free(json);
    }
    carom_result_free(r);
    carom_engine_free(e);
    return 0;
}
