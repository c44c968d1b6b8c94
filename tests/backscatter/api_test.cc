// The backscatter feature through the public C API only (carom.h): the send-log callback
// (yes / no / unknown), carom_options_use_backscatter, context errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "carom.h"

namespace {

// A Postfix-style RFC 3464 bounce returning the original's headers.
std::string dsn(const std::string &message_id, const std::string &received) {
    return "Return-Path: <>\n"
           "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
           "To: alice@example.com\n"
           "Subject: Undelivered Mail Returned to Sender\n"
           "Date: Mon, 02 Nov 2026 10:00:00 +0000\n"
           "MIME-Version: 1.0\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
           "\n"
           "--B\n"
           "Content-Type: text/plain\n"
           "\n"
           "I'm sorry to have to inform you that your message could not be delivered.\n"
           "\n"
           "<nobody@example.org>: host mx.example.org said: 550 5.1.1 <nobody@example.org>: Recipient address\n"
           "    rejected: User unknown in local recipient table\n"
           "\n"
           "--B\n"
           "Content-Type: message/delivery-status\n"
           "\n"
           "Reporting-MTA: dns; mx.example.org\n"
           "\n"
           "Final-Recipient: rfc822; nobody@example.org\n"
           "Action: failed\n"
           "Status: 5.1.1\n"
           "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown\n"
           "\n"
           "--B\n"
           "Content-Type: text/rfc822-headers\n"
           "\n" +
           received +
           "From: Alice <alice@example.com>\n"
           "To: nobody@example.org\n"
           "Subject: hello\n"
           "Message-ID: <" +
           message_id +
           ">\n"
           "\n"
           "--B--\n";
}

const std::string kChallenge =
    "From: guard@example.org\n"
    "To: alice@example.com\n"
    "Subject: Please confirm your message to guard@example.org\n"
    "X-Boxtrapper: yes\n"
    "Date: Mon, 02 Nov 2026 10:00:00 +0000\n"
    "\n"
    "Reply to this message to confirm that you are a person.\n";

struct Log {
    carom_sent_t answer = CAROM_SENT_UNKNOWN;
    std::vector<std::string> ids, recipients;
};

carom_sent_t lookup(void *user, const char *id, size_t id_len, const char *rcpt, size_t rcpt_len) {
    Log *log = static_cast<Log *>(user);
    log->ids.emplace_back(id, id_len);
    log->recipients.emplace_back(rcpt, rcpt_len);
    return log->answer;
}

struct Outcome {
    carom_verdict_t verdict = CAROM_VERDICT_UNKNOWN;
    std::vector<carom_class_t> classes;
    std::vector<carom_reason_t> reasons;
    std::string json;
};

Outcome classify(carom_options_t *options, const std::string &message) {
    Outcome run;
    carom_engine_t *engine = nullptr;
    char *error = nullptr;
    EXPECT_EQ(carom_engine_new(options, &engine, &error), CAROM_OK) << (error ? error : "");
    carom_string_free(error);
    if (!engine) return run;
    carom_result_t *result = nullptr;
    EXPECT_EQ(carom_classify(engine, message.data(), message.size(), &result), CAROM_OK);
    run.verdict = carom_result_verdict(result);
    for (size_t i = 0; i < carom_result_record_count(result); ++i) {
        run.classes.push_back(carom_result_class(result, i));
        run.reasons.push_back(carom_result_reason(result, i));
    }
    char *json = nullptr;
    EXPECT_EQ(carom_result_to_json(result, nullptr, 0, &json, nullptr), CAROM_OK);
    run.json = json ? json : "";
    carom_string_free(json);
    carom_result_free(result);
    carom_engine_free(engine);
    return run;
}

class Api : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(carom_options_new(&options), CAROM_OK); }
    void TearDown() override { carom_options_free(options); }
    carom_options_t *options = nullptr;
};

