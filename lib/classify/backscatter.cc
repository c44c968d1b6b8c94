// The backscatter decision (docs/backscatter.md).
//
// A message is backscatter when it is bounce-like (a DSN, a non-standard bounce, an auto-reply, a
// challenge or an antivirus notice) AND the message it reports was not ours. Every signal reports
// an outcome (genuine / backscatter / unknown) with its evidence; the verdict takes the strongest
// tier that has evidence:
//
//   1. decisive: the caller's send-log callback; BATV tags (when keys are configured)
//   2. strong:   our relays in the returned Received chain; our Message-ID domains; a VERP address
//                with a valid or invalid HMAC
//   3. medium:   the returned original's sender in our domains or not
//   4. content:  challenge-response and antivirus notices; auto-replies to forged-looking originals
//
// Within a tier, agreeing signals decide; disagreeing ones leave that tier undecided and the next
// tier is consulted. Without decisive evidence the verdict is unknown and records keep their
// bounce class, so a plain DSN without context is never turned into backscatter.
#include <cctype>
#include <cstring>
#include <ctime>

#include "classify/backscatter.hh"
#include "classify/classifier.hh"
#include "formats/text.hh"
#include "report/report.hh"

#if CAROM_HAVE_LIBCRYPTO
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

namespace carom {
namespace {

using formats::find_address;
using formats::icontains;
using formats::istarts_with;
using formats::lower;

enum class Outcome { unknown, genuine, backscatter };

const char *outcome_name(Outcome o) {
    return o == Outcome::genuine ? "genuine" : o == Outcome::backscatter ? "backscatter" : "unknown";
}

struct Tiered {
    int tier;  // 1 decisive ... 4 content
    Outcome outcome;
};

std::string domain_of(std::string_view address) {
    std::string a = find_address(address);
    std::size_t at = a.rfind('@');
    return at == std::string::npos ? std::string() : lower(a.substr(at + 1));
}

// domain equals d or is a subdomain of it.
bool domain_within(std::string_view domain, std::string_view d) {
    if (domain.empty() || d.empty()) return false;
    if (domain.size() == d.size()) return domain == d;
    return domain.size() > d.size() && domain.substr(domain.size() - d.size()) == d &&
           domain[domain.size() - d.size() - 1] == '.';
}

bool in_domains(std::string_view domain, const std::vector<std::string> &list) {
    for (const auto &d : list)
        if (domain_within(domain, d)) return true;
    return false;
}

// `needle` occurs in `hay` as a whole host name or IP (not inside a longer name or number).
bool contains_host(std::string_view hay, std::string_view needle) {
    auto is_host_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' || c == '_';
    };
    std::size_t pos = 0;
    while ((pos = formats::ifind(hay, needle, pos)) != std::string_view::npos) {
        bool left = pos == 0 || !is_host_char(hay[pos - 1]);
        std::size_t end = pos + needle.size();
        // A trailing dot ends a sentence or a fully qualified name; it does not continue the host.
        bool right = end >= hay.size() || !is_host_char(hay[end]) ||
                     (hay[end] == '.' && (end + 1 >= hay.size() || !is_host_char(hay[end + 1])));
        if (left && right) return true;
        ++pos;
    }
    return false;
}

std::string hex(const unsigned char *p, std::size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

}  // namespace

bool hmac_sha1_hex(std::string_view key, std::string_view data, std::string &out) {
#if CAROM_HAVE_LIBCRYPTO
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char *>(data.data()),
              data.size(), md, &len))
        return false;
    out = hex(md, len);
    return true;
#else
    (void)key;
    (void)data;
    out.clear();
    return false;
#endif
}

