// report::iso_date on dates written by hand: the examples and rules of RFC 5322 (section 3.3, the
// obsolete forms of section 4.3, Appendix A), the other forms mail software writes (asctime,
// RFC 850, RFC 3339 / ISO 8601, numeric dates), the day changes a zone causes, and input that is
// not a date. Every expected value is the date converted to UTC by hand. At the end,
// report::rfc3339_date on the same kinds of dates: the local time and the offset as written.
#include <gtest/gtest.h>

#include <string>

#include "report/dates.hh"

using carom::report::iso_date;

// ---- RFC 5322 section 3.3 -------------------------------------------------------------------

TEST(IsoDate, Rfc5322Examples) {
    EXPECT_EQ(iso_date("Fri, 21 Nov 1997 09:55:06 -0600"), "1997-11-21T15:55:06Z");  // A.1.1
    EXPECT_EQ(iso_date("Tue, 1 Jul 2003 10:52:37 +0200"), "2003-07-01T08:52:37Z");   // A.1.2
    EXPECT_EQ(iso_date("Thu, 13 Feb 1969 23:32:54 -0330"), "1969-02-14T03:02:54Z");  // A.1.3: the next day in UTC
    EXPECT_EQ(iso_date("Mon, 24 Nov 1997 14:22:01 -0800"), "1997-11-24T22:22:01Z");  // A.3
}

TEST(IsoDate, OptionalPartsOfTheGrammar) {
    EXPECT_EQ(iso_date("21 Nov 1997 09:55:06 -0600"), "1997-11-21T15:55:06Z");       // no day of week
    EXPECT_EQ(iso_date("Fri, 21 Nov 1997 09:55 -0600"), "1997-11-21T15:55:00Z");     // no seconds
    EXPECT_EQ(iso_date("Fri, 21 Nov 1997 09:55:06 +0000"), "1997-11-21T09:55:06Z");
    EXPECT_EQ(iso_date("Fri, 21 Nov 1997 09:55:06 -0000"), "1997-11-21T09:55:06Z");  // UTC, local zone unknown
    EXPECT_EQ(iso_date("Fri,21 Nov 1997 09:55:06 +0000"), "1997-11-21T09:55:06Z");   // no space after the comma
    EXPECT_EQ(iso_date("  Fri,  21   Nov 1997  09:55:06   +0000  "), "1997-11-21T09:55:06Z");  // extra white space
    EXPECT_EQ(iso_date("Fri, 05 Dec 1997 09:55:06 +0000"), "1997-12-05T09:55:06Z");  // two-digit day
    EXPECT_EQ(iso_date("fri, 21 NOV 1997 09:55:06 +0000"), "1997-11-21T09:55:06Z");  // names in any case
}

TEST(IsoDate, LeapSecondIsReadAsTheSecondBefore) {
    EXPECT_EQ(iso_date("Sat, 31 Dec 2016 23:59:60 +0000"), "2016-12-31T23:59:59Z");
}

TEST(IsoDate, TheDayOfWeekIsNotCheckedAgainstTheDate) {
    // 21 Nov 1997 was a Friday; the date is what counts.
    EXPECT_EQ(iso_date("Mon, 21 Nov 1997 09:55:06 -0600"), "1997-11-21T15:55:06Z");
}

// ---- comments and folding (RFC 5322 3.2.2, Appendix A.5) --------------------------------------

