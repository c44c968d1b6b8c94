// Reading gaps of the delivery-status reader (issue 14, item 6): quoted recipients, address types
// written with blanks, diagnostic types, recipient blocks that name no usable address and the
// X-Failed-Recipients header that names it instead.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mime/message.hh"
#include "parse_message.hh"
#include "report/fields.hh"
#include "report/report.hh"

using namespace carom;

namespace {

using report::testing::parse;

// A multipart/report bounce with the given extra header lines (each ending in "\n") and the
// given delivery-status body.
std::string bounce(const std::string &headers, const std::string &status) {
    return "From: Mail Delivery System <MAILER-DAEMON@relay.example.com>\n"
           "To: writer@example.com\n"
           "Subject: Undelivered Mail Returned to Sender\n" +
           headers +
           "MIME-Version: 1.0\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=\"=-b-=\"\n"
           "\n"
           "--=-b-=\n"
           "Content-Type: text/plain\n"
           "\n"
           "Your message could not be delivered.\n"
           "\n"
           "--=-b-=\n"
           "Content-Type: message/delivery-status\n"
           "\n"
           "Reporting-MTA: dns; relay.example.com\n"
           "\n" +
           status +
           "\n"
           "--=-b-=--\n";
}

std::vector<Record> dsn_records(const std::string &message) {
    Extraction ex;
    report::read_dsn(parse(message), ex);
    return ex.records;
}

}  // namespace

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

// ---- X-Failed-Recipients and recipient blocks without an address -----------------------------

TEST(ReadingGaps, BlockWithoutRecipientTakesTheFailedAddress) {
    const auto r = dsn_records(bounce("X-Failed-Recipients: kim@example.org\n",
                                      "Action: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx.example.org\n"
                                      "Diagnostic-Code: smtp; 550 5.1.1 <kim@example.org>: user unknown\n"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].recipient, "kim@example.org");
    EXPECT_EQ(r[0].action, "failed");
    EXPECT_EQ(r[0].status, "5.1.1");
    EXPECT_EQ(r[0].reply_code, "550");
    EXPECT_EQ(r[0].diagnostic_type, "smtp");
    EXPECT_EQ(r[0].diagnostic, "550 5.1.1 <kim@example.org>: user unknown");
    EXPECT_EQ(r[0].remote_mta, "mx.example.org");
    EXPECT_EQ(r[0].reporting_mta, "relay.example.com");
}

TEST(ReadingGaps, OriginalRecipientWithoutDomainJoinedByLocalPart) {
    const auto r = dsn_records(bounce("X-Failed-Recipients: lee@example.net, kim@example.org\n",
                                      "Original-Recipient: rfc822; kim\nAction: failed\nStatus: 5.2.2\n"
                                      "Diagnostic-Code: smtp; 552 5.2.2 mailbox full\n\n"
                                      "Final-Recipient: rfc822; lee@example.net\nAction: failed\nStatus: 5.1.1\n"));
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].recipient, "kim@example.org");
    EXPECT_EQ(r[0].original_recipient, "kim");
    EXPECT_EQ(r[0].status, "5.2.2");
    EXPECT_EQ(r[1].recipient, "lee@example.net");
    EXPECT_EQ(r[1].status, "5.1.1");
}

TEST(ReadingGaps, SeveralAnonymousBlocksJoinedInOrder) {
    const auto r = dsn_records(bounce("X-Failed-Recipients: one@example.org,\n two@example.net\n",
                                      "Action: failed\nStatus: 5.1.1\n\n"
                                      "Final-Recipient: rfc822;\nAction: failed\nStatus: 5.2.2\n"));
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].recipient, "one@example.org");
    EXPECT_EQ(r[0].status, "5.1.1");
    EXPECT_EQ(r[1].recipient, "two@example.net");
    EXPECT_EQ(r[1].status, "5.2.2");
}

TEST(ReadingGaps, NamedBlocksKeepTheirAddressesAndTheRestIsJoined) {
    // lee@ is named by its own block; the anonymous block is the one address left
    const auto r = dsn_records(bounce("X-Failed-Recipients: lee@example.net, kim@example.org\n",
                                      "Final-Recipient: rfc822; Lee@example.net\nAction: failed\nStatus: 5.1.1\n\n"
                                      "Action: failed\nStatus: 5.7.1\n"));
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].recipient, "Lee@example.net");
    EXPECT_EQ(r[1].recipient, "kim@example.org");
    EXPECT_EQ(r[1].status, "5.7.1");
}

TEST(ReadingGaps, NoGuessWhenTheCountsDiffer) {
    // two anonymous blocks, one address: which block is it? Neither record is made up.
    const auto r = dsn_records(bounce("X-Failed-Recipients: kim@example.org\n",
                                      "Action: failed\nStatus: 5.1.1\n\nAction: failed\nStatus: 5.2.2\n"));
    EXPECT_TRUE(r.empty());
    // without X-Failed-Recipients a block without an address gives no record, as before
    EXPECT_TRUE(dsn_records(bounce("", "Action: failed\nStatus: 5.1.1\n")).empty());
}
