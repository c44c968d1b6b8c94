// Format readers: one per MTA family or provider whose bounces are not (only) RFC 3464. Each
// reader recovers recipients, status, reply code, remote MTA, SMTP command and diagnostic text;
// it does not decide the reason (lib/rules does).
//
// A reader lives in one file (mta_*.cc, lda_*.cc, provider_*.cc) that defines everything about it:
// its body markers, its detect and read steps, and its descriptor, `extern const Reader
// NAME_reader`. The registry (registry.cc) is the ordered list of those descriptors; the first
// reader whose detect step claims the message and whose read step yields at least one record
// wins. Detection is cheap: headers first (From, Subject, X-Mailer, Received, vendor X- headers),
// body markers second (bit tests: formats/markers.hh). docs/formats.md says how to add one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/limits.hh"
#include "base/model.hh"
#include "mime/message.hh"

namespace carom::formats {

struct Scan;  // formats/markers.hh

// A list of phrases (a reader's body markers), viewed: the list is a static of the reader's file.
struct Phrases {
    const std::string_view *list = nullptr;
    std::size_t size = 0;
};

// The body markers of the reader being run, as the registry hands them to it (markers.hh).
struct Markers {
    Phrases phrases;          // the reader's kMarkers
    std::uint64_t found = 0;  // bit i: phrase i is in the body, when scanned
    std::size_t base = 0;     // where the phrases sit in the scan's numbering
    bool scanned = false;     // found / base come from a scan (otherwise body_has searches)
};

struct Input {
    const mime::Message &msg;
    const std::string &body;  // mime::body_text(msg), computed once
    const Limits &limits;
    // What read_known works out once for all readers (every reader's body markers found in body,
    // the decoded Subject); null elsewhere, where body_has() searches and header() decodes
    // instead (formats/markers.hh).
    const Scan *scan = nullptr;
    Markers markers = {};
};

struct Reader {
    const char *name;                               // output "format", e.g. "exim"
    Phrases markers;                                // markers(kMarkers): its body phrases
    bool (*detect)(const Input &in);                // cheap test, headers first
    bool (*read)(const Input &in, Extraction &ex);  // fills ex.records; true when any
};

// Builds the readers' shared immutable tables (the automaton of every reader's body markers) now
// instead of at the first classification, so an engine's build pays for it and the first message
// does not. Thread-safe (a function-local static); calling it again costs nothing.
void prepare();

// Runs the registered readers in order, then RFC 3464, then RFC 3834: fills ex (format, records)
// from the first that yields records. The generic fallback is separate: the engine looks for
// challenge and antivirus notices between the two, before the fallback would take them for
// bounces.
bool read_known(const Input &in, Extraction &ex);

// A generic fallback for bounces no reader claims (X-Failed-Recipients, "could not be delivered
// to", "Original message follows", ...).
bool read_fallback(const Input &in, Extraction &ex);

}  // namespace carom::formats
