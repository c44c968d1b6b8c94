// carom-milter: a milter (libmilter's protocol, which Postfix and Sendmail speak) that classifies
// null-sender mail at the end of DATA with one engine built at start, and acts on backscatter:
// rejects it (550 5.7.1 with the evidence), quarantines it, or only tags it. Every bounce that
// passes carries X-Carom-* headers. Fail-open: an error answers "continue", so no mail is lost;
// a dead milter is the MTA's milter_default_action. docs/milter.md is the manual.
#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <libmilter/mfapi.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carom.h"
#include "options.hh"

namespace {

using carom_cli::Config;

constexpr int kExUsage = 64;     // sysexits: bad command line
constexpr int kExConfig = 78;    // sysexits: the engine could not be built from the configuration
constexpr int kExSoftware = 70;  // sysexits: libmilter refused to start
constexpr std::size_t kMaxRecordHeaders = 20;  // X-Carom-Recipient/Class/Reason triples per message

const char kHelp[] =
    "usage: carom-milter --socket SPEC [--action tag|quarantine|reject] [--context FILE]\n"
    "                    [--rules FILE]... [--no-builtin-rules] [--header NAME]... [--limit NAME=VALUE]...\n"
    "                    [--max-size SIZE] [--timeout SECONDS]\n"
    "\n"
    "A milter for Postfix and Sendmail: classifies mail with the null sender (MAIL FROM:<>) at the\n"
    "end of DATA and adds X-Carom-Verdict, X-Carom-Recipient, X-Carom-Class and X-Carom-Reason\n"
    "headers (incoming X-Carom-* headers are removed). Backscatter (docs/backscatter.md) is\n"
    "  tag         only tagged (the default)\n"
    "  quarantine  tagged and held in the MTA's quarantine (Postfix: the hold queue)\n"
    "  reject      refused with 550 5.7.1 and the evidence\n"
    "Other mail is accepted untouched. Any error answers \"continue\": no mail is lost.\n"
    "\n"
    "  --socket SPEC     where the MTA connects: inet:PORT@127.0.0.1, unix:/run/carom/milter.sock\n"
    "  --context FILE    our domains, relays, ... (docs/backscatter.md); re-read on SIGUSR1\n"
    "  --max-size SIZE   larger messages pass untagged (default 16M)\n"
    "  --timeout SECONDS libmilter's I/O timeout with the MTA (default 60)\n"
    "  --rules, --no-builtin-rules, --header, --limit: as for carom classify\n"
    "\n"
    "SIGUSR1 rebuilds the engine (the context and rule files are read again; on an error the old\n"
    "engine stays). SIGTERM and SIGHUP stop the milter (libmilter's own handling).\n";

enum class Action { Tag, Quarantine, Reject };

struct Settings {
    Config cfg;
    std::string socket;
    Action action = Action::Tag;
    std::uint64_t max_size = std::uint64_t{16} << 20;
    int timeout = 60;
};

// The engine in use; SIGUSR1 swaps in a new one while messages in flight keep the old one.
class EngineSlot {
public:
    std::shared_ptr<const carom_engine_t> get() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return engine_;
    }
    void set(carom_engine_t *engine) {
        std::shared_ptr<const carom_engine_t> next(engine, [](const carom_engine_t *e) {
            carom_engine_free(const_cast<carom_engine_t *>(e));
        });
        std::lock_guard<std::mutex> lock(mutex_);
        engine_ = std::move(next);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const carom_engine_t> engine_;
};

// libmilter's callbacks take no user pointer, so the program's configuration lives here; it is
// written once before smfi_main and read-only after, but for the engine slot.
Settings g_settings;
EngineSlot g_engine;

// One message in flight.
struct Message {
    std::string bytes;
    bool too_large = false;
    std::vector<std::pair<std::string, int>> stale_headers;  // incoming X-Carom-* (name, index)
    std::vector<std::pair<std::string, int>> header_counts;  // lower-case name -> occurrences
};

// One MTA connection (smfi_setpriv): whether the MTA agreed to expect no reply to headers and
// body chunks, and the message in flight.
struct Connection {
    bool no_reply = false;
    std::unique_ptr<Message> message;
};

bool iequals_prefix(const char *text, const char *prefix) {
    for (; *prefix; ++text, ++prefix)
        if (std::tolower(static_cast<unsigned char>(*text)) != std::tolower(static_cast<unsigned char>(*prefix)))
            return false;
    return true;
}

std::string lower(const char *text) {
    std::string out(text);
    for (char &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

Connection *connection_of(SMFICTX *ctx) { return static_cast<Connection *>(smfi_getpriv(ctx)); }

Message *message_of(SMFICTX *ctx) {
    Connection *c = connection_of(ctx);
    return c ? c->message.get() : nullptr;
}

// What a header, end-of-headers or body callback answers: nothing when the MTA agreed to that.
sfsistat go_on(SMFICTX *ctx) {
    const Connection *c = connection_of(ctx);
    return c && c->no_reply ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

// Asks the MTA for only MAIL FROM, the headers, the body and end of DATA, with no reply expected
// to headers and body chunks: fewer round trips a message. Anything not offered is done without.
sfsistat on_negotiate(SMFICTX *ctx, unsigned long actions, unsigned long steps, unsigned long, unsigned long,
                      unsigned long *want_actions, unsigned long *want_steps, unsigned long *, unsigned long *) {
    auto *c = new (std::nothrow) Connection;
    if (!c) return SMFIS_ALL_OPTS;
    smfi_setpriv(ctx, c);
    const unsigned long skip = SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NORCPT | SMFIP_NODATA | SMFIP_NOUNKNOWN;
    const unsigned long quiet = SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY;
    *want_actions = actions & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE);
    *want_steps = steps & skip;
    if ((steps & quiet) == quiet) {
        *want_steps |= quiet;
        c->no_reply = true;
    }
    return SMFIS_CONTINUE;
}

void drop_message(SMFICTX *ctx) {
    if (Connection *c = connection_of(ctx)) c->message.reset();
}

void append(Message &m, const char *data, std::size_t length) {
    if (m.too_large) return;
    if (m.bytes.size() + length > g_settings.max_size) {
        m.too_large = true;
        m.bytes.clear();
        m.bytes.shrink_to_fit();
        return;
    }
    m.bytes.append(data, length);
}

// MAIL FROM: only the null sender is a bounce; anything else is accepted without a look.
sfsistat on_envfrom(SMFICTX *ctx, char **argv) {
    Connection *c = connection_of(ctx);
    if (!c) return SMFIS_ACCEPT;
    c->message.reset();
    const char *from = argv && argv[0] ? argv[0] : "";
    if (std::strcmp(from, "<>") != 0 && from[0] != '\0') return SMFIS_ACCEPT;
    c->message.reset(new (std::nothrow) Message);
    return c->message ? SMFIS_CONTINUE : SMFIS_ACCEPT;
}

// The MTA hands a header without the space after the colon; it is put back.
sfsistat on_header(SMFICTX *ctx, char *name, char *value) {
    Message *m = message_of(ctx);
    if (!m) return go_on(ctx);
    const std::string key = lower(name);
    auto count = std::find_if(m->header_counts.begin(), m->header_counts.end(),
                              [&](const auto &kv) { return kv.first == key; });
    if (count == m->header_counts.end()) count = m->header_counts.insert(count, {key, 0});
    ++count->second;
    if (iequals_prefix(name, "x-carom-")) {  // never trust a verdict that came with the mail
        m->stale_headers.emplace_back(name, count->second);
        return go_on(ctx);
    }
    const std::string line = std::string(name) + ": " + value + "\r\n";
    append(*m, line.data(), line.size());
    return go_on(ctx);
}

sfsistat on_eoh(SMFICTX *ctx) {
    if (Message *m = message_of(ctx)) append(*m, "\r\n", 2);
    return go_on(ctx);
}

sfsistat on_body(SMFICTX *ctx, unsigned char *chunk, std::size_t length) {
    if (Message *m = message_of(ctx)) append(*m, reinterpret_cast<const char *>(chunk), length);
    return go_on(ctx);
}

// Printable ASCII without '%' (libmilter's and Sendmail's reply formatting), at most 200 bytes.
std::string reply_safe(std::string text) {
    for (char &c : text)
        if (c < 0x20 || c > 0x7e || c == '%') c = ' ';
    if (text.size() > 200) text.resize(200);
    return text;
}

// The backscatter evidence for the 550 reply: the first backscatter signal's evidence.
std::string evidence_of(const carom_result_t *r) {
    char *json = nullptr;
    size_t length = 0;
    if (carom_result_to_json(r, nullptr, 0, &json, &length) != CAROM_OK) return "";
    std::string text(json, length);
    carom_string_free(json);
    const std::string key = "\"outcome\":\"backscatter\",\"evidence\":\"";
    std::size_t at = text.find(key);
    if (at == std::string::npos) return "";
    at += key.size();
    std::size_t end = at;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
    return text.substr(at, std::min(end, text.size()) - at);
}

const char *verdict_word(const carom_result_t *r) {
    if (carom_result_record_count(r) == 0) return "none";
    switch (carom_result_verdict(r)) {
    case CAROM_VERDICT_BACKSCATTER: return "backscatter";
    case CAROM_VERDICT_GENUINE: return "genuine";
    default: return "unknown";
    }
}

void add_header(SMFICTX *ctx, const char *name, const char *value) {
    std::string v = value ? value : "";
    for (char &c : v)
        if (c == '\r' || c == '\n') c = ' ';
    smfi_addheader(ctx, const_cast<char *>(name), v.data());
}

void tag(SMFICTX *ctx, const carom_result_t *r) {
    add_header(ctx, "X-Carom-Verdict", verdict_word(r));
    const std::size_t n = std::min(carom_result_record_count(r), kMaxRecordHeaders);
    for (std::size_t i = 0; i < n; ++i) {
        const char *recipient = carom_result_field(r, i, CAROM_FIELD_RECIPIENT, nullptr);
        add_header(ctx, "X-Carom-Recipient", recipient ? recipient : "");
        add_header(ctx, "X-Carom-Class", carom_class_name(carom_result_class(r, i)));
        add_header(ctx, "X-Carom-Reason", carom_reason_name(carom_result_reason(r, i)));
    }
}

// End of DATA: classify, then reject, quarantine or tag. Errors fall through to "continue".
sfsistat on_eom(SMFICTX *ctx) {
    Connection *c = connection_of(ctx);
    if (!c || !c->message) return SMFIS_CONTINUE;
    const std::unique_ptr<Message> m = std::move(c->message);
    for (const auto &stale : m->stale_headers)
        smfi_chgheader(ctx, const_cast<char *>(stale.first.c_str()), stale.second, nullptr);
    if (m->too_large) {
        add_header(ctx, "X-Carom-Verdict", "unknown (too large to classify)");
        return SMFIS_CONTINUE;
    }
    const std::shared_ptr<const carom_engine_t> engine = g_engine.get();
    carom_result_t *raw = nullptr;
    if (!engine || carom_classify(engine.get(), m->bytes.data(), m->bytes.size(), &raw) != CAROM_OK) {
        std::fprintf(stderr, "carom-milter: classification failed; the message passes\n");
        return SMFIS_CONTINUE;
    }
    std::unique_ptr<carom_result_t, void (*)(carom_result_t *)> r(raw, carom_result_free);
    const bool backscatter = carom_result_verdict(r.get()) == CAROM_VERDICT_BACKSCATTER &&
                             carom_result_record_count(r.get()) > 0;
    if (backscatter && g_settings.action == Action::Reject) {
        std::string text = "Backscatter refused: a bounce for mail not sent from here";
        const std::string evidence = evidence_of(r.get());
        if (!evidence.empty()) text += " (" + evidence + ")";
        if (smfi_setreply(ctx, const_cast<char *>("550"), const_cast<char *>("5.7.1"),
                          const_cast<char *>(reply_safe(text).c_str())) == MI_SUCCESS)
            return SMFIS_REJECT;
    }
    tag(ctx, r.get());
    if (backscatter && g_settings.action == Action::Quarantine)
        smfi_quarantine(ctx, const_cast<char *>("carom: backscatter"));
    return SMFIS_CONTINUE;
}

sfsistat on_abort(SMFICTX *ctx) {
    drop_message(ctx);
    return SMFIS_CONTINUE;
}

sfsistat on_close(SMFICTX *ctx) {
    delete connection_of(ctx);
    smfi_setpriv(ctx, nullptr);
    return SMFIS_CONTINUE;
}

// Reads the options; returns -1 to go on, else an exit status.
int parse_args(int argc, char **argv, Settings &s) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](std::string &out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string v;
        if (a == "-h" || a == "--help") {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if ((a == "--socket" || a == "-p") && value(v)) {
            s.socket = v;
        } else if (a == "--action" && value(v)) {
            if (v == "tag") s.action = Action::Tag;
            else if (v == "quarantine") s.action = Action::Quarantine;
            else if (v == "reject") s.action = Action::Reject;
            else return carom_cli::usage_error("--action is tag, quarantine or reject, not '" + v + "'", "carom-milter"), kExUsage;
        } else if (a == "--context" && value(v)) {
            s.cfg.context_file = v;
        } else if (a == "--rules" && value(v)) {
            s.cfg.rule_files.push_back(v);
        } else if (a == "--no-builtin-rules") {
            s.cfg.builtin_rules = false;
        } else if (a == "--header" && value(v)) {
            s.cfg.headers.push_back(v);
        } else if (a == "--limit" && value(v)) {
            const std::string wrong = carom_cli::add_limit(v, s.cfg);
            if (!wrong.empty()) return carom_cli::usage_error(wrong, "carom-milter"), kExUsage;
        } else if (a == "--max-size" && value(v)) {
            if (!carom_cli::parse_size(v, s.max_size) || s.max_size == 0)
                return carom_cli::usage_error("--max-size needs a size such as 16M, not '" + v + "'", "carom-milter"), kExUsage;
        } else if (a == "--timeout" && value(v)) {
            char *end = nullptr;
            const long t = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end || t < 1 || t > 86400)
                return carom_cli::usage_error("--timeout needs 1 to 86400 seconds, not '" + v + "'", "carom-milter"), kExUsage;
            s.timeout = static_cast<int>(t);
        } else {
            const bool known = a == "--socket" || a == "-p" || a == "--action" || a == "--context" || a == "--rules" ||
                               a == "--header" || a == "--limit" || a == "--max-size" || a == "--timeout";
            return carom_cli::usage_error(known ? a + " needs a value" : "unknown option '" + a + "'", "carom-milter"),
                   kExUsage;
        }
    }
    if (s.socket.empty()) return carom_cli::usage_error("--socket is required (e.g. inet:8899@127.0.0.1)", "carom-milter"), kExUsage;
    if (s.cfg.rule_files.empty() && !s.cfg.builtin_rules)
        return carom_cli::usage_error("--no-builtin-rules needs at least one --rules FILE", "carom-milter"), kExUsage;
    return -1;
}

// Waits for SIGUSR1 (blocked in every thread, so only this one takes it) and rebuilds the engine.
void reload_loop(sigset_t set) {
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) return;
        carom_engine_t *engine = nullptr;
        if (carom_cli::build_engine(g_settings.cfg, &engine) < 0) {
            g_engine.set(engine);
            std::fprintf(stderr, "carom-milter: engine rebuilt (SIGUSR1)\n");
        } else {
            std::fprintf(stderr, "carom-milter: the new configuration failed; the old engine stays\n");
        }
    }
}

