// The backscatter decision (docs/backscatter.md).
//
// A message is backscatter when it is bounce-like (a DSN, a non-standard bounce, an auto-reply, a
// challenge or an antivirus notice) AND the message it reports was not ours. Every signal reports
// an outcome (genuine / backscatter / unknown) with its evidence; the verdict takes the strongest
// tier that has evidence:
//
//   1. decisive: the caller's send-log callback; BATV tags (when keys are configured)
//   2. strong:   our relays in the returned Received chain; our Message-ID domains or patterns;
//                a VERP address with a valid or invalid HMAC
//   3. medium:   the returned original's senders all outside our domains (misdirected)
//   4. content:  challenge-response and antivirus notices; auto-replies to forged-looking originals
//
// Within a tier, agreeing signals decide; disagreeing ones leave that tier undecided and the next
// tier is consulted. Without decisive evidence the verdict is unknown and records keep their
// bounce class, so a plain DSN without context is never turned into backscatter.
#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <re2/re2.h>

#include "base/calendar.hh"
#include "classify/backscatter.hh"
#include "classify/classifier.hh"
#include "formats/text.hh"
#include "report/fields.hh"
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

std::string domain_of(std::string_view address) { return address_domain(address); }

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

bool is_hex(std::string_view s) {
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return !s.empty();
}

bool is_digits(std::string_view s) {
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return !s.empty();
}

// A BATV tag "KDDDSSSSSS": key digit, three day digits, six hex digits.
bool batv_tag_shape(std::string_view t) { return t.size() == 10 && is_digits(t.substr(0, 4)) && is_hex(t.substr(4)); }

std::string hex(const unsigned char *p, std::size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

// The Message-ID without angle brackets, comments or surrounding space.
std::string bare_message_id(std::string_view raw) {
    std::size_t lt = raw.find('<');
    if (lt != std::string_view::npos) {
        std::size_t gt = raw.find('>', lt);
        if (gt != std::string_view::npos) return std::string(formats::trim(raw.substr(lt + 1, gt - lt - 1)));
    }
    return std::string(formats::trim(raw));
}

// The day (since 1970, UTC) a message was written, from its Date header; -1 when unreadable.
long long message_day(const mime::Headers &h) {
    const std::string_view *date = h.get("Date");
    if (!date) return -1;
    std::string iso = report::iso_date(*date);  // "YYYY-MM-DDTHH:MM:SSZ"
    if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return -1;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(iso[i]))) return -1;
    long long y = std::stoll(iso.substr(0, 4));
    unsigned m = static_cast<unsigned>(std::stoi(iso.substr(5, 2))), d = static_cast<unsigned>(std::stoi(iso.substr(8, 2)));
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1970) return -1;
    return days_from_civil(y, m, d);
}

}  // namespace

