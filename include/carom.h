/*
 * carom.h — the whole public interface of libcarom.
 *
 * carom reads one email (bytes) and tells, for every bounced recipient, what happened (class and
 * reason), the status codes, the remote MTA and the diagnostic text. This header is the only
 * public surface: the CLI, the Python binding and the benchmarks use nothing else.
 *
 * Conventions that hold for every declaration below (see docs/api.md):
 *   - Every function starts with carom_, every type with carom_ and ends in _t, every macro and
 *     enum constant starts with CAROM_.
 *   - Handles are opaque. carom_X_new creates, carom_X_free destroys; carom_X_free(NULL) does
 *     nothing.
 *   - Constructors return a carom_status_t and write the handle to an out-parameter, which is
 *     written on every path (NULL on failure).
 *   - Strings given to carom travel as pointer + length and need not be NUL-terminated. Strings
 *     returned by accessors are UTF-8, NUL-terminated, owned by the object they come from and valid
 *     until that object is freed. Strings returned through a `char **` are owned by the caller and
 *     freed with carom_string_free.
 *   - No function throws, aborts on bad input, reads the environment or files, or writes to
 *     stderr. No function keeps global mutable state.
 *   - Threads: an engine is immutable once built; any number of threads may call carom_classify
 *     on one engine at once. Options and results belong to one thread at a time.
 *   - Enum values are pinned and never renumbered; new values may appear in later versions, so a
 *     caller must accept values it does not know (the _name functions give their names).
 *
 * Since: 0.1
 */
#ifndef CAROM_H
#define CAROM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && !defined(__GNUC__)
#  ifdef CAROM_BUILDING
#    define CAROM_API __declspec(dllexport)
#  else
#    define CAROM_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define CAROM_API __attribute__((visibility("default")))
#else
#  define CAROM_API
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions. The macros are the single source of truth: the build reads them from this file.
 * ------------------------------------------------------------------------------------------- */
#define CAROM_VERSION_MAJOR 0
#define CAROM_VERSION_MINOR 2
#define CAROM_VERSION_PATCH 0
#define CAROM_VERSION_NUMBER (CAROM_VERSION_MAJOR * 10000 + CAROM_VERSION_MINOR * 100 + CAROM_VERSION_PATCH)
#define CAROM_VERSION_STRING "0.2.0"
#define CAROM_VERSION_ATLEAST(major, minor, patch) \
    (CAROM_VERSION_NUMBER >= ((major) * 10000 + (minor) * 100 + (patch)))

/* Returns CAROM_VERSION_NUMBER of the library actually loaded (compare with the macro to detect
 * a header/library mismatch). Thread-safe. Since: 0.1 */
CAROM_API unsigned carom_version_number(void);

/* Returns the library's version as a static string such as "0.2.0"; never NULL, never freed.
 * Thread-safe. Since: 0.1 */
CAROM_API const char *carom_version_string(void);

/* ---------------------------------------------------------------------------------------------
 * Status codes. Values are pinned; groups are spaced so that related codes can be added.
 * ------------------------------------------------------------------------------------------- */
typedef enum carom_status_t {
    CAROM_OK = 0,
    /* API use */
    CAROM_E_INVALID = 1,          /* a NULL or otherwise invalid argument */
    CAROM_E_RANGE = 2,            /* a limit or option value outside its documented bounds */
    CAROM_E_NOMEM = 3,            /* memory could not be allocated */
    CAROM_E_INTERNAL = 4,         /* a bug in carom: please report it */
    /* configuration */
    CAROM_E_RULES = 10,           /* a rule file does not parse or does not compile */
    CAROM_E_RULES_VERSION = 11,   /* a rule file declares a format version this library refuses */
    CAROM_E_CONTEXT = 12,         /* backscatter context JSON is malformed or has bad values */
    CAROM_E_REGEX_MEMORY = 13,    /* the rule set needs more memory than CAROM_LIMIT_RULE_MEMORY */
    CAROM_E_UNSUPPORTED = 14,     /* the feature was not built into this library */
    /* one message (reported by a result; the message yields no records) */
    CAROM_E_EMPTY = 20,           /* zero bytes */
    CAROM_E_TOO_LARGE = 21,       /* larger than CAROM_LIMIT_MESSAGE_BYTES */
    CAROM_E_HEADER_TOO_LONG = 22, /* a header line longer than CAROM_LIMIT_HEADER_LINE_BYTES */
    CAROM_E_TOO_DEEP = 23,        /* MIME nesting deeper than CAROM_LIMIT_MIME_DEPTH */
    CAROM_E_TOO_MANY_PARTS = 24,  /* more MIME parts than CAROM_LIMIT_MIME_PARTS */
    CAROM_E_TOO_MANY_RECIPIENTS = 25, /* more records than CAROM_LIMIT_RECIPIENTS */
    CAROM_E_NOT_EMAIL = 26,       /* the bytes have no header block: not an email */
    CAROM_E_HEADERS_TOO_LARGE = 27, /* the header block exceeds CAROM_LIMIT_HEADER_BYTES */
    _CAROM_STATUS_MAX = 0x7fffffff /* private: keeps the enum 32-bit */
} carom_status_t;

