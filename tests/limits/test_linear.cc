// Linear growth (docs/testing.md, suite limits): for each dimension a hostile message can stretch — long header lines,
// many boundaries, deep nesting, long diagnostics, many recipients, long folded headers, long
// text bodies — generate the worst case at 1x, 10x and 100x and classify it. The test asserts on
// RATIOS of times, never on an absolute time, so that a slow or busy machine cannot fail it:
// t(10x)/t(1x) < 30 and t(100x)/t(1x) < 300 (linear gives about 10 and 100, quadratic 100 and
// 10,000). Each time is the median of several runs, and the 1x case is repeated enough to take
// tens of milliseconds, so the ratio is not a ratio of timer noise. Timed: classify + JSON. Limits are raised so that
// every case is actually read (none stops at a limit).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "carom.h"

namespace {

carom_engine_t *make_engine() {
    carom_options_t *o = nullptr;
    EXPECT_EQ(carom_options_new(&o), CAROM_OK);
    EXPECT_EQ(carom_options_set_limit(o, CAROM_LIMIT_HEADER_LINE_BYTES, 64ull << 20), CAROM_OK);
    EXPECT_EQ(carom_options_set_limit(o, CAROM_LIMIT_HEADER_BYTES, 256ull << 20), CAROM_OK);
    EXPECT_EQ(carom_options_set_limit(o, CAROM_LIMIT_MIME_DEPTH, 256), CAROM_OK);
    EXPECT_EQ(carom_options_set_limit(o, CAROM_LIMIT_MIME_PARTS, 1000000), CAROM_OK);
    EXPECT_EQ(carom_options_set_limit(o, CAROM_LIMIT_RECIPIENTS, 1000000), CAROM_OK);
    EXPECT_EQ(carom_options_set_limit(o, CAROM_LIMIT_DIAGNOSTIC_BYTES, 16ull << 20), CAROM_OK);
    EXPECT_EQ(carom_options_set_limit(o, CAROM_LIMIT_TEXT_BYTES, 1ull << 32), CAROM_OK);
    carom_engine_t *e = nullptr;
    EXPECT_EQ(carom_engine_new(o, &e, nullptr), CAROM_OK);
    carom_options_free(o);
    return e;
}

const std::string kHead =
    "From: MAILER-DAEMON@mx.example.net\nTo: sender@example.com\nSubject: failure\nMIME-Version: 1.0\n";

std::string dsn_part(int recipients, const std::string &diagnostic) {
    std::string m = "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n";
    for (int i = 0; i < recipients; ++i)
        m += "\nFinal-Recipient: rfc822; user" + std::to_string(i) + "@example.org\nAction: failed\nStatus: 5.1.1\n"
             "Diagnostic-Code: smtp; " + diagnostic + "\n";
    return m;
}

std::string report(const std::string &inner) {
    return kHead + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n\n--r\n" + inner + "--r--\n";
}

// Worst cases, by name; n is the size factor (1, 10, 100).
struct Case {
    const char *name;
    std::function<std::string(int)> make;
};

const std::vector<Case> &cases() {
    static const std::vector<Case> c = {
        {"long header line", [](int n) { return kHead + "X-Long: " + std::string(20000 * n, 'a') + "\n\nbody\n"; }},
        {"long folded header",
         [](int n) {
             std::string m = kHead + "X-Folded: start\n";
             for (int i = 0; i < 500 * n; ++i) m += " fold " + std::to_string(i) + "\n";
             return m + "\nbody\n";
         }},
        {"many headers",
         [](int n) {
             std::string m = kHead;
             for (int i = 0; i < 300 * n; ++i) m += "X-H" + std::to_string(i) + ": value " + std::to_string(i) + "\n";
             return m + "\nbody\n";
         }},
        {"many boundaries",
         [](int n) {
             std::string m = kHead + "Content-Type: multipart/mixed; boundary=\"p\"\n\n";
             for (int i = 0; i < 100 * n; ++i) m += "--p\nContent-Type: text/plain\n\npart " + std::to_string(i) + "\n";
             return m + "--p--\n";
         }},
        {"boundary-like lines",  // lines that start like the boundary but are not it
         [](int n) {
             std::string m = kHead + "Content-Type: multipart/mixed; boundary=\"pppppppppp\"\n\n--pppppppppp\n\n";
             for (int i = 0; i < 1000 * n; ++i) m += "--ppppppppp" + std::to_string(i % 10) + "x\n";
             return m + "--pppppppppp--\n";
         }},
        {"deep nesting",
         [](int n) {
             int depth = 2 * n;  // 2, 20, 200 (the depth limit is raised to 256)
             std::string m = kHead;
             for (int i = 0; i < depth; ++i)
                 m += "Content-Type: multipart/mixed; boundary=\"n" + std::to_string(i) + "\"\n\n--n" + std::to_string(i) + "\n";
             m += "Content-Type: text/plain\n\n" + std::string(200, 'x') + "\n";
             for (int i = depth - 1; i >= 0; --i) m += "--n" + std::to_string(i) + "--\n";
             return m;
         }},
        {"long diagnostic",
         [](int n) {
             std::string d = "550 5.1.1 ";
             for (int i = 0; i < 400 * n; ++i) d += "mailbox unavailable ";
             return report(dsn_part(1, d));
         }},
        {"long folded diagnostic",
         [](int n) {
             std::string d = "550 5.1.1 start";
             for (int i = 0; i < 400 * n; ++i) d += "\n  user unknown here";
             return report(dsn_part(1, d));
         }},
        {"many recipients", [](int n) { return report(dsn_part(20 * n, "550 5.1.1 user unknown")); }},
        {"many recipients in text",
         [](int n) {
             std::string m = kHead + "\nThis is the mail system at host mx.example.net.\n\n";
             for (int i = 0; i < 20 * n; ++i)
                 m += "<u" + std::to_string(i) + "@example.org>: host in.example.org said: 550 5.1.1 unknown user (in reply to RCPT TO command)\n";
             return m;
         }},
        {"long base64 body",
         [](int n) {
             std::string m = kHead + "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n";
             for (int i = 0; i < 300 * n; ++i) m += "VGhpcyBpcyB0aGUgbWFpbCBzeXN0ZW0gYXQgaG9zdCBteC5leGFtcGxlLm5ldC4gNTUwIDUuMS4x\n";
             return m;
         }},
        {"many encoded words",
         [](int n) {
             std::string m = kHead + "X-Encoded: ";
             for (int i = 0; i < 200 * n; ++i) m += "=?utf-8?B?w7xiZXI=?= =?iso-8859-1?Q?caf=E9?= ";
             return m + "\n\nbody\n";
         }},
    };
    return c;
}

// One whole use: classify, render the JSON, free.
void once(const carom_engine_t *e, const std::string &m) {
    carom_result_t *r = nullptr;
    if (carom_classify(e, m.data(), m.size(), &r) != CAROM_OK) std::abort();
    char *json = nullptr;
    if (carom_result_to_json(r, nullptr, 0, &json, nullptr) != CAROM_OK) std::abort();
    carom_string_free(json);
    carom_result_free(r);
}

double seconds_per_run(const carom_engine_t *e, const std::string &m, int reps) {
    std::vector<double> samples;
    for (int s = 0; s < 5; ++s) {
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < reps; ++i) once(e, m);
        samples.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / reps);
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

// Enough repetitions for one sample to take about 20 ms.
int reps_for(const carom_engine_t *e, const std::string &m) {
    auto t0 = std::chrono::steady_clock::now();
    int n = 0;
    while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(20) && n < 100000) {
        once(e, m);
        ++n;
    }
    return std::max(n, 1);
}

