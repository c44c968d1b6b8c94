// Measures the MIME layer against mimetic 0.9.8 on a set of email files (not a test: run by hand,
// figures quoted in docs/mime.md). Usage: mime-speed [--rounds N] FILE...
#include <mimetic/mimetic.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "base/limits.hh"
#include "base/model.hh"
#include "mime/message.hh"
#include "report/report.hh"

namespace {

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::size_t walk_mimetic(const mimetic::MimeEntity &e) {
    std::size_t n = 1;
    for (const mimetic::MimeEntity *c : e.body().parts()) n += walk_mimetic(*c);
    return n;
}

}  // namespace

int main(int argc, char **argv) {
    int rounds = 20;
    std::string only;  // "mimetic", "parse" or "full": run one phase (for perf stat -e instructions)
    std::vector<std::string> mails;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
            continue;
        }
        if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = std::atoi(argv[++i]);
            continue;
        }
        std::ifstream f(argv[i], std::ios::binary);
        mails.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    if (mails.empty()) return 2;
    std::size_t bytes = 0;
    for (auto &m : mails) bytes += m.size();
    const double total = static_cast<double>(mails.size()) * rounds;
    carom::Limits limits;
    std::size_t sink = 0;

    double t0 = now();
    for (int r = 0; r < rounds && (only.empty() || only == "mimetic"); ++r)
        for (auto &m : mails) {
            try {
                mimetic::MimeEntity me(m.begin(), m.end());
                sink += walk_mimetic(me);
            } catch (...) {
            }
        }
    double t1 = now();
    for (int r = 0; r < rounds && (only.empty() || only == "parse"); ++r)
        for (auto &m : mails) {
            carom::mime::Message msg;
            std::string err;
            carom::mime::parse(m, limits, msg, err);
            sink += msg.parts;
        }
    double t2 = now();
    for (int r = 0; r < rounds && (only.empty() || only == "full"); ++r)
        for (auto &m : mails) {
            carom::mime::Message msg;
            std::string err;
            if (carom::mime::parse(m, limits, msg, err) != CAROM_OK) continue;
            carom::Extraction ex;
            std::string body = carom::mime::body_text(msg);
            carom::report::read_original(msg, {}, ex.original);
            if (!carom::report::is_mdn(msg) && !carom::report::read_arf(msg, ex))
                if (!carom::report::read_dsn(msg, ex)) carom::report::read_auto_reply(msg, ex);
            sink += ex.records.size() + body.size();
        }
    double t3 = now();
    if (!only.empty()) {
        std::printf("%s: %.0f msgs/s (sink %zu)\n", only.c_str(), total / (t3 - t0), sink);
        return 0;
    }
    // Per stage, on messages parsed once.
    std::vector<carom::mime::Message> parsed(mails.size());
    for (std::size_t i = 0; i < mails.size(); ++i) {
        std::string err;
        carom::mime::parse(mails[i], limits, parsed[i], err);
    }
    double s0 = now();
    for (int r = 0; r < rounds; ++r)
        for (auto &m : parsed) sink += carom::mime::body_text(m).size();
    double s1 = now();
    for (int r = 0; r < rounds; ++r)
        for (auto &m : parsed) {
            carom::Original o;
            carom::report::read_original(m, {}, o);
            sink += o.received.size();
        }
    double s2 = now();
    for (int r = 0; r < rounds; ++r)
        for (auto &m : parsed) {
            carom::Extraction ex;
            sink += carom::report::is_mdn(m) + carom::report::read_arf(m, ex);
        }
    double s3 = now();
    for (int r = 0; r < rounds; ++r)
        for (auto &m : parsed) {
            carom::Extraction ex;
            sink += carom::report::read_dsn(m, ex) || carom::report::read_auto_reply(m, ex);
        }
    double s4 = now();
    std::printf("stage body_text %.2f us, read_original %.2f us, mdn+arf %.2f us, dsn+auto-reply %.2f us\n",
                (s1 - s0) / total * 1e6, (s2 - s1) / total * 1e6, (s3 - s2) / total * 1e6, (s4 - s3) / total * 1e6);
    std::printf("%zu messages, %.1f KB average, %d rounds (sink %zu)\n", mails.size(),
                bytes / 1024.0 / mails.size(), rounds, sink);
    std::printf("mimetic MimeEntity parse:           %9.0f msgs/s\n", total / (t1 - t0));
    std::printf("carom mime::parse:                  %9.0f msgs/s\n", total / (t2 - t1));
    std::printf("carom parse + body_text + reports:  %9.0f msgs/s\n", total / (t3 - t2));
    return 0;
}
