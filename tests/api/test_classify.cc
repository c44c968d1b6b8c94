// carom_classify through the public header only: every input gets a result, error results
// carry their status, the JSON rendering follows docs/schema.md, and field accessors agree
// with it. Reasons and classes are left to the rule and reader tests.
#include <cstring>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "carom.h"

namespace {

using Json = nlohmann::json;

struct EngineFree {
    void operator()(carom_engine_t *e) const { carom_engine_free(e); }
};
struct ResultFree {
    void operator()(carom_result_t *r) const { carom_result_free(r); }
};
struct OptionsFree {
    void operator()(carom_options_t *o) const { carom_options_free(o); }
};
using Engine = std::unique_ptr<carom_engine_t, EngineFree>;
using Result = std::unique_ptr<carom_result_t, ResultFree>;
using Options = std::unique_ptr<carom_options_t, OptionsFree>;

Engine make_engine(carom_options_t *options = nullptr) {
    carom_engine_t *e = nullptr;
    char *error = nullptr;
    carom_status_t st = carom_engine_new(options, &e, &error);
    EXPECT_EQ(st, CAROM_OK) << (error ? error : "");
    carom_string_free(error);
    return Engine(e);
}

Result classify(const carom_engine_t *engine, const std::string &bytes, unsigned flags = 0) {
    carom_result_t *r = nullptr;
    EXPECT_EQ(carom_classify_ex(engine, bytes.data(), bytes.size(), flags, &r), CAROM_OK);
    EXPECT_NE(r, nullptr);
    return Result(r);
}

Json to_json(const carom_result_t *r, const char *source) {
    char *s = nullptr;
    size_t n = 0;
    EXPECT_EQ(carom_result_to_json(r, source, source ? std::strlen(source) : 0, &s, &n), CAROM_OK);
    EXPECT_NE(s, nullptr);
    std::string text(s ? s : "", n);
    carom_string_free(s);
    EXPECT_EQ(text.find('\n'), std::string::npos) << "one object on one line";
    return Json::parse(text);  // throws (and fails the test) when it is not JSON
}

// The keys every object has, whatever the message (docs/schema.md).
void expect_schema(const Json &j) {
    ASSERT_TRUE(j.is_object());
    for (const char *k : {"source", "format", "records", "original", "backscatter", "error"})
        EXPECT_TRUE(j.contains(k)) << "missing key " << k << " in " << j.dump();
    EXPECT_TRUE(j["records"].is_array());
    EXPECT_TRUE(j["backscatter"].is_object());
    EXPECT_TRUE(j["backscatter"]["verdict"].is_string());
    EXPECT_TRUE(j["backscatter"]["signals"].is_array());
    EXPECT_TRUE(j["error"].is_null() || j["error"].is_object());
    for (const Json &rec : j["records"])
        for (const char *k : {"recipient", "action", "status", "reply_code", "class", "reason", "rule",
                              "diagnostic_type", "diagnostic", "remote_mta", "reporting_mta", "command",
                              "last_attempt", "feedback_type", "original_recipient", "timestamp",
                              "timestamp_source", "token", "sender", "envelope_recipient", "recipient_source"})
            EXPECT_TRUE(rec.contains(k)) << "record lacks " << k;
}

const char kPlainMessage[] =
    "From: Alice <alice@example.com>\n"
    "To: bob@example.org\n"
    "Subject: lunch on Friday?\n"
    "Date: Mon, 2 Mar 2026 10:00:00 +0000\n"
    "Message-ID: <lunch.1@example.com>\n"
    "\n"
    "Shall we meet at noon?\n";

// A minimal RFC 3464 report for one recipient.
const char kDsn[] =
    "From: MAILER-DAEMON@mx.example.net\n"
    "To: sender@example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b0\"\n"
    "\n"
    "--b0\n"
    "Content-Type: text/plain\n"
    "\n"
    "Your message could not be delivered.\n"
    "--b0\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Final-Recipient: rfc822; nobody@example.net\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected\n"
    "\n"
    "--b0\n"
    "Content-Type: text/rfc822-headers\n"
    "\n"
    "From: sender@example.com\n"
    "To: nobody@example.net\n"
    "Subject: hello\n"
    "Message-ID: <hello.1@example.com>\n"
    "\n"
    "--b0--\n";

TEST(Classify, EmptyInputIsAnEmptyError) {
    Engine engine = make_engine();
    Result r = classify(engine.get(), "");
    EXPECT_EQ(carom_result_status(r.get()), CAROM_E_EMPTY);
    EXPECT_GT(std::strlen(carom_result_message(r.get())), 0u);
    EXPECT_EQ(carom_result_record_count(r.get()), 0u);
    Json j = to_json(r.get(), "empty.eml");
    expect_schema(j);
    EXPECT_EQ(j["source"], "empty.eml");
    ASSERT_TRUE(j["error"].is_object());
    EXPECT_EQ(j["error"]["code"], "empty");
    EXPECT_EQ(j["error"]["code"], carom_status_name(CAROM_E_EMPTY));
    EXPECT_TRUE(j["error"]["message"].is_string());
    EXPECT_TRUE(j["records"].empty());
}

TEST(Classify, NotAnEmail) {
    Engine engine = make_engine();
    static const char binary[] = "\x00\x01\x02\xff\xfe binary\n\x00";
    for (const std::string &bytes : {std::string("just some words without any header block\n"),
                                     std::string(binary, sizeof binary - 1)}) {
        Result r = classify(engine.get(), bytes);
        EXPECT_EQ(carom_result_status(r.get()), CAROM_E_NOT_EMAIL);
        Json j = to_json(r.get(), "x");
        expect_schema(j);
        ASSERT_TRUE(j["error"].is_object());
        EXPECT_EQ(j["error"]["code"], "not_email");
        EXPECT_TRUE(j["records"].empty());
    }
}

TEST(Classify, TooLargeForASmallLimit) {
    carom_options_t *o = nullptr;
    ASSERT_EQ(carom_options_new(&o), CAROM_OK);
    Options options(o);
    ASSERT_EQ(carom_options_set_limit(o, CAROM_LIMIT_MESSAGE_BYTES, 64), CAROM_OK);
    Engine engine = make_engine(o);
    Result r = classify(engine.get(), kPlainMessage);
    EXPECT_EQ(carom_result_status(r.get()), CAROM_E_TOO_LARGE);
    Json j = to_json(r.get(), "big.eml");
    expect_schema(j);
    EXPECT_EQ(j["error"]["code"], "too_large");
    // Within the limit, the same engine reads a small message.
    Result small = classify(engine.get(), "Subject: x\n\nhi\n");
    EXPECT_EQ(carom_result_status(small.get()), CAROM_OK);
}

TEST(Classify, NotABounceHasNoRecords) {
    Engine engine = make_engine();
    Result r = classify(engine.get(), kPlainMessage);
    EXPECT_EQ(carom_result_status(r.get()), CAROM_OK);
    EXPECT_STREQ(carom_result_message(r.get()), "");
    EXPECT_EQ(carom_result_record_count(r.get()), 0u);
    Json j = to_json(r.get(), nullptr);
    expect_schema(j);
    EXPECT_TRUE(j["source"].is_null());
    EXPECT_TRUE(j["error"].is_null());
    EXPECT_TRUE(j["records"].empty());
}

TEST(Classify, LineEndsDoNotChangeTheResult) {
    Engine engine = make_engine();
    std::string lf = kDsn, crlf;
    for (char c : lf) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    Json a = to_json(classify(engine.get(), lf).get(), "m");
    Json b = to_json(classify(engine.get(), crlf).get(), "m");
    EXPECT_EQ(a, b);
}

// Accessors and JSON tell the same story, whatever the readers make of the report.
TEST(Classify, AccessorsMatchJson) {
    Engine engine = make_engine();
    for (const char *msg : {kDsn, kPlainMessage}) {
        Result r = classify(engine.get(), msg);
        ASSERT_EQ(carom_result_status(r.get()), CAROM_OK);
        Json j = to_json(r.get(), "m.eml");
        expect_schema(j);
        size_t n = carom_result_record_count(r.get());
        ASSERT_EQ(j["records"].size(), n);
        const char *format = carom_result_field(r.get(), 0, CAROM_FIELD_FORMAT, nullptr);
        if (format) {
            EXPECT_EQ(j["format"], format);
        } else {
            EXPECT_TRUE(j["format"].is_null());
        }
        struct {
            carom_field_t field;
            const char *key;
        } fields[] = {{CAROM_FIELD_RECIPIENT, "recipient"},   {CAROM_FIELD_ACTION, "action"},
                      {CAROM_FIELD_STATUS, "status"},         {CAROM_FIELD_REPLY_CODE, "reply_code"},
                      {CAROM_FIELD_RULE, "rule"},             {CAROM_FIELD_DIAGNOSTIC, "diagnostic"},
                      {CAROM_FIELD_REMOTE_MTA, "remote_mta"}, {CAROM_FIELD_REPORTING_MTA, "reporting_mta"},
                      {CAROM_FIELD_COMMAND, "command"},       {CAROM_FIELD_TIMESTAMP, "timestamp"},
                      {CAROM_FIELD_TIMESTAMP_SOURCE, "timestamp_source"},
                      {CAROM_FIELD_TOKEN, "token"},           {CAROM_FIELD_SENDER, "sender"},
                      {CAROM_FIELD_ENVELOPE_RECIPIENT, "envelope_recipient"},
                      {CAROM_FIELD_RECIPIENT_SOURCE, "recipient_source"}};
        for (size_t i = 0; i < n; ++i) {
            const Json &rec = j["records"][i];
            for (const auto &f : fields) {
                size_t len = 12345;
                const char *v = carom_result_field(r.get(), i, f.field, &len);
                if (v) {
                    EXPECT_EQ(std::strlen(v), len);
                    EXPECT_EQ(rec[f.key], std::string(v, len)) << f.key;
                } else {
                    EXPECT_EQ(len, 0u);
                    EXPECT_TRUE(rec[f.key].is_null()) << f.key;
                }
            }
            const char *cls = carom_class_name(carom_result_class(r.get(), i));
            const char *reason = carom_reason_name(carom_result_reason(r.get(), i));
            if (cls) {
                EXPECT_EQ(rec["class"], cls);
            }
            if (reason) {
                EXPECT_EQ(rec["reason"], reason);
            }
        }
        const char *verdicts[] = {"unknown", "genuine", "backscatter"};
        carom_verdict_t v = carom_result_verdict(r.get());
        ASSERT_LE(static_cast<int>(v), 2);
        EXPECT_EQ(j["backscatter"]["verdict"], verdicts[v]);
    }
}

// The operator's fields through the accessors (values: docs/schema.md, "A record").
TEST(Classify, TimestampTokenAndSenderFields) {
    Engine engine = make_engine();
    std::string dated = std::string("Date: Tue, 3 Feb 2026 10:11:12 -0500\n") + kDsn;
    for (const std::string &msg : {std::string(kDsn), dated}) {
        Result r = classify(engine.get(), msg);
        ASSERT_EQ(carom_result_record_count(r.get()), 1u);
        auto field = [&](carom_field_t f) {
            const char *v = carom_result_field(r.get(), 0, f, nullptr);
            return v ? std::string(v) : std::string("(null)");
        };
        // The original's From (it has no Return-Path).
        EXPECT_EQ(field(CAROM_FIELD_SENDER), "sender@example.com");
        EXPECT_EQ(field(CAROM_FIELD_RECIPIENT_SOURCE), "dsn");
        EXPECT_EQ(field(CAROM_FIELD_ENVELOPE_RECIPIENT), "(null)");  // no VERP template
        // printf '%s\n%s\n%s' 'sender@example.com' 'nobody@example.net' 'hello.1@example.com' | sha256sum
        EXPECT_EQ(field(CAROM_FIELD_TOKEN), "295c001dc98cd0770b123701d2ddd657660e79db8f46d29413737f146ffc612d");
        if (msg == dated) {
            EXPECT_EQ(field(CAROM_FIELD_TIMESTAMP), "2026-02-03T10:11:12-05:00");
            EXPECT_EQ(field(CAROM_FIELD_TIMESTAMP_SOURCE), "date");
        } else {  // no date anywhere
            EXPECT_EQ(field(CAROM_FIELD_TIMESTAMP), "(null)");
            EXPECT_EQ(field(CAROM_FIELD_TIMESTAMP_SOURCE), "(null)");
        }
    }
    // The existing values keep their numbers; the new ones follow them (the ABI is additive).
    static_assert(CAROM_FIELD_FEEDBACK_TYPE == 12 && CAROM_FIELD_TIMESTAMP == 13 && CAROM_FIELD_TIMESTAMP_SOURCE == 14 &&
                      CAROM_FIELD_TOKEN == 15 && CAROM_FIELD_SENDER == 16 && CAROM_FIELD_ENVELOPE_RECIPIENT == 17 &&
                      CAROM_FIELD_RECIPIENT_SOURCE == 18 && CAROM_FIELD_FORMAT == 100,
                  "carom_field_t values are pinned");
}

TEST(Classify, ExplainAddsRuleHitsOnlyWhenAsked) {
    Engine engine = make_engine();
    Json plain = to_json(classify(engine.get(), kDsn).get(), "m");
    Json explained = to_json(classify(engine.get(), kDsn, CAROM_CLASSIFY_EXPLAIN).get(), "m");
    for (const Json &rec : plain["records"]) EXPECT_FALSE(rec.contains("hits"));
    for (const Json &rec : explained["records"]) EXPECT_TRUE(rec.contains("hits"));
    EXPECT_EQ(plain["records"].size(), explained["records"].size());
}

TEST(Classify, SourceIsEscapedAndInvalidUtf8Survives) {
    Engine engine = make_engine();
    Result r = classify(engine.get(), kPlainMessage);
    const std::string source = "dir/\"quoted\"\\name\n.eml";
    char *s = nullptr;
    ASSERT_EQ(carom_result_to_json(r.get(), source.data(), source.size(), &s, nullptr), CAROM_OK);
    Json j = Json::parse(s);
    carom_string_free(s);
    EXPECT_EQ(j["source"], source);
    const std::string bad = "bad\xff\xfe.eml";
    ASSERT_EQ(carom_result_to_json(r.get(), bad.data(), bad.size(), &s, nullptr), CAROM_OK);
    EXPECT_NO_THROW(j = Json::parse(s));
    carom_string_free(s);
}

TEST(Classify, ResultOutlivesItsEngine) {
    Engine engine = make_engine();
    Result r = classify(engine.get(), kDsn);
    Json before = to_json(r.get(), "m");
    engine.reset();
    EXPECT_EQ(to_json(r.get(), "m"), before);
}

TEST(Classify, UnreadableBytesNeverCrash) {
    Engine engine = make_engine();
    std::string inputs[] = {std::string(1, '\0'), "\n\n\n", ":\n\n", "From: x\n", std::string(100000, 'a'),
                            "Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n--x--\n"};
    for (const std::string &in : inputs) {
        Result r = classify(engine.get(), in);
        Json j = to_json(r.get(), "fuzz");
        expect_schema(j);
        EXPECT_EQ(carom_result_status(r.get()) == CAROM_OK, j["error"].is_null());
    }
}

}  // namespace