TEST_F(Api, CallbackYesNoUnknown) {
    Log log;
    ASSERT_EQ(carom_options_set_sent_callback(options, lookup, &log), CAROM_OK);
    const std::string bounce = dsn("20261102.1@mail.example.com", "");
    // What the records are without the feature: the classes a genuine verdict must keep.
    carom_options_t *plain = nullptr;
    ASSERT_EQ(carom_options_new(&plain), CAROM_OK);
    ASSERT_EQ(carom_options_use_backscatter(plain, 0), CAROM_OK);
    Outcome base = classify(plain, bounce);
    carom_options_free(plain);
    ASSERT_EQ(base.classes.size(), 1u) << base.json;
    ASSERT_NE(base.classes[0], CAROM_CLASS_BACKSCATTER);

    log.answer = CAROM_SENT_YES;
    Outcome yes = classify(options, bounce);
    ASSERT_EQ(yes.classes.size(), 1u) << yes.json;
    EXPECT_EQ(yes.verdict, CAROM_VERDICT_GENUINE) << yes.json;
    EXPECT_EQ(yes.classes, base.classes) << yes.json;
    EXPECT_EQ(yes.reasons, base.reasons);
    ASSERT_EQ(log.ids.size(), 1u);
    EXPECT_EQ(log.ids[0], "20261102.1@mail.example.com") << "without angle brackets";
    EXPECT_EQ(log.recipients[0], "nobody@example.org");

    log.answer = CAROM_SENT_NO;
    Outcome no = classify(options, bounce);
    EXPECT_EQ(no.verdict, CAROM_VERDICT_BACKSCATTER) << no.json;
    ASSERT_EQ(no.classes.size(), 1u);
    EXPECT_EQ(no.classes[0], CAROM_CLASS_BACKSCATTER);
    EXPECT_EQ(no.reasons, base.reasons) << "the reason is kept";
    EXPECT_NE(no.json.find("\"send_log\""), std::string::npos) << no.json;

    log.answer = CAROM_SENT_UNKNOWN;
    Outcome unknown = classify(options, bounce);
    EXPECT_EQ(unknown.verdict, CAROM_VERDICT_UNKNOWN) << unknown.json;
    EXPECT_EQ(unknown.classes, base.classes);

    // Removing the callback: it is never called again.
    std::size_t calls = log.ids.size();
    ASSERT_EQ(carom_options_set_sent_callback(options, nullptr, &log), CAROM_OK);
    Outcome none = classify(options, bounce);
    EXPECT_EQ(log.ids.size(), calls);
    EXPECT_EQ(none.verdict, CAROM_VERDICT_UNKNOWN);
}

TEST_F(Api, CallbackOutranksWeakerSignals) {
    // The callback (tier 1) says yes; the Message-ID domain (tier 2) says not ours.
    Log log;
    log.answer = CAROM_SENT_YES;
    ASSERT_EQ(carom_options_set_sent_callback(options, lookup, &log), CAROM_OK);
    const char ctx[] = R"({"message_id_domains": ["mail.example.com"]})";
    ASSERT_EQ(carom_options_set_context_json(options, ctx, sizeof ctx - 1, nullptr), CAROM_OK);
    Outcome r = classify(options, dsn("x@elsewhere.example.net", ""));
    EXPECT_EQ(r.verdict, CAROM_VERDICT_GENUINE) << r.json;
    log.answer = CAROM_SENT_UNKNOWN;
    r = classify(options, dsn("x@elsewhere.example.net", ""));
    EXPECT_EQ(r.verdict, CAROM_VERDICT_BACKSCATTER) << r.json;
}

TEST_F(Api, ContextSurvivesCallbackAndBack) {
    Log log;
    const char ctx[] = R"({"relays": ["mta1.example.com"]})";
    ASSERT_EQ(carom_options_set_context_json(options, ctx, sizeof ctx - 1, nullptr), CAROM_OK);
    ASSERT_EQ(carom_options_set_sent_callback(options, lookup, &log), CAROM_OK);
    Outcome ours = classify(options, dsn("1@mail.example.com",
                                     "Received: from app.example.com (app.example.com [192.0.2.20])\n"
                                     "\tby mta1.example.com (Postfix) with ESMTP id 4X; Mon, 02 Nov 2026 09:59:00 +0000\n"));
    EXPECT_EQ(ours.verdict, CAROM_VERDICT_GENUINE) << ours.json;
    Outcome forged = classify(options, dsn("1@mail.example.com",
                                       "Received: from mta1.example.com (dsl.isp.example.net [198.51.100.7])\n"
                                       "\tby mx.example.org (Postfix) with SMTP id 4Y; Mon, 02 Nov 2026 09:59:00 +0000\n"));
    EXPECT_EQ(forged.verdict, CAROM_VERDICT_BACKSCATTER) << forged.json;
}

