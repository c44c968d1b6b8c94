// carom — the command-line client of libcarom. It uses nothing but the public C ABI (carom.h).
//
//   carom classify [OPTIONS] PATH...     one JSON object per message (or a summary)
//   carom explain [OPTIONS] PATH...      the same with every matching rule, indented
//   carom rules list [--rules FILE]...   the rule set as JSON Lines
//   carom rules check FILE...            parses and compiles rule files
//   carom limits                         the limits table as JSON Lines
//
// Exit status: 0 every message classified, 1 some messages gave error records (or rule files
// failed the check), 2 usage errors (bad option, unreadable --context / --rules file, ...).
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "carom.h"
#include "input.hh"
#include "options.hh"
#include "output.hh"
#include "run.hh"
#include "suppress.hh"

namespace {

using carom_cli::Message;

using carom_cli::Config;
using carom_cli::build_engine;
using carom_cli::kExitErrors;
using carom_cli::kExitOk;
using carom_cli::kExitUsage;
using carom_cli::Format;
using carom_cli::parse_options;
using carom_cli::parse_size;
using carom_cli::read_small_file;
using carom_cli::usage_error;

const char kMainHelp[] =
    "usage: carom COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "carom reads bounce emails and tells, per bounced recipient, what happened (class, reason,\n"
    "status codes, remote MTA, diagnostic).\n"
    "\n"
    "commands:\n"
    "  classify PATH...      one JSON object per message, in input order (see carom classify --help)\n"
    "  explain PATH...       classify with every matching rule shown, indented for reading\n"
    "  rules list            print the rule set as JSON Lines\n"
    "  rules check FILE...   check rule files; errors as FILE:LINE:COLUMN: message\n"
    "  suppressions PATH...  the addresses to stop mailing (see carom suppressions --help)\n"
    "  verdict [FILE]        one message's backscatter verdict as one word (see carom verdict --help)\n"
    "  limits                print the limits (name, min, max, default) as JSON Lines\n"
    "  help [COMMAND]        this text, or the help of COMMAND\n"
    "\n"
    "options:\n"
    "  -h, --help            this text\n"
    "  --version             print the versions of carom, the library and the built-in rules\n"
    "\n"
    "exit status: 0 all messages classified, 1 some error records, 2 usage error, 74 output not written\n";

const char kClassifyHelp[] =
    "usage: carom classify [OPTIONS] PATH...\n"
    "       carom explain [OPTIONS] PATH...\n"
    "\n"
    "Each PATH is an email file, a directory (its files, names sorted, recursively; dot files and\n"
    "*.json, *.jsonl, *.md skipped), a Maildir (cur/ then new/, then its Maildir++ folders\n"
    ".NAME), an mbox file (one that starts with a \"From \" line and is not named *.eml), or -\n"
    "for standard input (one message or an mbox). Exactly one JSON object is written per\n"
    "message, in input order, also for messages that cannot be read (their \"error\" says why,\n"
    "and an unreadable path is named on stderr). Compressed files are not read: decompress them\n"
    "first (zcat FILE | carom classify -).\n"
    "\n"
    "options:\n"
    "  --format FORMAT       jsonl (default: one object per line), summary (counts per class,\n"
    "                        reason, format and error, the throughput, and the top receiving\n"
    "                        domains, remote MTAs and diagnostics), html (the same as one\n"
    "                        self-contained page with charts; docs/report.md), pretty (indented)\n"
    "                        or csv (a header line, then one row per record; docs/schema.md)\n"
    "  --context FILE        backscatter context, JSON (docs/backscatter.md)\n"
    "  --no-backscatter      do not judge backscatter (records keep their bounce class)\n"
    "  --rules FILE          add a rule file (repeatable; later files take precedence)\n"
    "  --no-builtin-rules    use only the rules given with --rules\n"
    "  --header NAME         report this header of the returned original (repeatable)\n"
    "  --explain             list every rule that matched each record\n"
    "  --limit NAME=VALUE    set a limit (repeatable; VALUE may end in k, M or G; see carom limits)\n"
    "  -j, --jobs N          classify on N threads sharing one engine (default: one per online\n"
    "                        processor; 1 runs everything on one thread); the output is the same\n"
    "                        and in the same order whatever N\n"
    "  --progress            show a progress line on stderr when it is a terminal (the default):\n"
    "                        messages, bytes of the input's total (share done), time left\n"
    "  --no-progress         never show the progress line\n"
    "  -h, --help            this text\n"
    "\n"
    "The source of a message is its path (- for standard input); for each message of an mbox\n"
    "that holds several it is PATH:OFFSET, the byte offset of the message's \"From \" line.\n"
    "\n"
    "exit status: 0 all messages classified, 1 some error records, 2 usage error, 74 output not written\n";

const char kSuppressionsHelp[] =
    "usage: carom suppressions [--soft-count N] [--soft-days D] [--format jsonl|csv] [OPTIONS] PATH...\n"
    "\n"
    "Classifies every message of the PATHs (as carom classify does) and prints the addresses to\n"
    "stop mailing, one per line, sorted: every address with a hard bounce that is not\n"
    "backscatter, and every address whose soft bounces fall on N different days (UTC) within the\n"
    "D days that end with its last soft bounce (default 3 within 7, as list servers score\n"
    "bounces). Blocks (fix the sending), delays, auto-replies and backscatter never suppress.\n"
    "Each line: address, kind (hard or soft), reason and source of the last bounce, bounces\n"
    "counted, last_bounce (its timestamp). docs/suppressions.md.\n"
    "\n"
    "options:\n"
    "  --soft-count N        soft bounces on N different days suppress (default 3)\n"
    "  --soft-days D         ... within D days (default 7)\n"
    "  --format FORMAT       jsonl (default) or csv (a header line, RFC 4180)\n"
    "  --context, --no-backscatter, --rules, --no-builtin-rules, --limit, --jobs, --no-progress:\n"
    "                        as for carom classify\n"
    "\n"
    "exit status: 0, 1 when some message could not be read (it counts for nothing), 2 usage error\n";

const char kRulesHelp[] =
    "usage: carom rules list [--rules FILE]... [--no-builtin-rules]\n"
    "       carom rules check FILE...\n"
    "\n"
    "list prints one JSON object per rule (id, file, line, conditions, reason, class, priority, tier, says).\n"
    "check parses and compiles each file on its own; errors are printed as FILE:LINE:COLUMN:\n"
    "message and make the exit status 1.\n";

int run_classify(const Config &cfg) {
    if (cfg.paths.empty())
        return usage_error("no input: give one or more PATHs (- for standard input)", "carom classify");
    carom_engine_t *engine = nullptr;
    int rc = build_engine(cfg, &engine);
    if (rc >= 0) return rc;
    struct Free {
        carom_engine_t *e;
        ~Free() { carom_engine_free(e); }
    } free_engine{engine};

    carom_cli::RunOptions run;
    run.format = cfg.format;
    run.explain = cfg.explain;
    run.progress = cfg.progress;
    run.jobs = cfg.jobs ? cfg.jobs : carom_cli::online_cpus();
    carom_limit_bounds(CAROM_LIMIT_MESSAGE_BYTES, nullptr, nullptr, &run.limit);
    for (const auto &lv : cfg.limits)
        if (lv.first == CAROM_LIMIT_MESSAGE_BYTES) run.limit = lv.second;
    const carom_cli::RunResult result = carom_cli::classify_paths(engine, cfg.paths, run);
    if (result.write_failed) {
        std::fprintf(stderr, "carom: cannot write the output: %s\n", std::strerror(errno));
        return carom_cli::kExitOutput;
    }
    if (result.messages == 0) std::fprintf(stderr, "carom: no message found in the given paths\n");
    return result.any_error ? kExitErrors : kExitOk;
}

int run_suppressions(const Config &cfg) {
    if (cfg.paths.empty())
        return usage_error("no input: give one or more PATHs (- for standard input)", "carom suppressions");
    if (cfg.format != Format::Jsonl && cfg.format != Format::Csv)
        return usage_error("suppressions writes jsonl or csv", "carom suppressions");
    carom_engine_t *engine = nullptr;
    const int rc = build_engine(cfg, &engine);
    if (rc >= 0) return rc;
    struct Free {
        carom_engine_t *e;
        ~Free() { carom_engine_free(e); }
    } free_engine{engine};

    carom_cli::Suppressions list(cfg.soft_count, cfg.soft_days);
    carom_cli::RunOptions run;
    run.format = Format::Collect;
    run.progress = cfg.progress;
    run.jobs = cfg.jobs ? cfg.jobs : carom_cli::online_cpus();
    run.collect = [&](const std::string &source, const carom_result_t *r) { list.add(source, r); };
    carom_limit_bounds(CAROM_LIMIT_MESSAGE_BYTES, nullptr, nullptr, &run.limit);
    for (const auto &lv : cfg.limits)
        if (lv.first == CAROM_LIMIT_MESSAGE_BYTES) run.limit = lv.second;
    const carom_cli::RunResult result = carom_cli::classify_paths(engine, cfg.paths, run);
    list.write(stdout, cfg.format == Format::Csv);
    if (result.write_failed || std::fflush(stdout) != 0) {
        std::fprintf(stderr, "carom: cannot write the output: %s\n", std::strerror(errno));
        return carom_cli::kExitOutput;
    }
    return result.any_error ? kExitErrors : kExitOk;
}

int run_rules_list(const Config &cfg) {
    carom_engine_t *engine = nullptr;
    int rc = build_engine(cfg, &engine);
    if (rc >= 0) return rc;
    char *json = nullptr;
    size_t len = 0;
    carom_status_t st = carom_engine_rules_json(engine, &json, &len);
    // The rules, one per line, then one line of how they are weighed (it has no "id").
    char *decision = nullptr;
    size_t dlen = 0;
    if (st == CAROM_OK) st = carom_engine_decision_json(engine, &decision, &dlen);
    carom_engine_free(engine);
    if (st != CAROM_OK) {
        carom_string_free(json);
        std::fprintf(stderr, "carom: %s\n", carom_status_string(st));
        return kExitErrors;
    }
    std::fwrite(json, 1, len, stdout);
    if (len && json[len - 1] != '\n') std::fputc('\n', stdout);
    std::fwrite(decision, 1, dlen, stdout);
    std::fputc('\n', stdout);
    carom_string_free(json);
    carom_string_free(decision);
    return std::fflush(stdout) == 0 ? kExitOk : carom_cli::kExitOutput;
}

int run_rules_check(int argc, char **argv, int first) {
    std::vector<std::string> files;
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::fputs(kRulesHelp, stdout);
            return kExitOk;
        }
        if (a.size() > 1 && a[0] == '-') return usage_error("unknown option '" + a + "' for rules check", "carom rules");
        files.push_back(a);
    }
    if (files.empty()) return usage_error("rules check needs one or more FILEs", "carom rules");
    int rc = kExitOk;
    for (const std::string &file : files) {
        std::string text, why;
        if (!read_small_file(file, text, why)) {
            std::fprintf(stderr, "%s: cannot read: %s\n", file.c_str(), why.c_str());
            rc = kExitErrors;
            continue;
        }
        carom_options_t *opts = nullptr;
        if (carom_options_new(&opts) != CAROM_OK) return kExitUsage;
        carom_options_use_builtin_rules(opts, 0);
        char *err = nullptr;
        carom_status_t st = carom_options_add_rules(opts, file.data(), file.size(), text.data(), text.size(), &err);
        carom_engine_t *engine = nullptr;
        if (st == CAROM_OK) {
            carom_string_free(err);
            err = nullptr;
            st = carom_engine_new(opts, &engine, &err);  // compiles the patterns
        }
        if (st != CAROM_OK) {
            std::fprintf(stderr, "%s\n", err ? err : (file + ": " + carom_status_string(st)).c_str());
            rc = kExitErrors;
        } else {
            std::size_t n = carom_engine_rule_count(engine);
            std::printf("%s: ok, %zu rule%s\n", file.c_str(), n, n == 1 ? "" : "s");
        }
        carom_string_free(err);
        carom_engine_free(engine);
        carom_options_free(opts);
    }
    std::fflush(stdout);
    return rc;
}

