#include "classify/verp.hh"

#include "base/strings.hh"
#include "classify/hmac.hh"
#include "formats/text.hh"

namespace carom {
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

// "user=domain" → "user@domain" (the last '='); "" when there is no '=' with text on both sides.
std::string verp_decode_token(const std::string &token) {
    std::size_t eq = token.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == token.size()) return "";
    return token.substr(0, eq) + "@" + token.substr(eq + 1);
}

// Splits the part of the address between the template's prefix and suffix into the recipient
// token and the signature. False when the template has {sig} and its separator is missing (the
// whole part is then the token).
bool split_inner(const std::string &inner, const VerpShape &s, std::string &token, std::string &sig) {
    token = inner;
    if (!s.sig) return true;
    std::size_t cut = s.sig_first ? inner.find(s.middle) : inner.rfind(s.middle);
    if (cut == std::string::npos) return false;
    std::string before = inner.substr(0, cut), after = inner.substr(cut + s.middle.size());
    token = s.sig_first ? after : before;
    sig = s.sig_first ? before : after;
    return true;
}

}  // namespace

VerpCheck check_verp(std::string_view address, const Context &ctx) {
    VerpCheck r;
    VerpShape s;
    if (ctx.verp_template.empty() || !verp_shape(ctx.verp_template, s)) return r;
    std::string a = lower(formats::find_address(address));
    if (a.size() < s.prefix.size() + s.suffix.size() || !starts_with(a, s.prefix) || !ends_with(a, s.suffix)) return r;
    std::string inner = a.substr(s.prefix.size(), a.size() - s.prefix.size() - s.suffix.size());
    std::string token, sig;
    const bool split = split_inner(inner, s, token, sig);
    r.recipient = verp_decode_token(token);
    if (r.recipient.empty()) {
        // Not user=domain. Without a signature it is not a VERP address of ours at all; with
        // one, the whole token is what was signed (an opaque id).
        if (!s.sig) return r;
        r.recipient = token;
    }
    r.matched = true;
    std::string mac;
    if (!s.sig) {
        r.state = VerpCheck::unsigned_match;
        r.evidence = "VERP address " + a + " names " + r.recipient + " (unsigned: forgeable)";
    } else if (!split || sig.empty()) {
        r.state = VerpCheck::bad_signature;
        r.evidence = "VERP address " + a + " carries no signature";
    } else if (!hmac_sha1_hex(ctx.verp_hmac_key, r.recipient, mac)) {
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

}  // namespace carom