/* A short English sentence for a status, e.g. "message larger than the size limit". Static
 * storage; never NULL (unknown values give "unknown status"). Thread-safe. Since: 0.1 */
CAROM_API const char *carom_status_string(carom_status_t status);

/* A stable snake_case identifier for a status, e.g. "too_large", as used in the JSON "error"
 * object. Static storage; NULL for a value this library does not know. Thread-safe. Since: 0.1 */
CAROM_API const char *carom_status_name(carom_status_t status);

/* Frees a string that carom returned through a `char **` out-parameter. NULL is harmless.
 * Thread-safe. Since: 0.1 */
CAROM_API void carom_string_free(char *string);

/* ---------------------------------------------------------------------------------------------
 * Taxonomy: class (what to do) and reason (why). See docs/taxonomy.md.
 * ------------------------------------------------------------------------------------------- */
typedef enum carom_class_t {
    CAROM_CLASS_NONE = 0,        /* no verdict (not used on records) */
    CAROM_CLASS_HARD = 1,        /* the address or domain does not exist: suppress it */
    CAROM_CLASS_SOFT = 2,        /* may pass later: retry and count */
    CAROM_CLASS_BLOCK = 3,       /* rejected for the sender's reasons: fix the sending, keep the address */
    CAROM_CLASS_BACKSCATTER = 4, /* about mail we never sent: ignore, never suppress */
    CAROM_CLASS_DELAYED = 5,     /* Action: delayed; nothing to do yet */
    CAROM_CLASS_DELIVERED = 6,   /* Action: delivered / relayed / expanded */
    CAROM_CLASS_AUTO_REPLY = 7,  /* RFC 3834 auto-reply, out-of-office */
    CAROM_CLASS_FEEDBACK = 8,    /* ARF complaint */
    _CAROM_CLASS_MAX = 0x7fffffff
} carom_class_t;

typedef enum carom_reason_t {
    CAROM_REASON_UNDEFINED = 0,
    CAROM_REASON_USERUNKNOWN = 1,
    CAROM_REASON_HOSTUNKNOWN = 2,
    CAROM_REASON_HASMOVED = 3,
    CAROM_REASON_NOTACCEPT = 4,
    CAROM_REASON_MAILBOXFULL = 10,
    CAROM_REASON_EXCEEDLIMIT = 11,
    CAROM_REASON_MESGTOOBIG = 12,
    CAROM_REASON_EMAILTOOLARGE = 13,
    CAROM_REASON_SYSTEMFULL = 14,
    CAROM_REASON_SUSPEND = 15,
    CAROM_REASON_EXPIRED = 16,
    CAROM_REASON_NETWORKERROR = 17,
    CAROM_REASON_SYSTEMERROR = 18,
    CAROM_REASON_MAILERERROR = 19,
    CAROM_REASON_ONHOLD = 20,
    CAROM_REASON_BLOCKED = 30,
    CAROM_REASON_SPAMDETECTED = 31,
    CAROM_REASON_VIRUSDETECTED = 32,
    CAROM_REASON_POLICYVIOLATION = 33,
    CAROM_REASON_BADREPUTATION = 34,
    CAROM_REASON_AUTHFAILURE = 35,
    CAROM_REASON_REQUIREPTR = 36,
    CAROM_REASON_SECURITYERROR = 37,
    CAROM_REASON_FAILEDSTARTTLS = 38,
    CAROM_REASON_CONTENTERROR = 39,
    CAROM_REASON_NOTCOMPLIANTRFC = 40,
    CAROM_REASON_FILTERED = 41,
    CAROM_REASON_REJECTED = 42,
    CAROM_REASON_NORELAYING = 43,
    CAROM_REASON_SYNTAXERROR = 44,
    CAROM_REASON_TOOMANYCONN = 45,
    CAROM_REASON_SPEEDING = 46,
    CAROM_REASON_RATELIMITED = 47,
    CAROM_REASON_SUPPRESSED = 48,
    CAROM_REASON_DELIVERED = 60,
    CAROM_REASON_DELAYED = 61,
    CAROM_REASON_FEEDBACK = 62,
    CAROM_REASON_VACATION = 63,
    CAROM_REASON_CHALLENGE = 70,     /* challenge-response ("confirm you are human") */
    CAROM_REASON_VIRUSNOTICE = 71,   /* an antivirus / content-filter notice sent back */
    _CAROM_REASON_MAX = 0x7fffffff
} carom_reason_t;

