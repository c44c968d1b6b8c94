// Backscatter signals that deserve their own tests: BATV (draft-levine-smtp-batv-01) and signed
// VERP, plus the content-only notice detection.
#pragma once

#include <string>
#include <string_view>

#include "base/model.hh"
#include "classify/context.hh"
#include "mime/message.hh"

namespace carom {

// HMAC-SHA1 of data under key, as lower-case hex. False when built without libcrypto.
bool hmac_sha1_hex(std::string_view key, std::string_view data, std::string &out);

struct BatvCheck {
    enum State { missing, malformed, unknown_key, unavailable, bad_signature, expired, pass } state = missing;
    std::string original;  // the address inside the tag
    std::string evidence;
};

// Validates a prvs=KDDDSSSSSS=local@domain address on day `today` (days since 1970).
BatvCheck check_batv(std::string_view address, const Context &ctx, long long today);

// Signs an address: prvs=KDDDSSSSSS=address with expiry day `expiry_day` (days since 1970);
// "" without libcrypto.
std::string batv_sign(std::string_view address, int key, std::string_view secret, long long expiry_day);

struct VerpCheck {
    bool matched = false;  // the address has the template's shape
    enum State { none, unsigned_match, pass, bad_signature, unavailable } state = none;
    std::string recipient;  // decoded recipient
    std::string evidence;
};

// Decodes an address against ctx.verp_template ("bounces+{recipient}@d" or
// "bounces+{recipient}-{sig}@d"; the signature is the first 8 hex digits of
// HMAC-SHA1(verp_hmac_key, lower-case recipient)).
VerpCheck check_verp(std::string_view address, const Context &ctx);
std::string verp_encode(std::string_view recipient, const Context &ctx);

// Challenge-response and antivirus notices that are not delivery reports: adds one record and
// sets ex.notice. Called when no reader found a bounce.
bool read_notice(const mime::Message &msg, Extraction &ex);

}  // namespace carom
