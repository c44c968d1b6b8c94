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
#include <chrono>
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
#include "output.hh"

namespace {

using carom_cli::Message;

constexpr int kExitOk = 0;
constexpr int kExitErrors = 1;
constexpr int kExitUsage = 2;

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
    "  verdict [FILE]        one message's backscatter verdict as one word (see carom verdict --help)\n"
    "  limits                print the limits (name, min, max, default) as JSON Lines\n"
    "  help                  this text\n"
    "\n"
    "options:\n"
    "  -h, --help            this text\n"
    "  --version             print the versions of carom, the library and the built-in rules\n"
    "\n"
    "exit status: 0 all messages classified, 1 some error records, 2 usage error\n";

const char kClassifyHelp[] =
    "usage: carom classify [OPTIONS] PATH...\n"
    "       carom explain [OPTIONS] PATH...\n"
    "\n"
    "Each PATH is an email file, a directory (its files, names sorted, recursively; dot files and\n"
    "*.json, *.jsonl, *.md skipped), a Maildir (cur/ then new/), an mbox file (one that starts\n"
    "with a \"From \" line and is not named *.eml), or - for standard input (one message or an\n"
    "mbox). Exactly one JSON object is written per message, in input order, also for messages\n"
    "that cannot be read (their \"error\" says why).\n"
    "\n"
    "options:\n"
    "  --format FORMAT       jsonl (default: one object per line), summary (counts per class,\n"
    "                        reason, format and error, and the throughput) or pretty (indented)\n"
    "  --context FILE        backscatter context, JSON (docs/backscatter.md)\n"
    "  --no-backscatter      do not judge backscatter (records keep their bounce class)\n"
    "  --rules FILE          add a rule file (repeatable; later files take precedence)\n"
    "  --no-builtin-rules    use only the rules given with --rules\n"
    "  --header NAME         report this header of the returned original (repeatable)\n"
    "  --explain             list every rule that matched each record\n"
    "  --limit NAME=VALUE    set a limit (repeatable; VALUE may end in k, M or G; see carom limits)\n"
    "  --progress            show a progress line on stderr when it is a terminal (the default)\n"
    "  --no-progress         never show the progress line\n"
    "  -h, --help            this text\n"
    "\n"
    "The source of a message is its path (- for standard input); for each message of an mbox\n"
    "that holds several it is PATH:OFFSET, the byte offset of the message's \"From \" line.\n"
    "\n"
    "exit status: 0 all messages classified, 1 some error records, 2 usage error\n";

const char kRulesHelp[] =
    "usage: carom rules list [--rules FILE]... [--no-builtin-rules]\n"
    "       carom rules check FILE...\n"
    "\n"
    "list prints one JSON object per rule (id, file, line, conditions, verdict).\n"
    "check parses and compiles each file on its own; errors are printed as FILE:LINE:COLUMN:\n"
    "message and make the exit status 1.\n";

enum class Format { Jsonl, Summary, Pretty };

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
    std::vector<std::string> paths;
};

int usage_error(const std::string &message, const char *help_hint) {
    std::fprintf(stderr, "carom: %s\n", message.c_str());
    std::fprintf(stderr, "Try '%s --help'.\n", help_hint);
    return kExitUsage;
}

// Reads a small configuration file (context JSON, rules) whole.
bool read_small_file(const std::string &path, std::string &out, std::string &why) {
    int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        why = std::strerror(errno);
        return false;
    }
    constexpr std::size_t kMax = 256u << 20;
    char buf[1 << 16];
    bool ok = true;
    for (;;) {
        ssize_t r = ::read(fd, buf, sizeof buf);
        if (r > 0) {
            out.append(buf, static_cast<std::size_t>(r));
            if (out.size() > kMax) {
                why = "larger than 256 MiB";
                ok = false;
                break;
            }
        } else if (r == 0) {
            break;
        } else if (errno != EINTR) {
            why = std::strerror(errno);
            ok = false;
            break;
        }
    }
    if (fd != STDIN_FILENO) ::close(fd);
    return ok;
}

bool find_limit(const std::string &name, carom_limit_t &out) {
    for (unsigned i = 0; i < carom_limit_count(); ++i) {
        const char *n = carom_limit_name(static_cast<carom_limit_t>(i));
        if (n && name == n) {
            out = static_cast<carom_limit_t>(i);
            return true;
        }
    }
    return false;
}

std::string limit_names() {
    std::string s;
    for (unsigned i = 0; i < carom_limit_count(); ++i) {
        const char *n = carom_limit_name(static_cast<carom_limit_t>(i));
        if (!n) continue;
        if (!s.empty()) s += ", ";
        s += n;
    }
    return s;
}