bool hmac_sha1_hex(std::string_view key, std::string_view data, std::string &out) {
#if CAROM_HAVE_LIBCRYPTO
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (key.size() > 0x7fffffff) return false;
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

const char *batv_state_name(BatvCheck::State s) {
    switch (s) {
        case BatvCheck::missing: return "missing";
        case BatvCheck::malformed: return "malformed";
        case BatvCheck::unknown_key: return "unknown_key";
        case BatvCheck::unavailable: return "unavailable";
        case BatvCheck::bad_signature: return "bad_signature";
        case BatvCheck::expired: return "expired";
        case BatvCheck::pass: return "pass";
    }
    return "unknown";
}

BatvCheck check_batv(std::string_view address, const Context &ctx, long long today) {
    BatvCheck r;
    std::string a = find_address(address);
    if (a.empty()) a = std::string(formats::trim(address));
    if (!istarts_with(a, "prvs=")) {
        r.state = BatvCheck::missing;
        r.evidence = "no prvs= tag on " + a;
        return r;
    }
    std::size_t at = a.rfind('@');
    std::string_view local = std::string_view(a).substr(5, at == std::string::npos ? std::string::npos : at - 5);
    std::string domain = at == std::string::npos ? std::string() : a.substr(at + 1);
    std::string tag;
    std::size_t eq = local.find('=');
    if (eq == 10 && batv_tag_shape(local.substr(0, 10)) && local.size() > 11) {
        tag = std::string(local.substr(0, 10));  // prvs=KDDDSSSSSS=local
        r.original = std::string(local.substr(11)) + "@" + domain;
    } else if (local.size() > 11 && local[local.size() - 11] == '=' && batv_tag_shape(local.substr(local.size() - 10))) {
        tag = std::string(local.substr(local.size() - 10));  // prvs=local=KDDDSSSSSS
        r.original = std::string(local.substr(0, local.size() - 11)) + "@" + domain;
    }
    if (tag.empty() || domain.empty()) {
        r.state = BatvCheck::malformed;
        r.evidence = "malformed prvs tag in " + a;
        return r;
    }
    auto k = ctx.batv_keys.find(tag[0] - '0');
    if (k == ctx.batv_keys.end()) {
        r.state = BatvCheck::unknown_key;
        r.evidence = "prvs key " + tag.substr(0, 1) + " of " + a + " is not configured";
        return r;
    }
    std::string mac;
    if (!hmac_sha1_hex(k->second, tag.substr(0, 4) + r.original, mac)) {
        r.state = BatvCheck::unavailable;
        r.evidence = "built without libcrypto: BATV cannot be checked";
        return r;
    }
    std::string sig = lower(tag.substr(4, 6));
    if (sig != mac.substr(0, 6)) {
        // A relay on the way may have lower-cased the address; the signer saw its original case,
        // which we cannot know, so the lower-case form is tried as well.
        std::string mac2;
        if (lower(r.original) == r.original || !hmac_sha1_hex(k->second, tag.substr(0, 4) + lower(r.original), mac2) ||
            sig != mac2.substr(0, 6)) {
            r.state = BatvCheck::bad_signature;
            r.evidence = "prvs signature of " + a + " does not verify";
            return r;
        }
    }
    int day = (tag[1] - '0') * 100 + (tag[2] - '0') * 10 + (tag[3] - '0');
    // The tag carries its expiry day (days since 1970, mod 1000). It is valid from (expiry -
    // max_age) to expiry; the modular difference says how far ahead the expiry still is.
    long long now = today < 0 ? 0 : today;
    long long ahead = ((day - now % 1000) % 1000 + 1000) % 1000;
    if (ahead > ctx.batv_max_age_days) {
        r.state = BatvCheck::expired;
        r.evidence = "prvs tag of " + a + " expired (expiry day " + std::to_string(day) + ", today " +
                     std::to_string(now % 1000) + ", both mod 1000)";
        return r;
    }
    r.state = BatvCheck::pass;
    r.evidence = "prvs tag of " + a + " verifies (expires in " + std::to_string(ahead) + " days)";
    return r;
}

std::string batv_sign(std::string_view address, int key, std::string_view secret, long long expiry_day) {
    if (key < 0 || key > 9 || expiry_day < 0) return "";
    char tag[8];
    std::snprintf(tag, sizeof tag, "%d%03lld", key, expiry_day % 1000);
    std::string mac;
    if (!hmac_sha1_hex(secret, std::string(tag) + std::string(address), mac)) return "";
    return "prvs=" + std::string(tag) + mac.substr(0, 6) + "=" + std::string(address);
}

namespace {

// The template split around its placeholders: prefix {first} middle {second} suffix, where
// first/second are "recipient" and "sig" in either order (second empty without {sig}).
struct VerpShape {
    std::string prefix, middle, suffix;
    bool sig = false, sig_first = false;
};

bool verp_shape(const std::string &tpl, VerpShape &s) {
    std::string t = lower(tpl);
    std::size_t rp = t.find("{recipient}");
    if (rp == std::string::npos) return false;
    std::size_t sp = t.find("{sig}");
    if (sp == std::string::npos) {
        s.prefix = t.substr(0, rp);
        s.suffix = t.substr(rp + 11);
        return true;
    }
    s.sig = true;
    s.sig_first = sp < rp;
    std::size_t a = s.sig_first ? sp : rp, alen = s.sig_first ? 5 : 11;
    std::size_t b = s.sig_first ? rp : sp, blen = s.sig_first ? 11 : 5;
    s.prefix = t.substr(0, a);
    s.middle = t.substr(a + alen, b - a - alen);
    s.suffix = t.substr(b + blen);
    return !s.middle.empty();
}

std::string verp_decode_token(const std::string &token) {
    std::size_t eq = token.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == token.size()) return "";
    return token.substr(0, eq) + "@" + token.substr(eq + 1);
}

}  // namespace

