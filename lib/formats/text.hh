// Small text helpers shared by the format readers. All work on UTF-8 std::string_view and never
// allocate more than their result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/strings.hh"

namespace carom::formats {

// ASCII case-insensitive search; npos when absent.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0);
bool icontains(std::string_view hay, std::string_view needle);
// trim, lower, istarts_with, is_space, ...: lib/base/strings.hh.

// Splits on '\n' (text is LF-normalised by the MIME layer).
std::vector<std::string_view> lines(std::string_view text);

// The first e-mail address in text (inside <...> when present, else a bare local@domain token);
// "" when none. Strips a leading "rfc822;" type and surrounding quotes/brackets.
std::string find_address(std::string_view text);
// Every distinct address, in order of appearance.
std::vector<std::string> find_addresses(std::string_view text);
// The address when the (trimmed) text is nothing but one address, optionally in angle brackets;
// "" otherwise.
std::string lone_address(std::string_view text);

// The first RFC 3463 enhanced status code ("5.1.1", "4.7.650") in text, "" when none. Only codes
// whose class is 2, 4 or 5 and that stand as a separate token count.
std::string find_status(std::string_view text);
// The first SMTP reply code (a 3-digit 2xx/4xx/5xx token at the start of text or after
// "said:", "<<<", "host ... said", etc.); "" when none.
std::string find_reply_code(std::string_view text);

// The last SMTP command named in text ("RCPT TO" → "RCPT", "end of data" → "DATA", ...); "".
std::string find_command(std::string_view text);

}  // namespace carom::formats

// --- helpers added with the provider readers (additive) ---
namespace carom::formats {

// Collapses every run of white space (spaces, tabs, newlines) to one space and trims the ends.
std::string squeeze(std::string_view s);
// lower(squeeze(s)) in one pass.
std::string squeeze_lower(std::string_view s);
// s = squeeze(s) without a second buffer.
void squeeze_in_place(std::string &s);

// The part of a bounce text before the returned original message: cut at the first line that
// announces it ("----- Original message -----", "--- Below this line is a copy of the message.",
// "------ This is a copy of the message", "Content-Type: message/rfc822", ...). The whole text
// when no marker is found.
std::string_view before_original(std::string_view text);
// The phrases before_original cuts at (the earliest found), ASCII case-insensitive.
inline constexpr std::string_view kOriginalStarts[] = {
    "----- original message -----",         "--- below this line is a copy of the message",
    "------ this is a copy of the message", "----- message header follows -----",
    "\ncontent-type: message/rfc822",        "\ncontent-type: text/rfc822-headers",
};

// The host name that follows `marker` in text (e.g. marker "host " in "host mx.example.org[...]"),
// without brackets and a trailing dot; "" when the marker is absent or no host name follows.
std::string host_after(std::string_view text, std::string_view marker);

}  // namespace carom::formats