int run_limits(int argc, char **argv, int first) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::puts("usage: carom limits\n\nPrints one JSON object per limit: name, id, min, max, default.\n"
                      "Set a limit with carom classify --limit NAME=VALUE.");
            return kExitOk;
        }
        return usage_error("unexpected argument '" + a + "' for limits", "carom limits");
    }
    for (unsigned i = 0; i < carom_limit_count(); ++i) {
        auto id = static_cast<carom_limit_t>(i);
        std::uint64_t lo = 0, hi = 0, def = 0;
        if (carom_limit_bounds(id, &lo, &hi, &def) != CAROM_OK) continue;
        const char *name = carom_limit_name(id);
        std::printf("{\"name\":%s,\"id\":%u,\"min\":%" PRIu64 ",\"max\":%" PRIu64 ",\"default\":%" PRIu64 "}\n",
                    carom_cli::json_string(name ? name : "").c_str(), i, lo, hi, def);
    }
    return std::fflush(stdout) == 0 ? kExitOk : carom_cli::kExitOutput;
}

const char kVerdictHelp[] =
    "usage: carom verdict [--context FILE] [--no-backscatter] [--json] [--exit-on VERDICT=CODE]...\n"
    "                     [--rules FILE]... [--no-builtin-rules] [--header NAME]... [--limit NAME=VALUE]...\n"
    "                     [--source NAME] [FILE | -]\n"
    "\n"
    "Reads one message (FILE, or standard input when FILE is - or absent) and prints its\n"
    "backscatter verdict as one word: backscatter, genuine, unknown (bounce-like, no decisive\n"
    "evidence) or none (not bounce-like); with --json the whole JSON object instead.\n"
    "For MTAs and Sieve scripts (docs/backscatter.md). --rules, --no-builtin-rules, --header and\n"
    "--limit are those of carom classify; --source NAME is the source the JSON object names\n"
    "(default: FILE, or - for standard input).\n"
    "\n"
    "exit status (sysexits.h): 0 classified (or CODE of a matching --exit-on VERDICT=CODE),\n"
    "64 bad options, 65 the message cannot be read, 66 FILE cannot be opened,\n"
    "75 the context cannot be read or is invalid, or an internal error (the MTA retries later)\n";