BatvCheck check_batv(std::string_view address, const Context &ctx, long long today) {
    BatvCheck r;
    std::string a = find_address(address);
    if (!istarts_with(a, "prvs=")) {
        r.state = BatvCheck::missing;
        r.evidence = "no prvs= tag on " + a;
        return r;
    }
    // prvs=KDDDSSSSSS=original-local@domain
    std::string_view s(a);
    s.remove_prefix(5);
    std::size_t eq = s.find('=');
    if (eq != 10) {
        r.state = BatvCheck::malformed;
        r.evidence = "malformed prvs tag in " + a;
        return r;
    }
    std::string_view tag = s.substr(0, 10);
    for (std::size_t i = 0; i < 4; ++i)
        if (!std::isdigit(static_cast<unsigned char>(tag[i]))) {
            r.state = BatvCheck::malformed;
            r.evidence = "malformed prvs tag in " + a;
            return r;
        }
    r.original = std::string(s.substr(11));
    int key = tag[0] - '0';
    auto k = ctx.batv_keys.find(key);
    if (k == ctx.batv_keys.end()) {
        r.state = BatvCheck::unknown_key;
        r.evidence = "prvs key " + std::string(1, tag[0]) + " is not configured";
        return r;
    }
    std::string mac;
    if (!hmac_sha1_hex(k->second, std::string(tag.substr(0, 4)) + r.original, mac)) {
        r.state = BatvCheck::unavailable;
        r.evidence = "built without libcrypto: BATV cannot be checked";
        return r;
    }
    if (lower(tag.substr(4, 6)) != mac.substr(0, 6)) {
        r.state = BatvCheck::bad_signature;
        r.evidence = "prvs signature of " + a + " does not verify";
        return r;
    }
    int day = (tag[1] - '0') * 100 + (tag[2] - '0') * 10 + (tag[3] - '0');
    // The tag carries its expiry day (days since 1970, mod 1000). It is valid from (expiry -
    // max_age) to expiry; the modular difference says how far ahead the expiry still is.
    long long ahead = ((day - today % 1000) % 1000 + 1000) % 1000;
    if (ahead > ctx.batv_max_age_days) {
        r.state = BatvCheck::expired;
        r.evidence = "prvs tag of " + a + " expired (expiry day " + std::to_string(day) + ", today " +
                     std::to_string(today % 1000) + ")";
        return r;
    }
    r.state = BatvCheck::pass;
    r.evidence = "prvs tag of " + a + " verifies";
    return r;
}

std::string batv_sign(std::string_view address, int key, std::string_view secret, long long expiry_day) {
    char tag[5];
    std::snprintf(tag, sizeof tag, "%d%03lld", key, expiry_day % 1000);
    std::string mac;
    if (!hmac_sha1_hex(secret, std::string(tag) + std::string(address), mac)) return "";
    return "prvs=" + std::string(tag) + mac.substr(0, 6) + "=" + std::string(address);
}

VerpCheck check_verp(std::string_view address, const Context &ctx) {
    VerpCheck r;
    const std::string &t = ctx.verp_template;
    std::size_t rp = t.find("{recipient}");
    if (rp == std::string::npos) return r;
    std::string a = lower(find_address(address));
    std::string prefix = lower(t.substr(0, rp));
    std::string rest = lower(t.substr(rp + 11));
    std::string sig_sep;
    bool has_sig = false;
    std::size_t sp = rest.find("{sig}");
    if (sp != std::string::npos) {
        has_sig = true;
        sig_sep = rest.substr(0, sp);
        rest = rest.substr(sp + 5);
    }
    if (a.size() < prefix.size() + rest.size() || a.compare(0, prefix.size(), prefix) != 0 ||
        a.compare(a.size() - rest.size(), rest.size(), rest) != 0)
        return r;
    std::string middle = a.substr(prefix.size(), a.size() - prefix.size() - rest.size());
    std::string sig;
    if (has_sig) {
        std::size_t cut = sig_sep.empty() ? std::string::npos : middle.rfind(sig_sep);
        if (cut == std::string::npos) {
            r.matched = true;
            r.state = VerpCheck::bad_signature;
            r.evidence = a + " has no VERP signature";
            return r;
        }
        sig = middle.substr(cut + sig_sep.size());
        middle = middle.substr(0, cut);
    }
    // user=domain encodes user@domain (the last '=' is the '@').
    std::size_t eq = middle.rfind('=');
    if (eq == std::string::npos) return r;
    r.matched = true;
    r.recipient = middle.substr(0, eq) + "@" + middle.substr(eq + 1);
    if (has_sig && !ctx.verp_hmac_key.empty()) {
        std::string mac;
        if (!hmac_sha1_hex(ctx.verp_hmac_key, r.recipient, mac)) {
            r.state = VerpCheck::unavailable;
            r.evidence = "built without libcrypto: VERP signature cannot be checked";
        } else if (sig == mac.substr(0, 8)) {
            r.state = VerpCheck::pass;
            r.evidence = "VERP address " + a + " carries a valid signature for " + r.recipient;
        } else {
            r.state = VerpCheck::bad_signature;
            r.evidence = "VERP signature of " + a + " does not verify";
        }
    } else {
        r.state = VerpCheck::unsigned_match;
        r.evidence = "VERP address " + a + " names " + r.recipient + " (unsigned: forgeable)";
    }
    return r;
}

