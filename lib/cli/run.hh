// The run of `carom classify` / `carom explain` over the PATH arguments: the messages found by the
// Walker are classified, on one thread or on N worker threads sharing the engine, and written in
// input order. Exactly one JSON object per message, whatever N.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "carom.h"

namespace carom_cli {

// Collect: nothing is written; each classified message goes to RunOptions::collect.
// Summary and Html write one report at the end, nothing per message.
enum class Format { Jsonl, Summary, Html, Pretty, Csv, Collect };
inline bool writes_per_message(Format f) { return f == Format::Jsonl || f == Format::Pretty || f == Format::Csv; }

struct RunOptions {
    Format format = Format::Jsonl;
    bool explain = false;
    bool progress = true;     // the progress line, when stderr is a terminal
    unsigned jobs = 1;        // 1: the sequential path, no thread is started
    std::uint64_t limit = 0;  // message_bytes: larger messages are counted, not kept
    // With Format::Collect: called on the main thread, in input order, for each message that was
    // classified (source, result).
    std::function<void(const std::string &, const carom_result_t *)> collect;
};

struct RunResult {
    bool any_error = false;     // some message gave an error record
    bool write_failed = false;  // standard output could not be written (errno set)
    std::uint64_t messages = 0;  // messages read (error objects included)
};

RunResult classify_paths(const carom_engine_t *engine, const std::vector<std::string> &paths,
                         const RunOptions &options);

// The number of online processors (at least 1): the default of --jobs.
unsigned online_cpus();

}  // namespace carom_cli
