// Events of e-mail service providers (Amazon SES, SendGrid, Mailgun, Postmark, SparkPost) as
// records of the same taxonomy as bounces (docs/taxonomy.md, "ESP events"). An event gives the
// facts a DSN gives (recipient, action, status, the remote server's diagnostic); the rules decide
// the reason from them as for an e-mail, and the ESP's own type (Extraction::given) fills in only
// when the diagnostic names no cause, or decides when nothing reached a remote server.
#pragma once

#include <string>
#include <string_view>

#include "base/limits.hh"
#include "base/model.hh"
#include "carom.h"

namespace carom::formats {

// True when the input is meant as JSON: its first byte other than white space (and a UTF-8 BOM)
// is '{' or '['. No e-mail starts so.
bool looks_like_json(std::string_view bytes);

// Reads JSON input as one message: a single event object, an array of events, JSON Lines (one
// event or array per line), or an Amazon SNS envelope whose "Message" is an event as a JSON
// string; each recipient of each event is one record of `ex`, with ex.given parallel to it.
// Returns CAROM_OK with records; CAROM_E_NOT_EMAIL with `error` set when the bytes are not JSON
// (or nest deeper than the MIME depth limit allows) or hold no event of a known ESP. Never
// throws except std::bad_alloc.
carom_status_t read_esp_events(std::string_view bytes, const Limits &limits, Extraction &ex, std::string &error);

}  // namespace carom::formats
