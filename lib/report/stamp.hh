// What an operator needs beside the verdict to act on a record (docs/schema.md): when it happened
// (timestamp, timestamp_source), whose mail it was (sender), and a key to match it with the send
// and with other reports of the same send (token). Filled for every record once the readers are
// done, from the records, the returned original and the bounce's own header.
#pragma once

#include <string>
#include <string_view>

#include "base/model.hh"
#include "mime/message.hh"

namespace carom::report {

// The separator of the token's parts: one LF. No part can hold one (addresses, Message-IDs and
// dates are single header values, unfolded).
inline constexpr char kTokenSeparator = '\n';

// The token of a record: the SHA-256, as 64 lower-case hex digits, of
//   lower(sender) LF lower(recipient) LF key
// where key is the original's Message-ID (without angle brackets, as written), else the original's
// Date as the output's original.date shows it, else empty. Anyone can recompute it from the JSON:
//   printf '%s\n%s\n%s' "$sender" "$recipient" "$key" | sha256sum   (addresses lower-cased)
std::string record_token(std::string_view sender, std::string_view recipient, std::string_view key);

// The sender of the bounced message as one bare address with a lower-case domain: the returned
// original's Return-Path, else its From, else the address the bounce was sent back to (the
// bounce's To: the envelope is not part of the message). "" when none holds an address.
std::string bounce_sender(const Original &original, const mime::Headers &bounce);

// Completes every record of `ex`: a record whose reader gave it no timestamp (a reader of the
// bounce's text, or a report without Last-Attempt-Date and Arrival-Date) takes the Arrival-Date of
// a delivery-status part of the message (outside attached messages), else the bounce's own Date;
// then the sender and the token.
void stamp_records(const mime::Message &msg, Extraction &ex);

}  // namespace carom::report
