// Domains as the backscatter signals compare them: the domain of an address, "is this domain
// ours", and a rough organisational domain.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace carom {

// The lower-case domain of the address formats::find_address finds in `address`, "" when none.
std::string address_domain(std::string_view address);

// `domain` equals `d` or is a subdomain of it (both lower case).
bool domain_within(std::string_view domain, std::string_view d);
// domain_within() one of the list's domains.
bool in_domains(std::string_view domain, const std::vector<std::string> &list);

// An approximation of the organisational domain without the public suffix list: the last two
// labels, or three under a two-letter country code whose second level is short ("co.uk",
// "ed.jp", "com.au"). Good enough to tell "mail.example.com" and "bounces.example.com" apart
// from "example.net"; it only feeds the forged-original hint.
std::string org_domain(const std::string &d);

}  // namespace carom
