// Field-level helpers of the report readers: addresses, xtext, dates, status codes. Each is
// total: bad input gives an empty result, never an error.
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

// RFC 3461 xtext: "+HH" → the byte.
std::string xtext_decode(std::string_view s);

// RFC 5322 date (and the obsolete / broken forms MTAs write: no weekday, 2-digit years,
// named zones, asctime, ISO 8601, "DD-MM-YYYY HH:MM", missing zone = UTC) as ISO 8601 UTC
// "YYYY-MM-DDTHH:MM:SSZ"; "" when it cannot be read.
std::string iso_date(std::string_view value);

// The first enhanced status code "c.s.d" (c in 2/4/5, s and d up to 3 digits) in the text,
// bounded by non-digits; "" when none.
std::string find_status(std::string_view text);

// An SMTP reply code at the very start of a diagnostic ("550 ...", "550-5.1.1 ..."); "" when none.
std::string leading_reply_code(std::string_view text);

// The SMTP command a diagnostic says it answered ("in reply to RCPT TO command", "after MAIL
// FROM", "end of data"): CONN, EHLO, HELO, MAIL, RCPT, DATA; "" when none.
std::string command_from_text(std::string_view text);

// One "Name: value" line (a DSN field, or a header quoted in a text): the name of letters, digits,
// '-' and '_' (white space around it allowed), its colon within the first 65 bytes, the value
// trimmed. False when the line is not such a field.
bool split_field(std::string_view line, std::string_view &name, std::string_view &value);

// Removes an RFC 3464 type prefix ("dns; host" → "host").
std::string strip_type(std::string_view value);
std::string_view strip_type_view(std::string_view value);  // the same, as a view into `value`

}  // namespace carom::report