VerpCheck check_verp(std::string_view address, const Context &ctx) {
    VerpCheck r;
    VerpShape s;
    if (ctx.verp_template.empty() || !verp_shape(ctx.verp_template, s)) return r;
    std::string a = lower(find_address(address));
    if (a.size() < s.prefix.size() + s.suffix.size() || a.compare(0, s.prefix.size(), s.prefix) != 0 ||
        a.compare(a.size() - s.suffix.size(), s.suffix.size(), s.suffix) != 0)
        return r;
    std::string inner = a.substr(s.prefix.size(), a.size() - s.prefix.size() - s.suffix.size());
    std::string token, sig;
    bool split = true;
    if (!s.sig) {
        token = inner;
    } else if (s.sig_first) {
        std::size_t cut = inner.find(s.middle);
        if (cut == std::string::npos) split = false;
        else sig = inner.substr(0, cut), token = inner.substr(cut + s.middle.size());
    } else {
        std::size_t cut = inner.rfind(s.middle);
        if (cut == std::string::npos) split = false;
        else token = inner.substr(0, cut), sig = inner.substr(cut + s.middle.size());
    }
    if (!split) token = inner;
    r.recipient = verp_decode_token(token);
    if (r.recipient.empty()) {
        // Not user=domain. Without a signature it is not a VERP address of ours at all; with
        // one, the whole token is what was signed (an opaque id).
        if (!s.sig) return r;
        r.recipient = token;
    }
    r.matched = true;
    if (!s.sig) {
        r.state = VerpCheck::unsigned_match;
        r.evidence = "VERP address " + a + " names " + r.recipient + " (unsigned: forgeable)";
        return r;
    }
    if (!split || sig.empty()) {
        r.state = VerpCheck::bad_signature;
        r.evidence = "VERP address " + a + " carries no signature";
        return r;
    }
    std::string mac;
    if (!hmac_sha1_hex(ctx.verp_hmac_key, r.recipient, mac)) {
        r.state = VerpCheck::unavailable;
        r.evidence = "built without libcrypto: the VERP signature of " + a + " cannot be checked";
    } else if (sig == mac.substr(0, 8)) {
        r.state = VerpCheck::pass;
        r.evidence = "VERP address " + a + " carries a valid signature for " + r.recipient;
    } else {
        r.state = VerpCheck::bad_signature;
        r.evidence = "VERP signature of " + a + " does not verify";
    }
    return r;
}

std::string verp_encode(std::string_view recipient, const Context &ctx) {
    VerpShape s;
    if (ctx.verp_template.empty() || !verp_shape(ctx.verp_template, s)) return "";
    std::string addr = lower(recipient);
    std::size_t at = addr.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 == addr.size()) return "";
    std::string token = addr.substr(0, at) + "=" + addr.substr(at + 1);
    if (!s.sig) return s.prefix + token + s.suffix;
    std::string mac;
    if (!hmac_sha1_hex(ctx.verp_hmac_key, addr, mac)) return "";
    std::string sig = mac.substr(0, 8);
    return s.prefix + (s.sig_first ? sig + s.middle + token : token + s.middle + sig) + s.suffix;
}

// ---- Received hops -------------------------------------------------------------------------

namespace {

bool host_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' || c == '_';
}

// "[192.0.2.1]" / "[IPv6:2001:db8::1]" → the address; "" when not bracketed.
std::string bracketed_ip(std::string_view tok) {
    if (tok.size() < 3 || tok.front() != '[') return "";
    std::size_t close = tok.find(']');
    if (close == std::string_view::npos) return "";
    std::string ip = lower(tok.substr(1, close - 1));
    if (istarts_with(ip, "ipv6:")) ip.erase(0, 5);
    return ip;
}

std::string clean_host(std::string_view tok) {
    std::string h = lower(tok);
    while (!h.empty() && !host_char(h.back()) && h.back() != ']') h.pop_back();
    while (h.size() > 1 && h.back() == '.') h.pop_back();
    return h;
}

bool plausible_host(const std::string &h) {
    if (h.empty() || h == "unknown" || h == "may" || h == "be" || h == "forged" || h == "helo" || h == "ehlo")
        return false;
    for (char c : h)
        if (!host_char(c)) return false;
    return true;
}