// carom verdict: exit statuses follow sysexits.h so that an MTA's pipe transport can act on them.
constexpr int kExUsage = 64, kExDataErr = 65, kExNoInput = 66, kExTempFail = 75;  // sysexits.h

// What `carom verdict` was asked for.
struct VerdictArgs {
    Config cfg;
    bool json = false;
    std::vector<std::pair<std::string, int>> exit_on;  // verdict word → exit status
    std::string path;
    std::string source;  // --source, else path
};

// Reads verdict's options into args; returns -1 to go on, else the exit status.
int parse_verdict_args(int argc, char **argv, int first, VerdictArgs &args) {
    Config &cfg = args.cfg;
    std::string &path = args.path;
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](std::string &v) -> bool {
            std::size_t eq = a.find('=');
            if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
                v = a.substr(eq + 1);
                a = a.substr(0, eq);
                return true;
            }
            if (i + 1 >= argc) return false;
            v = argv[++i];
            return true;
        };
        std::string v;
        if (a == "-h" || a == "--help") {
            std::fputs(kVerdictHelp, stdout);
            return kExitOk;
        } else if (a == "--json") {
            args.json = true;
        } else if (a == "--no-backscatter") {
            cfg.backscatter = false;
        } else if (a.rfind("--context", 0) == 0 && (a.size() == 9 || a[9] == '=')) {
            if (!value(v)) return usage_error("--context needs a FILE", "carom verdict"), kExUsage;
            cfg.context_file = v;
        } else if (a.rfind("--exit-on", 0) == 0 && (a.size() == 9 || a[9] == '=')) {
            if (!value(v)) return usage_error("--exit-on needs VERDICT=CODE", "carom verdict"), kExUsage;
            std::size_t e = v.find('=');
            std::string word = e == std::string::npos ? "" : v.substr(0, e);
            std::uint64_t code = 256;
            if ((word != "backscatter" && word != "genuine" && word != "unknown" && word != "none") ||
                !parse_size(v.substr(e + 1), code) || code > 255)
                return usage_error("--exit-on takes VERDICT=CODE with VERDICT backscatter, genuine, unknown or none "
                                   "and CODE 0-255, not '" + v + "'",
                                   "carom verdict"),
                       kExUsage;
            args.exit_on.emplace_back(word, static_cast<int>(code));
        } else if (a.rfind("--rules", 0) == 0 && (a.size() == 7 || a[7] == '=')) {
            if (!value(v)) return usage_error("--rules needs a FILE", "carom verdict"), kExUsage;
            cfg.rule_files.push_back(v);
        } else if (a == "--no-builtin-rules") {
            cfg.builtin_rules = false;
        } else if (a.rfind("--header", 0) == 0 && (a.size() == 8 || a[8] == '=')) {
            if (!value(v)) return usage_error("--header needs a NAME", "carom verdict"), kExUsage;
            cfg.headers.push_back(v);
        } else if (a.rfind("--limit", 0) == 0 && (a.size() == 7 || a[7] == '=')) {
            if (!value(v)) return usage_error("--limit needs NAME=VALUE", "carom verdict"), kExUsage;
            const std::string wrong = add_limit(v, cfg);
            if (!wrong.empty()) return usage_error(wrong, "carom verdict"), kExUsage;
        } else if (a.rfind("--source", 0) == 0 && (a.size() == 8 || a[8] == '=')) {
            if (!value(v)) return usage_error("--source needs a NAME", "carom verdict"), kExUsage;
            args.source = v;
        } else if (a != "-" && !a.empty() && a[0] == '-') {
            return usage_error("unknown option '" + a + "' for verdict", "carom verdict"), kExUsage;
        } else if (!path.empty()) {
            return usage_error("verdict reads one message: unexpected '" + a + "'", "carom verdict"), kExUsage;
        } else {
            path = a;
        }
    }
    if (path.empty()) path = "-";
    if (args.source.empty()) args.source = path;
    if (!cfg.builtin_rules && cfg.rule_files.empty())
        return usage_error("--no-builtin-rules needs at least one --rules FILE", "carom verdict"), kExUsage;
    return -1;
}

