// Addresses as reports and headers write them: the bare address of an RFC 3464 / RFC 6533 address
// field or an RFC 5322 mailbox, address lists, and RFC 3461 xtext. Each function is total: bad
// input gives an empty (or unchanged) result, never an error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace carom::report {

// The bare address of an address field value: drops an RFC 3464 address type ("rfc822;",
// "utf-8;", "x400;"), comments, a display name and angle brackets, "mailto:" and RFC 6533
// "\x{HHHH}" escapes, and quotes that are not needed (unquote_address). The local part is
// otherwise kept as written (VERP, +tags, quotes it needs). "" when nothing address-like remains.
std::string bare_address(std::string_view value);

// An address without the quotes it does not need: quotes around the whole address
// ("\"a@example.org\"" → a@example.org) and around a local part that is a dot-atom
// ("\"a.b\"@example.org" → a.b@example.org). A local part that needs them keeps them, as RFC 5321
// writes it ("\"john doe\"@example.org"); anything else is returned as it is. bare_address's last step.
std::string unquote_address(std::string address);

// Every address of an address-list field (To, Cc), in order: commas inside quotes, comments and
// angle brackets do not split; groups ("name: a, b;") are flattened.
std::vector<std::string> address_list(std::string_view value);
// The same, appended to `out` (at most 10,000 addresses of this value, as address_list).
void append_address_list(std::string_view value, std::vector<std::string> &out);

// RFC 3461 xtext: "+HH" (upper-case hex) → the byte.
std::string xtext_decode(std::string_view s);

}  // namespace carom::report
