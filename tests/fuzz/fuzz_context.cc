// Fuzz target: the backscatter context JSON (carom_options_set_context_json); for a context it
// accepts, an engine without built-in rules classifies a fixed bounce (VERP, BATV, our domains).
#include "carom.h"
#include "fixed_bounce.hh"
#include "fuzz_common.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 64 * 1024) return 0;
    carom_options_t *o = nullptr;
    if (carom_options_new(&o) != CAROM_OK) return 0;
    FUZZ_CHECK(carom_options_use_builtin_rules(o, 0) == CAROM_OK);
    char *error = nullptr;
    carom_status_t st =
        carom_options_set_context_json(o, reinterpret_cast<const char *>(data), size, &error);
    if (st != CAROM_OK) {
        FUZZ_CHECK(st == CAROM_E_CONTEXT || st == CAROM_E_NOMEM);
        FUZZ_CHECK(st == CAROM_E_NOMEM || error != nullptr);
        carom_string_free(error);
        carom_options_free(o);
        return 0;
    }
    FUZZ_CHECK(error == nullptr);
    carom_engine_t *e = nullptr;
    st = carom_engine_new(o, &e, nullptr);
    carom_options_free(o);
    if (st != CAROM_OK) {
        FUZZ_CHECK(st == CAROM_E_NOMEM);
        return 0;
    }
    carom_result_t *r = nullptr;
    st = carom_classify(e, kFixedBounce, sizeof kFixedBounce - 1, &r);
    FUZZ_CHECK(st == CAROM_OK || st == CAROM_E_NOMEM);
    if (r) {
        FUZZ_CHECK(carom_result_status(r) == CAROM_OK);
        FUZZ_CHECK(carom_result_record_count(r) == 2);
        char *json = nullptr;
        if (carom_result_to_json(r, nullptr, 0, &json, nullptr) == CAROM_OK) carom_string_free(json);
    }
    carom_result_free(r);
    carom_engine_free(e);
    return 0;
}