int run_verdict(int argc, char **argv, int first) {
    VerdictArgs args;
    if (const int done = parse_verdict_args(argc, argv, first, args); done >= 0) return done;
    const std::string &path = args.path;
    std::string bytes, why;
    if (!read_small_file(path, bytes, why)) {
        std::fprintf(stderr, "carom: cannot read %s: %s\n", path.c_str(), why.c_str());
        return kExNoInput;
    }
    if (bytes.compare(0, 5, "From ") == 0 && bytes.find("\nFrom ") != std::string::npos) {
        std::fprintf(stderr, "carom: %s holds several messages (an mbox); carom verdict reads one message: "
                             "use carom classify for an mbox\n", path.c_str());
        return kExDataErr;
    }
    carom_engine_t *engine = nullptr;
    if (build_engine(args.cfg, &engine) >= 0) return kExTempFail;
    carom_result_t *r = nullptr;
    carom_status_t st = carom_classify(engine, bytes.data(), bytes.size(), &r);
    carom_engine_free(engine);
    if (st != CAROM_OK) {
        std::fprintf(stderr, "carom: %s\n", carom_status_string(st));
        return kExTempFail;
    }
    struct Free {
        carom_result_t *r;
        ~Free() { carom_result_free(r); }
    } free_result{r};
    if (carom_result_status(r) != CAROM_OK) {
        std::fprintf(stderr, "carom: %s: %s\n", path.c_str(), carom_result_message(r));
        return kExDataErr;
    }
    const char *word = carom_result_record_count(r) == 0                            ? "none"
                       : carom_result_verdict(r) == CAROM_VERDICT_BACKSCATTER ? "backscatter"
                       : carom_result_verdict(r) == CAROM_VERDICT_GENUINE     ? "genuine"
                                                                              : "unknown";
    if (args.json) {
        char *out = nullptr;
        size_t len = 0;
        if (carom_result_to_json(r, args.source.data(), args.source.size(), &out, &len) != CAROM_OK) return kExTempFail;
        std::fwrite(out, 1, len, stdout);
        std::fputc('\n', stdout);
        carom_string_free(out);
    } else {
        std::printf("%s\n", word);
    }
    if (std::fflush(stdout) != 0) return kExTempFail;
    for (const auto &eo : args.exit_on)
        if (eo.first == word) return eo.second;
    return kExitOk;
}

