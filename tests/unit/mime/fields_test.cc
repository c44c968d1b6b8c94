// Field helpers of lib/report: addresses, xtext, dates, status and reply codes, commands.
#include <gtest/gtest.h>

#include "report/fields.hh"

using namespace carom::report;

TEST(Address, TypesBracketsComments) {
    EXPECT_EQ(bare_address("rfc822; nobody@example.org"), "nobody@example.org");
    EXPECT_EQ(bare_address("RFC822;<Nobody@Example.org>"), "Nobody@Example.org");
    EXPECT_EQ(bare_address("\"Jane Doe\" <jane@example.org>"), "jane@example.org");
    EXPECT_EQ(bare_address("jane@example.org (Jane Doe)"), "jane@example.org");
    EXPECT_EQ(bare_address("Jane (the (nested) comment) <jane@example.org>"), "jane@example.org");
    EXPECT_EQ(bare_address("  <jane@example.org>  "), "jane@example.org");
    EXPECT_EQ(bare_address("<jane@example.org"), "jane@example.org");
    EXPECT_EQ(bare_address("mailto:jane@example.org"), "jane@example.org");
    EXPECT_EQ(bare_address(""), "");
    EXPECT_EQ(bare_address("rfc822;"), "");
}

TEST(Address, LocalPartsKeptAsWritten) {
    EXPECT_EQ(bare_address("rfc822; \"john smith\"@example.org"), "\"john smith\"@example.org");
    EXPECT_EQ(bare_address("<bounces+user=example.net@lists.example.com>"), "bounces+user=example.net@lists.example.com");
    EXPECT_EQ(bare_address("user+tag@example.org"), "user+tag@example.org");
    EXPECT_EQ(bare_address("\"a(b)\"@example.org"), "\"a(b)\"@example.org");  // no comment inside quotes
}

TEST(Address, DisplayNameLookingLikeAnAddress) {
    EXPECT_EQ(bare_address("fake@example.com <real@example.org>"), "real@example.org");
    EXPECT_EQ(bare_address("Name real@example.org"), "real@example.org");
}

TEST(Address, Utf8AddressTypes) {
    EXPECT_EQ(bare_address("utf-8; \xe7\x94\xb0\xe4\xb8\xad@example.jp"), "\xe7\x94\xb0\xe4\xb8\xad@example.jp");
    EXPECT_EQ(bare_address("utf-8; \\x{7530}\\x{4E2D}@example.jp"), "\xe7\x94\xb0\xe4\xb8\xad@example.jp");
    EXPECT_EQ(bare_address("utf-8; a\\x{ZZ}@example.jp"), "a\\x{ZZ}@example.jp");  // broken escape kept
}

TEST(Address, Lists) {
    auto l = address_list("\"Doe, Jane\" <jane@example.org>, bob@example.net (Bob, B.), <c@example.com>");
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[0], "jane@example.org");
    EXPECT_EQ(l[1], "bob@example.net");
    EXPECT_EQ(l[2], "c@example.com");
    l = address_list("team: a@example.org, b@example.org;, c@example.org");
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[0], "a@example.org");
    EXPECT_TRUE(address_list(" , ,").empty());
}

TEST(Xtext, Decoding) {
    EXPECT_EQ(xtext_decode("user+2Btag@example.org"), "user+tag@example.org");
    EXPECT_EQ(xtext_decode("a+3Db"), "a=b");
    EXPECT_EQ(xtext_decode("plain+tag@example.org"), "plain+tag@example.org");  // "+ta" is not hex
    EXPECT_EQ(xtext_decode("end+4"), "end+4");
}

TEST(Date, Rfc5322) {
    EXPECT_EQ(iso_date("Thu, 29 Apr 2021 23:34:45 +0900"), "2021-04-29T14:34:45Z");
    EXPECT_EQ(iso_date("Thu, 29 Apr 2021 23:34:45 -0500 (CDT)"), "2021-04-30T04:34:45Z");
    EXPECT_EQ(iso_date("29 Apr 2021 23:34 +0000"), "2021-04-29T23:34:00Z");
    EXPECT_EQ(iso_date("Thu,29 Apr 2021 23:34:45 +0000"), "2021-04-29T23:34:45Z");
    EXPECT_EQ(iso_date("Mon,  3 Jan 2022 01:02:03 +0530"), "2022-01-02T19:32:03Z");
}

