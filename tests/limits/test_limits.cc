// Each limit of the table (lib/base/limits.cc, docs/limits.md), through carom.h: set with
// carom_options_set_limit, then triggered by a generated input, which must give the documented
// status (and, one step below the limit, must not). Bounds and CAROM_E_RANGE for every limit are
// tested in tests/api/test_lifecycle.c; the few cases it does not cover are here.
#include <gtest/gtest.h>

#include <string>

#include "carom.h"

namespace {

struct Engine {
    carom_engine_t *e = nullptr;
    carom_status_t status = CAROM_OK;
    std::string error;
    Engine(carom_limit_t limit, uint64_t value, const std::string &rules = "") {
        carom_options_t *o = nullptr;
        EXPECT_EQ(carom_options_new(&o), CAROM_OK);
        EXPECT_EQ(carom_options_set_limit(o, limit, value), CAROM_OK) << carom_limit_name(limit) << "=" << value;
        char *err = nullptr;
        if (!rules.empty()) {
            EXPECT_EQ(carom_options_add_rules(o, "t.rules", 7, rules.data(), rules.size(), &err), CAROM_OK);
            carom_string_free(err);
            err = nullptr;
        }
        status = carom_engine_new(o, &e, &err);
        if (err) error = err;
        carom_string_free(err);
        carom_options_free(o);
    }
    ~Engine() { carom_engine_free(e); }
};

struct Result {
    carom_result_t *r = nullptr;
    Result(const carom_engine_t *e, const std::string &bytes) {
        EXPECT_EQ(carom_classify(e, bytes.data(), bytes.size(), &r), CAROM_OK);
    }
    ~Result() { carom_result_free(r); }
    carom_status_t status() const { return carom_result_status(r); }
    size_t records() const { return carom_result_record_count(r); }
    std::string field(size_t i, carom_field_t f) const {
        size_t n = 0;
        const char *v = carom_result_field(r, i, f, &n);
        return v ? std::string(v, n) : std::string();
    }
};

std::string dsn(int recipients, const std::string &diagnostic = "550 5.1.1 user unknown") {
    std::string m =
        "From: MAILER-DAEMON@mx.example.net\nTo: sender@example.com\nSubject: failure\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nundeliverable\n--b\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.net\n";
    for (int i = 0; i < recipients; ++i)
        m += "\nFinal-Recipient: rfc822; u" + std::to_string(i) + "@example.org\nAction: failed\nStatus: 5.1.1\n"
             "Diagnostic-Code: smtp; " + diagnostic + "\n";
    m += "--b--\n";
    return m;
}

std::string nested(int depth) {
    std::string m = "From: MAILER-DAEMON@example.net\nSubject: nested\nMIME-Version: 1.0\n";
    for (int i = 0; i < depth; ++i)
        m += "Content-Type: multipart/mixed; boundary=\"n" + std::to_string(i) + "\"\n\n--n" + std::to_string(i) + "\n";
    m += "Content-Type: text/plain\n\nhello\n";
    for (int i = depth - 1; i >= 0; --i) m += "--n" + std::to_string(i) + "--\n";
    return m;
}

TEST(Limits, EveryLimitHasATestBelow) {
    // When a limit is added to the table, this fails until a test for it is written here.
    EXPECT_EQ(carom_limit_count(), 9u);
}

TEST(Limits, MessageBytes) {
    std::string m = dsn(1);
    Engine at(CAROM_LIMIT_MESSAGE_BYTES, m.size());
    EXPECT_EQ(Result(at.e, m).status(), CAROM_OK);
    Engine below(CAROM_LIMIT_MESSAGE_BYTES, m.size() - 1);
    Result r(below.e, m);
    EXPECT_EQ(r.status(), CAROM_E_TOO_LARGE);
    EXPECT_EQ(r.records(), 0u);
    EXPECT_STRNE(carom_result_message(r.r), "");
}

TEST(Limits, HeaderLineBytes) {
    std::string line = "Subject: " + std::string(300, 'x');
    std::string m = "From: a@example.com\n" + line + "\n\nbody\n";
    Engine e(CAROM_LIMIT_HEADER_LINE_BYTES, 200);
    EXPECT_EQ(Result(e.e, m).status(), CAROM_E_HEADER_TOO_LONG);
    // Folded: each physical line is short, the unfolded field is not.
    std::string folded = "From: a@example.com\nSubject: start\n";
    for (int i = 0; i < 30; ++i) folded += " word" + std::to_string(i) + " and more\n";
    folded += "\nbody\n";
    EXPECT_EQ(Result(e.e, folded).status(), CAROM_E_HEADER_TOO_LONG);
    Engine big(CAROM_LIMIT_HEADER_LINE_BYTES, 1000);
    EXPECT_EQ(Result(big.e, m).status(), CAROM_OK);
    EXPECT_EQ(Result(big.e, folded).status(), CAROM_OK);
}

TEST(Limits, HeaderBytes) {
    std::string m = "From: a@example.com\n";
    for (int i = 0; i < 60; ++i) m += "X-Filler-" + std::to_string(i) + ": " + std::string(30, 'y') + "\n";
    m += "\nbody\n";
    Engine e(CAROM_LIMIT_HEADER_BYTES, 1024);
    EXPECT_EQ(Result(e.e, m).status(), CAROM_E_HEADERS_TOO_LARGE);
    Engine big(CAROM_LIMIT_HEADER_BYTES, 4096);
    EXPECT_EQ(Result(big.e, m).status(), CAROM_OK);
    // Inside an attached message too: the limit is per entity.
    std::string inner = dsn(1);
    inner.insert(inner.find("--b--"), "--b\nContent-Type: message/rfc822\n\n" + m.substr(0, m.find("\n\n")) + "\n\nx\n");
    EXPECT_EQ(Result(e.e, inner).status(), CAROM_E_HEADERS_TOO_LARGE);
}

TEST(Limits, MimeDepth) {
    Engine e(CAROM_LIMIT_MIME_DEPTH, 4);
    EXPECT_EQ(Result(e.e, nested(3)).status(), CAROM_OK);
    EXPECT_EQ(Result(e.e, nested(8)).status(), CAROM_E_TOO_DEEP);
    // message/rfc822 inside message/rfc822 counts as well.
    std::string m = "From: a@example.com\nContent-Type: message/rfc822\n\n";
    for (int i = 0; i < 8; ++i) m += "From: b@example.com\nContent-Type: message/rfc822\n\n";
    m += "From: c@example.com\n\nhi\n";
    EXPECT_EQ(Result(e.e, m).status(), CAROM_E_TOO_DEEP);
}

TEST(Limits, MimeParts) {
    std::string m = "From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=p\n\n";
    for (int i = 0; i < 20; ++i) m += "--p\nContent-Type: text/plain\n\npart " + std::to_string(i) + "\n";
    m += "--p--\n";
    Engine e(CAROM_LIMIT_MIME_PARTS, 10);
    EXPECT_EQ(Result(e.e, m).status(), CAROM_E_TOO_MANY_PARTS);
    Engine big(CAROM_LIMIT_MIME_PARTS, 30);
    EXPECT_EQ(Result(big.e, m).status(), CAROM_OK);
}

TEST(Limits, Recipients) {
    Engine e(CAROM_LIMIT_RECIPIENTS, 3);
    Result ok(e.e, dsn(3));
    EXPECT_EQ(ok.status(), CAROM_OK);
    EXPECT_EQ(ok.records(), 3u);
    Result over(e.e, dsn(4));
    EXPECT_EQ(over.status(), CAROM_E_TOO_MANY_RECIPIENTS);
    EXPECT_EQ(over.records(), 0u);
}

TEST(Limits, DiagnosticBytesCutAtACharacterBoundary) {
    // "ü" is two bytes: a cut at an odd byte count must step back to a boundary.
    std::string diag = "550 5.1.1 unknown user ";
    for (int i = 0; i < 100; ++i) diag += "\xC3\xBC";
    Engine e(CAROM_LIMIT_DIAGNOSTIC_BYTES, 65);
    Result r(e.e, dsn(1, diag));
    ASSERT_EQ(r.status(), CAROM_OK);
    ASSERT_EQ(r.records(), 1u);
    std::string d = r.field(0, CAROM_FIELD_DIAGNOSTIC);
    EXPECT_LE(d.size(), 65u);
    EXPECT_GE(d.size(), 60u);
    EXPECT_NE(static_cast<unsigned char>(d.back()), 0xC3) << "cut inside a character";
    EXPECT_EQ(d.rfind("550 5.1.1", 0), 0u);
    Engine big(CAROM_LIMIT_DIAGNOSTIC_BYTES, 4096);
    EXPECT_EQ(Result(big.e, dsn(1, diag)).field(0, CAROM_FIELD_DIAGNOSTIC), diag);
}

TEST(Limits, TextBytesBoundsWhatReadersScan) {
    // A plain-text bounce whose recipient comes after 3000 bytes of text.
    std::string m = "From: MAILER-DAEMON@mx.example.net\nTo: sender@example.com\nSubject: Undelivered Mail Returned to Sender\n\n"
                    "This is the mail system at host mx.example.net.\n\n";
    for (int i = 0; i < 60; ++i) m += "Filler line " + std::to_string(i) + " of the notice, nothing to see here.\n";
    m += "\n<late@example.org>: host in.example.org said: 550 5.1.1 <late@example.org>: user unknown (in reply to RCPT TO command)\n";
    Engine wide(CAROM_LIMIT_TEXT_BYTES, 1 << 20);
    Result all(wide.e, m);
    ASSERT_EQ(all.status(), CAROM_OK);
    ASSERT_EQ(all.records(), 1u) << "the generated bounce should be read with the default limit";
    EXPECT_EQ(all.field(0, CAROM_FIELD_RECIPIENT), "late@example.org");
    Engine narrow(CAROM_LIMIT_TEXT_BYTES, 1024);
    Result cut(narrow.e, m);
    EXPECT_EQ(cut.status(), CAROM_OK);  // no error: the rest is just not scanned
    EXPECT_EQ(cut.records(), 0u);
}

TEST(Limits, RuleMemory) {
    // A pattern that needs more than the budget is refused when the engine is built, never later.
    const std::string big = "carom-rules 1\nrule local.big\n  says x\n  text \\pL{1000}\\pN{1000}\n  reason userunknown\n";
    Engine small(CAROM_LIMIT_RULE_MEMORY, 1 << 20, big);
    EXPECT_EQ(small.status, CAROM_E_REGEX_MEMORY) << small.error;
    EXPECT_EQ(small.e, nullptr);
    EXPECT_NE(small.error.find("local.big"), std::string::npos) << small.error;
    Engine dflt(CAROM_LIMIT_RULE_MEMORY, 64ull << 20, big);
    EXPECT_EQ(dflt.status, CAROM_OK) << dflt.error;
    // Each built-in pattern fits the smallest budget on its own; below the default the engine
    // checks them all when it is built (the embedded check was made with the default) and says
    // the same of a bounce.
    Engine builtin_small(CAROM_LIMIT_RULE_MEMORY, 1 << 20);
    ASSERT_EQ(builtin_small.status, CAROM_OK) << builtin_small.error;
    Engine builtin_dflt(CAROM_LIMIT_RULE_MEMORY, 64ull << 20);
    ASSERT_EQ(builtin_dflt.status, CAROM_OK) << builtin_dflt.error;
    const std::string bounce =
        "From: MAILER-DAEMON@mx.example.com\nTo: a@example.com\nSubject: Undelivered Mail Returned to Sender\n\n"
        "<nobody@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 <nobody@example.org>: Recipient "
        "address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)\n";
    Result a(builtin_small.e, bounce), b(builtin_dflt.e, bounce);
    ASSERT_EQ(a.records(), 1u);
    ASSERT_EQ(b.records(), 1u);
    EXPECT_EQ(carom_result_reason(a.r, 0), CAROM_REASON_USERUNKNOWN);
    EXPECT_EQ(a.field(0, CAROM_FIELD_RULE), b.field(0, CAROM_FIELD_RULE));
}

TEST(Limits, OutOfRangeEverywhere) {
    // Bounds: tests/api/test_lifecycle.c checks min-1 and max+1 for each limit. Here: the extremes
    // of uint64_t, and that a refused value leaves the previous one in place.
    carom_options_t *o = nullptr;
    ASSERT_EQ(carom_options_new(&o), CAROM_OK);
    for (unsigned i = 0; i < carom_limit_count(); ++i) {
        auto l = static_cast<carom_limit_t>(i);
        uint64_t lo = 0, hi = 0, def = 0, v = 0;
        ASSERT_EQ(carom_limit_bounds(l, &lo, &hi, &def), CAROM_OK);
        EXPECT_EQ(carom_options_set_limit(o, l, UINT64_MAX), CAROM_E_RANGE) << carom_limit_name(l);
        EXPECT_EQ(carom_options_set_limit(o, l, 0), lo > 0 ? CAROM_E_RANGE : CAROM_OK) << carom_limit_name(l);
        ASSERT_EQ(carom_options_get_limit(o, l, &v), CAROM_OK);
        EXPECT_EQ(v, lo > 0 ? def : 0) << carom_limit_name(l);
    }
    // The largest value the enum can hold (a C caller may pass any of them).
    EXPECT_EQ(carom_options_set_limit(o, static_cast<carom_limit_t>(0x7fffffff), 1), CAROM_E_INVALID);
    carom_options_free(o);
}

}  // namespace