// "123", "64k", "16M", "2G" (binary multiples). False on anything else or on overflow.
bool parse_size(const std::string &text, std::uint64_t &out) {
    if (text.empty()) return false;
    std::uint64_t v = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        std::uint64_t d = static_cast<std::uint64_t>(text[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (i == 0) return false;
    int shift = 0;
    if (i + 1 == text.size()) {
        switch (text[i]) {
            case 'k': case 'K': shift = 10; break;
            case 'm': case 'M': shift = 20; break;
            case 'g': case 'G': shift = 30; break;
            default: return false;
        }
    } else if (i != text.size()) {
        return false;
    }
    if (shift && v > (UINT64_MAX >> shift)) return false;
    out = v << shift;
    return true;
}

// Parses the options of classify / explain / rules list. Returns -1 to go on, else an exit code.
int parse_options(int argc, char **argv, int first, const char *command, bool takes_paths, Config &cfg) {
    const std::string hint = std::string("carom ") + command;
    bool options_done = false;
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (options_done || a == "-" || a.empty() || a[0] != '-') {
            if (!takes_paths) return usage_error("unexpected argument '" + a + "'", hint.c_str());
            cfg.paths.push_back(a);
            continue;
        }
        if (a == "--") {
            options_done = true;
            continue;
        }
        std::string name = a, value;
        bool has_value = false;
        std::size_t eq = a.find('=');
        if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
            name = a.substr(0, eq);
            value = a.substr(eq + 1);
            has_value = true;
        }
        auto need_value = [&]() -> bool {
            if (has_value) return true;
            if (i + 1 >= argc) return false;
            value = argv[++i];
            return true;
        };
        auto flag_only = [&]() -> bool { return !has_value; };
        if (name == "-h" || name == "--help") {
            std::fputs(std::string(command) == "rules list" ? kRulesHelp : kClassifyHelp, stdout);
            return kExitOk;
        } else if (name == "--format" && takes_paths) {
            if (!need_value()) return usage_error("--format needs a value: jsonl, summary or pretty", hint.c_str());
            if (value == "jsonl") {
                cfg.format = Format::Jsonl;
            } else if (value == "summary") {
                cfg.format = Format::Summary;
            } else if (value == "pretty") {
                cfg.format = Format::Pretty;
            } else {
                return usage_error("unknown format '" + value + "' (jsonl, summary or pretty)", hint.c_str());
            }
        } else if (name == "--context" && takes_paths) {
            if (!need_value()) return usage_error("--context needs a FILE", hint.c_str());
            cfg.context_file = value;
        } else if (name == "--rules") {
            if (!need_value()) return usage_error("--rules needs a FILE", hint.c_str());
            cfg.rule_files.push_back(value);
        } else if (name == "--no-backscatter" && takes_paths && flag_only()) {
            cfg.backscatter = false;
        } else if (name == "--no-builtin-rules" && flag_only()) {
            cfg.builtin_rules = false;
        } else if (name == "--header" && takes_paths) {
            if (!need_value()) return usage_error("--header needs a NAME", hint.c_str());
            cfg.headers.push_back(value);
        } else if (name == "--explain" && takes_paths && flag_only()) {
            cfg.explain = true;
        } else if (name == "--progress" && takes_paths && flag_only()) {
            cfg.progress = true;
        } else if (name == "--no-progress" && takes_paths && flag_only()) {
            cfg.progress = false;
        } else if (name == "--limit" && takes_paths) {
            if (!need_value()) return usage_error("--limit needs NAME=VALUE", hint.c_str());
            std::size_t e = value.find('=');
            carom_limit_t limit;
            std::uint64_t v = 0;
            if (e == std::string::npos) return usage_error("--limit needs NAME=VALUE, not '" + value + "'", hint.c_str());
            if (!find_limit(value.substr(0, e), limit))
                return usage_error("unknown limit '" + value.substr(0, e) + "' (limits: " + limit_names() + ")",
                                   hint.c_str());
            if (!parse_size(value.substr(e + 1), v))
                return usage_error("--limit " + value + ": the value must be a number, optionally with k, M or G",
                                   hint.c_str());
            cfg.limits.emplace_back(limit, v);
        } else {
            return usage_error("unknown option '" + a + "' for " + command, hint.c_str());
        }
    }
    return -1;
}