/* One greater than the largest class value this library knows. Thread-safe. Since: 0.1 */
CAROM_API unsigned carom_class_count(void);
/* The class's name as in the JSON ("hard", "auto_reply", ...); NULL for an unknown value.
 * Static storage. Thread-safe. Since: 0.1 */
CAROM_API const char *carom_class_name(carom_class_t cls);
/* One greater than the largest reason value this library knows. Thread-safe. Since: 0.1 */
CAROM_API unsigned carom_reason_count(void);
/* The reason's name ("userunknown", ...); NULL for a value that is not a reason (the numbering
 * has gaps). Static storage. Thread-safe. Since: 0.1 */
CAROM_API const char *carom_reason_name(carom_reason_t reason);
/* Looks a reason up by name (ASCII, case-insensitive; both generations of Sisimai names, e.g.
 * "toomanyconn" and "ratelimited"). Writes it to *reason and returns CAROM_OK, or returns
 * CAROM_E_INVALID and writes CAROM_REASON_UNDEFINED. Thread-safe. Since: 0.1 */
CAROM_API carom_status_t carom_reason_from_name(const char *name, size_t length, carom_reason_t *reason);
/* The class a bounce with this reason gets when nothing else (backscatter, delivery status)
 * decides, as tabled in docs/taxonomy.md. Thread-safe. Since: 0.1 */
CAROM_API carom_class_t carom_reason_default_class(carom_reason_t reason);

/* ---------------------------------------------------------------------------------------------
 * Limits: one table (docs/limits.md). Each has bounds and a default; an out-of-range value is
 * refused with CAROM_E_RANGE, never clamped.
 * ------------------------------------------------------------------------------------------- */
typedef enum carom_limit_t {
    CAROM_LIMIT_MESSAGE_BYTES = 0,     /* largest message accepted */
    CAROM_LIMIT_HEADER_LINE_BYTES = 1, /* longest (unfolded) header field */
    CAROM_LIMIT_HEADER_BYTES = 2,      /* largest header block of one entity */
    CAROM_LIMIT_MIME_DEPTH = 3,        /* deepest MIME / message nesting */
    CAROM_LIMIT_MIME_PARTS = 4,        /* most MIME entities in one message */
    CAROM_LIMIT_RECIPIENTS = 5,        /* most records in one result */
    CAROM_LIMIT_DIAGNOSTIC_BYTES = 6,  /* longest diagnostic text kept and matched (longer is cut at a UTF-8 boundary) */
    CAROM_LIMIT_RULE_MEMORY = 7,       /* memory budget for compiled rule sets, bytes */
    CAROM_LIMIT_TEXT_BYTES = 8,        /* most decoded body text scanned by format readers */
    _CAROM_LIMIT_MAX = 0x7fffffff
} carom_limit_t;

/* Number of limits (valid values are 0 .. count-1). Thread-safe. Since: 0.1 */
CAROM_API unsigned carom_limit_count(void);
/* The limit's name ("message_bytes", ...); NULL for an unknown value. Static. Since: 0.1 */
CAROM_API const char *carom_limit_name(carom_limit_t limit);
/* Writes the limit's minimum, maximum and default (any pointer may be NULL). Returns CAROM_OK,
 * or CAROM_E_INVALID for an unknown limit (outputs set to 0). Thread-safe. Since: 0.1 */
CAROM_API carom_status_t carom_limit_bounds(carom_limit_t limit, uint64_t *min, uint64_t *max, uint64_t *default_value);