// ESP events through the C ABI (carom.h, "ESP events"): JSON input is read as events, one
// record per recipient, the same schema; malformed or unknown JSON is an error result.
TEST(Classify, EspEvents) {
    Engine engine = make_engine();
    const std::string ses =
        R"({"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General",)"
        R"("bouncedRecipients":[{"emailAddress":"kim@example.org","action":"failed","status":"5.1.1",)"
        R"("diagnosticCode":"smtp; 550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown"}]},)"
        R"("mail":{"source":"news@ours.example","messageId":"m-1"}})";
    Result r = classify(engine.get(), ses);
    ASSERT_EQ(carom_result_status(r.get()), CAROM_OK);
    ASSERT_EQ(carom_result_record_count(r.get()), 1u);
    EXPECT_EQ(carom_result_class(r.get(), 0), CAROM_CLASS_HARD);
    EXPECT_EQ(carom_result_reason(r.get(), 0), CAROM_REASON_USERUNKNOWN);
    EXPECT_STREQ(carom_result_field(r.get(), 0, CAROM_FIELD_RECIPIENT_SOURCE, nullptr), "esp");
    EXPECT_STREQ(carom_result_field(r.get(), 0, CAROM_FIELD_FORMAT, nullptr), "ses-event");
    expect_schema(to_json(r.get(), "x"));
    for (const std::string &bytes : {std::string("{\"notificationType\": \"Bounce\", "), std::string("{\"a\": 1}"),
                                     std::string(100000, '['), std::string(" [1, 2]\n")}) {
        Result bad = classify(engine.get(), bytes);
        EXPECT_EQ(carom_result_status(bad.get()), CAROM_E_NOT_EMAIL);
        EXPECT_STRNE(carom_result_message(bad.get()), "");
        EXPECT_EQ(carom_result_record_count(bad.get()), 0u);
        expect_schema(to_json(bad.get(), "x"));
    }
}