std::string verp_encode(std::string_view recipient, const Context &ctx) {
    std::string addr(recipient);
    std::size_t at = addr.rfind('@');
    if (at == std::string::npos) return "";
    std::string enc = addr.substr(0, at) + "=" + addr.substr(at + 1);
    std::string t = ctx.verp_template;
    std::size_t rp = t.find("{recipient}");
    if (rp == std::string::npos) return "";
    t.replace(rp, 11, enc);
    std::size_t sp = t.find("{sig}");
    if (sp != std::string::npos) {
        std::string mac;
        if (!hmac_sha1_hex(ctx.verp_hmac_key, lower(addr), mac)) return "";
        t.replace(sp, 5, mac.substr(0, 8));
    }
    return t;
}

namespace {

// Challenge-response systems (TMDA, BoxTrapper, Bluebottle, Spam Arrest, ...) mark their
// challenges in headers, or ask in the subject to confirm that the sender is human.
bool is_challenge(const mime::Message &msg) {
    const mime::Headers &h = msg.root.headers;
    static const char *const marker_headers[] = {"X-Boxtrapper", "X-Bluebottle-Request", "X-TMDA-Confirm",
                                                 "X-Spamarrest-Noauth", "X-Challenge", "X-ChallengeResponse"};
    for (const char *name : marker_headers)
        if (h.has(name)) return true;
    std::string subject = h.decoded("Subject");
    static const char *const subjects[] = {
        "please confirm your message", "please confirm your e-mail", "please confirm your email",
        "confirm that you are human",  "verify that you are human",  "please verify your email",
        "unverified email to",         "awaiting your confirmation", "awaiting verification",
        "confirmation required for your message", "sender verification required",
    };
    for (const char *s : subjects)
        if (icontains(subject, s)) return true;
    const std::string *mid = h.get("Message-ID");
    return mid && icontains(*mid, "-confirm-") && icontains(*mid, "tmda");
}

// Antivirus and content-filter notices sent back to the (claimed) sender.
bool is_virus_notice(const mime::Message &msg) {
    std::string subject = msg.root.headers.decoded("Subject");
    static const char *const subjects[] = {
        "virus found",          "virus detected",        "virus alert",        "infected attachment",
        "infected message",     "norton antivirus",      "antigen found",      "interscan",
        "content violation",    "banned or potentially offensive material", "virus in your mail",
        "malware detected",     "a virus was found",     "message contained a virus",
    };
    for (const char *s : subjects)
        if (icontains(subject, s)) return true;
    return false;
}

// The returned original looks forged: its envelope sender, header sender and Message-ID point at
// unrelated domains.
int forgery_score(const Original &o, std::string &evidence) {
    int score = 0;
    std::string from = domain_of(o.from), rp = domain_of(o.return_path);
    std::string mid;
    if (std::size_t at = o.message_id.rfind('@'); at != std::string::npos) {
        mid = lower(o.message_id.substr(at + 1));
        while (!mid.empty() && (mid.back() == '>' || std::isspace(static_cast<unsigned char>(mid.back()))))
            mid.pop_back();
    }
    auto related = [](const std::string &a, const std::string &b) {
        return domain_within(a, b) || domain_within(b, a);
    };
    if (!from.empty() && !rp.empty() && !related(from, rp)) {
        ++score;
        evidence += "From domain " + from + " differs from Return-Path domain " + rp + "; ";
    }
    if (!from.empty() && !mid.empty() && !related(from, mid) && (rp.empty() || !related(rp, mid))) {
        ++score;
        evidence += "Message-ID domain " + mid + " is unrelated to the sender; ";
    }
    return score;
}

// Where the bounce was delivered: its envelope recipient, as local delivery recorded it.
std::vector<std::string> envelope_recipients(const mime::Message &msg) {
    std::vector<std::string> out;
    for (const char *name : {"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"}) {
        for (const auto &f : msg.root.headers.fields) {
            if (!formats::istarts_with(f.name, name) || f.name.size() != std::strlen(name)) continue;
            std::string a = find_address(f.value);
            if (!a.empty()) out.push_back(a);
        }
    }
    return out;
}

}  // namespace

