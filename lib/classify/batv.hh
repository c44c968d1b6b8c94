// BATV, Bounce Address Tag Validation (draft-levine-smtp-batv-01): checking the prvs= tag of an
// address that a bounce came back to, and signing one (for tests and callers that sign).
#pragma once

#include <string>
#include <string_view>

#include "classify/context.hh"

namespace carom {

struct BatvCheck {
    enum State { missing, malformed, unknown_key, unavailable, bad_signature, expired, pass } state = missing;
    std::string original;  // the address inside the tag (local@domain)
    std::string evidence;
};
const char *batv_state_name(BatvCheck::State s);

// Validates a BATV address on day `today` (days since 1970 UTC):
//   prvs=KDDDSSSSSS=local@domain   (draft-levine-smtp-batv-01, Exim's ${prvs})
//   prvs=local=KDDDSSSSSS@domain   (the older tag-after-local form)
// K is the key number, DDD the expiry day (days since 1970, mod 1000), SSSSSS the first 6 hex
// digits (any case) of HMAC-SHA1(secret_K, "KDDD" + "local@domain"). A tag is valid from
// expiry - ctx.batv_max_age_days to the expiry day inclusive.
BatvCheck check_batv(std::string_view address, const Context &ctx, long long today);

// Signs an address: prvs=KDDDSSSSSS=address with expiry day `expiry_day` (days since 1970);
// "" without libcrypto or for a key outside 0-9.
std::string batv_sign(std::string_view address, int key, std::string_view secret, long long expiry_day);

}  // namespace carom
