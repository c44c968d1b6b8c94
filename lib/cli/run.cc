#include "run.hh"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <unistd.h>

#include "input.hh"
#include "output.hh"

namespace carom_cli {

namespace {

// One message on its way through the run: read by the Walker, worked on by one thread, then
// written by the main thread in input order.
struct Job {
    Message msg;
    carom_result_t *result = nullptr;  // kept only for what the writer reads of it (summary, collect)
    bool failed = false;               // the result's status was not CAROM_OK
    std::string error_code;            // set when the message got an error object instead
};

// Whether the writer reads a job's result (else the worker frees it where it was made).
bool writer_reads_results(Format f) { return f == Format::Summary || f == Format::Html || f == Format::Collect; }

// The part of a job that does not depend on its neighbours: classify, render. Safe to run on
// several threads at once (the engine is immutable and shared). The text to write is appended
// to `out`: a batch's jobs share one buffer, written at once, and what a thread allocates is
// freed by the same thread (the result, its JSON) but for the buffer.
class Worker {
public:
    Worker(const carom_engine_t *engine, const RunOptions &options) : engine_(engine), options_(options) {}

    void operator()(Job &job, std::string &out) const {
        Message &m = job.msg;
        if (!m.io_error.empty()) {
            fail(job, out, "io", m.io_error);
        } else if (m.bytes.size() >= 2 && m.bytes[0] == '\x1f' && m.bytes[1] == '\x8b') {
            // The library would say only not_email; name what it is and what to do.
            fail(job, out, carom_status_name(CAROM_E_NOT_EMAIL),
                 "gzip-compressed data: carom reads no compressed files; decompress it first, e.g. "
                 "zcat FILE | carom classify -");
        } else if (m.too_large) {
            fail(job, out, carom_status_name(CAROM_E_TOO_LARGE),
                 "the message has " + std::to_string(m.size) + " bytes, more than the message_bytes limit of " +
                     std::to_string(options_.limit));
        } else {
            classify(job, out);
        }
        std::string().swap(m.bytes);  // the input is not needed any more; the window counts it freed
    }

private:
    void classify(Job &job, std::string &out) const {
        const unsigned flags = options_.explain ? CAROM_CLASSIFY_EXPLAIN : CAROM_CLASSIFY_DEFAULT;
        carom_result_t *r = nullptr;
        carom_status_t st = carom_classify_ex(engine_, job.msg.bytes.data(), job.msg.bytes.size(), flags, &r);
        if (st != CAROM_OK) {
            const char *code = carom_status_name(st);
            fail(job, out, code ? code : "internal", carom_status_string(st));
            return;
        }
        job.failed = carom_result_status(r) != CAROM_OK;
        if (options_.format == Format::Csv) {
            out += csv_rows(job.msg.source, r);
        } else if (writes_per_message(options_.format)) {
            char *json = nullptr;
            size_t len = 0;
            st = carom_result_to_json(r, job.msg.source.data(), job.msg.source.size(), &json, &len);
            if (st == CAROM_OK)
                render(out, std::string_view(json, len));
            else
                fail(job, out, carom_status_name(st), carom_status_string(st));
            carom_string_free(json);
        }
        if (writer_reads_results(options_.format))
            job.result = r;
        else
            carom_result_free(r);
    }

    void fail(Job &job, std::string &out, const std::string &code, const std::string &message) const {
        job.error_code = code;
        if (options_.format == Format::Csv)
            out += csv_error_row(job.msg.source, code, message);
        else if (writes_per_message(options_.format))
            render(out, error_object(job.msg.source, code, message));
    }

    // One JSON object and its line end; --format pretty separates objects with a blank line
    // (the writer adds the one between two buffers).
    void render(std::string &out, std::string_view json) const {
        if (options_.format == Format::Pretty) {
            if (!out.empty()) out += '\n';
            out += pretty_json(std::string(json));
        } else {
            out += json;
        }
        out += '\n';
    }

