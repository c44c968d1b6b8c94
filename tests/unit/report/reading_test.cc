// Reading gaps of the delivery-status reader (issue 14, item 6): quoted recipients, address types
// written with blanks, diagnostic types, recipient blocks that name no usable address and the
// X-Failed-Recipients header that names it instead.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/fields.hh"
#include "report/report.hh"

using namespace carom;

// ---- addresses --------------------------------------------------------------------------------

TEST(ReadingGaps, QuotesAroundTheWholeAddressDropped) {
    EXPECT_EQ(report::bare_address("rfc822; <\"quoted@example.com\">"), "quoted@example.com");
    EXPECT_EQ(report::bare_address("rfc822;\"a@example.org\""), "a@example.org");
    EXPECT_EQ(report::bare_address("\"kim.lee@example.org\""), "kim.lee@example.org");
    EXPECT_EQ(report::bare_address("Kim <\"kim@example.org\">"), "kim@example.org");
    // the local part inside needs quoting: the quotes go around it, as RFC 5321 writes it
    EXPECT_EQ(report::bare_address("<\"kim lee@example.org\">"), "\"kim lee\"@example.org");
}

TEST(ReadingGaps, QuotesAroundAPlainLocalPartDropped) {
    EXPECT_EQ(report::bare_address("rfc822; \"quoted\"@example.com"), "quoted@example.com");
    EXPECT_EQ(report::bare_address("<\"first.last\"@example.org>"), "first.last@example.org");
    EXPECT_EQ(report::bare_address("\"tag+x=y\"@example.org"), "tag+x=y@example.org");
}

TEST(ReadingGaps, QuotesANeededLocalPartKept) {
    EXPECT_EQ(report::bare_address("rfc822; \"john doe\"@example.com"), "\"john doe\"@example.com");
    EXPECT_EQ(report::bare_address("\".dot\"@example.org"), "\".dot\"@example.org");     // not a dot-atom
    EXPECT_EQ(report::bare_address("\"a..b\"@example.org"), "\"a..b\"@example.org");
    EXPECT_EQ(report::bare_address("\"a@b\"@example.org"), "\"a@b\"@example.org");
    EXPECT_EQ(report::bare_address("\"a\\\"b\"@example.org"), "\"a\\\"b\"@example.org");  // escaped quote
    EXPECT_EQ(report::bare_address("\"\"@example.org"), "\"\"@example.org");            // empty local part
    // a quoted word that is no address stays as it is
    EXPECT_EQ(report::bare_address("\"postmaster\""), "\"postmaster\"");
}

TEST(ReadingGaps, AddressTypeWithBlanksAroundTheSemicolon) {
    EXPECT_EQ(report::bare_address("rfc822\t;\tkim@example.org"), "kim@example.org");
    EXPECT_EQ(report::bare_address("RFC822 ; kim@example.org"), "kim@example.org");
    EXPECT_EQ(report::strip_type("dns\t; mx.example.org"), "mx.example.org");
}

// ---- delivery-status fields ---------------------------------------------------------------------

TEST(ReadingGaps, FinalRecipientVariants) {
    std::vector<Record> r;
    report::parse_delivery_status("Final-Recipient: rfc822; <\"one@example.org\">\nAction: failed\nStatus: 5.1.1\n\n"
                                  "Final-Recipient: rfc822\t;\ttwo@example.org\nAction: failed\nStatus: 5.1.1\n\n"
                                  "Final-Recipient: RFC822; \"three\"@example.org\nAction: failed\nStatus: 5.1.1\n",
                                  r);
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].recipient, "one@example.org");
    EXPECT_EQ(r[1].recipient, "two@example.org");
    EXPECT_EQ(r[2].recipient, "three@example.org");
}

TEST(ReadingGaps, ReplyCodeIsNoDiagnosticType) {
    std::vector<Record> r;
    report::parse_delivery_status("Final-Recipient: rfc822; kim@example.org\nAction: failed\nStatus: 5.2.2\n"
                                  "Diagnostic-Code: 552; mailbox over quota\n\n"
                                  "Final-Recipient: rfc822; lee@example.org\nAction: failed\nStatus: 5.1.1\n"
                                  "Diagnostic-Code: X-Local2; no such mailbox\n",
                                  r);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].diagnostic_type, "");
    EXPECT_EQ(r[0].diagnostic, "552; mailbox over quota");
    EXPECT_EQ(r[0].reply_code, "552");
    EXPECT_EQ(r[1].diagnostic_type, "x-local2");  // a type may hold digits after its first letter
    EXPECT_EQ(r[1].diagnostic, "no such mailbox");
}

// Final-Recipient names a local alias; X-Actual-Recipient the address that failed.
TEST(ReadingGaps, ActualRecipientWhenFinalIsNoAddress) {
    std::vector<Record> r;
    report::parse_delivery_status("Final-Recipient: rfc822; kim\nX-Actual-Recipient: rfc822; kim.lee@example.org\n"
                                  "Action: failed\nStatus: 5.2.2\n\n"
                                  "Final-Recipient: rfc822; lee@example.org\nX-Actual-Recipient: rfc822; |/usr/bin/filter\n"
                                  "Action: failed\nStatus: 5.1.1\n",
                                  r);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].recipient, "kim.lee@example.org");
    EXPECT_EQ(r[1].recipient, "lee@example.org");  // a usable Final-Recipient stays
}
