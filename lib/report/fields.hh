// Field-level helpers of the report readers: one "Name: value" line, RFC 3464 type prefixes,
// RFC 5322 comments, enhanced status codes (RFC 3463), SMTP reply codes and commands. Each is
// total: bad input gives an empty result, never an error.
//
// Addresses (addresses.hh) and dates (dates.hh) have their own files; they are included here so
// that one include gives a caller every field helper.
#pragma once

#include <string>
#include <string_view>

#include "base/strings.hh"
#include "report/addresses.hh"
#include "report/dates.hh"

namespace carom::report {

// One "Name: value" line (a DSN field, or a header quoted in a text): the name of letters, digits,
// '-' and '_' (white space around it allowed), its colon within the first 65 bytes, the value
// trimmed. False when the line is not such a field.
bool split_field(std::string_view line, std::string_view &name, std::string_view &value);

// Removes an RFC 3464 type prefix ("dns; host" → "host").
std::string strip_type(std::string_view value);
std::string_view strip_type_view(std::string_view value);  // the same, as a view into `value`

// The text without its RFC 5322 comments: "(...)" outside quoted strings, nested comments and
// '\' escapes inside them included, removed; quoted strings are kept with their escapes. An
// unclosed comment runs to the end.
std::string strip_comments(std::string_view s);

// The first enhanced status code "c.s.d" (c in 2/4/5, s and d up to 3 digits) in the text,
// bounded by non-digits; "" when none.
std::string find_status(std::string_view text);

// An SMTP reply code at the very start of a diagnostic ("550 ...", "550-5.1.1 ..."); "" when none.
std::string leading_reply_code(std::string_view text);

// The SMTP command a diagnostic says it answered ("in reply to RCPT TO command", "after MAIL
// FROM", "end of data"): CONN, EHLO, HELO, MAIL, RCPT, DATA; "" when none.
std::string command_from_text(std::string_view text);

}  // namespace carom::report