    const carom_engine_t *engine_;
    const RunOptions &options_;
};

// The main thread's side: counts each job in input order, and writes the jobs' text.
class Writer {
public:
    Writer(const RunOptions &options, bool progress, std::uint64_t total_bytes)
        : options_(options), progress_(progress, total_bytes) {}

    void operator()(Job &job) {
        // The tables of the summary cost more than writing a record: kept only for its formats.
        const bool tables = options_.format == Format::Summary || options_.format == Format::Html;
        ++messages;
        bytes += job.msg.size;
        if (!job.error_code.empty()) {
            any_error = true;
            if (tables) summary.add_error(job.error_code, job.msg.size, job.msg.source);
        } else {
            any_error = any_error || job.failed;
            if (tables) summary.add(job.result, job.msg.size, job.msg.source);
            if (options_.format == Format::Collect) options_.collect(job.msg.source, job.result);
        }
        carom_result_free(job.result);
        job.result = nullptr;
        progress_.update(messages, bytes);
    }

    // The text of the jobs just counted, in one write (CSV rows end in CRLF, JSON lines in LF).
    void write(const std::string &text) {
        if (text.empty()) return;
        if (options_.format == Format::Csv && !wrote_) std::fputs(kCsvHeader, stdout);
        if (options_.format == Format::Pretty && wrote_) std::fputc('\n', stdout);
        std::fwrite(text.data(), 1, text.size(), stdout);
        wrote_ = true;
    }

    void done() { progress_.clear(); }

    Summary summary;  // filled for --format summary and html only
    std::uint64_t messages = 0, bytes = 0;
    bool any_error = false;

private:
    const RunOptions &options_;
    Progress progress_;
    bool wrote_ = false;
};

// Runs the work of each submitted job on N threads and hands the jobs to `write`, then each
// batch's text to `flush`, in the order they were submitted, on the submitting thread. Jobs travel in batches of up to kBatchJobs
// jobs or kBatchBytes of input: a thread takes a whole batch, so the threads meet at the lock
// once per batch rather than once per message (small bounces take some 20 us each). At most
// `max_batches` batches, holding about `max_bytes` of input, are in flight: the reader waits for
// the oldest one to be written before it reads on, so memory follows the window, not the input.
class OrderedPool {
public:
    OrderedPool(unsigned threads, std::size_t max_batches, std::uint64_t max_bytes,
                std::function<void(Job &, std::string &)> work, std::function<void(Job &)> write,
                std::function<void(const std::string &)> flush)
        : max_batches_(max_batches),
          max_bytes_(max_bytes),
          work_(std::move(work)),
          write_(std::move(write)),
          flush_(std::move(flush)) {
        for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { serve(); });
    }

    ~OrderedPool() { finish(); }

    void submit(Message &m) {
        pending_->bytes += m.bytes.size();
        pending_->jobs.emplace_back();
        pending_->jobs.back().msg = std::move(m);
        if (pending_->jobs.size() >= kBatchJobs || pending_->bytes >= kBatchBytes) submit_pending();
    }

    // Works and writes everything submitted, then stops the threads.
    void finish() {
        if (!pending_->jobs.empty()) submit_pending();
        {
            std::unique_lock<std::mutex> lock(mu_);
            while (!window_.empty()) write_oldest(lock);
            stopping_ = true;
        }
        work_ready_.notify_all();
        for (std::thread &t : threads_) t.join();
        threads_.clear();
    }

private:
    static constexpr std::size_t kBatchJobs = 32;
    static constexpr std::uint64_t kBatchBytes = 1u << 20;

    struct Batch {
        std::vector<Job> jobs;
        std::string text;         // what its jobs write, in order
        std::uint64_t bytes = 0;  // input bytes of its messages
        bool done = false;        // every job is worked on (guarded by mu_)
    };