/* ---------------------------------------------------------------------------------------------
 * Options: a builder for an engine. Belongs to one thread at a time.
 * ------------------------------------------------------------------------------------------- */
typedef struct carom_options carom_options_t;

/* Creates options with every default: built-in rules on, default limits, no context.
 * Returns CAROM_OK, CAROM_E_INVALID (options == NULL) or CAROM_E_NOMEM; *options is written
 * on every path (NULL on failure). Free with carom_options_free. Since: 0.1 */
CAROM_API carom_status_t carom_options_new(carom_options_t **options);
/* Frees options; NULL is harmless. Engines built from them are unaffected. Since: 0.1 */
CAROM_API void carom_options_free(carom_options_t *options);

/* Sets one limit. Returns CAROM_OK, CAROM_E_INVALID (NULL options, unknown limit) or
 * CAROM_E_RANGE (value outside carom_limit_bounds; the option keeps its value). Since: 0.1 */
CAROM_API carom_status_t carom_options_set_limit(carom_options_t *options, carom_limit_t limit, uint64_t value);
/* Reads one limit's current value into *value. Returns CAROM_OK or CAROM_E_INVALID. Since: 0.1 */
CAROM_API carom_status_t carom_options_get_limit(const carom_options_t *options, carom_limit_t limit, uint64_t *value);

/* Turns the built-in rule set on (non-zero, the default) or off. Since: 0.1 */
CAROM_API carom_status_t carom_options_use_builtin_rules(carom_options_t *options, int enabled);

/* Adds a rule file's text (docs/rules-format.md). `name` (may be NULL) names the file in error
 * messages. Rules added later take precedence over earlier ones and over the built-in rules.
 * The text is parsed and checked now: on CAROM_E_RULES or CAROM_E_RULES_VERSION nothing is
 * added, and when `error` is not NULL *error receives "name:line:column: message" (free with
 * carom_string_free; NULL on success). Patterns are compiled by carom_engine_new.
 * Returns CAROM_OK, CAROM_E_INVALID, CAROM_E_RULES, CAROM_E_RULES_VERSION, CAROM_E_NOMEM.
 * Since: 0.1 */
CAROM_API carom_status_t carom_options_add_rules(carom_options_t *options, const char *name, size_t name_length,
                                                 const char *text, size_t text_length, char **error);

/* Names an extra header of the returned original to report in the output's
 * "original.headers" object (case-insensitive, e.g. "X-Campaign-Id"). Since: 0.1 */
CAROM_API carom_status_t carom_options_add_original_header(carom_options_t *options, const char *name, size_t length);

/* Sets the backscatter context from JSON (schema in docs/backscatter.md): our domains, relays,
 * Message-ID domains, BATV keys, VERP template. Replaces any earlier context. On
 * CAROM_E_CONTEXT, *error (when not NULL) says what is wrong; the options are unchanged.
 * CAROM_E_UNSUPPORTED when the context has BATV keys or a signed VERP key and the library was
 * built without libcrypto (they could never be checked). Returns CAROM_OK, CAROM_E_INVALID,
 * CAROM_E_CONTEXT, CAROM_E_UNSUPPORTED, CAROM_E_NOMEM. Since: 0.1 */
CAROM_API carom_status_t carom_options_set_context_json(carom_options_t *options, const char *json, size_t length,
                                                        char **error);

/* Answer of a "did we send this?" callback. */
typedef enum carom_sent_t {
    CAROM_SENT_UNKNOWN = 0,
    CAROM_SENT_YES = 1,
    CAROM_SENT_NO = 2,
    _CAROM_SENT_MAX = 0x7fffffff
} carom_sent_t;

/* A caller's send log lookup: did we send the message with this Message-ID (without angle
 * brackets) to this recipient (may be empty)? Called during carom_classify, from the calling
 * thread, so it must be thread-safe when the engine is shared. It must not call back into the
 * engine. Strings are valid only during the call. */
typedef carom_sent_t (*carom_sent_callback_t)(void *user_data, const char *message_id, size_t message_id_length,
                                              const char *recipient, size_t recipient_length);

/* Installs (or, with callback NULL, removes) the send-log callback used as a backscatter
 * signal. user_data is passed back unchanged and must outlive every engine built from these
 * options. Returns CAROM_OK or CAROM_E_INVALID. Since: 0.1 */
