// Unit tests of the provider, carrier and appliance readers (lib/formats/provider_*.cc): the
// extraction cases that are easy to get wrong.
#include <gtest/gtest.h>

#include <string>

#include "base/limits.hh"
#include "formats/reader.hh"
#include "read_message.hh"
#include "formats/text.hh"
#include "mime/message.hh"

namespace carom::formats {
namespace {

using testing::Read;
using testing::run;

const char *kSesHead =
    "From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
    "To: ops@example.com\n"
    "Subject: AWS Notification Message\n"
    "x-amz-sns-message-id: 00000000-0000-0000-0000-000000000001\n"
    "Content-Type: text/plain; charset=UTF-8\n\n";

TEST(AmazonSes, SnsEnvelopeWithEscapedNotification) {
    std::string body =
        "{\n  \"Type\" : \"Notification\",\n  \"Message\" : \"{\\\"notificationType\\\":\\\"Bounce\\\","
        "\\\"bounce\\\":{\\\"bounceType\\\":\\\"Permanent\\\",\\\"bounceSubType\\\":\\\"General\\\","
        "\\\"bouncedRecipients\\\":[{\\\"emailAddress\\\":\\\"a@example.org\\\",\\\"action\\\":\\\"failed\\\","
        "\\\"status\\\":\\\"5.1.1\\\",\\\"diagnosticCode\\\":\\\"smtp; 550 5.1.1 no such user\\\"},"
        "{\\\"emailAddress\\\":\\\"b@example.net\\\",\\\"status\\\":\\\"5.2.2\\\"}],"
        "\\\"reportingMTA\\\":\\\"dsn; a1-2.smtp-out.example.com\\\"}}\"\n}\n";
    Read r = run(std::string(kSesHead) + body);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "amazonses");
    ASSERT_EQ(r.result.records.size(), 2u);
    EXPECT_EQ(r.result.records[0].recipient, "a@example.org");
    EXPECT_EQ(r.result.records[0].status, "5.1.1");
    EXPECT_EQ(r.result.records[0].reply_code, "550");
    EXPECT_EQ(r.result.records[0].diagnostic, "550 5.1.1 no such user");
    EXPECT_EQ(r.result.records[0].diagnostic_type, "smtp");
    EXPECT_EQ(r.result.records[0].remote_mta, "a1-2.smtp-out.example.com");
    EXPECT_EQ(r.result.records[1].recipient, "b@example.net");
    EXPECT_EQ(r.result.records[1].action, "failed");  // from bounceType Permanent
    EXPECT_EQ(r.result.records[1].status, "5.2.2");
}

TEST(AmazonSes, FoldedLinesAreJoined) {
    // Sendmail-style "!\n " folding inside a string value, and plain "\n " folding.
    std::string body =
        "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Transient\",\"bounce!\n SubType\":\"MailboxFull\",\n"
        " \"bouncedRecipients\":[{\"emailAddress\":\"c@exa!\n mple.org\"}]}}\n";
    Read r = run(std::string(kSesHead) + body);
    ASSERT_TRUE(r.ok);
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].recipient, "c@example.org");
    EXPECT_EQ(r.result.records[0].action, "delayed");
    EXPECT_NE(r.result.records[0].diagnostic.find("MailboxFull"), std::string::npos);
}

TEST(AmazonSes, ComplaintIsFeedback) {
    std::string body =
        "{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":"
        "\"d@example.org\"}],\"complaintFeedbackType\":\"not-spam\"}}\n";
    Read r = run(std::string(kSesHead) + body);
    ASSERT_TRUE(r.ok);
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].cls, CAROM_CLASS_FEEDBACK);  // a complaint, not a bounce
    EXPECT_EQ(r.result.records[0].feedback_type, "not-spam");
}

