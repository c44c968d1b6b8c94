// Fault injection (HarfBuzz's failing-alloc, deterministic): this binary replaces every form of
// operator new so that the Nth allocation made inside an "armed" call fails with std::bad_alloc
// (the nothrow forms return nullptr). For each N from 1 until the call completes without reaching
// N, it runs a whole engine build or a whole classification through carom.h and checks:
//   - the call returns CAROM_E_NOMEM (out-parameters NULL) or succeeds with exactly the result of
//     an undisturbed run (a swallowed bad_alloc that silently changes an answer is a bug too);
//   - nothing leaks: the number of live operator-new blocks is back to its level before the call
//     (and, in the ASan build, LeakSanitizer checks malloc as well at exit);
//   - nothing terminates: an exception escaping the C API's guard would abort the binary.
// Every form (plain, array, nothrow, aligned, sized delete) is replaced, so libcarom.so,
// libstdc++, mimetic and RE2 all allocate through this file (the executable's definitions take
// precedence over libstdc++'s). ICU allocates with malloc and is outside this test's reach.
//
// The engine build makes ~10^5 allocations and takes tens of milliseconds, so it is tested for
// every N up to kEngineDense and then on an even stride (kEngineSamples more points); every
// classification is tested for every N.
#include <gtest/gtest.h>

#include <dlfcn.h>
#include <execinfo.h>

#include <atomic>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "carom.h"