TEST_F(Api, FeatureOff) {
    Log log;
    log.answer = CAROM_SENT_NO;
    ASSERT_EQ(carom_options_set_sent_callback(options, lookup, &log), CAROM_OK);
    const char ctx[] = R"({"domains": ["example.com"], "message_id_domains": ["mail.example.com"]})";
    ASSERT_EQ(carom_options_set_context_json(options, ctx, sizeof ctx - 1, nullptr), CAROM_OK);
    ASSERT_EQ(carom_options_use_backscatter(options, 0), CAROM_OK);
    Outcome off = classify(options, dsn("x@elsewhere.example.net", ""));
    EXPECT_TRUE(log.ids.empty()) << "the callback is not called when the feature is off";
    EXPECT_EQ(off.verdict, CAROM_VERDICT_UNKNOWN);
    ASSERT_EQ(off.classes.size(), 1u);
    EXPECT_NE(off.classes[0], CAROM_CLASS_BACKSCATTER);
    EXPECT_NE(off.json.find("\"signals\":[]"), std::string::npos) << off.json;
    Outcome challenge_off = classify(options, kChallenge);
    EXPECT_TRUE(challenge_off.classes.empty()) << challenge_off.json;

    ASSERT_EQ(carom_options_use_backscatter(options, 1), CAROM_OK);
    Outcome on = classify(options, dsn("x@elsewhere.example.net", ""));
    EXPECT_EQ(on.verdict, CAROM_VERDICT_BACKSCATTER);
    EXPECT_FALSE(log.ids.empty());
    EXPECT_EQ(carom_options_use_backscatter(nullptr, 1), CAROM_E_INVALID);
}

TEST_F(Api, ChallengeWithoutContext) {
    Outcome r = classify(options, kChallenge);
    ASSERT_EQ(r.classes.size(), 1u) << r.json;
    EXPECT_EQ(r.classes[0], CAROM_CLASS_BACKSCATTER);
    EXPECT_EQ(r.reasons[0], CAROM_REASON_CHALLENGE);
    EXPECT_EQ(r.verdict, CAROM_VERDICT_BACKSCATTER);
}

TEST_F(Api, ContextErrors) {
    char *error = nullptr;
    const char bad[] = R"({"batv": {"keys": {"10": "s"}}})";
    EXPECT_EQ(carom_options_set_context_json(options, bad, sizeof bad - 1, &error), CAROM_E_CONTEXT);
    ASSERT_NE(error, nullptr);
    EXPECT_NE(std::string(error).find("single digits 0-9"), std::string::npos) << error;
    carom_string_free(error);
    error = reinterpret_cast<char *>(1);
    EXPECT_EQ(carom_options_set_context_json(options, "{", 1, &error), CAROM_E_CONTEXT);
    ASSERT_NE(error, nullptr);
    EXPECT_STREQ(error, "context: not valid JSON");
    carom_string_free(error);
    EXPECT_EQ(carom_options_set_context_json(options, "{", 1, nullptr), CAROM_E_CONTEXT);
    EXPECT_EQ(carom_options_set_context_json(nullptr, "{}", 2, nullptr), CAROM_E_INVALID);
    EXPECT_EQ(carom_options_set_context_json(options, nullptr, 3, nullptr), CAROM_E_INVALID);
    // A failed call keeps the earlier context.
    const char good[] = R"({"message_id_domains": ["mail.example.com"]})";
    ASSERT_EQ(carom_options_set_context_json(options, good, sizeof good - 1, &error), CAROM_OK);
    EXPECT_EQ(error, nullptr);
    EXPECT_EQ(carom_options_set_context_json(options, bad, sizeof bad - 1, nullptr), CAROM_E_CONTEXT);
    EXPECT_EQ(classify(options, dsn("x@elsewhere.example.net", "")).verdict, CAROM_VERDICT_BACKSCATTER);
}

}  // namespace