TEST(AmazonSes, DeeplyNestedOrBrokenJsonIsRejected) {
    std::string deep = "{\"notificationType\":\"Bounce\",\"x\":" + std::string(5000, '[') + "\n";
    Read r = run(std::string(kSesHead) + deep);
    EXPECT_TRUE(r.result.records.empty());
    Read r2 = run(std::string(kSesHead) + "{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[{\"emailAddress\"\n");
    EXPECT_TRUE(r2.result.records.empty());
}

TEST(Gmail, StateNamesTheCommandAndDuplicatedCodeIsRead) {
    Read r = run(
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
        "Subject: Delivery Status Notification (Failure)\n\n"
        "Delivery to the following recipient failed permanently:\n\n     x@example.org\n\n"
        "Technical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by the "
        "recipient domain. The error that the other server returned was: 554 554 5.7.1 Client host rejected "
        "(state 13).\n\n----- Original message -----\n\nTo: x@example.org\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "gmail");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].reply_code, "554");
    EXPECT_EQ(r.result.records[0].status, "5.7.1");
    EXPECT_EQ(r.result.records[0].command, "EHLO");
}

TEST(MailRu, DuplicatedListsGiveOneRecordPerAddress) {
    Read r = run(
        "From: mailer-daemon@corp.mail.ru\nSubject: Mail failure.\n\n"
        "list:\n\n  a@example.org\n    host mx.example.org [192.0.2.1]: 550 5.1.1 unknown\n  b@example.org\n"
        "    host mx.example.org [192.0.2.1]: 552 5.2.2 full\n\n**********************\n\n"
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  a@example.org\n    host mx.example.org [192.0.2.1]: 550 5.1.1 unknown\n  b@example.org\n"
        "    host mx.example.org [192.0.2.1]: 552 5.2.2 full\n");
    ASSERT_TRUE(r.ok);
    ASSERT_EQ(r.result.records.size(), 2u);
    EXPECT_EQ(r.result.records[0].reply_code, "550");
    EXPECT_EQ(r.result.records[1].status, "5.2.2");
    EXPECT_EQ(r.result.records[1].remote_mta, "mx.example.org");
}

TEST(Yahoo, ReplyCodeBeforeColon) {
    Read r = run(
        "From: MAILER-DAEMON@yahoo.com\nSubject: Failure Notice\n\n"
        "Sorry, we were unable to deliver your message to the following address.\n\n"
        "<z@example.org>:\n550: : User unknown\n\n--- Below this line is a copy of the message.\n\nTo: <q@example.org>\n");
    ASSERT_TRUE(r.ok);
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].recipient, "z@example.org");
    EXPECT_EQ(r.result.records[0].reply_code, "550");
}

TEST(Aol, ScreenNamesWithoutDomainOnlyFromAol) {
    const std::string body =
        "Subject: Returned mail: User unknown\n\n"
        "Your mail to the following recipients could not be delivered because they are not\n"
        "accepting mail from s@example.org:\n\tsailor77\n\tdeck.hand@aol.com\n\nThank you.\n";
    Read r = run("From: MAILER-DAEMON@aol.com\n" + body);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "aol");
    ASSERT_EQ(r.result.records.size(), 2u);
    EXPECT_EQ(r.result.records[0].recipient, "sailor77@aol.com");
    EXPECT_EQ(r.result.records[1].recipient, "deck.hand@aol.com");
    // The same words from anyone but AOL's mail system are not AOL's notice.
    Read other = run("From: friend@example.net\n" + body);
    EXPECT_NE(other.result.format, "aol");
}

TEST(TextHelpers, SqueezeBeforeOriginalHostAfter) {
    EXPECT_EQ(squeeze("  a \n\t b  "), "a b");
    EXPECT_EQ(before_original("x\n----- Original message -----\ny"), "x\n");
    EXPECT_EQ(host_after("host mx.example.org[192.0.2.1] said", "host "), "mx.example.org");
    EXPECT_EQ(host_after("by mx1.example.de. [198.51.100.40]", "by "), "mx1.example.de");
    EXPECT_EQ(host_after("no host here", "by "), "");
}

}  // namespace
}  // namespace carom::formats
