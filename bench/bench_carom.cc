// Google Benchmark micro-benchmarks of docs/performance.md, all through carom.h:
//
//   classify/<family>   every corpus/<family>/*.eml, one engine; items = messages, bytes = input
//   engine/build        carom_engine_new with the built-in rules (rule parsing + RE2 set compilation)
//   engine/build_norules  the same without rules (the fixed cost of an engine)
//   mime/*              generated MIME-heavy inputs: large base64 attachments, many parts, deep
//                       nesting, long folded headers, quoted-printable and ISO-2022-JP text
//   rules/builtin, rules/none
//                       short DSNs whose diagnostics hit different rules, classified with the
//                       built-in rules and with none: the difference is the cost of rule matching
//
// The corpus directory is CAROM_BENCH_CORPUS (set by Meson to the source tree's corpus/) or the
// environment variable of the same name. Run: bench/run, or build/bench/carom-microbench.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "carom.h"

namespace fs = std::filesystem;

namespace {

carom_engine_t *make_engine(bool builtin) {
    carom_options_t *opts = nullptr;
    carom_options_new(&opts);
    carom_options_use_builtin_rules(opts, builtin ? 1 : 0);
    carom_engine_t *engine = nullptr;
    char *err = nullptr;
    if (carom_engine_new(opts, &engine, &err) != CAROM_OK) {
        std::fprintf(stderr, "carom_engine_new: %s\n", err ? err : "?");
        std::exit(1);
    }
    carom_string_free(err);
    carom_options_free(opts);
    return engine;
}

// One engine with the built-in rules, shared by every benchmark (as an application would).
const carom_engine_t *shared_engine() {
    static carom_engine_t *const engine = make_engine(true);
    return engine;
}

void classify_all(benchmark::State &state, const carom_engine_t *engine, const std::vector<std::string> &msgs) {
    std::size_t bytes = 0;
    for (const auto &m : msgs) bytes += m.size();
    for (auto _ : state) {
        for (const auto &m : msgs) {
            carom_result_t *r = nullptr;
            carom_classify(engine, m.data(), m.size(), &r);
            benchmark::DoNotOptimize(carom_result_record_count(r));
            carom_result_free(r);
        }
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * msgs.size()));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

std::string read_file(const fs::path &p) {
    std::ifstream f(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// ---- generated inputs ----------------------------------------------------------------------

std::string base64_lines(std::size_t n) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(n + n / 76 + 1);
    unsigned x = 12345;
    for (std::size_t i = 0; i < n; ++i) {
        x = x * 1103515245u + 12345u;
        out += kAlphabet[(x >> 16) & 63];
        if (i % 76 == 75) out += '\n';
    }
    out += '\n';
    return out;
}

const char kDsnHead[] =
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: sender@example.com\n"
    "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n\n"
    "--R\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
    "--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
    "Final-Recipient: rfc822; someone@example.org\nAction: failed\nStatus: 5.2.2\n"
    "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n\n";

// A bounce returning a message with `attachments` base64 images of `each` encoded bytes.
std::string with_attachments(int attachments, std::size_t each) {
    std::string m = kDsnHead;
    m += "--R\nContent-Type: message/rfc822\n\nFrom: sender@example.com\nTo: someone@example.org\n"
         "Subject: photos\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"M\"\n\n"
         "--M\nContent-Type: text/plain\n\nPhotos attached.\n";
    for (int i = 0; i < attachments; ++i)
        m += "--M\nContent-Type: image/jpeg\nContent-Transfer-Encoding: base64\n\n" + base64_lines(each);
    m += "--M--\n\n--R--\n";
    return m;
}

std::string many_parts(int n) {
    std::string m = kDsnHead;
    m += "--R\nContent-Type: message/rfc822\n\nFrom: sender@example.com\nSubject: parts\nMIME-Version: 1.0\n"
         "Content-Type: multipart/mixed; boundary=\"M\"\n\n";
    for (int i = 0; i < n; ++i) m += "--M\nContent-Type: text/plain\n\npart " + std::to_string(i) + "\n";
    m += "--M--\n\n--R--\n";
    return m;
}

std::string deep_nesting(int depth) {
    std::string head = "From: MAILER-DAEMON@mx.example.com\nTo: sender@example.com\nSubject: nested\n"
                       "MIME-Version: 1.0\n";
    std::string open, close;
    for (int i = 0; i < depth; ++i) {
        open += "Content-Type: multipart/mixed; boundary=\"B" + std::to_string(i) + "\"\n\n--B" + std::to_string(i) + "\n";
        close = "\n--B" + std::to_string(i) + "--\n" + close;
    }
    return head + open + "Content-Type: text/plain\n\n<someone@example.org>: 550 5.1.1 user unknown\n" + close;
}

std::string long_headers(std::size_t fields, std::size_t folds) {
    std::string m = "From: MAILER-DAEMON@mx.example.com\nTo: sender@example.com\nSubject: headers\n";
    for (std::size_t f = 0; f < fields; ++f) {
        m += "X-Trace-" + std::to_string(f) + ": start";
        for (std::size_t k = 0; k < folds; ++k) m += "\n\tsegment " + std::to_string(k) + " of a folded field";
        m += "\n";
    }
    m += "\n<someone@example.org>: host mx.example.org said: 550 5.1.1 user unknown\n";
    return m;
}

std::string quoted_printable(std::size_t lines) {
    std::string m = "From: MAILER-DAEMON@mx.example.com\nTo: sender@example.com\nSubject: qp\nMIME-Version: 1.0\n"
                    "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n";
    for (std::size_t i = 0; i < lines; ++i)
        m += "Die Nachricht an <someone@example.org> konnte nicht zugestellt werden: Postfach =\nvoll, =FCberf=FCllt =E4=F6=DF.\n";
    return m;
}

std::string iso2022jp(std::size_t lines) {
    // "\x1b$B" switches to JIS X 0208, "\x1b(B" back to ASCII; the bytes between are two-byte
    // JIS codes (here a fixed pair, which is enough to exercise the converter).
    std::string m = "From: MAILER-DAEMON@mx.example.jp\nTo: sender@example.jp\nSubject: jp\nMIME-Version: 1.0\n"
                    "Content-Type: text/plain; charset=iso-2022-jp\n\n";
    for (std::size_t i = 0; i < lines; ++i) m += "<someone@example.jp>: \x1b$B%a!<%k\x1b(B 550 5.1.1 user unknown\n";
    return m;
}

// Short DSNs, one per diagnostic: the rules' text set sees each of them.
std::vector<std::string> rule_inputs() {
    const char *diags[] = {
        "550 5.1.1 <someone@example.org>: Recipient address rejected: User unknown in local recipient table",
        "552 5.2.2 Mailbox full: quota exceeded for this account",
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.example.net",
        "421 4.7.0 Try again later, closing connection (rate limited)",
        "550 5.7.26 Unauthenticated email is not accepted from this domain: DMARC policy",
        "553 5.3.0 Domain of sender address does not resolve",
        "550 5.7.1 Message rejected as spam by content filter",
        "451 4.3.0 Temporary system problem, please try again later",
        "550 Requested action not taken: mailbox unavailable",
        "552 5.3.4 Message size exceeds fixed maximum message size",
    };
    std::vector<std::string> out;
    for (const char *d : diags) {
        std::string m = "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: sender@example.com\n"
                        "Subject: Delivery Status Notification (Failure)\nMIME-Version: 1.0\n"
                        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n\n"
                        "--R\nContent-Type: text/plain\n\nDelivery failed.\n\n"
                        "--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
                        "Final-Recipient: rfc822; someone@example.org\nAction: failed\n"
                        "Diagnostic-Code: smtp; ";
        m += d;
        m += "\n\n--R--\n";
        out.push_back(std::move(m));
    }
    return out;
}

void register_all() {
    // classify/<family>: corpus/<family>/*.eml
    const char *env = std::getenv("CAROM_BENCH_CORPUS");
#ifdef CAROM_BENCH_CORPUS
    fs::path corpus = env ? env : CAROM_BENCH_CORPUS;
#else
    fs::path corpus = env ? env : "corpus";
#endif
    std::map<std::string, std::vector<std::string>> families;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(corpus, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file(ec) || it->path().extension() != ".eml") continue;
        std::string family = fs::relative(it->path().parent_path(), corpus, ec).generic_string();
        families[family].push_back(read_file(it->path()));
    }
    if (families.empty()) std::fprintf(stderr, "carom-microbench: no corpus under %s\n", corpus.c_str());
    std::vector<std::string> all;
    for (auto &[family, msgs] : families) {
        all.insert(all.end(), msgs.begin(), msgs.end());
        benchmark::RegisterBenchmark(("classify/" + family).c_str(), [msgs = msgs](benchmark::State &s) {
            classify_all(s, shared_engine(), msgs);
        });
    }
    if (!all.empty())
        benchmark::RegisterBenchmark("classify/ALL", [all](benchmark::State &s) { classify_all(s, shared_engine(), all); });

    benchmark::RegisterBenchmark("engine/build", [](benchmark::State &s) {
        for (auto _ : s) carom_engine_free(make_engine(true));
    })->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("engine/build_norules", [](benchmark::State &s) {
        for (auto _ : s) carom_engine_free(make_engine(false));
    })->Unit(benchmark::kMicrosecond);

    struct Gen {
        const char *name;
        std::string msg;
    };
    std::vector<Gen> gens = {
        {"mime/attachments_1MB", with_attachments(2, 512 * 1024)},
        {"mime/attachments_15MB", with_attachments(5, 3 * 1024 * 1024)},
        {"mime/parts_500", many_parts(500)},
        {"mime/nesting_50", deep_nesting(50)},
        {"mime/headers_200x20_folds", long_headers(200, 20)},
        {"mime/quoted_printable_2000_lines", quoted_printable(2000)},
        {"mime/iso2022jp_500_lines", iso2022jp(500)},
    };
    for (auto &g : gens)
        benchmark::RegisterBenchmark(g.name, [m = std::vector<std::string>{g.msg}](benchmark::State &s) {
            classify_all(s, shared_engine(), m);
        })->Unit(benchmark::kMicrosecond);

    auto rules = rule_inputs();
    benchmark::RegisterBenchmark("rules/builtin", [rules](benchmark::State &s) { classify_all(s, shared_engine(), rules); });
    benchmark::RegisterBenchmark("rules/none", [rules](benchmark::State &s) {
        static carom_engine_t *const none = make_engine(false);
        classify_all(s, none, rules);
    });
}

}  // namespace

int main(int argc, char **argv) {
    register_all();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
