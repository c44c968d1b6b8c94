/* carom.h compiles alone as strict C99 (-std=c99 -Wall -Wextra -Werror -pedantic), and every
 * declaration can be used from C. Nothing but carom.h is included. */
#include "carom.h"

/* Takes the address of every function, so that a declaration that is not valid C fails here. */
typedef void (*any_fn)(void);
static const any_fn every_function[] = {
    (any_fn)carom_version_number, (any_fn)carom_version_string, (any_fn)carom_status_string,
    (any_fn)carom_status_name, (any_fn)carom_string_free, (any_fn)carom_class_count, (any_fn)carom_class_name,
    (any_fn)carom_reason_count, (any_fn)carom_reason_name, (any_fn)carom_reason_from_name,
    (any_fn)carom_reason_default_class, (any_fn)carom_limit_count, (any_fn)carom_limit_name,
    (any_fn)carom_limit_bounds, (any_fn)carom_options_new, (any_fn)carom_options_free,
    (any_fn)carom_options_set_limit, (any_fn)carom_options_get_limit, (any_fn)carom_options_use_builtin_rules,
    (any_fn)carom_options_add_rules, (any_fn)carom_options_add_original_header,
    (any_fn)carom_options_set_context_json, (any_fn)carom_options_set_sent_callback, (any_fn)carom_engine_new,
    (any_fn)carom_engine_free, (any_fn)carom_engine_rules_version, (any_fn)carom_engine_rule_count,
    (any_fn)carom_engine_rules_json, (any_fn)carom_engine_decision_json, (any_fn)carom_classify, (any_fn)carom_classify_ex, (any_fn)carom_result_free,
    (any_fn)carom_result_status, (any_fn)carom_result_message, (any_fn)carom_result_record_count,
    (any_fn)carom_result_field, (any_fn)carom_result_class, (any_fn)carom_result_reason,
    (any_fn)carom_result_verdict, (any_fn)carom_result_to_json,
};

static carom_sent_t never_sent(void *user_data, const char *message_id, size_t message_id_length,
                               const char *recipient, size_t recipient_length) {
    (void)user_data;
    (void)message_id;
    (void)message_id_length;
    (void)recipient;
    (void)recipient_length;
    return CAROM_SENT_UNKNOWN;
}

#if !CAROM_VERSION_ATLEAST(0, 1, 0)
#error "CAROM_VERSION_ATLEAST is wrong"
#endif

int main(void) {
    carom_options_t *options = NULL;
    carom_engine_t *engine = NULL;
    carom_result_t *result = NULL;
    carom_sent_callback_t cb = never_sent;
    carom_status_t st = CAROM_OK;
    carom_class_t cls = CAROM_CLASS_HARD;
    carom_reason_t reason = CAROM_REASON_USERUNKNOWN;
    carom_limit_t limit = CAROM_LIMIT_MESSAGE_BYTES;
    carom_field_t field = CAROM_FIELD_RECIPIENT;
    carom_verdict_t verdict = CAROM_VERDICT_UNKNOWN;
    uint64_t value = 0;
    unsigned flags = CAROM_CLASSIFY_DEFAULT | CAROM_CLASSIFY_EXPLAIN;
    (void)options;
    (void)engine;
    (void)result;
    (void)cb;
    (void)cls;
    (void)reason;
    (void)limit;
    (void)field;
    (void)verdict;
    (void)value;
    (void)flags;
    (void)st;
    /* Enumerations are int-sized, as the ABI promises. */
    {
        typedef char status_is_int[sizeof(carom_status_t) == sizeof(int) ? 1 : -1];
        typedef char class_is_int[sizeof(carom_class_t) == sizeof(int) ? 1 : -1];
        typedef char reason_is_int[sizeof(carom_reason_t) == sizeof(int) ? 1 : -1];
        (void)sizeof(status_is_int);
        (void)sizeof(class_is_int);
        (void)sizeof(reason_is_int);
    }
    return every_function[0] == 0 ? 1 : 0;
}
