// carom-bench: the corpus runner of docs/performance.md. Loads every message of the given paths
// into memory first (files, directories recursively, mbox files split on "From " lines), then
// classifies them all with one shared engine on 1..N threads, several rounds, and reports
// messages/s, MB/s, p50 / p99 latency and peak RSS. Uses only carom.h.
//
//   carom-bench [--threads N] [--rounds R] [--trials T] [--json] PATH...
//   carom-bench --scaling N [--rounds R] [--trials T] PATH...
//
// With --trials T (default 1) the measurement is repeated T times and the figures are those of
// the median trial (by messages/s), with the slowest and fastest trial beside it: on a shared
// machine one trial of a second or less can be 20 % off either way.
//
// --scaling N measures how N threads sharing one engine scale against one thread: it alternates
// T trials (default 3) of 1 thread and of N threads, R rounds each, and prints the median and
// the best messages/s of each and their ratios, with the load average before and after (the
// ratio only means something when the machine has N idle cores; on a shared machine one lucky
// trial moves the best figures, the medians less).
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "carom.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string read_file(const fs::path &p) {
    std::ifstream f(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void add_file(const fs::path &p, std::vector<std::string> &out) {
    std::string bytes = read_file(p);
    if (bytes.rfind("From ", 0) != 0) {
        out.push_back(std::move(bytes));
        return;
    }
    // mbox: split on lines that start with "From ".
    std::size_t start = 0;
    while (start < bytes.size()) {
        std::size_t body = bytes.find('\n', start);
        if (body == std::string::npos) break;
        std::size_t next = bytes.find("\nFrom ", body);
        std::size_t end = next == std::string::npos ? bytes.size() : next + 1;
        out.push_back(bytes.substr(body + 1, end - body - 1));
        start = end;
    }
}

void collect(const fs::path &p, std::vector<std::string> &out) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
        std::vector<fs::path> files;
        for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec))
            if (it->is_regular_file(ec) && it->path().extension() != ".json") files.push_back(it->path());
        std::sort(files.begin(), files.end());
        for (const auto &f : files) add_file(f, out);
    } else {
        add_file(p, out);
    }
}

// CPU time of the whole process (all threads). On a machine shared with other jobs, wall time
// includes the time the scheduler gives to others; messages per CPU-second does not.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

long peak_rss_kb() {
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

constexpr const char *kUsage =
    "usage: carom-bench [--threads N] [--rounds R] [--trials T] [--json] PATH...\n"
    "       carom-bench --scaling N [--rounds R] [--trials T] PATH...";

struct Run {
    double secs = 0, cpu = 0;
    std::vector<double> lat;  // microseconds, one per classification
};

// Classifies every message `rounds` times on `threads` threads sharing `engine`.
Run run(const carom_engine_t *engine, const std::vector<std::string> &msgs, unsigned threads, unsigned rounds) {
    Run out;
    const std::size_t total = msgs.size() * rounds;
    out.lat.assign(total, 0.0);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (;;) {
            std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= total) return;
            const std::string &m = msgs[i % msgs.size()];
            auto s = Clock::now();
            carom_result_t *r = nullptr;
            carom_classify(engine, m.data(), m.size(), &r);
            carom_result_free(r);
            out.lat[i] = std::chrono::duration<double, std::micro>(Clock::now() - s).count();
        }
    };
    auto start = Clock::now();
    const double cpu0 = cpu_seconds();
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto &t : pool) t.join();
    out.secs = std::chrono::duration<double>(Clock::now() - start).count();
    out.cpu = cpu_seconds() - cpu0;
    return out;
}

std::string loadavg() {
    std::ifstream f("/proc/loadavg");
    std::string a, b, c;
    f >> a >> b >> c;
    return a.empty() ? std::string("unknown") : a + " " + b + " " + c;
}

}  // namespace