TEST(Date, ObsoleteAndBrokenForms) {
    EXPECT_EQ(iso_date("Thu, 29 Apr 99 23:34:45 EST"), "1999-04-30T04:34:45Z");  // 2-digit year, named zone
    EXPECT_EQ(iso_date("29 Apr 21 23:34:45 GMT"), "2021-04-29T23:34:45Z");
    EXPECT_EQ(iso_date("Thu, 29 Apr 2021 23:34:45 JST"), "2021-04-29T14:34:45Z");
    EXPECT_EQ(iso_date("Thu, 29 Apr 2021 23:34:45"), "2021-04-29T23:34:45Z");      // no zone: UTC
    EXPECT_EQ(iso_date("Thu Apr 29 23:34:45 2021"), "2021-04-29T23:34:45Z");       // asctime
    EXPECT_EQ(iso_date("2021-04-29T23:34:45Z"), "2021-04-29T23:34:45Z");
    EXPECT_EQ(iso_date("2021-04-29T23:34:45.123+02:00"), "2021-04-29T21:34:45Z");
    EXPECT_EQ(iso_date("2021-04-29 23:34:45 +0000"), "2021-04-29T23:34:45Z");
    EXPECT_EQ(iso_date("29-04-2021 23:34"), "2021-04-29T23:34:00Z");
    EXPECT_EQ(iso_date("29-Apr-2021 23:34:45 +0000"), "2021-04-29T23:34:45Z");
    EXPECT_EQ(iso_date("Sat, 31 Dec 2022 23:59:60 +0000"), "2022-12-31T23:59:59Z");  // leap second
    EXPECT_EQ(iso_date("Sun, 1 Jan 2023 00:30:00 +0100"), "2022-12-31T23:30:00Z");
    EXPECT_EQ(iso_date("Tue, 29 Feb 2000 12:00:00 +0000"), "2000-02-29T12:00:00Z");
}

TEST(Date, UnparseableIsEmpty) {
    EXPECT_EQ(iso_date(""), "");
    EXPECT_EQ(iso_date("yesterday"), "");
    EXPECT_EQ(iso_date("Thu, 31 Feb 2021 10:00:00 +0000"), "");
    EXPECT_EQ(iso_date("Thu, 29 Foo 2021 10:00:00 +0000"), "");
    EXPECT_EQ(iso_date("Thu, 29 Apr 2021"), "");  // no time
    EXPECT_EQ(iso_date("99:99:99 1 Jan 2021"), "");
    EXPECT_EQ(iso_date(std::string(1000, '9')), "");
    EXPECT_EQ(iso_date("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18"), "");
}

TEST(Status, Find) {
    EXPECT_EQ(find_status("5.1.1"), "5.1.1");
    EXPECT_EQ(find_status("550 5.1.1 <x@example.org>: user unknown"), "5.1.1");
    EXPECT_EQ(find_status("#5.7.1 blocked"), "5.7.1");
    EXPECT_EQ(find_status("4.4.7 (delivery time expired)"), "4.4.7");
    EXPECT_EQ(find_status("5.0.912"), "5.0.912");
    EXPECT_EQ(find_status("version 1.5.1.1 of the server"), "");  // part of a longer number
    EXPECT_EQ(find_status("IP 192.5.1.10"), "");
    EXPECT_EQ(find_status("3.1.1"), "");
    EXPECT_EQ(find_status("5.1"), "");
    EXPECT_EQ(find_status(""), "");
}

TEST(ReplyCode, Leading) {
    EXPECT_EQ(leading_reply_code("550 5.1.1 user unknown"), "550");
    EXPECT_EQ(leading_reply_code(" 550-5.1.1 user unknown"), "550");
    EXPECT_EQ(leading_reply_code("452"), "452");
    EXPECT_EQ(leading_reply_code("5.1.1 no code"), "");
    EXPECT_EQ(leading_reply_code("5500 too long"), "");
    EXPECT_EQ(leading_reply_code("user unknown 550"), "");
    EXPECT_EQ(leading_reply_code("650 not smtp"), "");
}

TEST(Command, FromText) {
    EXPECT_EQ(command_from_text("host mx.example.org said: 550 no such user (in reply to RCPT TO command)"), "RCPT");
    EXPECT_EQ(command_from_text("554 rejected (in reply to end of DATA command)"), "DATA");
    EXPECT_EQ(command_from_text("SMTP error from remote mail server after MAIL FROM:<a@example.org>"), "MAIL");
    EXPECT_EQ(command_from_text("in reply to DATA command"), "DATA");
    EXPECT_EQ(command_from_text("550 user unknown"), "");
}

TEST(StripType, Hosts) {
    EXPECT_EQ(strip_type("dns; mx.example.org"), "mx.example.org");
    EXPECT_EQ(strip_type("mx.example.org"), "mx.example.org");
    EXPECT_EQ(strip_type("DNS;[192.0.2.1]"), "[192.0.2.1]");
}
