// Format readers: one per MTA family or provider whose bounces are not (only) RFC 3464. Each
// reader recovers recipients, status, reply code, remote MTA, SMTP command and diagnostic text;
// it does not decide the reason (lib/rules does).
//
// The registry is an ordered table; the first reader whose detect step claims the message and
// whose read step yields at least one record wins. Detection is cheap: headers first (From,
// Subject, X-Mailer, Received, vendor X- headers), body second.
#pragma once

#include <string>
#include <vector>

#include "base/limits.hh"
#include "base/model.hh"
#include "mime/message.hh"

namespace carom::formats {

struct Scan;  // formats/markers.hh

struct Input {
    const mime::Message &msg;
    const std::string &body;  // mime::body_text(msg), computed once
    const Limits &limits;
    // What read_known works out once for all readers (the detect steps' body phrases found in
    // body, the decoded Subject); null elsewhere, where body_has() searches and
    // header() decodes instead (formats/markers.hh).
    const Scan *scan = nullptr;
};

struct Reader {
    const char *name;                                   // output "format", e.g. "exim"
    bool (*detect)(const Input &in);                    // cheap test, headers first
    bool (*read)(const Input &in, Extraction &ex);      // fills ex.records; true when any
};

// The ordered table of readers.
const std::vector<Reader> &registry();

// Runs the registry: fills ex (format, records) from the first reader that yields records.
bool read(const Input &in, Extraction &ex);

// Builds the readers' shared immutable tables (the automaton of every detect step's body
// phrases) now instead of at the first classification, so an engine's build pays for it and the
// first message does not. Thread-safe (a function-local static); calling it again costs nothing.
void prepare();

// The same without the generic fallback: the readers, then RFC 3464, then RFC 3834. The engine
// uses it to look for challenge and antivirus notices before the fallback would take them for
// bounces.
bool read_known(const Input &in, Extraction &ex);

// A generic fallback for bounces no reader claims (X-Failed-Recipients, "could not be delivered
// to", "Original message follows", ...).
bool read_fallback(const Input &in, Extraction &ex);

}  // namespace carom::formats