TEST(IsoDate, CommentsAnywhere) {
    EXPECT_EQ(iso_date("Thu, 13 Feb 1969 23:32 -0330 (Newfoundland Time)"), "1969-02-14T03:02:00Z");  // A.5
    EXPECT_EQ(iso_date("Tue, 1 Jul (the month) 2003 10:52:37 +0200"), "2003-07-01T08:52:37Z");
    EXPECT_EQ(iso_date("(sent) Tue, 1 Jul 2003 10:52:37 +0200"), "2003-07-01T08:52:37Z");
    EXPECT_EQ(iso_date("Tue, 1 Jul 2003 10:52:37 +0200 (a (nested) comment)"), "2003-07-01T08:52:37Z");
    EXPECT_EQ(iso_date("Tue, 1 Jul 2003 10:52:37 +0200 (an escaped \\) paren)"), "2003-07-01T08:52:37Z");
    EXPECT_EQ(iso_date("Tue, 1 Jul 2003 10:52:37 +0200 (CEST"), "2003-07-01T08:52:37Z");  // unclosed: runs to the end
    // The zone is the numeric one; a zone name in a comment is only a comment.
    EXPECT_EQ(iso_date("Tue, 1 Jul 2003 10:52:37 +0200 (EST)"), "2003-07-01T08:52:37Z");
}

TEST(IsoDate, FoldedValue) {
    // Appendix A.5's date as a header reader hands it on: the line ends kept, the CRs gone.
    EXPECT_EQ(iso_date("Thu,\n      13\n        Feb\n          1969\n      23:32\n               -0330 (Newfoundland Time)"),
              "1969-02-14T03:02:00Z");
    EXPECT_EQ(iso_date("Thu,\t13 Feb 1969\t23:32:54 -0330"), "1969-02-14T03:02:54Z");  // tabs
}

TEST(IsoDate, CommentsInsideTheTimeAreNotRead) {
    // Appendix A.6.3's "09(comment):   55  :  06": obsolete white space inside the time is not
    // read. The reader gives no date rather than a wrong one.
    EXPECT_EQ(iso_date("Fri, 21 Nov 1997 09(comment):   55  :  06 -0600"), "");
}

// ---- obsolete forms (RFC 5322 section 4.3) ---------------------------------------------------

TEST(IsoDate, TwoAndThreeDigitYears) {
    EXPECT_EQ(iso_date("21 Nov 97 09:55:06 GMT"), "1997-11-21T09:55:06Z");  // A.6.2
    EXPECT_EQ(iso_date("Wed, 1 Jan 03 12:00:00 +0000"), "2003-01-01T12:00:00Z");  // 00-49: 20xx
    EXPECT_EQ(iso_date("1 Jan 00 12:00:00 +0000"), "2000-01-01T12:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 49 12:00:00 +0000"), "2049-01-01T12:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 50 12:00:00 +0000"), "1950-01-01T12:00:00Z");  // 50-99: 19xx
    EXPECT_EQ(iso_date("1 Jan 103 12:00:00 +0000"), "2003-01-01T12:00:00Z");  // three digits: + 1900
}

TEST(IsoDate, ObsoleteZoneNames) {
    // 12:00 local time in each zone of obs-zone
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 UT"), "2021-01-01T12:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 GMT"), "2021-01-01T12:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 EST"), "2021-01-01T17:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 EDT"), "2021-01-01T16:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 CST"), "2021-01-01T18:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 CDT"), "2021-01-01T17:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 MST"), "2021-01-01T19:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 MDT"), "2021-01-01T18:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 PST"), "2021-01-01T20:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 PDT"), "2021-01-01T19:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 pdt"), "2021-01-01T19:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 Z"), "2021-01-01T12:00:00Z");
    // The other military letters "SHOULD all be considered equivalent to -0000".
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 A"), "2021-01-01T12:00:00Z");
}

TEST(IsoDate, CommonZoneAbbreviations) {
    EXPECT_EQ(iso_date("1 Jan 2021 09:00:00 JST"), "2021-01-01T00:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 05:30:00 IST"), "2021-01-01T00:00:00Z");  // India
    EXPECT_EQ(iso_date("1 Jul 2021 02:00:00 CEST"), "2021-07-01T00:00:00Z");
    EXPECT_EQ(iso_date("1 Jan 2021 01:00:00 CET"), "2021-01-01T00:00:00Z");
}

