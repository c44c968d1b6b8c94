// HMAC-SHA1 for the signed backscatter tags (BATV, signed VERP), through libcrypto when the build
// has it.
#pragma once

#include <string>
#include <string_view>

namespace carom {

// HMAC-SHA1 of data under key, as lower-case hex (40 digits). False when built without libcrypto.
bool hmac_sha1_hex(std::string_view key, std::string_view data, std::string &out);

// Whether this build has libcrypto, so that hmac_sha1_hex works (BATV, signed VERP).
bool hmac_available();

}  // namespace carom
