// Every extern "C" definition that can allocate or run the pipeline: argument checks, then one
// call into the core through carom::guard. Out-parameters are written on every path.
#include <cstdlib>
#include <cstring>

#include "base/limits.hh"
#include "base/strings.hh"
#include "capi/guard.hh"
#include "capi/handles.hh"
#include "classify/hmac.hh"
#include "carom.h"
#include "output/json.hh"

namespace carom {

char *dup_c_string(const std::string &s) noexcept {
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p) return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

namespace {

// Hands a detail message to an optional `char **` slot; returns st unchanged.
carom_status_t report(carom_status_t st, const std::string &message, char **error) {
    if (error) *error = (st == CAROM_OK || message.empty()) ? nullptr : dup_c_string(message);
    return st;
}

const Record *record_at(const carom_result_t *r, size_t index) {
    if (!r || index >= r->result.records.size()) return nullptr;
    return &r->result.records[index];
}

const std::string *record_field(const Record &rec, carom_field_t field) {
    switch (field) {
        case CAROM_FIELD_RECIPIENT: return &rec.recipient;
        case CAROM_FIELD_ORIGINAL_RECIPIENT: return &rec.original_recipient;
        case CAROM_FIELD_ACTION: return &rec.action;
        case CAROM_FIELD_STATUS: return &rec.status;
        case CAROM_FIELD_REPLY_CODE: return &rec.reply_code;
        case CAROM_FIELD_RULE: return &rec.rule;
        case CAROM_FIELD_DIAGNOSTIC_TYPE: return &rec.diagnostic_type;
        case CAROM_FIELD_DIAGNOSTIC: return &rec.diagnostic;
        case CAROM_FIELD_REMOTE_MTA: return &rec.remote_mta;
        case CAROM_FIELD_REPORTING_MTA: return &rec.reporting_mta;
        case CAROM_FIELD_COMMAND: return &rec.command;
        case CAROM_FIELD_LAST_ATTEMPT: return &rec.last_attempt;
        case CAROM_FIELD_FEEDBACK_TYPE: return &rec.feedback_type;
        case CAROM_FIELD_TIMESTAMP: return &rec.timestamp;
        case CAROM_FIELD_TIMESTAMP_SOURCE: return &rec.timestamp_source;
        case CAROM_FIELD_TOKEN: return &rec.token;
        case CAROM_FIELD_SENDER: return &rec.sender;
        case CAROM_FIELD_ENVELOPE_RECIPIENT: return &rec.envelope_recipient;
        case CAROM_FIELD_RECIPIENT_SOURCE: return &rec.recipient_source;
        default: return nullptr;
    }
}

const std::string *message_field(const Result &r, carom_field_t field) {
    switch (field) {
        case CAROM_FIELD_FORMAT: return &r.format;
        case CAROM_FIELD_ORIGINAL_MESSAGE_ID: return &r.original.message_id;
        case CAROM_FIELD_ORIGINAL_FROM: return &r.original.from;
        case CAROM_FIELD_ORIGINAL_SUBJECT: return &r.original.subject;
        case CAROM_FIELD_ORIGINAL_DATE: return &r.original.date;
        case CAROM_FIELD_ORIGINAL_RETURN_PATH: return &r.original.return_path;
        case CAROM_FIELD_ORIGINAL_LIST_ID: return &r.original.list_id;
        default: return nullptr;
    }
}

// A caller-owned copy of one of the engine's rule texts (rules_json, decision_json); called
// inside the guard.
carom_status_t engine_text(const carom_engine_t *engine, char **json, size_t *length,
                           std::string (rules::Compiled::*text)() const) {
    if (json) *json = nullptr;
    if (length) *length = 0;
    if (!engine || !json) return CAROM_E_INVALID;
    std::string s = (engine->engine->rules().*text)();
    char *p = carom::dup_c_string(s);
    if (!p) return CAROM_E_NOMEM;
    *json = p;
    if (length) *length = s.size();
    return CAROM_OK;
}

}  // namespace
}  // namespace carom

using carom::guard;
using carom::guard_value;
using carom::engine_text;