// libmilter answers end of DATA in several small writes (each header, then the reply) without
// TCP_NODELAY: Nagle's wait for the MTA's delayed ACK added ~90 ms a message on loopback (test
// milter_postfix, 2.3 ms after). libmilter hides its listening socket, so it is found here; Linux
// passes TCP_NODELAY on to the connections it accepts.
void set_nodelay_on_listener() {
    for (int fd = 0; fd < 1024; ++fd) {
        int listening = 0, domain = 0;
        socklen_t size = sizeof listening;
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening) continue;
        size = sizeof domain;
        if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &size) != 0) continue;
        if (domain != AF_INET && domain != AF_INET6) continue;
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
}

int register_and_run(const Settings &s) {
    static char name[] = "carom";
    smfiDesc desc{};
    desc.xxfi_name = name;
    desc.xxfi_version = SMFI_VERSION;
    desc.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE;
    desc.xxfi_envfrom = on_envfrom;
    desc.xxfi_header = on_header;
    desc.xxfi_eoh = on_eoh;
    desc.xxfi_body = on_body;
    desc.xxfi_eom = on_eom;
    desc.xxfi_abort = on_abort;
    desc.xxfi_close = on_close;
    desc.xxfi_negotiate = on_negotiate;
    const mode_t old_umask = umask(007);  // a unix socket: owner and group (docs/milter.md)
    const bool listening = smfi_register(desc) == MI_SUCCESS &&
                           smfi_setconn(const_cast<char *>(s.socket.c_str())) == MI_SUCCESS &&
                           smfi_settimeout(s.timeout) == MI_SUCCESS && smfi_opensocket(1) == MI_SUCCESS;
    umask(old_umask);
    if (!listening) {
        std::fprintf(stderr, "carom-milter: cannot listen on %s (in use, or a bad SPEC?)\n", s.socket.c_str());
        return kExSoftware;
    }
    set_nodelay_on_listener();
    std::fprintf(stderr, "carom-milter: listening on %s, backscatter: %s, %zu rules\n", s.socket.c_str(),
                 s.action == Action::Reject ? "reject" : s.action == Action::Quarantine ? "quarantine" : "tag",
                 carom_engine_rule_count(g_engine.get().get()));
    return smfi_main() == MI_SUCCESS ? 0 : kExSoftware;
}

}  // namespace

int main(int argc, char **argv) {
    if (const int done = parse_args(argc, argv, g_settings); done >= 0) return done;
    carom_engine_t *engine = nullptr;
    if (carom_cli::build_engine(g_settings.cfg, &engine) >= 0) return kExConfig;
    g_engine.set(engine);
    if (geteuid() == 0)
        std::fprintf(stderr, "carom-milter: running as root; run it as an unprivileged user (docs/milter.md)\n");
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, nullptr);  // before any thread starts: all inherit the mask
    std::thread(reload_loop, usr1).detach();
    return register_and_run(g_settings);
}