TEST(Linear, RatiosOfTimes) {
    carom_engine_t *e = make_engine();
    ASSERT_NE(e, nullptr);
    for (const Case &c : cases()) {
        std::string m1 = c.make(1), m10 = c.make(10), m100 = c.make(100);
        // Every case must be read, not refused at a limit (else the timing says nothing).
        for (const std::string *m : {&m1, &m100}) {
            carom_result_t *r = nullptr;
            ASSERT_EQ(carom_classify(e, m->data(), m->size(), &r), CAROM_OK);
            EXPECT_EQ(carom_result_status(r), CAROM_OK) << c.name << ": " << carom_result_message(r);
            carom_result_free(r);
        }
        double t1 = seconds_per_run(e, m1, reps_for(e, m1));
        double t10 = seconds_per_run(e, m10, reps_for(e, m10));
        double t100 = seconds_per_run(e, m100, reps_for(e, m100));
        ASSERT_GT(t1, 0) << c.name;
        std::printf("%-24s %8zu B %9.1f us | x10 %6.1f | x100 %7.1f\n", c.name, m1.size(), t1 * 1e6, t10 / t1, t100 / t1);
        EXPECT_LT(t10 / t1, 30.0) << c.name << ": 10x the input took " << t10 / t1 << "x the time";
        EXPECT_LT(t100 / t1, 300.0) << c.name << ": 100x the input took " << t100 / t1 << "x the time";
    }
    carom_engine_free(e);
}

}  // namespace
