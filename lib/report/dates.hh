// Dates as mail writes them (RFC 5322 section 3.3, its obsolete forms of section 4.3, and the
// other forms MTAs put in Date, Arrival-Date and Last-Attempt-Date), read into one UTC form.
#pragma once

#include <string>
#include <string_view>

namespace carom::report {

// RFC 5322 date (and the obsolete / broken forms MTAs write: no weekday, 2-digit years,
// named zones, asctime, ISO 8601, "DD-MM-YYYY HH:MM", missing zone = UTC) as ISO 8601 UTC
// "YYYY-MM-DDTHH:MM:SSZ"; "" when it cannot be read.
std::string iso_date(std::string_view value);

}  // namespace carom::report