// Splits on white space, keeping "[...]" tokens whole.
std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        std::size_t b = i;
        while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        if (i > b) out.push_back(s.substr(b, i - b));
    }
    return out;
}

}  // namespace

ReceivedHop parse_received(std::string_view header) {
    ReceivedHop hop;
    enum { none, from, by, other } clause = none;
    bool want_host = false;
    std::vector<std::string> from_comments;
    std::size_t i = 0, n = header.size();
    while (i < n) {
        char c = header[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        if (c == ';') break;  // the date follows
        if (c == '(') {
            int depth = 0;
            std::size_t b = i;
            for (; i < n; ++i) {
                if (header[i] == '(') ++depth;
                else if (header[i] == ')' && --depth == 0) break;
            }
            std::string_view comment = header.substr(b + 1, (i < n ? i : n) - b - 1);
            if (i < n) ++i;
            if (clause == from) from_comments.emplace_back(comment);
            continue;
        }
        std::size_t b = i;
        while (i < n && !std::isspace(static_cast<unsigned char>(header[i])) && header[i] != '(' && header[i] != ';') ++i;
        std::string w = lower(header.substr(b, i - b));
        if (w == "from") {
            clause = from;
            want_host = true;
        } else if (w == "by") {
            clause = by;
            want_host = true;
        } else if (w == "with" || w == "id" || w == "for" || w == "via") {
            clause = other;
            want_host = false;
        } else if (want_host) {
            if (clause == from) hop.helo = clean_host(w);
            else if (clause == by) hop.by = clean_host(w);
            want_host = false;
        }
    }
    // The client as the receiving host verified it, in the forms MTAs write:
    //   Postfix / Sendmail  from HELO (rdns [ip])
    //   Exim                from rdns ([ip] helo=HELO)   or   from rdns ([ip])  (HELO = rdns)
    //   qmail               from rdns (HELO helo) (ip)
    //   Exchange            from HELO (ip)
    bool exim_form = false;
    for (const std::string &cm : from_comments) {
        std::vector<std::string_view> ws = words(cm);
        bool only_ip = ws.size() == 1 && !bracketed_ip(ws[0]).empty();
        for (std::size_t k = 0; k < ws.size(); ++k) {
            std::string_view w = ws[k];
            std::string lw = lower(w);
            if (lw == "helo" || lw == "ehlo") {
                ++k;  // qmail/sendmail: the next word is the client's claim
                continue;
            }
            if (istarts_with(lw, "helo=") || istarts_with(lw, "ehlo=")) {
                exim_form = true;
                continue;
            }
            std::string ip = bracketed_ip(w);
            if (!ip.empty()) {
                hop.verified.push_back(ip);
                continue;
            }
            std::string h = clean_host(w);
            if (plausible_host(h)) hop.verified.push_back(h);
        }
        exim_form = exim_form || only_ip;
    }
    if (!hop.helo.empty()) {
        std::string ip = bracketed_ip(hop.helo);
        if (!ip.empty()) {
            hop.verified.push_back(ip);  // Exim: "from [ip]" when there is no rDNS name
            hop.helo.clear();
        } else if (exim_form) {
            hop.verified.push_back(hop.helo);
        }
    }
    if (!hop.by.empty()) {
        std::string ip = bracketed_ip(hop.by);
        if (!ip.empty()) hop.by = ip;
    }
    return hop;
}

bool hop_has_relay(const ReceivedHop &hop, std::string_view relay) {
    auto same = [&](const std::string &host) {
        if (host.empty() || relay.empty()) return false;
        if (relay.front() == '.')  // ".example.com": any host below example.com
            return host.size() > relay.size() && host.compare(host.size() - relay.size(), relay.size(), relay) == 0;
        return host == relay;
    };
    if (same(hop.by)) return true;
    for (const std::string &v : hop.verified)
        if (same(v)) return true;
    return false;
}

// ---- content-only notices ------------------------------------------------------------------

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
    // Phrases of challenges only: a double opt-in ("please confirm your email address") is not a
    // challenge and must not match.
    static const char *const subjects[] = {
        "please confirm your message",   "confirm that you are human", "verify that you are human",
        "prove that you are human",      "unverified email to",        "confirmation required for your message",
        "sender verification required",  "verify your message to",     "your message is awaiting confirmation",
    };
    for (const char *s : subjects)
        if (icontains(subject, s)) return true;
    // TMDA puts "-confirm-" into the local part of its challenges' Message-ID and reply address.
    const std::string_view *mid = h.get("Message-ID");
    return mid && icontains(*mid, "tmda") && icontains(*mid, "-confirm");
}