bool read_notice(const mime::Message &msg, Extraction &ex) {
    const char *kind = is_challenge(msg) ? "challenge" : is_virus_notice(msg) ? "virusnotice" : nullptr;
    if (!kind) return false;
    Record r;
    // The recipient the notice is about: the original's recipient when the notice returns it,
    // else whoever sent the notice (a challenge comes from the protected mailbox's system).
    if (!ex.original.to.empty()) r.recipient = find_address(ex.original.to.front());
    if (r.recipient.empty()) r.recipient = find_address(msg.root.headers.decoded("From"));
    r.action = "failed";
    r.diagnostic = msg.root.headers.decoded("Subject");
    ex.records.push_back(std::move(r));
    ex.notice = kind;
    ex.format = kind == std::string("challenge") ? "challenge" : "virus-notice";
    return true;
}

void judge_backscatter(const Context &ctx, const mime::Message &msg, const Extraction &ex, Result &out) {
    Backscatter &b = out.backscatter;
    b.verdict = CAROM_VERDICT_UNKNOWN;
    if (out.records.empty()) return;  // not bounce-like: nothing to judge
    std::vector<Tiered> tiers;
    auto add = [&](const char *name, int tier, Outcome o, std::string evidence) {
        b.signals.push_back(Signal{name, outcome_name(o), std::move(evidence)});
        tiers.push_back(Tiered{tier, o});
    };
    const Original &og = ex.original;
    std::string mid = og.message_id;
    if (!mid.empty() && mid.front() == '<') mid.erase(0, 1);
    if (!mid.empty() && mid.back() == '>') mid.pop_back();

    // 1. decisive
    if (ctx.sent_callback && !mid.empty()) {
        carom_sent_t answer = CAROM_SENT_UNKNOWN;
        for (const Record &r : out.records) {
            answer = ctx.sent_callback(ctx.sent_user_data, mid.data(), mid.size(), r.recipient.data(),
                                       r.recipient.size());
            if (answer != CAROM_SENT_UNKNOWN) break;
        }
        Outcome o = answer == CAROM_SENT_YES  ? Outcome::genuine
                    : answer == CAROM_SENT_NO ? Outcome::backscatter
                                              : Outcome::unknown;
        add("send_log", 1, o, "send log answered " + std::string(answer == CAROM_SENT_YES ? "yes" : answer == CAROM_SENT_NO ? "no" : "unknown") + " for <" + mid + ">");
    }
    if (!ctx.batv_keys.empty()) {
        long long today = report::parse_date_epoch(msg.root.headers.decoded("Date"));
        if (today < 0) today = static_cast<long long>(std::time(nullptr));
        today /= 86400;
        std::vector<std::string> addrs = envelope_recipients(msg);
        if (!og.return_path.empty()) addrs.push_back(find_address(og.return_path));
        bool any = false;
        for (const std::string &a : addrs) {
            BatvCheck c = check_batv(a, ctx, today);
            if (c.state == BatvCheck::missing) {
                // Only an address in our own domains was certainly signed by us.
                if (ctx.domains.empty() || !in_domains(domain_of(a), ctx.domains)) continue;
                add("batv", 1, Outcome::backscatter, c.evidence + " (our outbound mail is signed)");
            } else if (c.state == BatvCheck::pass) {
                add("batv", 1, Outcome::genuine, c.evidence);
            } else if (c.state == BatvCheck::bad_signature || c.state == BatvCheck::expired ||
                       c.state == BatvCheck::malformed) {
                add("batv", 1, Outcome::backscatter, c.evidence);
            } else {
                add("batv", 1, Outcome::unknown, c.evidence);
            }
            any = true;
        }
        if (!any) add("batv", 1, Outcome::unknown, "no envelope recipient to check");
    }

    // 2. strong
    if (!ctx.relays.empty()) {
        if (og.received.empty()) {
            add("relays", 2, Outcome::unknown, "the bounce returns no Received chain");
        } else {
            std::string hit;
            for (const std::string &rcv : og.received)
                for (const std::string &relay : ctx.relays)
                    if (hit.empty() && contains_host(rcv, relay)) hit = relay;
            if (!hit.empty())
                add("relays", 2, Outcome::genuine, "our relay " + hit + " is in the returned Received chain");
            else
                add("relays", 2, Outcome::backscatter,
                    "none of our relays is in the returned Received chain (" + std::to_string(og.received.size()) +
                        " hops)");
        }
    }
    if (!ctx.message_id_domains.empty()) {
        std::string d;
        if (std::size_t at = mid.rfind('@'); at != std::string::npos) d = lower(mid.substr(at + 1));
        if (d.empty())
            add("message_id", 2, Outcome::unknown, "the bounce returns no Message-ID");
        else if (in_domains(d, ctx.message_id_domains))
            add("message_id", 2, Outcome::genuine, "Message-ID domain " + d + " is ours");
        else
            add("message_id", 2, Outcome::backscatter, "Message-ID domain " + d + " is not ours");
    }
    if (!ctx.verp_template.empty()) {
        for (const std::string &a : envelope_recipients(msg)) {
            VerpCheck v = check_verp(a, ctx);
            if (!v.matched) continue;
            if (v.state == VerpCheck::pass)
                add("verp", 2, Outcome::genuine, v.evidence);
            else if (v.state == VerpCheck::bad_signature)
                add("verp", 2, Outcome::backscatter, v.evidence);
            else
                add("verp", 2, Outcome::unknown, v.evidence);
            break;
        }
    }

    // 3. medium
    if (!ctx.domains.empty()) {
        std::string d = domain_of(og.return_path.empty() ? og.from : og.return_path);
        if (d.empty()) d = domain_of(og.from);
        if (d.empty())
            add("original_sender", 3, Outcome::unknown, "the returned original names no sender");
        else if (in_domains(d, ctx.domains))
            add("original_sender", 3, Outcome::unknown, "the original sender's domain " + d + " is ours");
        else
            add("original_sender", 3, Outcome::backscatter, "the original sender's domain " + d + " is not ours");
    }

    // 4. content, without context
    if (ex.notice == "challenge")
        add("challenge_response", 4, Outcome::backscatter, "challenge-response message");
    else if (ex.notice == "virusnotice")
        add("virus_notice", 4, Outcome::backscatter, "antivirus or content-filter notice");
    if (ex.auto_reply && og.present) {
        std::string evidence;
        int score = forgery_score(og, evidence);
        if (score >= 2) add("forged_original", 4, Outcome::backscatter, "auto-reply to a forged-looking message: " + evidence);
    }

    for (int tier = 1; tier <= 4; ++tier) {
        bool g = false, s = false;
        for (const Tiered &t : tiers) {
            if (t.tier != tier) continue;
            g = g || t.outcome == Outcome::genuine;
            s = s || t.outcome == Outcome::backscatter;
        }
        if (g && !s) {
            b.verdict = CAROM_VERDICT_GENUINE;
            break;
        }
        if (s && !g) {
            b.verdict = CAROM_VERDICT_BACKSCATTER;
            break;
        }
    }
    if (b.verdict == CAROM_VERDICT_BACKSCATTER)
        for (Record &r : out.records) r.cls = CAROM_CLASS_BACKSCATTER;
}

}  // namespace carom