TEST(IsoDate, MissingZoneIsUtc) {
    EXPECT_EQ(iso_date("Fri, 21 Nov 1997 09:55:06"), "1997-11-21T09:55:06Z");
    EXPECT_EQ(iso_date("1 Jan 2021 12:00:00 XYZ"), "2021-01-01T12:00:00Z");  // an unknown name is no zone
}

// ---- other forms mail software writes ----------------------------------------------------------

TEST(IsoDate, AsctimeAndRfc850) {
    EXPECT_EQ(iso_date("Sun Nov  6 08:49:37 1994"), "1994-11-06T08:49:37Z");        // asctime, no zone
    EXPECT_EQ(iso_date("Sunday, 06-Nov-94 08:49:37 GMT"), "1994-11-06T08:49:37Z");  // RFC 850
}

TEST(IsoDate, Rfc3339) {
    EXPECT_EQ(iso_date("1985-04-12T23:20:50.52Z"), "1985-04-12T23:20:50Z");  // the fraction is dropped
    EXPECT_EQ(iso_date("1996-12-19T16:39:57-08:00"), "1996-12-20T00:39:57Z");
    EXPECT_EQ(iso_date("1990-12-31T23:59:60Z"), "1990-12-31T23:59:59Z");
    EXPECT_EQ(iso_date("1937-01-01T12:00:27.87+00:20"), "1937-01-01T11:40:27Z");
    EXPECT_EQ(iso_date("2017-04-29T23:34:45-05"), "2017-04-30T04:34:45Z");  // hours-only offset
    EXPECT_EQ(iso_date("2017-04-29T23:34:45"), "2017-04-29T23:34:45Z");     // no offset: UTC
}

TEST(IsoDate, NumericDates) {
    EXPECT_EQ(iso_date("2021-04-29 23:34:45 +0000"), "2021-04-29T23:34:45Z");
    EXPECT_EQ(iso_date("2017/04/29 23:34:45 +09:00"), "2017-04-29T14:34:45Z");
    EXPECT_EQ(iso_date("29-04-2021 23:34"), "2021-04-29T23:34:00Z");  // day first
    EXPECT_EQ(iso_date("29.04.2021 23:34"), "2021-04-29T23:34:00Z");
    EXPECT_EQ(iso_date("29-Apr-2021 23:34:45 +0000"), "2021-04-29T23:34:45Z");
    EXPECT_EQ(iso_date("29-04-21 10:00 +0200"), "2021-04-29T08:00:00Z");  // two-digit year as RFC 5322 4.3
    EXPECT_EQ(iso_date("1 Jan 2021 09:00:00 +09"), "2021-01-01T00:00:00Z");
}

// ---- the day, month and year a zone moves the time into ---------------------------------------

TEST(IsoDate, ZoneCarriesOverMidnight) {
    EXPECT_EQ(iso_date("28 Feb 2019 23:00:00 -0200"), "2019-03-01T01:00:00Z");  // not a leap year
    EXPECT_EQ(iso_date("28 Feb 2020 23:00:00 -0200"), "2020-02-29T01:00:00Z");  // leap year
    EXPECT_EQ(iso_date("1 Mar 2000 00:30:00 +0100"), "2000-02-29T23:30:00Z");   // 2000: leap (divisible by 400)
    EXPECT_EQ(iso_date("1 Mar 1900 00:30:00 +0100"), "1900-02-28T23:30:00Z");   // 1900: not leap
    EXPECT_EQ(iso_date("1 Mar 2100 00:30:00 +0100"), "2100-02-28T23:30:00Z");
    EXPECT_EQ(iso_date("1 Jan 2000 00:00:00 +1400"), "1999-12-31T10:00:00Z");   // back over a year end
    EXPECT_EQ(iso_date("31 Dec 1999 23:30:00 -0100"), "2000-01-01T00:30:00Z");  // forward over one
    EXPECT_EQ(iso_date("30 Apr 2021 22:00:00 -0300"), "2021-05-01T01:00:00Z");  // a 30-day month
    EXPECT_EQ(iso_date("31 Dec 9999 23:00:00 -0200"), "10000-01-01T01:00:00Z");  // the year needs five digits
}

