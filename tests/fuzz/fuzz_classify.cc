// Fuzz target: the whole classify path through carom.h (MIME reading, decoders, charsets,
// delivery-status parsing, format readers, rules, backscatter, JSON rendering) with tight limits,
// so that every limit's error path is reachable with small inputs.
#include <cstring>
#include <string>

#include "carom.h"
#include "fuzz_common.hh"

namespace {

const char kContext[] =
    "{\"domains\": [\"example.com\"], \"relays\": [\"mx.example.com\", \"192.0.2.10\", \".out.example.com\"],"
    " \"message_id_domains\": [\"mail.example.com\"],"
    " \"message_id_patterns\": [\"[0-9]{6}\\\\.[a-z]+@example\\\\.com\"],"
    " \"batv\": {\"keys\": {\"0\": \"fuzz-key\"}, \"max_age_days\": 7},"
    " \"verp\": {\"template\": \"bounces+{recipient}-{sig}@example.com\", \"hmac_key\": \"k\"}}";

carom_sent_t sent(void *, const char *, size_t id_len, const char *, size_t rcpt_len) {
    return (id_len + rcpt_len) % 3 == 0 ? CAROM_SENT_YES : ((id_len + rcpt_len) % 3 == 1 ? CAROM_SENT_NO : CAROM_SENT_UNKNOWN);
}

// Built once per process: the engine is immutable, so sharing it across inputs is exactly how
// callers use it. (Test code: the one function-local static of the fuzzers.)
const carom_engine_t *engine() {
    static const carom_engine_t *e = [] {
        carom_options_t *o = nullptr;
        FUZZ_CHECK(carom_options_new(&o) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_limit(o, CAROM_LIMIT_MESSAGE_BYTES, kFuzzMaxInput) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_limit(o, CAROM_LIMIT_HEADER_LINE_BYTES, 4096) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_limit(o, CAROM_LIMIT_HEADER_BYTES, 16384) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_limit(o, CAROM_LIMIT_MIME_DEPTH, 8) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_limit(o, CAROM_LIMIT_MIME_PARTS, 64) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_limit(o, CAROM_LIMIT_RECIPIENTS, 32) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_limit(o, CAROM_LIMIT_DIAGNOSTIC_BYTES, 512) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_limit(o, CAROM_LIMIT_TEXT_BYTES, 32768) == CAROM_OK);
        FUZZ_CHECK(carom_options_add_original_header(o, "X-Campaign-Id", 13) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_context_json(o, kContext, sizeof kContext - 1, nullptr) == CAROM_OK);
        FUZZ_CHECK(carom_options_set_sent_callback(o, sent, nullptr) == CAROM_OK);
        carom_engine_t *eng = nullptr;
        FUZZ_CHECK(carom_engine_new(o, &eng, nullptr) == CAROM_OK);
        carom_options_free(o);
        return eng;
    }();
    return e;
}

void touch(const char *s, size_t n) {
    // Reads every byte so that ASan sees any out-of-bounds string; checks NUL termination.
    volatile unsigned char sink = 0;
    for (size_t i = 0; i < n; ++i) sink = sink ^ static_cast<unsigned char>(s[i]);
    FUZZ_CHECK(s[n] == '\0');
    (void)sink;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > kFuzzMaxInput) return 0;
    const char *bytes = reinterpret_cast<const char *>(data);
    carom_result_t *r = nullptr;
    // Odd first byte: explain mode as well (the rule trace is another path).
    unsigned flags = (size && (data[0] & 1)) ? CAROM_CLASSIFY_EXPLAIN : CAROM_CLASSIFY_DEFAULT;
    carom_status_t st = carom_classify_ex(engine(), bytes, size, flags, &r);
    if (st == CAROM_E_NOMEM) return 0;
    FUZZ_CHECK(st == CAROM_OK && r != nullptr);

    carom_status_t ms = carom_result_status(r);
    const char *msg = carom_result_message(r);
    FUZZ_CHECK(msg != nullptr);
    FUZZ_CHECK(carom_status_name(ms) != nullptr);
    size_t n = carom_result_record_count(r);
    FUZZ_CHECK(n <= 32);
    if (ms != CAROM_OK) FUZZ_CHECK(n == 0);
    static const carom_field_t kRecordFields[] = {
        CAROM_FIELD_RECIPIENT,     CAROM_FIELD_ORIGINAL_RECIPIENT, CAROM_FIELD_ACTION,
        CAROM_FIELD_STATUS,        CAROM_FIELD_REPLY_CODE,         CAROM_FIELD_RULE,
        CAROM_FIELD_DIAGNOSTIC_TYPE, CAROM_FIELD_DIAGNOSTIC,       CAROM_FIELD_REMOTE_MTA,
        CAROM_FIELD_REPORTING_MTA, CAROM_FIELD_COMMAND,            CAROM_FIELD_LAST_ATTEMPT,
        CAROM_FIELD_FEEDBACK_TYPE, CAROM_FIELD_TIMESTAMP,          CAROM_FIELD_TIMESTAMP_SOURCE,
        CAROM_FIELD_TOKEN,         CAROM_FIELD_SENDER,             CAROM_FIELD_ENVELOPE_RECIPIENT,
        CAROM_FIELD_RECIPIENT_SOURCE};
    for (size_t i = 0; i < n; ++i) {
        for (carom_field_t f : kRecordFields) {
            size_t len = 0;
            const char *v = carom_result_field(r, i, f, &len);
            if (v) touch(v, len);
            // The diagnostic limit holds.
            if (v && f == CAROM_FIELD_DIAGNOSTIC) FUZZ_CHECK(len <= 512);
            // Every record has a token: 64 hex digits.
            if (f == CAROM_FIELD_TOKEN) FUZZ_CHECK(v != nullptr && len == 64);
        }
        carom_class_t c = carom_result_class(r, i);
        FUZZ_CHECK(carom_class_name(c) != nullptr && c != CAROM_CLASS_NONE);
        FUZZ_CHECK(carom_reason_name(carom_result_reason(r, i)) != nullptr);
        (void)carom_result_status_derived(r, i);
    }
    for (int f = CAROM_FIELD_FORMAT; f <= CAROM_FIELD_ORIGINAL_LIST_ID; ++f) {
        size_t len = 0;
        const char *v = carom_result_field(r, 0, static_cast<carom_field_t>(f), &len);
        if (v) touch(v, len);
    }
    FUZZ_CHECK(carom_result_field(r, n, CAROM_FIELD_RECIPIENT, nullptr) == nullptr);
    (void)carom_result_verdict(r);

    char *json = nullptr;
    size_t json_len = 0;
    st = carom_result_to_json(r, "fuzz", 4, &json, &json_len);
    if (st == CAROM_OK) {
        touch(json, json_len);
        FUZZ_CHECK(json_len >= 2 && json[0] == '{' && json[json_len - 1] == '}');
        FUZZ_CHECK(std::memchr(json, '\n', json_len) == nullptr);  // one line
    } else {
        FUZZ_CHECK(st == CAROM_E_NOMEM && json == nullptr);
    }
    carom_string_free(json);
    carom_result_free(r);
    return 0;
}