// Builds the engine that cfg describes. Returns -1 and sets *engine, or an exit code.
int build_engine(const Config &cfg, carom_engine_t **engine) {
    *engine = nullptr;
    carom_options_t *opts = nullptr;
    if (carom_options_new(&opts) != CAROM_OK) {
        std::fprintf(stderr, "carom: out of memory\n");
        return kExitUsage;
    }
    struct Free {
        carom_options_t *o;
        ~Free() { carom_options_free(o); }
    } free_opts{opts};

    for (const auto &lv : cfg.limits) {
        carom_status_t st = carom_options_set_limit(opts, lv.first, lv.second);
        if (st == CAROM_E_RANGE) {
            std::uint64_t lo = 0, hi = 0;
            carom_limit_bounds(lv.first, &lo, &hi, nullptr);
            std::fprintf(stderr, "carom: --limit %s=%" PRIu64 ": out of range (%" PRIu64 " .. %" PRIu64 ")\n",
                         carom_limit_name(lv.first), lv.second, lo, hi);
            return kExitUsage;
        }
        if (st != CAROM_OK) {
            std::fprintf(stderr, "carom: --limit %s: %s\n", carom_limit_name(lv.first), carom_status_string(st));
            return kExitUsage;
        }
    }
    carom_options_use_builtin_rules(opts, cfg.builtin_rules ? 1 : 0);
    carom_options_use_backscatter(opts, cfg.backscatter ? 1 : 0);
    for (const std::string &file : cfg.rule_files) {
        std::string text, why;
        if (!read_small_file(file, text, why)) {
            std::fprintf(stderr, "carom: cannot read rule file %s: %s\n", file.c_str(), why.c_str());
            return kExitUsage;
        }
        char *err = nullptr;
        carom_status_t st = carom_options_add_rules(opts, file.data(), file.size(), text.data(), text.size(), &err);
        if (st != CAROM_OK) {
            std::fprintf(stderr, "carom: %s\n", err ? err : (file + ": " + carom_status_string(st)).c_str());
            carom_string_free(err);
            return kExitUsage;
        }
    }
    for (const std::string &h : cfg.headers) {
        if (carom_options_add_original_header(opts, h.data(), h.size()) != CAROM_OK) {
            std::fprintf(stderr, "carom: --header '%s' is not a header field name\n", h.c_str());
            return kExitUsage;
        }
    }
    if (!cfg.context_file.empty()) {
        std::string text, why;
        if (!read_small_file(cfg.context_file, text, why)) {
            std::fprintf(stderr, "carom: cannot read context file %s: %s\n", cfg.context_file.c_str(), why.c_str());
            return kExitUsage;
        }
        char *err = nullptr;
        carom_status_t st = carom_options_set_context_json(opts, text.data(), text.size(), &err);
        if (st != CAROM_OK) {
            std::fprintf(stderr, "carom: %s: %s\n", cfg.context_file.c_str(), err ? err : carom_status_string(st));
            carom_string_free(err);
            return kExitUsage;
        }
    }
    char *err = nullptr;
    carom_status_t st = carom_engine_new(opts, engine, &err);
    if (st != CAROM_OK) {
        std::fprintf(stderr, "carom: %s\n", err ? err : carom_status_string(st));
        carom_string_free(err);
        return kExitUsage;
    }
    return -1;
}

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

    std::uint64_t limit = 0;
    {
        carom_limit_bounds(CAROM_LIMIT_MESSAGE_BYTES, nullptr, nullptr, &limit);
        for (const auto &lv : cfg.limits)
            if (lv.first == CAROM_LIMIT_MESSAGE_BYTES) limit = lv.second;
    }

    static char out_buf[1 << 16];
    std::setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
    carom_cli::Summary summary;
    carom_cli::Progress progress(cfg.progress && ::isatty(STDERR_FILENO));
    const unsigned flags = cfg.explain ? CAROM_CLASSIFY_EXPLAIN : CAROM_CLASSIFY_DEFAULT;
    bool any_error = false;
    bool first_pretty = true;
    auto start = std::chrono::steady_clock::now();

    auto emit = [&](const std::string &json) {
        if (cfg.format == Format::Jsonl) {
            std::fwrite(json.data(), 1, json.size(), stdout);
            std::fputc('\n', stdout);
        } else if (cfg.format == Format::Pretty) {
            if (!first_pretty) std::fputc('\n', stdout);
            first_pretty = false;
            std::string p = carom_cli::pretty_json(json);
            std::fwrite(p.data(), 1, p.size(), stdout);
            std::fputc('\n', stdout);
        }
    };

    carom_cli::WalkOptions wo;
    wo.limit = limit;
    carom_cli::Walker walker(wo, [&](Message &m) {
        if (!m.io_error.empty()) {
            any_error = true;
            summary.add_error("io", m.size);
            emit(carom_cli::error_object(m.source, "io", m.io_error));
        } else if (m.too_large) {
            any_error = true;
            const char *code = carom_status_name(CAROM_E_TOO_LARGE);
            summary.add_error(code, m.size);
            emit(carom_cli::error_object(m.source, code,
                                         "the message has " + std::to_string(m.size) +
                                             " bytes, more than the message_bytes limit of " + std::to_string(limit)));
        } else {
            carom_result_t *r = nullptr;
            carom_status_t st = carom_classify_ex(engine, m.bytes.data(), m.bytes.size(), flags, &r);
            if (st != CAROM_OK) {
                any_error = true;
                const char *code = carom_status_name(st);
                summary.add_error(code ? code : "internal", m.size);
                emit(carom_cli::error_object(m.source, code ? code : "internal", carom_status_string(st)));
            } else {
                if (carom_result_status(r) != CAROM_OK) any_error = true;
                summary.add(r, m.size);
                if (cfg.format != Format::Summary) {
                    char *json = nullptr;
                    size_t len = 0;
                    st = carom_result_to_json(r, m.source.data(), m.source.size(), &json, &len);
                    if (st == CAROM_OK) {
                        emit(std::string(json, len));
                    } else {
                        any_error = true;
                        emit(carom_cli::error_object(m.source, carom_status_name(st), carom_status_string(st)));
                    }
                    carom_string_free(json);
                }
                carom_result_free(r);
            }
        }
        std::string().swap(m.bytes);
        progress.update(summary.messages(), summary.bytes());
    });

    for (const std::string &p : cfg.paths) walker.path(p);
    progress.clear();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (cfg.format == Format::Summary) summary.print(stdout, seconds);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::fprintf(stderr, "carom: cannot write the output: %s\n", std::strerror(errno));
        return kExitUsage;
    }
    return any_error ? kExitErrors : kExitOk;
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
    return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
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
    return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