// ---- what is not a date: "" and nothing else ---------------------------------------------------

TEST(IsoDate, ImpossibleDatesAreEmpty) {
    EXPECT_EQ(iso_date("Sun, 31 Feb 2021 10:00:00 +0000"), "");
    EXPECT_EQ(iso_date("29 Feb 2021 10:00:00 +0000"), "");  // 2021 is not a leap year
    EXPECT_EQ(iso_date("31 Apr 2021 10:00:00 +0000"), "");
    EXPECT_EQ(iso_date("0 Jan 2021 10:00:00 +0000"), "");
    EXPECT_EQ(iso_date("1 Jan 2021 25:00:00 +0000"), "");
    EXPECT_EQ(iso_date("1 Jan 2021 10:60:00 +0000"), "");
    EXPECT_EQ(iso_date("1 Jan 2021 10:00:61 +0000"), "");
    EXPECT_EQ(iso_date("1 Jan 1899 10:00:00 +0000"), "");  // before the years mail was written in
    EXPECT_EQ(iso_date("2021-13-01T10:00:00Z"), "");
}

TEST(IsoDate, IncompleteOrForeignTextIsEmpty) {
    EXPECT_EQ(iso_date(""), "");
    EXPECT_EQ(iso_date("   "), "");
    EXPECT_EQ(iso_date("yesterday"), "");
    EXPECT_EQ(iso_date("Thu, 29 Apr 2021"), "");               // no time
    EXPECT_EQ(iso_date("10:00:00 +0000"), "");                 // no date
    EXPECT_EQ(iso_date("Thu, 29 Foo 2021 10:00:00 +0000"), "");  // no month
    EXPECT_EQ(iso_date("Thu, Apr 2021 10:00:00 +0000"), "");   // no day
    EXPECT_EQ(iso_date("1-2-3-4 10:00"), "");                  // four numbers in one
    EXPECT_EQ(iso_date("(only a comment)"), "");
}

TEST(IsoDate, HostileInputIsEmpty) {
    EXPECT_EQ(iso_date(std::string(1000, '9')), "");
    EXPECT_EQ(iso_date(std::string(10000, '(')), "");
    EXPECT_EQ(iso_date("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"), "");  // more words than a date has
    const char raw[] = "\xff\xfe\x00\x01 12:00 \x80\x81";  // a time, and bytes that are no date
    EXPECT_EQ(iso_date(std::string(raw, sizeof raw - 1)), "");
}

// ---- report::rfc3339_date: the same dates, local time and the offset as written --------------
// Every expected value below is the written local time with the written offset, by hand; "-00:00"
// is RFC 3339 section 4.3's "UTC known, local offset unknown", RFC 5322's "-0000".

using carom::report::rfc3339_date;

TEST(Rfc3339Date, Rfc5322Examples) {
    EXPECT_EQ(rfc3339_date("Fri, 21 Nov 1997 09:55:06 -0600"), "1997-11-21T09:55:06-06:00");  // A.1.1
    EXPECT_EQ(rfc3339_date("Tue, 1 Jul 2003 10:52:37 +0200"), "2003-07-01T10:52:37+02:00");   // A.1.2
    EXPECT_EQ(rfc3339_date("Thu, 13 Feb 1969 23:32:54 -0330"), "1969-02-13T23:32:54-03:30");  // A.1.3: the day stays
    EXPECT_EQ(rfc3339_date("Mon, 24 Nov 1997 14:22:01 -0800"), "1997-11-24T14:22:01-08:00");  // A.3
    EXPECT_EQ(rfc3339_date("2 Feb 2026 10:11:12 +0900"), "2026-02-02T10:11:12+09:00");
    EXPECT_EQ(rfc3339_date("Fri, 21 Nov 1997 09:55 -0600"), "1997-11-21T09:55:00-06:00");  // no seconds
    EXPECT_EQ(rfc3339_date("Fri, 21 Nov 1997 09:55:06 +0000"), "1997-11-21T09:55:06+00:00");
    EXPECT_EQ(rfc3339_date("Sat, 1 Jan 2000 00:00:00 +1400"), "2000-01-01T00:00:00+14:00");  // no carry to UTC
}