CAROM_API carom_status_t carom_options_set_sent_callback(carom_options_t *options, carom_sent_callback_t callback,
                                                         void *user_data);

/* Turns the backscatter feature on (non-zero, the default) or off (0). Off means: challenge-
 * response and antivirus notices are not read (such a message yields no records), no signal is
 * evaluated, the send-log callback is never called, carom_result_verdict is always
 * CAROM_VERDICT_UNKNOWN (the JSON "backscatter" object has no signals) and every record keeps the
 * class its reason gives. The context and callback stay stored and apply again when the feature
 * is turned back on. Use it to measure what the feature changes, or where another stage already
 * filters backscatter. Returns CAROM_OK or CAROM_E_INVALID (options == NULL). Since: 0.1 */
CAROM_API carom_status_t carom_options_use_backscatter(carom_options_t *options, int enabled);

/* ---------------------------------------------------------------------------------------------
 * Engine: compiled rules + limits + context. Immutable; share it between threads freely.
 * ------------------------------------------------------------------------------------------- */
typedef struct carom_engine carom_engine_t;

/* Builds an engine from options (NULL means all defaults). The options may be freed afterwards.
 * On failure *engine is NULL and, when error is not NULL, *error explains (free with
 * carom_string_free). Returns CAROM_OK, CAROM_E_RULES (a pattern does not compile: the message
 * names file:line:column), CAROM_E_REGEX_MEMORY, CAROM_E_INVALID, CAROM_E_NOMEM. Since: 0.1 */
CAROM_API carom_status_t carom_engine_new(const carom_options_t *options, carom_engine_t **engine, char **error);
/* Frees an engine; NULL is harmless. No classification may be running on it. Results already
 * produced stay valid. Since: 0.1 */
CAROM_API void carom_engine_free(carom_engine_t *engine);
/* The version string of the built-in rule set (e.g. "2026.11.1"); static, the same for every engine
 * whatever rules were added (the argument is unused: rules added by the caller carry no
 * version). Since: 0.1 */
CAROM_API const char *carom_engine_rules_version(const carom_engine_t *engine);
/* Number of rules in the engine (built-in and added). 0 for NULL. Thread-safe. Since: 0.1 */
CAROM_API size_t carom_engine_rule_count(const carom_engine_t *engine);
/* The rule set as JSON Lines, one rule per line (id, file, line, conditions, reason, class, priority, tier, says), for
 * `carom rules list`. *json receives a caller-owned string (free with carom_string_free) and
 * *length its length (length may be NULL). Returns CAROM_OK, CAROM_E_INVALID, CAROM_E_NOMEM.
 * Thread-safe. Since: 0.1 */
CAROM_API carom_status_t carom_engine_rules_json(const carom_engine_t *engine, char **json, size_t *length);
/* How the engine decides beyond its rules, as one JSON object (docs/taxonomy.md, "How a reason is
 * decided"): "tiers" (the kinds of evidence, strongest first), "precedence" (reasons in the order
 * that breaks a tie of equal evidence), "outcome" (reasons that yield to words naming a cause),
 * "transient" (the reason of giving up, then the troubles it outranks once a failed record says the
 * MTA gave up) and "classes" (reason name -> class name). Memory as carom_engine_rules_json. Returns CAROM_OK,
 * CAROM_E_INVALID, CAROM_E_NOMEM. Thread-safe. Since: 0.2 */
CAROM_API carom_status_t carom_engine_decision_json(const carom_engine_t *engine, char **json, size_t *length);

/* ---------------------------------------------------------------------------------------------
 * Classification.
 * ------------------------------------------------------------------------------------------- */
typedef struct carom_result carom_result_t;

/* Flags for carom_classify_ex. */
#define CAROM_CLASSIFY_DEFAULT 0u
#define CAROM_CLASSIFY_EXPLAIN 1u /* keep every rule that matched, for carom_result_to_json */

/* Classifies one message (raw bytes, any line ends; NUL bytes allowed). On CAROM_OK, *result
 * holds a result — also for unreadable input, whose result carries the error status and
 * message (see carom_result_status); the caller frees it with carom_result_free. On any other
 * return (CAROM_E_INVALID for NULL engine/result or NULL bytes with length > 0, CAROM_E_NOMEM)
 * *result is NULL. Thread-safe: any number of threads may classify with one engine at once.
 * The callback installed with carom_options_set_sent_callback may be called. Since: 0.1 */
