// Field helpers of lib/report on hand-written values: addresses (RFC 5322 3.4, RFC 5321 4.1.2,
// RFC 6533), xtext (RFC 3461 4), comments (RFC 5322 3.2.2), dates (in dates_test.cc), status
// codes (RFC 3463), reply codes and commands.
#include <gtest/gtest.h>

#include <string>
#include <vector>

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

TEST(Address, Rfc5322Examples) {
    // Appendix A.1.1 and A.1.2
    EXPECT_EQ(bare_address("John Doe <jdoe@machine.example>"), "jdoe@machine.example");
    EXPECT_EQ(bare_address("\"Joe Q. Public\" <john.q.public@example.com>"), "john.q.public@example.com");
    EXPECT_EQ(address_list("Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>"),
              (std::vector<std::string>{"mary@x.test", "jdoe@example.org", "one@y.test"}));
    // a ';' inside a quoted display name does not end anything
    EXPECT_EQ(address_list("<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>"),
              (std::vector<std::string>{"boss@nil.test", "sysservices@example.net"}));
    // Appendix A.1.3: groups, the empty one included
    EXPECT_EQ(address_list("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;"),
              (std::vector<std::string>{"c@a.test", "joe@where.test", "jdoe@one.test"}));
    EXPECT_TRUE(address_list("Undisclosed recipients:;").empty());
    // Appendix A.5: comments and folding white space
    EXPECT_EQ(bare_address("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>"), "pete@silly.test");
}

TEST(Address, QuotesOnlyWhereNeeded) {
    // RFC 5321 4.1.2: a quoted local part that is a dot-atom is the same mailbox without quotes.
    EXPECT_EQ(unquote_address("\"a@example.org\""), "a@example.org");
    EXPECT_EQ(unquote_address("\"a.b\"@example.org"), "a.b@example.org");
    EXPECT_EQ(unquote_address("\"john doe\"@example.org"), "\"john doe\"@example.org");
    EXPECT_EQ(unquote_address("\"john doe@example.org\""), "\"john doe\"@example.org");
    EXPECT_EQ(unquote_address("\"a..b\"@example.org"), "\"a..b\"@example.org");  // not a dot-atom
    EXPECT_EQ(unquote_address("\".a\"@example.org"), "\".a\"@example.org");
    EXPECT_EQ(unquote_address("plain@example.org"), "plain@example.org");
    EXPECT_EQ(unquote_address("\"unclosed@example.org"), "\"unclosed@example.org");
    EXPECT_EQ(unquote_address("\"a\"@"), "\"a\"@");  // no domain: as it is
    EXPECT_EQ(bare_address("rfc822; <\"a.b\"@example.org>"), "a.b@example.org");
}

TEST(Address, ListLimitCountsOneValue) {
    std::string many;
    for (int i = 0; i < 10050; ++i) many += "u" + std::to_string(i) + "@example.org,";
    EXPECT_EQ(address_list(many).size(), 10000u);
    std::vector<std::string> out(5, "earlier@example.org");  // appended after what is there
    append_address_list(many, out);
    ASSERT_EQ(out.size(), 10005u);
    EXPECT_EQ(out[4], "earlier@example.org");
    EXPECT_EQ(out[5], "u0@example.org");
    EXPECT_EQ(out.back(), "u9999@example.org");
}

TEST(Xtext, Decoding) {
    // RFC 3461 4: hexchar is "+" and two upper-case hex digits.
    EXPECT_EQ(xtext_decode("user+2Btag@example.org"), "user+tag@example.org");
    EXPECT_EQ(xtext_decode("a+3Db"), "a=b");
    EXPECT_EQ(xtext_decode("+41+42"), "AB");
    EXPECT_EQ(xtext_decode("a+2bb@example.org"), "a+2bb@example.org");  // lower-case hex is not xtext
    EXPECT_EQ(xtext_decode("plain+tag@example.org"), "plain+tag@example.org");  // "+ta" is not hex
    EXPECT_EQ(xtext_decode("end+4"), "end+4");
    EXPECT_EQ(xtext_decode("end+"), "end+");
    EXPECT_EQ(xtext_decode(""), "");
}

TEST(Comments, RemovedOutsideQuotedStrings) {
    EXPECT_EQ(strip_comments("no comment"), "no comment");
    EXPECT_EQ(strip_comments("a (b) c"), "a  c");
    EXPECT_EQ(strip_comments("a (b (nested) c) d"), "a  d");
    EXPECT_EQ(strip_comments("a (b \\) still b) c"), "a  c");  // a quoted pair inside a comment
    EXPECT_EQ(strip_comments("\"(kept)\" x"), "\"(kept)\" x");   // not a comment inside quotes
    EXPECT_EQ(strip_comments("\"a \\\" (kept)\" (gone)"), "\"a \\\" (kept)\" ");
    EXPECT_EQ(strip_comments("a (unclosed"), "a ");
    EXPECT_EQ(strip_comments("a) b"), "a) b");  // a ')' that closes nothing is text
    EXPECT_EQ(strip_comments(""), "");
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
    EXPECT_EQ(command_from_text("reply to EHLO: refused"), "EHLO");
    EXPECT_EQ(command_from_text("timeout AFTER end of DATA"), "DATA");  // any case
    EXPECT_EQ(command_from_text("In reply to Connect to mx.example.org"), "CONN");
    EXPECT_EQ(command_from_text("after nothing"), "");
    // "in reply to" is preferred to "after", "after" to "reply to", wherever each stands
    EXPECT_EQ(command_from_text("after a while, in reply to mail from"), "MAIL");
    EXPECT_EQ(command_from_text("reply to HELO then after DATA"), "DATA");
    const std::string pad(600, 'x');
    EXPECT_EQ(command_from_text(pad + " in reply to RCPT TO command"), "RCPT");
    EXPECT_EQ(command_from_text(pad), "");
}

TEST(StripType, Hosts) {
    EXPECT_EQ(strip_type("dns; mx.example.org"), "mx.example.org");
    EXPECT_EQ(strip_type("mx.example.org"), "mx.example.org");
    EXPECT_EQ(strip_type("DNS;[192.0.2.1]"), "[192.0.2.1]");
    EXPECT_EQ(strip_type("  rfc822;user@example.org "), "user@example.org");
    EXPECT_EQ(strip_type("x-local-host; a;b"), "a;b");  // only the first ';' ends the type
    EXPECT_EQ(strip_type(";host"), ";host");            // no type before it
    EXPECT_EQ(strip_type("a very long type name here; host"), "a very long type name here; host");  // too long
    EXPECT_EQ(strip_type_view("dns; mx.example.org (192.0.2.1)"), "mx.example.org (192.0.2.1)");
}