const char kVerdictHelp[] =
    "usage: carom verdict [--context FILE] [--no-backscatter] [--json] [--exit-on VERDICT=CODE]... [FILE | -]\n"
    "\n"
    "Reads one message (FILE, or standard input when FILE is - or absent) and prints its\n"
    "backscatter verdict as one word: backscatter, genuine, unknown (bounce-like, no decisive\n"
    "evidence) or none (not bounce-like); with --json the whole JSON object instead.\n"
    "For MTAs and Sieve scripts (docs/backscatter.md).\n"
    "\n"
    "exit status (sysexits.h): 0 classified (or CODE of a matching --exit-on VERDICT=CODE),\n"
    "64 bad options, 65 the message cannot be read, 66 FILE cannot be opened,\n"
    "75 the context cannot be read or is invalid, or an internal error (the MTA retries later)\n";

// carom verdict: exit statuses follow sysexits.h so that an MTA's pipe transport can act on them.
int run_verdict(int argc, char **argv, int first) {
    constexpr int kExUsage = 64, kExDataErr = 65, kExNoInput = 66, kExTempFail = 75;
    Config cfg;
    bool json = false;
    std::vector<std::pair<std::string, int>> exit_on;
    std::string path;
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
            json = true;
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
            exit_on.emplace_back(word, static_cast<int>(code));
        } else if (a != "-" && !a.empty() && a[0] == '-') {
            return usage_error("unknown option '" + a + "' for verdict", "carom verdict"), kExUsage;
        } else if (!path.empty()) {
            return usage_error("verdict reads one message: unexpected '" + a + "'", "carom verdict"), kExUsage;
        } else {
            path = a;
        }
    }
    if (path.empty()) path = "-";
    std::string bytes, why;
    if (!read_small_file(path, bytes, why)) {
        std::fprintf(stderr, "carom: cannot read %s: %s\n", path.c_str(), why.c_str());
        return kExNoInput;
    }
    carom_engine_t *engine = nullptr;
    if (build_engine(cfg, &engine) >= 0) return kExTempFail;
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
    if (json) {
        char *out = nullptr;
        size_t len = 0;
        if (carom_result_to_json(r, path.data(), path.size(), &out, &len) != CAROM_OK) return kExTempFail;
        std::fwrite(out, 1, len, stdout);
        std::fputc('\n', stdout);
        carom_string_free(out);
    } else {
        std::printf("%s\n", word);
    }
    if (std::fflush(stdout) != 0) return kExTempFail;
    for (const auto &eo : exit_on)
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
    return std::fflush(stdout) == 0 ? kExitOk : kExitUsage;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fputs(kMainHelp, stderr);
        return kExitUsage;
    }
    std::string cmd = argv[1];
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
        int rc = parse_options(argc, argv, 2, cmd.c_str(), true, cfg);
        if (rc >= 0) return rc;
        return run_classify(cfg);
    }
    if (cmd == "rules") {
        std::string sub = argc > 2 ? argv[2] : "";
        if (sub == "list") {
            Config cfg;
            int rc = parse_options(argc, argv, 3, "rules list", false, cfg);
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
    if (cmd == "limits") return run_limits(argc, argv, 2);
    if (cmd == "verdict") return run_verdict(argc, argv, 2);
    if (!cmd.empty() && cmd[0] == '-') return usage_error("unknown option '" + cmd + "'", "carom");
    return usage_error("unknown command '" + cmd + "' (classify, explain, verdict, rules, limits)", "carom");
}
