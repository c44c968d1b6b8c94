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

// The same date as RFC 3339 with the offset it was written with, the local time kept:
// "Tue, 3 Feb 2026 10:11:12 +0900" → "2026-02-03T10:11:12+09:00". Zone names are their offsets
// (EST → -05:00, GMT and UT → +00:00); "Z" stays "Z". "-00:00" (RFC 3339 4.3: the time is UTC, the
// local offset unknown) when the date says nothing of the offset: RFC 5322's "-0000", a military
// zone other than "Z" (RFC 5322 4.3 makes them "-0000"), an unknown zone name, or no zone (whose
// time iso_date reads as UTC: both name the same instant). A leap second 60 is read as 59 and 24:00
// as the next day's 00:00, as iso_date reads them. "" when the value cannot be read (as iso_date)
// or its offset is not within ±23:59 or its year not within 1900-9999.
std::string rfc3339_date(std::string_view value);

}  // namespace carom::report