// Written by a machine rather than a person: null envelope sender, an Auto-Submitted marker, or
// a daemon's sender address. A newsletter about viruses is none of these.
bool machine_generated(const mime::Headers &h) {
    if (const std::string_view *rp = h.get("Return-Path"); rp && formats::trim(*rp) == "<>") return true;
    if (const std::string_view *as = h.get("Auto-Submitted"); as && !icontains(*as, "no")) return true;
    std::string from = lower(find_address(h.decoded("From")));
    std::string local = from.substr(0, from.find('@'));
    static const char *const daemons[] = {"mailer-daemon", "postmaster", "antivirus", "virus", "scanner",
                                          "amavis", "content-filter", "contentfilter", "quarantine",
                                          "mailscanner", "mailmarshal", "security", "filter", "root"};
    for (const char *d : daemons)
        if (local == d) return true;
    return false;
}

// Antivirus and content-filter notices sent back to the (claimed) sender.
bool is_virus_notice(const mime::Message &msg) {
    if (!machine_generated(msg.root.headers)) return false;
    std::string subject = msg.root.headers.decoded("Subject");
    static const char *const subjects[] = {
        "virus found",          "virus detected",        "virus alert",        "infected attachment",
        "infected message",     "norton antivirus",      "antigen found",      "interscan",
        "content violation",    "banned or potentially offensive material", "virus in your mail",
        "malware detected",     "a virus was found",     "message contained a virus",
        "in mail from you",     "mailmarshal",
    };
    for (const char *s : subjects)
        if (icontains(subject, s)) return true;
    return false;
}

// An approximation of the organisational domain without the public suffix list: the last two
// labels, or three under a two-letter country code whose second level is short ("co.uk",
// "ed.jp", "com.au"). Good enough to tell "mail.example.com" and "bounces.example.com" apart
// from "example.net"; it only feeds a hint and the auto-reply score.
std::string org_domain(const std::string &d) {
    std::size_t last = d.rfind('.');
    if (last == std::string::npos || last == 0) return d;
    std::size_t second = d.rfind('.', last - 1);
    if (second == std::string::npos) return d;
    bool cc = d.size() - last - 1 == 2;
    bool short_sld = last - second - 1 <= 3;
    if (cc && short_sld) {
        std::size_t third = second == 0 ? std::string::npos : d.rfind('.', second - 1);
        return third == std::string::npos ? d : d.substr(third + 1);
    }
    return d.substr(second + 1);
}

// The returned original looks forged: its envelope sender, header sender and Message-ID point at
// unrelated domains (all three present, no two related). On true, evidence says why. The cheap
// facts come first: the Message-ID domain, then the From domain and its relation to it; the
// Return-Path domain (an address parse) only when the answer still depends on it.
// id is bare_message_id(o.message_id), which the caller has already.
bool looks_forged(const Original &o, const std::string &id, std::string &evidence) {
    std::string mid;
    if (std::size_t at = id.rfind('@'); at != std::string::npos) mid = lower(std::string_view(id).substr(at + 1));  // a view: no copy
    if (mid.empty()) return false;
    auto related = [](const std::string &a, const std::string &b) {
        return domain_within(a, b) || domain_within(b, a) || org_domain(a) == org_domain(b);
    };
    std::string from = domain_of(o.from);
    if (from.empty() || related(from, mid)) return false;
    std::string rp = domain_of(o.return_path);
    if (rp.empty() || related(from, rp) || related(rp, mid)) return false;
    evidence = "From domain " + from + " differs from Return-Path domain " + rp + "; Message-ID domain " + mid +
               " is unrelated to the sender";
    return true;
}

