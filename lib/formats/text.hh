// Small text helpers shared by the format readers. All work on UTF-8 std::string_view and never
// allocate more than their result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace carom::formats {

// ASCII case-insensitive search; npos when absent.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0);
bool icontains(std::string_view hay, std::string_view needle);
bool istarts_with(std::string_view s, std::string_view prefix);
std::string_view trim(std::string_view s);
std::string lower(std::string_view s);

// Splits on '\n' (text is LF-normalised by the MIME layer).
std::vector<std::string_view> lines(std::string_view text);

// The first e-mail address in text (inside <...> when present, else a bare local@domain token);
// "" when none. Strips a leading "rfc822;" type and surrounding quotes/brackets.
std::string find_address(std::string_view text);
// Every distinct address, in order of appearance.
std::vector<std::string> find_addresses(std::string_view text);

// The first RFC 3463 enhanced status code ("5.1.1", "4.7.650") in text, "" when none. Only codes
// whose class is 2, 4 or 5 and that stand as a separate token count.
std::string find_status(std::string_view text);
// The first SMTP reply code (a 3-digit 2xx/4xx/5xx token at the start of text or after
// "said:", "<<<", "host ... said", etc.); "" when none.
std::string find_reply_code(std::string_view text);

// The last SMTP command named in text ("RCPT TO" → "RCPT", "end of data" → "DATA", ...); "".
std::string find_command(std::string_view text);

}  // namespace carom::formats