int print_version() {
    std::printf("carom %s\n", CAROM_VERSION_STRING);
    std::printf("library %s\n", carom_version_string());
    carom_engine_t *engine = nullptr;
    char *err = nullptr;
    if (carom_engine_new(nullptr, &engine, &err) == CAROM_OK) {
        std::printf("rules %s (%zu rules)\n", carom_engine_rules_version(engine), carom_engine_rule_count(engine));
    } else {
        std::printf("rules unavailable: %s\n", err ? err : "the built-in rules did not compile");
    }
    carom_string_free(err);
    carom_engine_free(engine);
    if (carom_version_number() != CAROM_VERSION_NUMBER)
        std::fprintf(stderr, "carom: warning: built with carom.h %s but running with library %s\n",
                     CAROM_VERSION_STRING, carom_version_string());
    return std::fflush(stdout) == 0 ? kExitOk : carom_cli::kExitOutput;
}

// The command line, dispatched to its command.
int run(int argc, char **argv) {
    if (argc < 2) {
        std::fputs(kMainHelp, stderr);
        return kExitUsage;
    }
    std::string cmd = argv[1];
    if (cmd == "help" && argc > 2) {  // carom help COMMAND [SUB] = carom COMMAND [SUB] --help
        std::vector<char *> args(argv, argv + argc);
        args.erase(args.begin() + 1);
        static char help[] = "--help";
        args.push_back(help);
        args.push_back(nullptr);
        return run(static_cast<int>(args.size()) - 1, args.data());
    }
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        std::fputs(kMainHelp, stdout);
        return kExitOk;
    }
    if (cmd == "--version" || cmd == "version") return print_version();
    if (cmd == "classify" || cmd == "explain") {
        Config cfg;
        if (cmd == "explain") {
            cfg.format = Format::Pretty;
            cfg.explain = true;
        }
        int rc = parse_options(argc, argv, 2, cmd.c_str(), true, kClassifyHelp, cfg);
        if (rc >= 0) return rc;
        return run_classify(cfg);
    }
    if (cmd == "rules") {
        std::string sub = argc > 2 ? argv[2] : "";
        if (sub == "list") {
            Config cfg;
            int rc = parse_options(argc, argv, 3, "rules list", false, kRulesHelp, cfg);
            if (rc >= 0) return rc;
            return run_rules_list(cfg);
        }
        if (sub == "check") return run_rules_check(argc, argv, 3);
        if (sub == "-h" || sub == "--help") {
            std::fputs(kRulesHelp, stdout);
            return kExitOk;
        }
        return usage_error(sub.empty() ? "rules needs a subcommand: list or check"
                                       : "unknown rules subcommand '" + sub + "' (list or check)",
                           "carom rules");
    }
    if (cmd == "suppressions") {
        Config cfg;
        int rc = parse_options(argc, argv, 2, "suppressions", true, kSuppressionsHelp, cfg);
        if (rc >= 0) return rc;
        return run_suppressions(cfg);
    }
    if (cmd == "limits") return run_limits(argc, argv, 2);
    if (cmd == "verdict") return run_verdict(argc, argv, 2);
    if (!cmd.empty() && cmd[0] == '-') return usage_error("unknown option '" + cmd + "'", "carom");
    return usage_error("unknown command '" + cmd + "' (classify, explain, suppressions, verdict, rules, limits)", "carom");
}

}  // namespace

int main(int argc, char **argv) { return run(argc, argv); }
