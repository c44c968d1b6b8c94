// What the ESP event readers share (esp.cc, esp_ses.cc, esp_webhooks.cc, esp_postmark.cc): member
// access that never throws, the record of one recipient, a diagnostic split as a DSN's
// Diagnostic-Code is, and event times as RFC 3339.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "base/model.hh"

namespace carom::formats::esp {

using Json = nlohmann::json;

// A member as text: a string as is, a number in decimal (SparkPost writes codes as strings,
// Mailgun as numbers); "" when absent, null or structured.
std::string str(const Json &j, const char *key);
// An object member, or nullptr.
const Json *object(const Json &j, const char *key);
// An array member, or nullptr.
const Json *array(const Json &j, const char *key);

// Who sent the event's message and which message it was, for every record of the event.
struct Sent {
    std::string sender;      // bare address
    std::string message_id;  // without angle brackets
    std::string subject;
    std::string timestamp;   // RFC 3339, "" when the event gives none
};

// Appends the record of one recipient (a bare address is found in `address`; false and nothing
// appended when there is none, or the recipients limit is reached) with its given verdict; fills
// recipient_source, sender, token and timestamp. `max` is the recipients limit. The message the
// events are about becomes ex.original while every event names the same one.
Record *add_record(Extraction &ex, std::string_view address, const Sent &sent, Given given, std::size_t max);

// Sets the diagnostic the way a DSN's Diagnostic-Code gives it: "smtp; 550 5.1.1 ..." → type
// "smtp", text "550 5.1.1 ...", reply code "550", the command it names; the status from the
// text when the record has none. An empty text changes nothing.
void set_diagnostic(Record &r, std::string_view text);

// A Given, from a reason and the rule name "esp.<vendor>.<type>" (lower case).
Given given(carom_reason_t reason, std::string_view vendor, std::string_view type, bool decides = false);

// Event times: Unix seconds (a number or a string of digits, fractions dropped) or ISO 8601 /
// RFC 3339 ("2026-01-27T14:59:38.237Z", offsets kept) → "2026-01-27T14:59:38+00:00"; "" when
// unreadable.
std::string event_time(const Json &value);

// The vendor readers: each returns false when `j` is not one of its events, else appends the
// event's records (maybe none) and sets ex.format when it is empty.
bool read_ses(const Json &j, Extraction &ex, std::size_t max);
bool read_sendgrid(const Json &j, Extraction &ex, std::size_t max);
bool read_mailgun(const Json &j, Extraction &ex, std::size_t max);
bool read_postmark(const Json &j, Extraction &ex, std::size_t max);
bool read_sparkpost(const Json &j, Extraction &ex, std::size_t max);

}  // namespace carom::formats::esp