CAROM_API carom_status_t carom_classify(const carom_engine_t *engine, const char *bytes, size_t length,
                                        carom_result_t **result);
/* ESP events (Since: 0.2; docs/schema.md, "ESP events"; docs/taxonomy.md, "ESP events"). The same
 * entry points read JSON: input whose first byte other than white space (and a UTF-8 BOM) is '{'
 * or '[' is taken as the events of Amazon SES, SendGrid, Mailgun, Postmark or SparkPost, never as
 * an e-mail (no e-mail starts so). The input is one message: a single event, a JSON array of
 * events, JSON Lines (one event or array per line) or an Amazon SNS notification whose "Message"
 * is the event; its result has one record per recipient of each event, in input order, with
 * CAROM_FIELD_RECIPIENT_SOURCE "esp" and CAROM_FIELD_FORMAT "ses-event", "sendgrid-event",
 * "mailgun-event", "postmark-event" or "sparkpost-event". The remote server's diagnostic in an
 * event is decided by the same rules as an e-mail's; the ESP's own type fills in when the words
 * name no cause. Input that is not JSON, nests deeper than CAROM_LIMIT_MIME_DEPTH + 8 levels or
 * holds no known ESP event gives a result with status CAROM_E_NOT_EMAIL and a message saying
 * which; CAROM_LIMIT_MESSAGE_BYTES and CAROM_LIMIT_RECIPIENTS bound it as they bound an e-mail.
 * Memory: an array is read element by element and JSON Lines line by line, so the parsed tree is
 * one event's; a single object or element larger than CAROM_LIMIT_TEXT_BYTES is refused
 * (CAROM_E_NOT_EMAIL). No exception crosses the ABI. */
/* As carom_classify, with CAROM_CLASSIFY_* flags (unknown bits are CAROM_E_INVALID). Since: 0.1 */
CAROM_API carom_status_t carom_classify_ex(const carom_engine_t *engine, const char *bytes, size_t length,
                                           unsigned flags, carom_result_t **result);

/* Frees a result and every string obtained from it; NULL is harmless. Since: 0.1 */
CAROM_API void carom_result_free(carom_result_t *result);

/* The message's status: CAROM_OK when it was read (with or without records), otherwise why it
 * could not be (CAROM_E_TOO_LARGE, CAROM_E_NOT_EMAIL, ...). CAROM_E_INVALID for NULL. Since: 0.1 */
CAROM_API carom_status_t carom_result_status(const carom_result_t *result);
/* A message saying why the message could not be read; "" when it was. Valid until
 * carom_result_free. Never NULL for a non-NULL result. Since: 0.1 */
CAROM_API const char *carom_result_message(const carom_result_t *result);
/* Number of records (one per recipient); 0 for a message that is not a bounce. Since: 0.1 */
CAROM_API size_t carom_result_record_count(const carom_result_t *result);

