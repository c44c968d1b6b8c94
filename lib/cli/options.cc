#include "options.hh"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace carom_cli {

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

namespace {

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

}  // namespace

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
std::string add_limit(const std::string &value, Config &cfg) {
    const std::size_t e = value.find('=');
    carom_limit_t limit;
    std::uint64_t v = 0;
    if (e == std::string::npos) return "--limit needs NAME=VALUE, not '" + value + "'";
    if (!find_limit(value.substr(0, e), limit))
        return "unknown limit '" + value.substr(0, e) + "' (limits: " + limit_names() + ")";
    if (!parse_size(value.substr(e + 1), v))
        return "--limit " + value + ": the value must be a number, optionally with k, M or G";
    cfg.limits.emplace_back(limit, v);
    return "";
}

int parse_options(int argc, char **argv, int first, const char *command, bool takes_paths, const char *help,
                  Config &cfg) {
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
            std::fputs(help, stdout);
            return kExitOk;
        } else if (name == "--format" && takes_paths) {
            if (!need_value()) return usage_error("--format needs a value: jsonl, summary, html, pretty or csv", hint.c_str());
            if (value == "jsonl") {
                cfg.format = Format::Jsonl;
            } else if (value == "summary") {
                cfg.format = Format::Summary;
            } else if (value == "pretty") {
                cfg.format = Format::Pretty;
            } else if (value == "csv") {
                cfg.format = Format::Csv;
            } else if (value == "html") {
                cfg.format = Format::Html;
            } else {
                return usage_error("unknown format '" + value + "' (jsonl, summary, html, pretty or csv)", hint.c_str());
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
        } else if ((name == "--jobs" || name == "-j") && takes_paths) {
            if (!need_value()) return usage_error("--jobs needs a number of threads", hint.c_str());
            std::uint64_t n = 0;
            if (!parse_size(value, n) || n < 1 || n > kMaxJobs || value.find_first_not_of("0123456789") != std::string::npos)
                return usage_error("--jobs " + value + ": give a number of threads from 1 to " + std::to_string(kMaxJobs),
                                   hint.c_str());
            cfg.jobs = static_cast<unsigned>(n);
        } else if ((name == "--soft-count" || name == "--soft-days") && std::string(command) == "suppressions") {
            std::uint64_t n = 0;
            if (!need_value() || !parse_size(value, n) || n < 1 || n > 100000 ||
                value.find_first_not_of("0123456789") != std::string::npos)
                return usage_error(name + " takes a whole number from 1 to 100000", hint.c_str());
            (name == "--soft-count" ? cfg.soft_count : cfg.soft_days) = static_cast<unsigned>(n);
        } else if (name == "--progress" && takes_paths && flag_only()) {
            cfg.progress = true;
        } else if (name == "--no-progress" && takes_paths && flag_only()) {
            cfg.progress = false;
        } else if (name == "--limit" && takes_paths) {
            if (!need_value()) return usage_error("--limit needs NAME=VALUE", hint.c_str());
            const std::string why = add_limit(value, cfg);
            if (!why.empty()) return usage_error(why, hint.c_str());
        } else {
            return usage_error("unknown option '" + a + "' for " + command, hint.c_str());
        }
    }
    if (!cfg.builtin_rules && cfg.rule_files.empty())
        return usage_error("--no-builtin-rules needs at least one --rules FILE (without rules every failure "
                           "would be soft / undefined)",
                           hint.c_str());
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

}  // namespace carom_cli