TEST(Rfc3339Date, FoldedAndCommented) {
    // Appendix A.5 / A.6.3's folded date, as the header reader hands it on.
    EXPECT_EQ(rfc3339_date("Thu,\n      13\n        Feb\n          1969\n      23:32\n               -0330 (Newfoundland Time)"),
              "1969-02-13T23:32:00-03:30");
    EXPECT_EQ(rfc3339_date("Tue, 1 Jul 2003 10:52:37 +0200 (EST)"), "2003-07-01T10:52:37+02:00");  // a comment is no zone
}

TEST(Rfc3339Date, MinusZeroIsAnUnknownOffset) {
    // RFC 5322 3.3: "-0000" says the time is UTC and nothing of the local zone; RFC 3339 4.3
    // writes that "-00:00", unlike "+00:00" (and "Z"), which say UTC is the local reference.
    EXPECT_EQ(rfc3339_date("Fri, 21 Nov 1997 09:55:06 -0000"), "1997-11-21T09:55:06-00:00");
    EXPECT_EQ(rfc3339_date("Fri, 21 Nov 1997 09:55:06 -0000 (unknown)"), "1997-11-21T09:55:06-00:00");
    EXPECT_EQ(rfc3339_date("Fri, 21 Nov 1997 09:55:06\t-0000"), "1997-11-21T09:55:06-00:00");  // the general reader
    EXPECT_EQ(rfc3339_date("1997-11-21T09:55:06-00:00"), "1997-11-21T09:55:06-00:00");
}

TEST(Rfc3339Date, ObsoleteZones) {
    // RFC 5322 4.3 obs-zone: UT and GMT are +0000, the US zones their offsets.
    EXPECT_EQ(rfc3339_date("21 Nov 97 09:55:06 GMT"), "1997-11-21T09:55:06+00:00");  // A.6.2
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 UT"), "2021-01-01T12:00:00+00:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 EST"), "2021-01-01T12:00:00-05:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 EDT"), "2021-01-01T12:00:00-04:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 CST"), "2021-01-01T12:00:00-06:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 CDT"), "2021-01-01T12:00:00-05:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 MST"), "2021-01-01T12:00:00-07:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 MDT"), "2021-01-01T12:00:00-06:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 PST"), "2021-01-01T12:00:00-08:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 pdt"), "2021-01-01T12:00:00-07:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 09:00:00 JST"), "2021-01-01T09:00:00+09:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 05:30:00 IST"), "2021-01-01T05:30:00+05:30");
    // Two- and three-digit years (4.3).
    EXPECT_EQ(rfc3339_date("1 Jan 49 12:00:00 +0100"), "2049-01-01T12:00:00+01:00");
    EXPECT_EQ(rfc3339_date("1 Jan 103 12:00:00 +0100"), "2003-01-01T12:00:00+01:00");
}

TEST(Rfc3339Date, MilitaryZones) {
    // "Z" is zero whatever the sign convention: kept as "Z".
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 Z"), "2021-01-01T12:00:00Z");
    // The others "SHOULD all be considered equivalent to -0000" (RFC 5322 4.3).
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 A"), "2021-01-01T12:00:00-00:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 M"), "2021-01-01T12:00:00-00:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 y"), "2021-01-01T12:00:00-00:00");
}

