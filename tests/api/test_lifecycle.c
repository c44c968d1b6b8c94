/* The C API's contract, from C: constructors and destructors pair up, _free(NULL) is harmless,
 * NULL arguments give CAROM_E_INVALID, out-parameters are written on failure, limits keep to
 * their bounds, every status / class / reason has a name, and the version macros match the
 * library. A plain C program (no framework): each CHECK that fails is printed, the exit status
 * is 1 when any failed, and the last line is the count. */
#include <stdio.h>
#include <string.h>

#include "carom.h"

static int checks = 0;
static int failures = 0;

#define CHECK(cond)                                                           \
    do {                                                                      \
        ++checks;                                                             \
        if (!(cond)) {                                                        \
            ++failures;                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                     \
    } while (0)

static void test_versions(void) {
    char expected[32];
    CHECK(carom_version_number() == CAROM_VERSION_NUMBER);
    CHECK(strcmp(carom_version_string(), CAROM_VERSION_STRING) == 0);
    snprintf(expected, sizeof expected, "%d.%d.%d", CAROM_VERSION_MAJOR, CAROM_VERSION_MINOR, CAROM_VERSION_PATCH);
    CHECK(strcmp(expected, CAROM_VERSION_STRING) == 0);
    CHECK(CAROM_VERSION_NUMBER == CAROM_VERSION_MAJOR * 10000 + CAROM_VERSION_MINOR * 100 + CAROM_VERSION_PATCH);
    CHECK(CAROM_VERSION_ATLEAST(CAROM_VERSION_MAJOR, CAROM_VERSION_MINOR, CAROM_VERSION_PATCH));
    CHECK(!CAROM_VERSION_ATLEAST(CAROM_VERSION_MAJOR + 1, 0, 0));
}

static void test_free_null(void) {
    /* Each must simply return. */
    carom_options_free(NULL);
    carom_engine_free(NULL);
    carom_result_free(NULL);
    carom_string_free(NULL);
    CHECK(1);
}

static void test_options_lifecycle(void) {
    carom_options_t *options = (carom_options_t *)&checks; /* garbage: must be overwritten */
    CHECK(carom_options_new(NULL) == CAROM_E_INVALID);
    CHECK(carom_options_new(&options) == CAROM_OK);
    CHECK(options != NULL);
    CHECK(carom_options_use_builtin_rules(options, 0) == CAROM_OK);
    CHECK(carom_options_use_builtin_rules(NULL, 1) == CAROM_E_INVALID);
    CHECK(carom_options_add_original_header(options, "X-Campaign-Id", 13) == CAROM_OK);
    CHECK(carom_options_add_original_header(options, "bad name", 8) == CAROM_E_INVALID);
    CHECK(carom_options_add_original_header(options, NULL, 3) == CAROM_E_INVALID);
    CHECK(carom_options_add_original_header(NULL, "X-A", 3) == CAROM_E_INVALID);
    CHECK(carom_options_set_sent_callback(NULL, NULL, NULL) == CAROM_E_INVALID);
    CHECK(carom_options_set_sent_callback(options, NULL, NULL) == CAROM_OK);
    carom_options_free(options);
}

static void test_context(void) {
    carom_options_t *options = NULL;
    char *error = (char *)&checks;
    const char good[] = "{\"domains\": [\"example.com\"]}";
    const char bad[] = "{\"domains\": ";
    CHECK(carom_options_new(&options) == CAROM_OK);
    CHECK(carom_options_set_context_json(options, good, strlen(good), &error) == CAROM_OK);
    CHECK(error == NULL);
    error = (char *)&checks;
    CHECK(carom_options_set_context_json(options, bad, strlen(bad), &error) == CAROM_E_CONTEXT);
    CHECK(error != NULL && error != (char *)&checks && strlen(error) > 0);
    if (error != (char *)&checks) carom_string_free(error);
    CHECK(carom_options_set_context_json(options, bad, strlen(bad), NULL) == CAROM_E_CONTEXT);
    CHECK(carom_options_set_context_json(NULL, good, strlen(good), NULL) == CAROM_E_INVALID);
    CHECK(carom_options_set_context_json(options, NULL, 5, NULL) == CAROM_E_INVALID);
    carom_options_free(options);
}

static void test_engine_lifecycle(void) {
    carom_options_t *options = NULL;
    carom_engine_t *engine = (carom_engine_t *)&checks;
    carom_engine_t *engine2 = NULL;
    char *error = (char *)&checks;
    char *json = (char *)&checks;
    size_t length = 12345;
    CHECK(carom_engine_new(NULL, NULL, NULL) == CAROM_E_INVALID);
    CHECK(carom_engine_new(NULL, &engine, &error) == CAROM_OK); /* NULL options: defaults */
    CHECK(engine != NULL && engine != (carom_engine_t *)&checks);
    CHECK(error == NULL);
    CHECK(carom_engine_rules_version(engine) != NULL);
    CHECK(carom_engine_rule_count(NULL) == 0);
    CHECK(carom_engine_rules_json(engine, &json, &length) == CAROM_OK);
    CHECK(json != NULL && json != (char *)&checks && strlen(json) == length);
    if (json != (char *)&checks) carom_string_free(json);
    json = (char *)&checks;
    length = 12345;
    CHECK(carom_engine_rules_json(NULL, &json, &length) == CAROM_E_INVALID);
    CHECK(json == NULL && length == 0);
    CHECK(carom_engine_rules_json(engine, NULL, NULL) == CAROM_E_INVALID);
    CHECK(carom_engine_decision_json(engine, &json, &length) == CAROM_OK);
    CHECK(json != NULL && strlen(json) == length && json[0] == '{' && strstr(json, "\"classes\"") != NULL);
    carom_string_free(json);
    json = (char *)&checks;
    CHECK(carom_engine_decision_json(NULL, &json, &length) == CAROM_E_INVALID);
    CHECK(json == NULL && length == 0);
    CHECK(carom_engine_decision_json(engine, NULL, NULL) == CAROM_E_INVALID);
    /* Options may be freed once the engine is built; the engine is unaffected. */
    CHECK(carom_options_new(&options) == CAROM_OK);
    CHECK(carom_engine_new(options, &engine2, NULL) == CAROM_OK);
    carom_options_free(options);
    CHECK(engine2 != NULL);
    carom_engine_free(engine2);
    carom_engine_free(engine);
}

static void test_classify_arguments(void) {
    carom_engine_t *engine = NULL;
    carom_result_t *result = (carom_result_t *)&checks;
    char *json = (char *)&checks;
    size_t length = 99;
    const char msg[] = "From: a@example.com\nTo: b@example.org\nSubject: hello\n\nhi\n";
    CHECK(carom_engine_new(NULL, &engine, NULL) == CAROM_OK);
    CHECK(carom_classify(NULL, msg, strlen(msg), &result) == CAROM_E_INVALID);
    CHECK(result == NULL);
    CHECK(carom_classify(engine, msg, strlen(msg), NULL) == CAROM_E_INVALID);
    result = (carom_result_t *)&checks;
    CHECK(carom_classify(engine, NULL, 5, &result) == CAROM_E_INVALID);
    CHECK(result == NULL);
    CHECK(carom_classify_ex(engine, msg, strlen(msg), 0x80u, &result) == CAROM_E_INVALID);
    CHECK(result == NULL);
    /* NULL bytes with length 0 is an empty message: a result with CAROM_E_EMPTY. */
    CHECK(carom_classify(engine, NULL, 0, &result) == CAROM_OK);
    CHECK(result != NULL);
    CHECK(carom_result_status(result) == CAROM_E_EMPTY);
    CHECK(strlen(carom_result_message(result)) > 0);
    CHECK(carom_result_record_count(result) == 0);
    carom_result_free(result);
    result = NULL;
    CHECK(carom_classify(engine, msg, strlen(msg), &result) == CAROM_OK);
    CHECK(carom_result_status(result) == CAROM_OK);
    CHECK(strcmp(carom_result_message(result), "") == 0);
    /* Accessors on NULL and out of range. */
    CHECK(carom_result_status(NULL) == CAROM_E_INVALID);
    CHECK(carom_result_message(NULL) != NULL);
    CHECK(carom_result_record_count(NULL) == 0);
    length = 99;
    CHECK(carom_result_field(NULL, 0, CAROM_FIELD_RECIPIENT, &length) == NULL);
    CHECK(length == 0);
    length = 99;
    CHECK(carom_result_field(result, 1000000, CAROM_FIELD_RECIPIENT, &length) == NULL);
    CHECK(length == 0);
    CHECK(carom_result_field(result, 0, (carom_field_t)77, NULL) == NULL);
    CHECK(carom_result_class(result, 1000000) == CAROM_CLASS_NONE);
    CHECK(carom_result_reason(result, 1000000) == CAROM_REASON_UNDEFINED);
    CHECK(carom_result_class(NULL, 0) == CAROM_CLASS_NONE);
    CHECK(carom_result_verdict(NULL) == CAROM_VERDICT_UNKNOWN);
    /* to_json: out-parameters are written on failure. */
    length = 99;
    CHECK(carom_result_to_json(NULL, "x", 1, &json, &length) == CAROM_E_INVALID);
    CHECK(json == NULL && length == 0);
    CHECK(carom_result_to_json(result, NULL, 3, &json, NULL) == CAROM_E_INVALID);
    CHECK(carom_result_to_json(result, "x", 1, NULL, NULL) == CAROM_E_INVALID);
    CHECK(carom_result_to_json(result, NULL, 0, &json, &length) == CAROM_OK);
    CHECK(json != NULL && strlen(json) == length && json[0] == '{');
    CHECK(json != NULL && strstr(json, "\"source\":null") != NULL);
    carom_string_free(json);
    CHECK(carom_result_to_json(result, "a.eml", 5, &json, &length) == CAROM_OK);
    CHECK(json != NULL && strstr(json, "\"source\":\"a.eml\"") != NULL);
    carom_string_free(json);
    carom_result_free(result);
    carom_engine_free(engine);
}

static void test_limits(void) {
    carom_options_t *options = NULL;
    unsigned i;
    uint64_t lo = 1, hi = 1, def = 1, value = 1;
    CHECK(carom_limit_count() >= 9);
    CHECK(carom_options_new(&options) == CAROM_OK);
    for (i = 0; i < carom_limit_count(); ++i) {
        carom_limit_t limit = (carom_limit_t)i;
        CHECK(carom_limit_name(limit) != NULL);
        CHECK(carom_limit_bounds(limit, &lo, &hi, &def) == CAROM_OK);
        CHECK(lo <= def && def <= hi);
        CHECK(carom_limit_bounds(limit, NULL, NULL, NULL) == CAROM_OK);
        /* the default is what new options hold */
        CHECK(carom_options_get_limit(options, limit, &value) == CAROM_OK);
        CHECK(value == def);
        /* both bounds are accepted, one past either is refused and leaves the value alone */
        CHECK(carom_options_set_limit(options, limit, lo) == CAROM_OK);
        CHECK(carom_options_get_limit(options, limit, &value) == CAROM_OK && value == lo);
        CHECK(carom_options_set_limit(options, limit, hi) == CAROM_OK);
        CHECK(carom_options_get_limit(options, limit, &value) == CAROM_OK && value == hi);
        if (lo > 0) {
            CHECK(carom_options_set_limit(options, limit, lo - 1) == CAROM_E_RANGE);
            CHECK(carom_options_get_limit(options, limit, &value) == CAROM_OK && value == hi);
        }
        if (hi < UINT64_MAX) {
            CHECK(carom_options_set_limit(options, limit, hi + 1) == CAROM_E_RANGE);
            CHECK(carom_options_get_limit(options, limit, &value) == CAROM_OK && value == hi);
        }
        CHECK(carom_options_set_limit(options, limit, def) == CAROM_OK);
    }
    /* unknown limits and NULLs */
    lo = hi = def = 7;
    CHECK(carom_limit_bounds((carom_limit_t)carom_limit_count(), &lo, &hi, &def) == CAROM_E_INVALID);
    CHECK(lo == 0 && hi == 0 && def == 0);
    CHECK(carom_limit_name((carom_limit_t)carom_limit_count()) == NULL);
    CHECK(carom_options_set_limit(options, (carom_limit_t)carom_limit_count(), 1) == CAROM_E_INVALID);
    CHECK(carom_options_set_limit(NULL, CAROM_LIMIT_MESSAGE_BYTES, 1000) == CAROM_E_INVALID);
    value = 7;
    CHECK(carom_options_get_limit(NULL, CAROM_LIMIT_MESSAGE_BYTES, &value) == CAROM_E_INVALID);
    CHECK(value == 0);
    CHECK(carom_options_get_limit(options, CAROM_LIMIT_MESSAGE_BYTES, NULL) == CAROM_E_INVALID);
    carom_options_free(options);
}

static void test_names(void) {
    /* Every status this header declares has a name and a sentence; names are distinct. */
    static const carom_status_t statuses[] = {
        CAROM_OK, CAROM_E_INVALID, CAROM_E_RANGE, CAROM_E_NOMEM, CAROM_E_INTERNAL, CAROM_E_RULES,
        CAROM_E_RULES_VERSION, CAROM_E_CONTEXT, CAROM_E_REGEX_MEMORY, CAROM_E_UNSUPPORTED, CAROM_E_EMPTY,
        CAROM_E_TOO_LARGE, CAROM_E_HEADER_TOO_LONG, CAROM_E_TOO_DEEP, CAROM_E_TOO_MANY_PARTS,
        CAROM_E_TOO_MANY_RECIPIENTS, CAROM_E_NOT_EMAIL, CAROM_E_HEADERS_TOO_LARGE,
    };
    size_t n = sizeof statuses / sizeof statuses[0], i, j;
    unsigned k, reasons = 0;
    carom_reason_t r = CAROM_REASON_BLOCKED;
    for (i = 0; i < n; ++i) {
        const char *name = carom_status_name(statuses[i]);
        CHECK(name != NULL && name[0] != '\0');
        CHECK(carom_status_string(statuses[i]) != NULL && carom_status_string(statuses[i])[0] != '\0');
        for (j = 0; j < i && name; ++j) {
            const char *other = carom_status_name(statuses[j]);
            CHECK(other == NULL || strcmp(name, other) != 0);
        }
    }
    CHECK(strcmp(carom_status_name(CAROM_E_TOO_LARGE), "too_large") == 0);
    CHECK(carom_status_name((carom_status_t)9999) == NULL);
    CHECK(carom_status_string((carom_status_t)9999) != NULL);
    /* classes: every value below the count except NONE has a name */
    CHECK(carom_class_count() >= 9);
    for (k = 1; k < carom_class_count(); ++k) CHECK(carom_class_name((carom_class_t)k) != NULL);
    CHECK(strcmp(carom_class_name(CAROM_CLASS_HARD), "hard") == 0);
    CHECK(strcmp(carom_class_name(CAROM_CLASS_AUTO_REPLY), "auto_reply") == 0);
    CHECK(carom_class_name((carom_class_t)carom_class_count()) == NULL);
    /* reasons: names round-trip through carom_reason_from_name */
    for (k = 0; k < carom_reason_count(); ++k) {
        const char *name = carom_reason_name((carom_reason_t)k);
        carom_reason_t back = (carom_reason_t)-1;
        if (!name) continue;
        ++reasons;
        CHECK(carom_reason_from_name(name, strlen(name), &back) == CAROM_OK);
        CHECK(back == (carom_reason_t)k);
    }
    CHECK(reasons >= 40);
    CHECK(strcmp(carom_reason_name(CAROM_REASON_USERUNKNOWN), "userunknown") == 0);
    CHECK(carom_reason_from_name("MailboxFull", 11, &r) == CAROM_OK && r == CAROM_REASON_MAILBOXFULL);
    CHECK(carom_reason_from_name("no-such-reason", 14, &r) == CAROM_E_INVALID && r == CAROM_REASON_UNDEFINED);
    CHECK(carom_reason_from_name(NULL, 3, &r) == CAROM_E_INVALID);
    CHECK(carom_reason_from_name("userunknown", 11, NULL) == CAROM_E_INVALID);
    CHECK(carom_reason_name((carom_reason_t)carom_reason_count()) == NULL);
    CHECK(carom_reason_default_class(CAROM_REASON_USERUNKNOWN) == CAROM_CLASS_HARD);
    CHECK(carom_reason_default_class(CAROM_REASON_MAILBOXFULL) == CAROM_CLASS_SOFT);
    CHECK(carom_reason_default_class(CAROM_REASON_BLOCKED) == CAROM_CLASS_BLOCK);
}

static void test_rules_errors(void) {
    carom_options_t *options = NULL;
    char *error = (char *)&checks;
    CHECK(carom_options_new(&options) == CAROM_OK);
    CHECK(carom_options_add_rules(NULL, "x", 1, "", 0, &error) == CAROM_E_INVALID);
    if (error != (char *)&checks) carom_string_free(error);
    error = (char *)&checks;
    CHECK(carom_options_add_rules(options, "x", 1, NULL, 4, &error) == CAROM_E_INVALID);
    if (error != (char *)&checks) carom_string_free(error);
    carom_options_free(options);
}

int main(void) {
    test_versions();
    test_free_null();
    test_options_lifecycle();
    test_context();
    test_engine_lifecycle();
    test_classify_arguments();
    test_limits();
    test_names();
    test_rules_errors();
    printf("test_lifecycle: %d checks, %d failed\n", checks, failures);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
