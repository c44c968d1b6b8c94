// VERP, variable envelope return paths: reading the recipient back out of the address a bounce
// came to, and checking its HMAC signature when the template has one.
#pragma once

#include <string>
#include <string_view>

#include "classify/context.hh"

namespace carom {

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

}  // namespace carom