TEST(Rfc3339Date, NoZoneIsAnUnknownOffset) {
    // last_attempt reads these as UTC; the timestamp says the same instant and that the offset is unknown.
    EXPECT_EQ(rfc3339_date("Fri, 21 Nov 1997 09:55:06"), "1997-11-21T09:55:06-00:00");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 12:00:00 XYZ"), "2021-01-01T12:00:00-00:00");
    EXPECT_EQ(rfc3339_date("Sun Nov  6 08:49:37 1994"), "1994-11-06T08:49:37-00:00");  // asctime
}

TEST(Rfc3339Date, AsctimeWithAZone) {
    // date(1)'s default output, asctime with a zone before the year.
    EXPECT_EQ(rfc3339_date("Mon Jan  2 15:04:05 MST 2006"), "2006-01-02T15:04:05-07:00");
    EXPECT_EQ(rfc3339_date("Sunday, 06-Nov-94 08:49:37 GMT"), "1994-11-06T08:49:37+00:00");  // RFC 850
}

TEST(Rfc3339Date, Iso8601) {
    EXPECT_EQ(rfc3339_date("1985-04-12T23:20:50.52Z"), "1985-04-12T23:20:50Z");
    EXPECT_EQ(rfc3339_date("1996-12-19T16:39:57-08:00"), "1996-12-19T16:39:57-08:00");
    EXPECT_EQ(rfc3339_date("1937-01-01T12:00:27.87+00:20"), "1937-01-01T12:00:27+00:20");
    EXPECT_EQ(rfc3339_date("2017-04-29T23:34:45-05"), "2017-04-29T23:34:45-05:00");
    EXPECT_EQ(rfc3339_date("2017/04/29 23:34:45 +09:00"), "2017-04-29T23:34:45+09:00");
}

TEST(Rfc3339Date, LeapSecondAndMidnight24) {
    EXPECT_EQ(rfc3339_date("Sat, 31 Dec 2016 23:59:60 +0000"), "2016-12-31T23:59:59+00:00");  // as last_attempt
    EXPECT_EQ(rfc3339_date("31 Dec 2020 24:00:00 +0100"), "2021-01-01T00:00:00+01:00");  // 24:00 is the next day
}

TEST(Rfc3339Date, TheSameInstantAsIsoDate) {
    // The offset-keeping form and last_attempt name one instant.
    EXPECT_EQ(iso_date("Thu, 13 Feb 1969 23:32:54 -0330"), "1969-02-14T03:02:54Z");
    EXPECT_EQ(rfc3339_date("Thu, 13 Feb 1969 23:32:54 -0330"), "1969-02-13T23:32:54-03:30");
}

TEST(Rfc3339Date, BadDatesAreEmpty) {
    EXPECT_EQ(rfc3339_date(""), "");
    EXPECT_EQ(rfc3339_date("yesterday"), "");
    EXPECT_EQ(rfc3339_date("Sun, 31 Feb 2021 10:00:00 +0900"), "");
    EXPECT_EQ(rfc3339_date("29 Feb 2021 10:00:00 +0000"), "");
    EXPECT_EQ(rfc3339_date("1 Jan 2021 25:00:00 +0000"), "");
    EXPECT_EQ(rfc3339_date("1 Jan 1899 10:00:00 +0000"), "");
    EXPECT_EQ(rfc3339_date("Thu, 29 Apr 2021"), "");  // no time
    EXPECT_EQ(rfc3339_date("10:00:00 +0000"), "");   // no date
    EXPECT_EQ(rfc3339_date("2021-13-01T10:00:00Z"), "");
    EXPECT_EQ(rfc3339_date("2017-04-29T23:34:45+99:00"), "");  // an offset RFC 3339 cannot write
    EXPECT_EQ(rfc3339_date("31 Dec 9999 24:00:00 +0000"), "");  // the next day is year 10000
    EXPECT_EQ(rfc3339_date(std::string(10000, '(')), "");
}
