#include "classify/batv.hh"

#include <cstdio>

#include "base/strings.hh"
#include "classify/hmac.hh"
#include "formats/text.hh"
#include "report/envelope.hh"

namespace carom {
namespace {

// The tag's six signature digits are the start of HMAC(secret, "KDDD" + original). A relay on the
// way may have lower-cased the address; the signer saw its original case, which we cannot know,
// so the lower-case form is tried as well. False also without libcrypto (`available` false).
bool batv_signature_ok(const std::string &tag, const std::string &original, const std::string &secret, bool &available) {
    std::string mac;
    available = hmac_sha1_hex(secret, tag.substr(0, 4) + original, mac);
    if (!available) return false;
    const std::string sig = lower(tag.substr(4, 6));
    if (sig == mac.substr(0, 6)) return true;
    const std::string folded = lower(original);
    return folded != original && hmac_sha1_hex(secret, tag.substr(0, 4) + folded, mac) && sig == mac.substr(0, 6);
}

}  // namespace

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
    auto result = [&r](BatvCheck::State state, std::string evidence) {
        r.state = state;
        r.evidence = std::move(evidence);
        return r;
    };
    std::string a = formats::find_address(address);
    if (a.empty()) a = std::string(trim(address));
    if (!istarts_with(a, "prvs=")) return result(BatvCheck::missing, "no prvs= tag on " + a);
    std::string tag;
    if (!report::split_prvs(a, tag, r.original)) return result(BatvCheck::malformed, "malformed prvs tag in " + a);
    auto k = ctx.batv_keys.find(tag[0] - '0');
    if (k == ctx.batv_keys.end())
        return result(BatvCheck::unknown_key, "prvs key " + tag.substr(0, 1) + " of " + a + " is not configured");
    bool available = false;
    if (!batv_signature_ok(tag, r.original, k->second, available)) {
        if (!available) return result(BatvCheck::unavailable, "built without libcrypto: BATV cannot be checked");
        return result(BatvCheck::bad_signature, "prvs signature of " + a + " does not verify");
    }
    int day = (tag[1] - '0') * 100 + (tag[2] - '0') * 10 + (tag[3] - '0');
    // The tag carries its expiry day (days since 1970, mod 1000). It is valid from (expiry -
    // max_age) to expiry; the modular difference says how far ahead the expiry still is.
    long long now = today < 0 ? 0 : today;
    long long ahead = ((day - now % 1000) % 1000 + 1000) % 1000;
    if (ahead > ctx.batv_max_age_days)
        return result(BatvCheck::expired, "prvs tag of " + a + " expired (expiry day " + std::to_string(day) +
                                              ", today " + std::to_string(now % 1000) + ", both mod 1000)");
    return result(BatvCheck::pass, "prvs tag of " + a + " verifies (expires in " + std::to_string(ahead) + " days)");
}

std::string batv_sign(std::string_view address, int key, std::string_view secret, long long expiry_day) {
    if (key < 0 || key > 9 || expiry_day < 0) return "";
    char tag[8];
    std::snprintf(tag, sizeof tag, "%d%03lld", key, expiry_day % 1000);
    std::string mac;
    if (!hmac_sha1_hex(secret, std::string(tag) + std::string(address), mac)) return "";
    return "prvs=" + std::string(tag) + mac.substr(0, 6) + "=" + std::string(address);
}

}  // namespace carom
