// Received headers (RFC 5321 4.4) as the relay signal reads them: which host wrote the hop and
// which client it verified, apart from what the client claimed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace carom {

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

}  // namespace carom