extern "C" {

carom_status_t carom_options_new(carom_options_t **options) {
    if (!options) return CAROM_E_INVALID;
    *options = nullptr;
    return guard([&] {
        *options = new carom_options();
        return CAROM_OK;
    });
}

void carom_options_free(carom_options_t *options) {
    guard([&] {
        delete options;
        return CAROM_OK;
    });
}

carom_status_t carom_options_set_limit(carom_options_t *options, carom_limit_t limit, uint64_t value) {
    return guard([&] {
        const carom::LimitSpec *spec = carom::find_limit(limit);
        if (!options || !spec) return CAROM_E_INVALID;
        if (value < spec->min || value > spec->max) return CAROM_E_RANGE;
        options->options.limits.v[static_cast<size_t>(limit)] = value;
        return CAROM_OK;
    });
}

carom_status_t carom_options_get_limit(const carom_options_t *options, carom_limit_t limit, uint64_t *value) {
    return guard([&] {
        if (value) *value = 0;
        if (!options || !value || !carom::find_limit(limit)) return CAROM_E_INVALID;
        *value = options->options.limits[limit];
        return CAROM_OK;
    });
}

carom_status_t carom_options_use_builtin_rules(carom_options_t *options, int enabled) {
    return guard([&] {
        if (!options) return CAROM_E_INVALID;
        options->options.builtin_rules = enabled != 0;
        return CAROM_OK;
    });
}

carom_status_t carom_options_add_rules(carom_options_t *options, const char *name, size_t name_length,
                                       const char *text, size_t text_length, char **error) {
    if (error) *error = nullptr;
    std::string detail;
    carom_status_t st = guard(
        [&] {
            if (!options || (!text && text_length) || (!name && name_length)) {
                detail = "carom_options_add_rules: invalid argument";
                return CAROM_E_INVALID;
            }
            carom::rules::Source src;
            src.name = name ? std::string(name, name_length) : std::string("<rules>");
            src.text.assign(text ? text : "", text_length);
            carom_status_t s = carom::rules::check(src, detail);
            if (s != CAROM_OK) return s;
            options->options.rule_sources.push_back(std::move(src));
            return CAROM_OK;
        },
        &detail);
    return carom::report(st, detail, error);
}

carom_status_t carom_options_add_original_header(carom_options_t *options, const char *name, size_t length) {
    return guard([&] {
        if (!options || !name || length == 0) return CAROM_E_INVALID;
        std::string h(name, length);
        for (char &c : h) {
            if (static_cast<unsigned char>(c) <= 32 || c == ':' || static_cast<unsigned char>(c) >= 127)
                return CAROM_E_INVALID;
            c = carom::to_lower(c);
        }
        options->options.original_headers.push_back(std::move(h));
        return CAROM_OK;
    });
}

carom_status_t carom_options_set_context_json(carom_options_t *options, const char *json, size_t length,
                                              char **error) {
    if (error) *error = nullptr;
    std::string detail;
    carom_status_t st = guard(
        [&] {
            if (!options || (!json && length)) return CAROM_E_INVALID;
            carom::Context ctx = options->options.context;  // keeps the callback
            if (!carom::parse_context_json(std::string(json ? json : "", length), ctx, detail))
                return CAROM_E_CONTEXT;
            if ((!ctx.batv_keys.empty() || !ctx.verp_hmac_key.empty()) && !carom::hmac_available()) {
                detail = "BATV keys and signed VERP need HMAC-SHA1 from OpenSSL's libcrypto, which this library was "
                         "built without (meson setup -Dcrypto=enabled)";
                return CAROM_E_UNSUPPORTED;
            }
            options->options.context = std::move(ctx);
            return CAROM_OK;
        },
        &detail);
    return carom::report(st, detail, error);
}

carom_status_t carom_options_set_sent_callback(carom_options_t *options, carom_sent_callback_t callback,
                                               void *user_data) {
    return guard([&] {
        if (!options) return CAROM_E_INVALID;
        options->options.context.sent_callback = callback;
        options->options.context.sent_user_data = callback ? user_data : nullptr;
        return CAROM_OK;
    });
}

carom_status_t carom_options_use_backscatter(carom_options_t *options, int enabled) {
    return guard([&] {
        if (!options) return CAROM_E_INVALID;
        options->options.backscatter = enabled != 0;
        return CAROM_OK;
    });
}

carom_status_t carom_engine_new(const carom_options_t *options, carom_engine_t **engine, char **error) {
    if (error) *error = nullptr;
    if (!engine) return CAROM_E_INVALID;
    *engine = nullptr;
    std::string detail;
    carom_status_t st = guard(
        [&] {
            carom::Options defaults;
            const carom::Options &opts = options ? options->options : defaults;
            carom::Error err;
            auto built = carom::Engine::build(opts, err);
            if (!built) {
                detail = err.message;
                return err.status == CAROM_OK ? CAROM_E_INTERNAL : err.status;
            }
            auto handle = std::make_unique<carom_engine>();
            handle->engine = std::move(built);
            *engine = handle.release();
            return CAROM_OK;
        },
        &detail);
    return carom::report(st, detail, error);
}

void carom_engine_free(carom_engine_t *engine) {
    guard([&] {
        delete engine;
        return CAROM_OK;
    });
}

const char *carom_engine_rules_version(const carom_engine_t *engine) {
    (void)engine;
    return guard_value<const char *>("", [] { return carom::rules::builtin_version(); });
}

size_t carom_engine_rule_count(const carom_engine_t *engine) {
    return guard_value<size_t>(0, [&]() -> size_t { return engine ? engine->engine->rules().size() : 0; });
}

carom_status_t carom_engine_rules_json(const carom_engine_t *engine, char **json, size_t *length) {
    return guard([&] { return engine_text(engine, json, length, &carom::rules::Compiled::list_jsonl); });
}

carom_status_t carom_engine_decision_json(const carom_engine_t *engine, char **json, size_t *length) {
    return guard([&] { return engine_text(engine, json, length, &carom::rules::Compiled::decision_json); });
}

carom_status_t carom_classify_ex(const carom_engine_t *engine, const char *bytes, size_t length, unsigned flags,
                                 carom_result_t **result) {
    if (!result) return CAROM_E_INVALID;
    *result = nullptr;
    return guard([&] {
        if (!engine || (!bytes && length) || (flags & ~CAROM_CLASSIFY_EXPLAIN)) return CAROM_E_INVALID;
        auto handle = std::make_unique<carom_result>();
        engine->engine->classify(std::string_view(bytes ? bytes : "", length), (flags & CAROM_CLASSIFY_EXPLAIN) != 0,
                                 handle->result);
        *result = handle.release();
        return CAROM_OK;
    });
}

carom_status_t carom_classify(const carom_engine_t *engine, const char *bytes, size_t length,
                              carom_result_t **result) {
    return carom_classify_ex(engine, bytes, length, CAROM_CLASSIFY_DEFAULT, result);
}

void carom_result_free(carom_result_t *result) {
    guard([&] {
        delete result;
        return CAROM_OK;
    });
}

carom_status_t carom_result_status(const carom_result_t *result) {
    return guard([&] { return result ? result->result.status : CAROM_E_INVALID; });
}

const char *carom_result_message(const carom_result_t *result) {
    return guard_value<const char *>("", [&] { return result ? result->result.message.c_str() : ""; });
}

size_t carom_result_record_count(const carom_result_t *result) {
    return guard_value<size_t>(0, [&]() -> size_t { return result ? result->result.records.size() : 0; });
}

const char *carom_result_field(const carom_result_t *result, size_t index, carom_field_t field,
                               size_t *length) {
    return guard_value<const char *>(nullptr, [&]() -> const char * {
        if (length) *length = 0;
        if (!result) return nullptr;
        const std::string *s = nullptr;
        if (static_cast<int>(field) >= 100) {
            s = carom::message_field(result->result, field);
        } else if (const carom::Record *rec = carom::record_at(result, index)) {
            s = carom::record_field(*rec, field);
        }
        if (!s || s->empty()) return nullptr;
        if (length) *length = s->size();
        return s->c_str();
    });
}

carom_class_t carom_result_class(const carom_result_t *result, size_t index) {
    return guard_value(CAROM_CLASS_NONE, [&] {
        const carom::Record *r = carom::record_at(result, index);
        return r ? r->cls : CAROM_CLASS_NONE;
    });
}

carom_reason_t carom_result_reason(const carom_result_t *result, size_t index) {
    return guard_value(CAROM_REASON_UNDEFINED, [&] {
        const carom::Record *r = carom::record_at(result, index);
        return r ? r->reason : CAROM_REASON_UNDEFINED;
    });
}

int carom_result_status_derived(const carom_result_t *result, size_t index) {
    return guard_value(0, [&] {
        const carom::Record *r = carom::record_at(result, index);
        return r && r->status_derived ? 1 : 0;
    });
}

carom_verdict_t carom_result_verdict(const carom_result_t *result) {
    return guard_value(CAROM_VERDICT_UNKNOWN,
                       [&] { return result ? result->result.backscatter.verdict : CAROM_VERDICT_UNKNOWN; });
}

carom_status_t carom_result_to_json(const carom_result_t *result, const char *source, size_t source_length,
                                    char **json, size_t *length) {
    if (json) *json = nullptr;
    if (length) *length = 0;
    return guard([&] {
        if (!result || !json || (!source && source_length)) return CAROM_E_INVALID;
        std::string_view src(source ? source : "", source_length);
        std::string s = carom::to_json(result->result, source ? &src : nullptr);
        char *p = carom::dup_c_string(s);
        if (!p) return CAROM_E_NOMEM;
        *json = p;
        if (length) *length = s.size();
        return CAROM_OK;
    });
}

}  // extern "C"