    void submit_pending() {
        std::unique_lock<std::mutex> lock(mu_);
        // Room first: write the oldest batches (waiting for their work) until this one fits.
        while (!window_.empty() &&
               (window_.size() >= max_batches_ || in_flight_bytes_ + pending_->bytes > max_bytes_))
            write_oldest(lock);
        in_flight_bytes_ += pending_->bytes;
        todo_.push_back(pending_.get());
        window_.push_back(std::move(pending_));
        pending_ = std::make_unique<Batch>();
        work_ready_.notify_one();
        // Write what is already done, so output keeps pace with the input.
        while (!window_.empty() && window_.front()->done) write_oldest(lock);
    }

    // Waits for the oldest batch's work, then writes it without holding the lock.
    void write_oldest(std::unique_lock<std::mutex> &lock) {
        job_done_.wait(lock, [&] { return window_.front()->done; });
        std::unique_ptr<Batch> batch = std::move(window_.front());
        window_.pop_front();
        lock.unlock();
        for (Job &job : batch->jobs) write_(job);
        flush_(batch->text);
        lock.lock();
    }

    void serve() {
        std::unique_lock<std::mutex> lock(mu_);
        for (;;) {
            work_ready_.wait(lock, [&] { return stopping_ || !todo_.empty(); });
            if (todo_.empty()) return;  // stopping, nothing left
            Batch *batch = todo_.front();
            todo_.pop_front();
            lock.unlock();
            for (Job &job : batch->jobs) work_(job, batch->text);
            lock.lock();
            batch->done = true;
            in_flight_bytes_ -= batch->bytes;
            job_done_.notify_one();
        }
    }

    const std::size_t max_batches_;
    const std::uint64_t max_bytes_;
    std::function<void(Job &, std::string &)> work_;
    std::function<void(Job &)> write_;
    std::function<void(const std::string &)> flush_;
    std::unique_ptr<Batch> pending_ = std::make_unique<Batch>();  // being filled by submit(), main thread only
    std::mutex mu_;
    std::condition_variable work_ready_, job_done_;
    std::deque<std::unique_ptr<Batch>> window_;  // submitted, not yet written, oldest first
    std::deque<Batch *> todo_;                   // submitted, not yet picked by a thread
    std::uint64_t in_flight_bytes_ = 0;          // input bytes of the batches not yet worked on
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

// In-flight input per run with --jobs above 1, beyond the batch being filled: a few batches per
// thread keep every thread busy; the byte bound keeps large messages from piling up.
constexpr std::size_t kBatchesPerThread = 4;
constexpr std::uint64_t kWindowBytes = 16u << 20;

}  // namespace

unsigned online_cpus() {
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<unsigned>(n) : 1u;
}

RunResult classify_paths(const carom_engine_t *engine, const std::vector<std::string> &paths,
                         const RunOptions &options) {
    static char out_buf[1 << 16];
    std::setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
    const Worker work(engine, options);
    // The input's size, for the progress line's share done and time left: one walk of the
    // directories without reading a file, only when the line can be shown.
    const bool progress = options.progress && ::isatty(STDERR_FILENO);
    Writer write(options, progress, progress ? input_bytes(paths) : 0);
    const auto start = std::chrono::steady_clock::now();
    WalkOptions wo;
    wo.limit = options.limit;
    if (options.jobs <= 1) {
        std::string text;  // one buffer for every message's text
        Walker walker(wo, [&](Message &m) {
            Job job;
            job.msg = std::move(m);
            work(job, text);
            write(job);
            write.write(text);
            text.clear();
        });
        for (const std::string &p : paths) walker.path(p);
    } else {
        OrderedPool pool(options.jobs, kBatchesPerThread * options.jobs, kWindowBytes, std::cref(work), std::ref(write),
                         [&](const std::string &text) { write.write(text); });
        Walker walker(wo, [&](Message &m) { pool.submit(m); });
        for (const std::string &p : paths) walker.path(p);
        pool.finish();
    }
    write.done();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.format == Format::Summary) write.summary.print(stdout, seconds);
    if (options.format == Format::Html) write.summary.print_html(stdout, seconds);
    RunResult result;
    result.any_error = write.any_error;
    result.messages = write.messages;
    result.write_failed = std::fflush(stdout) != 0 || std::ferror(stdout);
    return result;
}

}  // namespace carom_cli