namespace {

// Test-only global state: the counters the replaced operators share.
std::atomic<bool> g_armed{false};
std::atomic<long> g_count{0};     // allocations seen while armed
std::atomic<long> g_fail_at{0};   // 0: never fail
std::atomic<long> g_failed{0};    // how many allocations were failed
std::atomic<long> g_thrown{0};    // ... of which by throwing std::bad_alloc (not a nothrow form)
std::atomic<long> g_live{0};      // live blocks from operator new (all of them, armed or not)

// RE2 is written for builds without exceptions: a std::bad_alloc thrown inside its parser or
// compiler leaks its half-built Regexp/Prog objects, and nothing carom does around the call can
// free them. So an allocation whose call stack passes through libre2 is never failed; the
// failure moves on to the next allocation outside RE2. (RE2's own out-of-memory handling, its
// max_mem budget, is tested by tests/limits: CAROM_E_REGEX_MEMORY.)
long g_re2_skipped = 0;   // trials whose Nth allocation was inside RE2
long g_first_fail_at = 0;

bool inside_re2() {
    void *frames[16];
    int n = backtrace(frames, 16);
    for (int i = 1; i < n; ++i) {
        Dl_info info;
        if (dladdr(frames[i], &info) && info.dli_fname && std::strstr(info.dli_fname, "libre2")) return true;
    }
    return false;
}

bool should_fail() {
    if (!g_armed.load(std::memory_order_relaxed)) return false;
    long n = g_count.fetch_add(1, std::memory_order_relaxed) + 1;
    if (n == g_fail_at.load(std::memory_order_relaxed) && inside_re2()) {
        if (g_fail_at.exchange(n + 1, std::memory_order_relaxed) == g_first_fail_at) ++g_re2_skipped;
        return false;
    }
    if (n == g_fail_at.load(std::memory_order_relaxed)) {
        // FAULTS_ABORT_AT=N: abort instead, to see in a debugger who made allocation N.
        if (const char *at = std::getenv("FAULTS_ABORT_AT"); at && std::atol(at) == n) std::abort();
        g_failed.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
    return false;
}

void *allocate(std::size_t size, std::size_t align, bool nothrow) {
    if (should_fail()) {
        if (nothrow) return nullptr;
        g_thrown.fetch_add(1, std::memory_order_relaxed);
        throw std::bad_alloc();
    }
    if (size == 0) size = 1;
    void *p = nullptr;
    if (align <= alignof(std::max_align_t)) {
        p = std::malloc(size);
    } else {
        std::size_t rounded = (size + align - 1) / align * align;
        p = std::aligned_alloc(align, rounded);
    }
    if (!p) {
        if (nothrow) return nullptr;
        throw std::bad_alloc();
    }
    g_live.fetch_add(1, std::memory_order_relaxed);
    return p;
}

void release(void *p) noexcept {
    if (!p) return;
    g_live.fetch_sub(1, std::memory_order_relaxed);
    std::free(p);
}

}  // namespace

void *operator new(std::size_t n) { return allocate(n, 0, false); }
void *operator new[](std::size_t n) { return allocate(n, 0, false); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept {
    try {
        return allocate(n, 0, true);
    } catch (...) {
        return nullptr;
    }
}
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept {
    try {
        return allocate(n, 0, true);
    } catch (...) {
        return nullptr;
    }
}
void *operator new(std::size_t n, std::align_val_t a) { return allocate(n, static_cast<std::size_t>(a), false); }
void *operator new[](std::size_t n, std::align_val_t a) { return allocate(n, static_cast<std::size_t>(a), false); }
void *operator new(std::size_t n, std::align_val_t a, const std::nothrow_t &) noexcept {
    try {
        return allocate(n, static_cast<std::size_t>(a), true);
    } catch (...) {
        return nullptr;
    }
}
void *operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t &) noexcept {
    try {
        return allocate(n, static_cast<std::size_t>(a), true);
    } catch (...) {
        return nullptr;
    }
}
void operator delete(void *p) noexcept { release(p); }
void operator delete[](void *p) noexcept { release(p); }
void operator delete(void *p, std::size_t) noexcept { release(p); }
void operator delete[](void *p, std::size_t) noexcept { release(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { release(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { release(p); }
void operator delete(void *p, std::align_val_t) noexcept { release(p); }
void operator delete[](void *p, std::align_val_t) noexcept { release(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept { release(p); }
void operator delete[](void *p, std::align_val_t, const std::nothrow_t &) noexcept { release(p); }

namespace {

constexpr long kEngineDense = 300;     // every N up to here
constexpr long kEngineSamples = 200;   // then this many evenly spaced N

// Arms the failure at allocation n (0: count only) for the lifetime of the object.
struct Armed {
    explicit Armed(long n) {
        g_count = 0;
        g_failed = 0;
        g_thrown = 0;
        g_fail_at = n;
        g_first_fail_at = n;
        g_armed = true;
    }
    ~Armed() { g_armed = false; }
};

std::string read_file(const std::filesystem::path &p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const char kRules[] =
    "carom-rules 1\n"
    "rule user.faults.no-such-user\n"
    "  says 550 no such user here\n"
    "  text \\bno such user\\b|unknown (recipient|mailbox)\n"
    "  status 5.1.*\n"
    "  reason userunknown\n";

const char kContext[] =
    "{\"domains\": [\"example.com\"], \"relays\": [\"mx.example.com\"],"
    " \"message_id_domains\": [\"mail.example.com\"],"
    " \"batv\": {\"keys\": {\"0\": \"secret\"}},"
    " \"verp\": {\"template\": \"bounces+{recipient}-{sig}@example.com\", \"hmac_key\": \"k\"}}";

// The whole configuration sequence a caller runs. Returns the first non-OK status (after
// freeing whatever was built), or CAROM_OK with *out set. Every step may only fail with NOMEM.
carom_status_t build_engine(bool builtin, carom_engine_t **out, std::string *failure) {
    *out = nullptr;
    carom_options_t *o = nullptr;
    carom_status_t st = carom_options_new(&o);
    if (st != CAROM_OK) {
        if (o != nullptr) *failure = "options_new: out-parameter not NULL on failure";
        return st;
    }
    auto step = [&](carom_status_t s, const char *what) {
        if (s != CAROM_OK && s != CAROM_E_NOMEM && failure->empty())
            *failure = std::string(what) + " returned " + carom_status_name(s);
        return s;
    };
    if ((st = step(carom_options_use_builtin_rules(o, builtin ? 1 : 0), "use_builtin_rules")) != CAROM_OK ||
        (st = step(carom_options_set_limit(o, CAROM_LIMIT_MIME_PARTS, 500), "set_limit")) != CAROM_OK ||
        (st = step(carom_options_add_original_header(o, "X-Campaign-Id", 13), "add_original_header")) != CAROM_OK) {
        carom_options_free(o);
        return st;
    }
    char *error = nullptr;
    st = step(carom_options_add_rules(o, "faults.rules", 12, kRules, sizeof kRules - 1, &error), "add_rules");
    carom_string_free(error);
    if (st == CAROM_OK) {
        st = step(carom_options_set_context_json(o, kContext, sizeof kContext - 1, &error), "set_context_json");
        carom_string_free(error);
    }
    if (st == CAROM_OK) {
        st = step(carom_engine_new(o, out, &error), "engine_new");
        carom_string_free(error);
        if (st != CAROM_OK && *out != nullptr) *failure = "engine_new: out-parameter not NULL on failure";
    }
    carom_options_free(o);
    return st;
}

std::string to_json(const carom_result_t *r) {
    char *json = nullptr;
    size_t len = 0;
    if (carom_result_to_json(r, "m", 1, &json, &len) != CAROM_OK) return "<to_json failed>";
    std::string s(json, len);
    carom_string_free(json);
    return s;
}

std::vector<std::filesystem::path> g_messages;  // from argv: files or directories

// Runs `trial(n)` for n = 1, 2, ... until a run completes without reaching allocation n.
// `trial` returns false when it found a problem (already reported). Returns allocations seen.
template <class Trial>
long for_each_n(Trial trial, long dense, long samples, long total_hint) {
    long stride = 1;
    for (long n = 1;; n += stride) {
        if (n > dense && total_hint > dense) stride = std::max(1L, (total_hint - dense) / samples);
        long live_before = g_live.load();
        bool completed = false;
        bool ok = trial(n, &completed);
        EXPECT_EQ(g_live.load(), live_before) << "operator-new blocks leaked when allocation " << n << " failed";
        if (!ok || g_live.load() != live_before) return -1;
        if (completed) return n;
    }
}

class FailingNew : public ::testing::Test {};

TEST_F(FailingNew, EngineBuild) {
    for (bool builtin : {false, true}) {
        g_re2_skipped = 0;
        // Undisturbed run: counts the allocations (and warms up lazily built constants).
        long total = 0;
        {
            carom_engine_t *e = nullptr;
            std::string failure;
            {
                Armed a(0);
                ASSERT_EQ(build_engine(builtin, &e, &failure), CAROM_OK);
                total = g_count.load();
            }
            carom_engine_free(e);
        }
        ASSERT_GT(total, 10);
        long trials = 0, nomem = 0;
        long last = for_each_n(
            [&](long n, bool *completed) {
                carom_engine_t *e = nullptr;
                std::string failure;
                carom_status_t st;
                long failed, thrown;
                {
                    Armed a(n);
                    st = build_engine(builtin, &e, &failure);
                    failed = g_failed.load();
                    thrown = g_thrown.load();
                }
                ++trials;
                EXPECT_TRUE(failure.empty()) << "N=" << n << ": " << failure;
                if (st == CAROM_E_NOMEM) ++nomem;
                // A bad_alloc must surface as NOMEM (no half-built engine). A failed nothrow
                // allocation may be absorbed (std::stable_sort then sorts without a buffer).
                bool ok = thrown ? st == CAROM_E_NOMEM : (st == CAROM_OK || (failed && st == CAROM_E_NOMEM));
                EXPECT_TRUE(ok) << "N=" << n << " builtin=" << builtin << ": status " << carom_status_name(st);
                *completed = failed == 0;
                carom_engine_free(e);
                return failure.empty() && ok;
            },
            kEngineDense, kEngineSamples, total);
        ASSERT_GT(last, 0);
        EXPECT_GE(nomem, std::min<long>(total, kEngineDense) / 2);
        std::printf("engine build (builtin rules %s): %ld allocations, %ld trials, %ld NOMEM, %ld of them moved out of RE2\n",
                    builtin ? "on" : "off", total, trials, nomem, g_re2_skipped);
    }
}

TEST_F(FailingNew, EveryClassification) {
    ASSERT_FALSE(g_messages.empty()) << "give message files or directories as arguments";
    carom_engine_t *engine = nullptr;
    std::string failure;
    ASSERT_EQ(build_engine(true, &engine, &failure), CAROM_OK);
    long all_trials = 0;
    for (const auto &path : g_messages) {
        std::string bytes = read_file(path);
        for (unsigned flags : {CAROM_CLASSIFY_DEFAULT, CAROM_CLASSIFY_EXPLAIN}) {
            // Reference, twice: the second run is the one counted (lazy constants are built).
            std::string reference;
            long total = 0;
            for (int i = 0; i < 2; ++i) {
                carom_result_t *r = nullptr;
                {
                    Armed a(0);
                    ASSERT_EQ(carom_classify_ex(engine, bytes.data(), bytes.size(), flags, &r), CAROM_OK);
                    total = g_count.load();
                }
                reference = to_json(r);
                carom_result_free(r);
            }
            long last = for_each_n(
                [&](long n, bool *completed) {
                    carom_result_t *r = nullptr;
                    carom_status_t st;
                    long failed;
                    {
                        Armed a(n);
                        st = carom_classify_ex(engine, bytes.data(), bytes.size(), flags, &r);
                        failed = g_failed.load();
                    }
                    ++all_trials;
                    *completed = failed == 0;
                    bool ok = true;
                    if (st == CAROM_E_NOMEM) {
                        ok = r == nullptr && failed == 1;  // (nothrow failures included)
                        EXPECT_TRUE(ok) << path << " N=" << n << ": NOMEM with a result or without a failure";
                    } else {
                        ok = st == CAROM_OK && r != nullptr;
                        EXPECT_TRUE(ok) << path << " N=" << n << ": status " << carom_status_name(st);
                        // Succeeded although an allocation failed: only if nothing was lost.
                        if (ok) {
                            std::string got = to_json(r);
                            ok = got == reference;
                            EXPECT_EQ(got, reference) << path << " N=" << n << " (flags " << flags
                                                      << "): a failed allocation changed the result";
                        }
                    }
                    carom_result_free(r);
                    return ok;
                },
                1L << 30, 1, total);
            ASSERT_EQ(last, total + 1) << path;
            std::printf("  %s (flags %u): %ld allocations, each failed in turn\n", path.filename().c_str(), flags, total);
        }
    }
    // Rendering JSON under failure too: NOMEM and *json NULL, or the same text.
    {
        std::string bytes = read_file(g_messages.front());
        carom_result_t *r = nullptr;
        ASSERT_EQ(carom_classify(engine, bytes.data(), bytes.size(), &r), CAROM_OK);
        std::string reference = to_json(r);
        long last = for_each_n(
            [&](long n, bool *completed) {
                char *json = nullptr;
                size_t len = 0;
                carom_status_t st;
                long failed;
                {
                    Armed a(n);
                    st = carom_result_to_json(r, "m", 1, &json, &len);
                    failed = g_failed.load();
                }
                *completed = failed == 0;
                bool ok = st == CAROM_E_NOMEM ? json == nullptr && failed == 1
                                              : st == CAROM_OK && std::string(json, len) == reference;
                EXPECT_TRUE(ok) << "to_json N=" << n;
                carom_string_free(json);
                return ok;
            },
            1L << 30, 1, 0);
        EXPECT_GT(last, 1);
        carom_result_free(r);
    }
    carom_engine_free(engine);
    std::printf("classification: %zu messages, %ld trials\n", g_messages.size(), all_trials);
}

}  // namespace

int main(int argc, char **argv) {
    {
        void *warm[1];
        backtrace(warm, 1);  // the first call loads libgcc_s: do it before anything is armed
    }
    ::testing::InitGoogleTest(&argc, argv);
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path p(argv[i]);
        if (std::filesystem::is_directory(p)) {  // every *.eml below it
            for (const auto &e : std::filesystem::recursive_directory_iterator(p))
                if (e.is_regular_file() && e.path().extension() == ".eml") g_messages.push_back(e.path());
        } else {
            g_messages.push_back(p);
        }
    }
    std::sort(g_messages.begin(), g_messages.end());
    return RUN_ALL_TESTS();
}
