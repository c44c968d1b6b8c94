// Exim's "could not be delivered" letter as the providers that run Exim rewrite it, each with its
// own touches (provider_mailru.cc, provider_unitedinternet.cc, provider_mxlogic.cc): the failed
// addresses each on a line of their own ("user@x", "<user@x>", "<user@x>: text"), the diagnostic
// lines that follow, "**********" between a translation and the English letter.
#pragma once

#include <cstddef>
#include <string_view>

#include "formats/reader.hh"

namespace carom::formats {

// Text of the letter: the body up to the copy of the original message or its headers.
std::string_view exim_letter(const Input &in);

// From the English letter on when it is there (Mail.Ru writes Russian first).
std::string_view english_part(std::string_view text);

// Reads the failed-address blocks of the letter into ex.records (at most max). `flat`:
// diagnostics may follow blank lines and labels (GMX, 1&1). True when any record.
bool read_exim_blocks(std::string_view text, bool flat, Extraction &ex, std::size_t max);

// Exim says "This is a permanent error" for the whole letter: status 5.0.0 for every record that
// names no code, when ok. Returns ok.
bool exim_permanent(const Input &in, Extraction &ex, bool ok);

}  // namespace carom::formats
