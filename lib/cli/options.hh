// The options of `carom classify`, `carom explain` and `carom rules list`, and the engine they
// describe: parsing, checking and building, with the CLI's error messages.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "carom.h"
#include "run.hh"

namespace carom_cli {

constexpr int kExitOk = 0;      // every message classified
constexpr int kExitErrors = 1;  // some messages gave error records (or rule files failed the check)
constexpr int kExitUsage = 2;   // usage errors: bad option, unreadable --context / --rules file, ...
constexpr int kExitOutput = 74; // the output could not be written (sysexits EX_IOERR)
constexpr unsigned kMaxJobs = 256;

struct Config {
    Format format = Format::Jsonl;
    std::string context_file;
    std::vector<std::string> rule_files;
    std::vector<std::string> headers;
    std::vector<std::pair<carom_limit_t, std::uint64_t>> limits;
    bool builtin_rules = true;
    bool backscatter = true;
    bool explain = false;
    bool progress = true;
    unsigned jobs = 0;  // 0: one per online processor
    unsigned soft_count = 3, soft_days = 7;  // carom suppressions: soft bounces on N days within D
    std::vector<std::string> paths;
};

// Prints "carom: MESSAGE" and a hint to the help; returns kExitUsage.
int usage_error(const std::string &message, const char *help_hint);

// Reads a small configuration file (context JSON, rules; "-" is standard input) whole, at most
// 256 MiB. False with the reason in why.
bool read_small_file(const std::string &path, std::string &out, std::string &why);

// "123", "64k", "16M", "2G" (binary multiples). False on anything else or on overflow.
bool parse_size(const std::string &text, std::uint64_t &out);

// Adds --limit's NAME=VALUE to cfg. Returns "" or what is wrong with it.
std::string add_limit(const std::string &value, Config &cfg);

// Parses the options of classify / explain / rules list (from argv[first]); --help prints help.
// Returns -1 to go on, else an exit code.
int parse_options(int argc, char **argv, int first, const char *command, bool takes_paths, const char *help,
                  Config &cfg);

// Builds the engine that cfg describes. Returns -1 and sets *engine, or an exit code (the error
// printed).
int build_engine(const Config &cfg, carom_engine_t **engine);

}  // namespace carom_cli
