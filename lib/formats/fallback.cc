// The generic fallback for bounces no reader claims (to be written).
#include "formats/reader.hh"

namespace carom::formats {

bool read_fallback(const Input &, Extraction &) { return false; }

}  // namespace carom::formats
