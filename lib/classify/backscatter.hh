// Backscatter signals that deserve their own tests: BATV (draft-levine-smtp-batv-01), signed
// VERP, the Received-hop parser behind the relay signal, and the content-only notice detection.
// The decision itself is judge_backscatter (classify/classifier.hh); docs/backscatter.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/model.hh"
#include "classify/context.hh"
#include "mime/message.hh"

namespace carom {

// HMAC-SHA1 of data under key, as lower-case hex (40 digits). False when built without libcrypto.
bool hmac_sha1_hex(std::string_view key, std::string_view data, std::string &out);

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

struct VerpCheck {
    bool matched = false;  // the address has the template's shape
    enum State { none, unsigned_match, pass, bad_signature, unavailable } state = none;
    std::string recipient;  // decoded recipient (user=domain → user@domain), lower case
    std::string evidence;
};

// Decodes an address against ctx.verp_template: "{recipient}" stands for user=domain (the last
// '=' is the '@'); "{sig}" for the first 8 hex digits of HMAC-SHA1(verp_hmac_key, decoded
// recipient in lower case). {sig} may come before or after {recipient}, with a separator.
VerpCheck check_verp(std::string_view address, const Context &ctx);
// The VERP address for a recipient under ctx's template (signed when it has {sig}); "" when the
// template or the address cannot be used.
std::string verp_encode(std::string_view recipient, const Context &ctx);

// One Received header, split into what the receiving host wrote about itself ("by") and what it
// verified about the client (the rDNS name and IP in the "from" clause's comment), apart from the
// client's own claim (the HELO name).
struct ReceivedHop {
    std::string helo;                   // the client's claim (unverified), lower case
    std::vector<std::string> verified;  // rDNS names and IPs the receiving host saw, lower case
    std::string by;                     // the receiving host, lower case
};
ReceivedHop parse_received(std::string_view header);
// The relay (a host name, ".domain" for any host below it, or an IP) is the hop's receiving host
// or its verified client. A HELO name alone never matches: a forger chooses it.
bool hop_has_relay(const ReceivedHop &hop, std::string_view relay);

// The lower-case domain of the address formats::find_address finds in `address`, "" when none.
std::string address_domain(std::string_view address);

// Challenge-response and antivirus notices that are not delivery reports: adds one record and
// sets ex.notice. Called when no reader found a bounce.
bool read_notice(const mime::Message &msg, Extraction &ex);

}  // namespace carom
