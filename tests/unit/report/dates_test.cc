// iso_date against the reference implementation it replaced (old_iso_date.hh) on dates in the
// forms MTAs write and on random mutations of them, plus a few fixed answers.
#include <gtest/gtest.h>

#include <random>

#include "old_iso_date.hh"
#include "report/fields.hh"

using carom::report::iso_date;

TEST(IsoDate, FixedAnswers) {
    EXPECT_EQ(iso_date("Tue, 2 Mar 2021 10:00:05 +0100"), "2021-03-02T09:00:05Z");
    EXPECT_EQ(iso_date("2 Mar 21 10:00 JST"), "2021-03-02T01:00:00Z");
    EXPECT_EQ(iso_date("2017-04-29T23:34:45+09:00"), "2017-04-29T14:34:45Z");
    EXPECT_EQ(iso_date("Thu, 31 Dec 2020 23:30:00 -0100 (CET)"), "2021-01-01T00:30:00Z");
    EXPECT_EQ(iso_date("Mon Jan  4 07:08:09 2021"), "2021-01-04T07:08:09Z");
    EXPECT_EQ(iso_date("04-01-2021 07:08"), "2021-01-04T07:08:00Z");
    EXPECT_EQ(iso_date("4-Jan-2021 07:08:09 GMT"), "2021-01-04T07:08:09Z");
    EXPECT_EQ(iso_date("31 Dec 9999 23:00:00 -0200"), "10000-01-01T01:00:00Z");
    EXPECT_EQ(iso_date("31 Feb 2021 10:00:00"), "");
    EXPECT_EQ(iso_date("yesterday"), "");
    EXPECT_EQ(iso_date("1-2-3-4 10:00"), "");
    EXPECT_EQ(iso_date(""), "");
}

namespace {

const char *kSamples[] = {
    "Tue, 2 Mar 2021 10:00:05 +0100",
    "Wed, 14 Jul 2010 03:04:05 -0700 (PDT)",
    "14 Jul 10 03:04:05 EDT",
    "Sat, 29 Apr 2017 23:34:45 +0900 (JST)",
    "2017-04-29T23:34:45Z",
    "2017-04-29T23:34:45.123+09:30",
    "2017-04-29T23:34:45-05",
    "2017-04-29 23:34:45",
    "2017/04/29 23:34:45 +09:00",
    "29.04.2017 23:34",
    "29-Apr-2017 23:34:45 gmt",
    "Mon Feb 29 11:22:33 2016",
    "Fri, 13 Sep 99 01:02:03 MEZ",
    "Thu, 1 Jan 1970 00:00:00 +0000",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "6 November 1994, 8:49 +0530 (IST)",
    "Tue, 2 Mar 2021 10:00:05 +01:00 \"quoted (not a comment)\"",
    "12 Aug 2024 24:00:60 +2359",
    "12 Aug 2024 25:00:00",
    "12 Aug 2024 1:2:3 +123",
    "12 Aug 2024 10:20 -99:99",
    // the common form read by the one-pass reader, and its near misses
    "Thu, 1 Jan 2015 00:00:00 +0900",
    "Thu,1 Jan 2015 00:00 -0000 (UTC)",
    "  Fri,  31 Dec 1999   23:59:59   +2359   (GMT+09:00)  ",
    "0 Jan 2015 00:00:00 +0900",
    "32 Jan 2015 00:00:00 +0900",
    "Mar, 1 Jan 2015 00:00:00 +0900",
    "1 January 2015 00:00:00 +0900",
    "1 Jan 0999 00:00:00 +0900",
    "1 Jan 2015 24:00:60 +0000",
    "1 Jan 2015 00:00:00 +2400",
    "1 Jan 2015 00:00:00 +0900 (a (nested) comment)",
    "1 Jan 2015 00:00:00 +0900 (quoted \\) comment)",
    "1\tJan 2015 00:00:00 +0900",
};

}  // namespace

TEST(IsoDate, SameAsTheReferenceOnKnownForms) {
    for (const char *s : kSamples) EXPECT_EQ(iso_date(s), old_report::iso_date(s)) << s;
}

TEST(IsoDate, SameAsTheReferenceOnMutations) {
    std::mt19937 rng(20261123);
    const std::string alphabet = "0123456789 ,:-+/.TZz()\"\\\tJanFebMarAprDecGMTUTCjstPDTMonTue\n";
    int differences = 0, nonempty = 0;
    for (int round = 0; round < 60000; ++round) {
        std::string s = kSamples[rng() % (sizeof kSamples / sizeof *kSamples)];
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
            const char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
                case 0: s.insert(s.begin() + static_cast<long>(pos), c); break;
                case 1: if (pos < s.size()) s.erase(pos, 1 + rng() % 3); break;
                default: if (pos < s.size()) s[pos] = c; break;
            }
        }
        const std::string got = iso_date(s), want = old_report::iso_date(s);
        if (!want.empty()) ++nonempty;
        if (got != want && ++differences <= 10) ADD_FAILURE() << "'" << s << "': " << got << " != " << want;
    }
    EXPECT_EQ(differences, 0);
    EXPECT_GT(nonempty, 10000);  // the mutations keep many inputs readable: the comparison means something
}

// utc_string steps the date by a day by hand when the zone carries the time over midnight: every
// month end, leap and century years, the year range's ends, times and zones either side of
// midnight, against the reference (which counts days).
TEST(IsoDate, SameAsTheReferenceAcrossMidnight) {
    static const char *const kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int years[] = {1900, 1901, 1999, 2000, 2015, 2016, 2100, 9999};
    const int days[] = {1, 2, 27, 28, 29, 30, 31};
    const char *times[] = {"00:00:00", "00:59:59", "08:59:60", "12:00:00", "15:00:00", "23:59:59", "24:00:00", "24:59:60"};
    const char *zones[] = {"+0000", "+0100", "+0900", "+1400", "+2359", "-0000", "-0100", "-0500", "-1200", "-2359"};
    int compared = 0, moved = 0;
    for (int y : years)
        for (int mo = 0; mo < 12; ++mo)
            for (int d : days)
                for (const char *t : times)
                    for (const char *z : zones) {
                        const std::string s = std::to_string(d) + " " + kMonthNames[mo] + " " + std::to_string(y) + " " + t + " " + z;
                        const std::string got = iso_date(s), want = old_report::iso_date(s);
                        ASSERT_EQ(got, want) << s;
                        ++compared;
                        if (!want.empty() && std::stoi(want.substr(8, 2)) != d) ++moved;
                    }
    EXPECT_GT(compared, 30000);
    EXPECT_GT(moved, 10000);  // many of them change the day: the stepping is exercised
}