/* Fields of a result: message-level fields (CAROM_FIELD_FORMAT .. ) and per-record fields. */
typedef enum carom_field_t {
    /* per record */
    CAROM_FIELD_RECIPIENT = 0,
    CAROM_FIELD_ORIGINAL_RECIPIENT = 1,
    CAROM_FIELD_ACTION = 2,
    CAROM_FIELD_STATUS = 3,
    CAROM_FIELD_REPLY_CODE = 4,
    CAROM_FIELD_RULE = 5,
    CAROM_FIELD_DIAGNOSTIC_TYPE = 6,
    CAROM_FIELD_DIAGNOSTIC = 7,
    CAROM_FIELD_REMOTE_MTA = 8,
    CAROM_FIELD_REPORTING_MTA = 9,
    CAROM_FIELD_COMMAND = 10,
    CAROM_FIELD_LAST_ATTEMPT = 11,
    CAROM_FIELD_FEEDBACK_TYPE = 12,
    /* Since: 0.2 (docs/schema.md, "A record"). The time of the event as RFC 3339 with the offset
     * the bounce wrote ("2026-02-03T10:11:12+09:00"; "-00:00" when the bounce gave no offset),
     * from the record's Last-Attempt-Date, else the report's Arrival-Date, else the bounce's
     * Date; NULL when none could be read. */
    CAROM_FIELD_TIMESTAMP = 13,
    /* Since: 0.2. Where CAROM_FIELD_TIMESTAMP came from: "last-attempt", "arrival" or "date";
     * "event" for an ESP event's own time; NULL when there is no timestamp. */
    CAROM_FIELD_TIMESTAMP_SOURCE = 14,
    /* Since: 0.2. 64 lower-case hex digits: SHA-256 of lower(sender) "\n" lower(recipient) "\n"
     * key, key being the original's Message-ID, else its date as CAROM_FIELD_ORIGINAL_DATE
     * gives it, else empty. Present on every record. */
    CAROM_FIELD_TOKEN = 15,
    /* Since: 0.2. The bounced message's sender, one bare address with a lower-case domain: the
     * original's Return-Path, else its From, else the bounce's To; NULL when none has one. */
    CAROM_FIELD_SENDER = 16,
    /* Since: 0.2. The recipient decoded from the VERP address the bounce came back to (the
     * context's VERP template; SRS and BATV layers undone): the address that was mailed, the one
     * to act on when set. NULL without a VERP match. */
    CAROM_FIELD_ENVELOPE_RECIPIENT = 17,
    /* Since: 0.2. Where CAROM_FIELD_RECIPIENT came from: "dsn", "x-failed-recipients", "text",
     * "original-header", "verp", "arf", "from-header", "esp" (docs/schema.md); NULL without one. */
    CAROM_FIELD_RECIPIENT_SOURCE = 18,
    /* per message (the record index is ignored) */
    CAROM_FIELD_FORMAT = 100,
    CAROM_FIELD_ORIGINAL_MESSAGE_ID = 101,
    CAROM_FIELD_ORIGINAL_FROM = 102,
    CAROM_FIELD_ORIGINAL_SUBJECT = 103,
    CAROM_FIELD_ORIGINAL_DATE = 104,
    CAROM_FIELD_ORIGINAL_RETURN_PATH = 105,
    CAROM_FIELD_ORIGINAL_LIST_ID = 106,
    _CAROM_FIELD_MAX = 0x7fffffff
} carom_field_t;

/* Reads one string field. For per-record fields, `index` < carom_result_record_count. Returns
 * the UTF-8 value (NUL-terminated; *length, when not NULL, receives its length), or NULL when
 * the field is absent, the index is out of range or the field unknown (then *length is 0).
 * Valid until carom_result_free. Since: 0.1 */
CAROM_API const char *carom_result_field(const carom_result_t *result, size_t index, carom_field_t field,
                                         size_t *length);
/* The class of record `index`; CAROM_CLASS_NONE when out of range. Since: 0.1 */
CAROM_API carom_class_t carom_result_class(const carom_result_t *result, size_t index);
/* The reason of record `index`; CAROM_REASON_UNDEFINED when out of range. Since: 0.1 */
CAROM_API carom_reason_t carom_result_reason(const carom_result_t *result, size_t index);

/* Non-zero when record `index` carries a derived status: the bounce gave no enhanced status
 * code, so CAROM_FIELD_STATUS holds "5.0.0" / "4.0.0" / "2.0.0" derived from the reply code or
 * the action. 0 when the code was reported, or out of range. Since: 0.1 */
CAROM_API int carom_result_status_derived(const carom_result_t *result, size_t index);

/* Backscatter verdict of the message as a whole. */
typedef enum carom_verdict_t {
    CAROM_VERDICT_UNKNOWN = 0,
    CAROM_VERDICT_GENUINE = 1,
    CAROM_VERDICT_BACKSCATTER = 2,
    _CAROM_VERDICT_MAX = 0x7fffffff
} carom_verdict_t;

/* The backscatter verdict; CAROM_VERDICT_UNKNOWN for NULL. Since: 0.1 */
CAROM_API carom_verdict_t carom_result_verdict(const carom_result_t *result);

/* Renders the result as one JSON object on one line (schema in docs/schema.md), with `source`
 * (may be NULL: JSON null) as its "source" field. *json receives a caller-owned NUL-terminated
 * string (free with carom_string_free), *length (may be NULL) its length. Returns CAROM_OK,
 * CAROM_E_INVALID, CAROM_E_NOMEM; on failure *json is NULL. Since: 0.1 */
CAROM_API carom_status_t carom_result_to_json(const carom_result_t *result, const char *source, size_t source_length,
                                              char **json, size_t *length);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CAROM_H */