// Where the bounce was delivered: its envelope recipient, as local delivery recorded it, then the
// To header (a bounce is addressed to the original's envelope sender).
std::vector<std::string> envelope_recipients(const mime::Message &msg) {
    std::vector<std::string> out;
    for (const char *name : {"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"}) {
        for (const auto &f : msg.root.headers.fields) {
            if (f.name.size() != std::strlen(name) || !istarts_with(f.name, name)) continue;
            std::string a = find_address(f.value);
            bool seen = false;
            for (const auto &x : out) seen = seen || lower(x) == lower(a);
            if (!a.empty() && !seen) out.push_back(a);
        }
    }
    return out;
}

}  // namespace

std::string address_domain(std::string_view address) {
    // Most callers hand over a bare address (the original's From and Return-Path, already
    // extracted): letters, digits, '.', '-', '_', '+' and one '@' with something on both sides,
    // neither starting with '.' nor ending with '.' or '-'. find_address would return all of it
    // (no brackets; the characters around the '@' are address characters; nothing to trim), so
    // the domain is what follows the '@'. Anything else takes the general path.
    auto plain = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == '_' || c == '+';
    };
    std::size_t at = std::string_view::npos;
    bool fast = !address.empty() && address.front() != '.' && address.back() != '.' && address.back() != '-';
    for (std::size_t i = 0; fast && i < address.size(); ++i) {
        if (address[i] == '@') {
            fast = at == std::string_view::npos;
            at = i;
        } else if (!plain(address[i])) {
            fast = false;
        }
    }
    std::string d;
    if (fast && at != std::string_view::npos && at > 0 && at + 1 < address.size()) {
        d.assign(address.substr(at + 1));
    } else {
        d = find_address(address);
        std::size_t a = d.rfind('@');
        if (a == std::string::npos) return std::string();
        d.erase(0, a + 1);  // the domain, folded in place (no second copy)
    }
    for (char &c : d)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return d;
}

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

