// Support shared by the provider and appliance readers (lib/formats/provider_*.cc): the first
// header of a name, the record of an address, the codes a diagnostic names. Pure text helpers live
// in text.hh; the MTA readers' support in mta_common.hh.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "formats/reader.hh"

namespace carom::formats {

// True when the bounce's first field called `name` contains `what` (ASCII case-insensitive).
bool hdr_has(const Input &in, std::string_view name, std::string_view what);
inline bool from_has(const Input &in, std::string_view what) { return hdr_has(in, "From", what); }

// The most records a reader adds (the recipients limit).
inline std::size_t max_records(const Input &in) { return static_cast<std::size_t>(in.limits.recipients()); }

// The record of addr in ex (compared case-insensitively), added (action "failed") when missing.
Record &record_for(Extraction &ex, const std::string &addr);

// Fills what the record lacks: the reply code from reply_text, the status and the command from
// its diagnostic.
void fill_codes(Record &r, std::string_view reply_text);

}  // namespace carom::formats
