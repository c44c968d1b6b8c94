// Threads (HarfBuzz test-multithread.c, libmaxminddb threads_t.c): one engine, 8 threads, 10,000
// classifications over the given messages (corpus/**/*.eml and the fuzz seeds), in explain mode
// with a context and a send-log callback, every JSON output compared byte for byte with a
// sequential reference run. Built with -Db_sanitize=thread in CI (.ci/sanitize) so that TSan
// checks every access too. Arguments: files or directories (their *.eml and seed files).
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "carom.h"

namespace fs = std::filesystem;

namespace {

constexpr int kThreads = 8;
constexpr int kClassifications = 10000;

const char kContext[] =
    "{\"domains\": [\"example.com\"], \"relays\": [\"mx.example.com\", \".out.example.com\"],"
    " \"message_id_domains\": [\"mail.example.com\"],"
    " \"batv\": {\"keys\": {\"0\": \"secret\"}},"
    " \"verp\": {\"template\": \"bounces+{recipient}-{sig}@example.com\", \"hmac_key\": \"k\"}}";

// A thread-safe send log: answers from the arguments alone.
carom_sent_t sent(void *, const char *id, size_t id_len, const char *, size_t rcpt_len) {
    if (id_len == 0) return CAROM_SENT_UNKNOWN;
    return ((static_cast<unsigned char>(id[0]) + rcpt_len) & 1) ? CAROM_SENT_YES : CAROM_SENT_NO;
}

std::string classify(const carom_engine_t *e, const std::string &bytes) {
    carom_result_t *r = nullptr;
    if (carom_classify_ex(e, bytes.data(), bytes.size(), CAROM_CLASSIFY_EXPLAIN, &r) != CAROM_OK) return "<classify failed>";
    char *json = nullptr;
    size_t len = 0;
    std::string out = carom_result_to_json(r, "t", 1, &json, &len) == CAROM_OK ? std::string(json, len) : "<json failed>";
    carom_string_free(json);
    carom_result_free(r);
    return out;
}

}  // namespace

int main(int argc, char **argv) {
    std::vector<std::string> messages;
    for (int i = 1; i < argc; ++i) {
        std::vector<fs::path> files;
        if (fs::is_directory(argv[i])) {
            for (const auto &e : fs::recursive_directory_iterator(argv[i]))
                if (e.is_regular_file() && e.path().extension() != ".json") files.push_back(e.path());
        } else {
            files.push_back(argv[i]);
        }
        std::sort(files.begin(), files.end());
        for (const auto &f : files) {
            std::ifstream in(f, std::ios::binary);
            messages.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        }
    }
    if (messages.size() < 10) {
        std::fprintf(stderr, "threads: give the corpus and seeds (found %zu messages)\n", messages.size());
        return 1;
    }

    carom_options_t *o = nullptr;
    carom_engine_t *engine = nullptr;
    char *error = nullptr;
    if (carom_options_new(&o) != CAROM_OK || carom_options_set_context_json(o, kContext, sizeof kContext - 1, &error) != CAROM_OK ||
        carom_options_set_sent_callback(o, sent, nullptr) != CAROM_OK || carom_engine_new(o, &engine, &error) != CAROM_OK) {
        std::fprintf(stderr, "threads: engine: %s\n", error ? error : "failed");
        return 1;
    }
    carom_options_free(o);

    // Sequential reference.
    std::vector<std::string> reference;
    reference.reserve(messages.size());
    for (const auto &m : messages) reference.push_back(classify(engine, m));

    // 8 threads share the engine; job k classifies message k % M. The start order is shuffled
    // per thread (different strides) so that threads hit different messages at the same time.
    std::atomic<int> next{0};
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (;;) {
                int k = next.fetch_add(1);
                if (k >= kClassifications) break;
                size_t idx = (static_cast<size_t>(k) * (2 * t + 1)) % messages.size();
                if (classify(engine, messages[idx]) != reference[idx]) {
                    if (mismatches.fetch_add(1) < 5)
                        std::fprintf(stderr, "threads: message %zu differs from the sequential run (thread %d)\n", idx, t);
                }
            }
        });
    }
    for (auto &th : threads) th.join();
    carom_engine_free(engine);
    std::printf("threads: %d threads, %d classifications of %zu messages, %d differ from the sequential run\n",
                kThreads, kClassifications, messages.size(), mismatches.load());
    return mismatches.load() == 0 ? 0 : 1;
}