int main(int argc, char **argv) {
    unsigned threads = 1, rounds = 5, scaling = 0, trials = 0;  // trials 0: 3 with --scaling, else 1
    bool json = false;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc) {
            threads = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        } else if (a == "--rounds" && i + 1 < argc) {
            rounds = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        } else if (a == "--scaling" && i + 1 < argc) {
            scaling = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        } else if (a == "--trials" && i + 1 < argc) {
            trials = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
        } else if (a == "--json") {
            json = true;
        } else if (a == "--help" || a == "-h") {
            std::puts(kUsage);
            return 0;
        } else {
            paths.push_back(a);
        }
    }
    if (paths.empty() || threads == 0 || rounds == 0) {
        std::fprintf(stderr, "%s\n", kUsage);
        return 2;
    }
    if (trials == 0) trials = scaling > 0 ? 3 : 1;
    std::vector<std::string> msgs;
    for (const auto &p : paths) collect(p, msgs);
    if (msgs.empty()) {
        std::fputs("carom-bench: no messages\n", stderr);
        return 2;
    }
    std::size_t bytes = 0;
    for (const auto &m : msgs) bytes += m.size();

    auto t0 = Clock::now();
    carom_engine_t *engine = nullptr;
    char *err = nullptr;
    if (carom_engine_new(nullptr, &engine, &err) != CAROM_OK) {
        std::fprintf(stderr, "carom-bench: %s\n", err ? err : "engine failed");
        carom_string_free(err);
        return 1;
    }
    double build_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();

    // Warm-up round (page faults, lazy DFA states), not measured.
    for (const auto &m : msgs) {
        carom_result_t *r = nullptr;
        carom_classify(engine, m.data(), m.size(), &r);
        carom_result_free(r);
    }

    if (scaling > 0) {
        const std::string load_before = loadavg();
        std::vector<double> one, many;  // messages/s of each trial
        for (unsigned t = 0; t < trials; ++t) {
            one.push_back(msgs.size() * rounds / run(engine, msgs, 1, rounds).secs);
            many.push_back(msgs.size() * rounds / run(engine, msgs, scaling, rounds).secs);
        }
        carom_engine_free(engine);
        std::sort(one.begin(), one.end());
        std::sort(many.begin(), many.end());
        auto median = [](const std::vector<double> &v) {
            return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
        };
        std::printf("messages      %zu (%.1f MB) x %u rounds, %u alternating trials each\n", msgs.size(), bytes / 1e6,
                    rounds, trials);
        std::printf("1 thread      median %.0f, best %.0f messages/s\n", median(one), one.back());
        std::printf("%u threads     median %.0f, best %.0f messages/s\n", scaling, median(many), many.back());
        std::printf("scaling       %.2fx of the medians, %.2fx of the best (load average before %s, after %s)\n",
                    median(many) / median(one), many.back() / one.back(), load_before.c_str(), loadavg().c_str());
        return 0;
    }

    std::vector<Run> runs;
    for (unsigned t = 0; t < trials; ++t) runs.push_back(run(engine, msgs, threads, rounds));
    carom_engine_free(engine);
    std::sort(runs.begin(), runs.end(), [](const Run &a, const Run &b) { return a.secs > b.secs; });
    const std::size_t total = msgs.size() * rounds;
    const double slowest = total / runs.front().secs, fastest = total / runs.back().secs;
    Run &r = runs[runs.size() / 2];  // the median trial
    std::vector<double> &lat = r.lat;
    const double secs = r.secs, cpu = r.cpu;

    std::sort(lat.begin(), lat.end());
    double p50 = lat[lat.size() / 2], p99 = lat[std::min(lat.size() - 1, lat.size() * 99 / 100)];
    double mps = total / secs, mpcs = total / cpu, mbps = static_cast<double>(bytes) * rounds / secs / 1e6;
    if (json) {
        std::printf(
            "{\"messages\": %zu, \"bytes\": %zu, \"threads\": %u, \"rounds\": %u, \"messages_per_s\": %.0f, "
            "\"messages_per_cpu_s\": %.0f, \"mb_per_s\": %.2f, \"p50_us\": %.1f, \"p99_us\": %.1f, \"engine_build_ms\": %.2f, \"peak_rss_kb\": %ld, "
            "\"trials\": %u, \"slowest_messages_per_s\": %.0f, \"fastest_messages_per_s\": %.0f}\n",
            msgs.size(), bytes, threads, rounds, mps, mpcs, mbps, p50, p99, build_ms, peak_rss_kb(), trials, slowest,
            fastest);
    } else {
        std::printf("messages      %zu (%.1f MB) x %u rounds, %u thread(s)\n", msgs.size(), bytes / 1e6, rounds,
                    threads);
        std::printf("throughput    %.0f messages/s, %.2f MB/s\n", mps, mbps);
        if (trials > 1)
            std::printf("trials        %u: median above, slowest %.0f, fastest %.0f messages/s\n", trials, slowest,
                        fastest);
        std::printf("cpu time      %.3f s: %.0f messages per CPU-second\n", cpu, mpcs);
        std::printf("latency       p50 %.1f us, p99 %.1f us\n", p50, p99);
        std::printf("engine build  %.2f ms\n", build_ms);
        std::printf("peak RSS      %.1f MB\n", peak_rss_kb() / 1024.0);
    }
    return 0;
}