// ---- the verdict ---------------------------------------------------------------------------

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
    const std::string mid = bare_message_id(og.message_id);

    // 1. decisive ----------------------------------------------------------------------------
    if (ctx.sent_callback) {
        if (mid.empty()) {
            add("send_log", 1, Outcome::unknown, "the bounce returns no Message-ID to look up");
        } else {
            carom_sent_t answer = CAROM_SENT_UNKNOWN;
            std::string asked;
            for (const Record &r : out.records) {
                answer = ctx.sent_callback(ctx.sent_user_data, mid.data(), mid.size(), r.recipient.data(),
                                           r.recipient.size());
                asked = r.recipient;
                if (answer != CAROM_SENT_UNKNOWN) break;
            }
            Outcome o = answer == CAROM_SENT_YES  ? Outcome::genuine
                        : answer == CAROM_SENT_NO ? Outcome::backscatter
                                                  : Outcome::unknown;
            const char *word = answer == CAROM_SENT_YES ? "yes" : answer == CAROM_SENT_NO ? "no" : "unknown";
            add("send_log", 1, o,
                "send log answered " + std::string(word) + " for <" + mid + ">" + (asked.empty() ? "" : " to " + asked));
        }
    }
    if (!ctx.batv_keys.empty()) {
        // "Today" is the bounce's own date, so that an archive classifies the same way later;
        // the clock only when the bounce has no readable Date.
        long long today = message_day(msg.root.headers);
        if (today < 0) today = static_cast<long long>(std::time(nullptr)) / 86400;
        std::vector<std::string> addrs = envelope_recipients(msg);
        if (!og.return_path.empty()) {
            std::string rp = find_address(og.return_path);
            if (!rp.empty()) addrs.push_back(rp);
        }
        // A tag anywhere decides (a delivery agent may strip it from Delivered-To while To keeps
        // it); a missing tag counts only when no address carries one and one is in our domains.
        bool tagged = false;
        std::string untagged_ours;
        for (const std::string &a : addrs) {
            BatvCheck c = check_batv(a, ctx, today);
            switch (c.state) {
                case BatvCheck::missing:
                    if (untagged_ours.empty() && !ctx.domains.empty() && in_domains(domain_of(a), ctx.domains))
                        untagged_ours = a;
                    continue;
                case BatvCheck::pass: add("batv", 1, Outcome::genuine, c.evidence); break;
                case BatvCheck::bad_signature:
                case BatvCheck::expired:
                case BatvCheck::malformed: add("batv", 1, Outcome::backscatter, c.evidence); break;
                case BatvCheck::unknown_key:
                case BatvCheck::unavailable: add("batv", 1, Outcome::unknown, c.evidence); break;
            }
            tagged = true;
        }
        if (!tagged) {
            if (!untagged_ours.empty())
                add("batv", 1, Outcome::backscatter,
                    "no prvs= tag on " + untagged_ours + " although our outbound mail is signed");
            else
                add("batv", 1, Outcome::unknown, "no envelope recipient in our domains to check");
        }
    }

    // 2. strong ------------------------------------------------------------------------------
    if (!ctx.relays.empty()) {
        if (og.received.empty()) {
            add("relays", 2, Outcome::unknown, "the bounce returns no Received chain");
        } else {
            std::string hit;
            for (std::size_t i = 0; i < og.received.size() && hit.empty(); ++i) {
                ReceivedHop hop = parse_received(og.received[i]);
                for (const std::string &relay : ctx.relays)
                    if (hit.empty() && hop_has_relay(hop, relay))
                        hit = relay + " (hop " + std::to_string(i + 1) + " of " + std::to_string(og.received.size()) + ")";
            }
            if (!hit.empty())
                add("relays", 2, Outcome::genuine, "our relay " + hit + " is in the returned Received chain");
            else
                add("relays", 2, Outcome::backscatter,
                    "none of our relays is in the returned Received chain (" + std::to_string(og.received.size()) +
                        (og.received.size() == 1 ? " hop)" : " hops)"));
        }
    }
    if (!ctx.message_id_domains.empty() || !ctx.message_id_patterns.empty()) {
        std::string d;
        if (std::size_t at = mid.rfind('@'); at != std::string::npos) d = lower(std::string_view(mid).substr(at + 1));
        bool ours = !d.empty() && in_domains(d, ctx.message_id_domains);
        for (const auto &re : ctx.message_id_patterns)
            ours = ours || (!mid.empty() && RE2::FullMatch(mid, *re));
        if (mid.empty())
            add("message_id", 2, Outcome::unknown, "the bounce returns no Message-ID");
        else if (ours)
            add("message_id", 2, Outcome::genuine, "Message-ID <" + mid + "> is ours");
        else
            add("message_id", 2, Outcome::backscatter, "Message-ID <" + mid + "> is not ours");
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

    // 3. medium ------------------------------------------------------------------------------
    if (!ctx.domains.empty()) {
        std::string rp = domain_of(og.return_path), from = domain_of(og.from);
        if (rp.empty() && from.empty())
            add("original_sender", 3, Outcome::unknown, "the returned original names no sender");
        else if (in_domains(rp, ctx.domains) || in_domains(from, ctx.domains))
            add("original_sender", 3, Outcome::unknown,
                "the original sender's domain " + (in_domains(rp, ctx.domains) ? rp : from) + " is ours");
        else
            add("original_sender", 3, Outcome::backscatter,
                "the original sender's domain " + (rp.empty() ? from : rp) + " is not ours");
    }

    // 4. content, without context ------------------------------------------------------------
    if (ex.notice == "challenge")
        add("challenge_response", 4, Outcome::backscatter, "challenge-response message: " + out.records.front().diagnostic);
    else if (ex.notice == "virusnotice")
        add("virus_notice", 4, Outcome::backscatter, "antivirus or content-filter notice: " + out.records.front().diagnostic);
    if (og.present) {
        std::string evidence;
        bool forged = looks_forged(og, mid, evidence);
        if (forged && ex.auto_reply)
            add("forged_original", 4, Outcome::backscatter, "auto-reply to a forged-looking message: " + evidence);
        else if (forged)
            // A hint only on a bounce: ESPs and mailing lists send with unrelated domains too.
            add("forged_original", 4, Outcome::unknown, "the returned original looks forged: " + evidence);
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
    if (b.verdict == CAROM_VERDICT_BACKSCATTER) {
        for (Record &r : out.records) r.cls = CAROM_CLASS_BACKSCATTER;
    } else if (b.verdict == CAROM_VERDICT_GENUINE && !ex.notice.empty()) {
        // A challenge or filter notice about mail we did send is not backscatter: a challenge
        // waits for us like an auto-reply, a filter notice refused our content.
        for (Record &r : out.records) r.cls = ex.notice == "challenge" ? CAROM_CLASS_AUTO_REPLY : CAROM_CLASS_BLOCK;
    }
}

}  // namespace carom
