// Unit tests of the readers added for families beyond the shared corpus (GroupWise, Netscape,
// Exchange 5.5-2003 for Outlook, hMailServer, Courier, Dovecot/Cyrus rejections, phrase bounces)
// and of the localised fallback: the extraction cases that are easy to get wrong.
#include <gtest/gtest.h>

#include <string>

#include "base/limits.hh"
#include "formats/reader.hh"
#include "read_message.hh"
#include "mime/message.hh"
#include "report/report.hh"

namespace carom::formats {
namespace {

using testing::Read;
using testing::run;

TEST(Families, Exchange2000DisplayNameFoundInOriginalTo) {
    Read r = run(
        "From: System Administrator <postmaster@corp.example.com>\nTo: a@corp.example.com\n"
        "Subject: Undeliverable: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
        "Content-Type: text/plain\n\n"
        "Your message did not reach some or all of the intended recipients.\n\n"
        "The following recipient(s) could not be reached:\n\n"
        "      'Jo Ann Vega' on 1/2/2005 10:00 AM\n"
        "            The e-mail system was unable to deliver the message.\n"
        "            <mx1.corp.example.com #5.4.0>\n\n"
        "--b\nContent-Type: message/rfc822\n\nFrom: a@corp.example.com\n"
        "To: \"Jo Ann Vega\" <joann@example.org>, other@example.org\nSubject: x\n\nhi\n--b--\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "exchange2000");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].recipient, "joann@example.org");
    EXPECT_EQ(r.result.records[0].status, "5.4.0");
    EXPECT_EQ(r.result.records[0].reporting_mta, "mx1.corp.example.com");
    EXPECT_EQ(r.result.records[0].reply_code, "");
}

TEST(Families, Exchange2000ReadsLocalisedLayoutByIndentation) {
    Read r = run(
        "From: Systemadministrator <postmaster@example.de>\nTo: a@example.de\nSubject: Unzustellbar: x\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Ihre Nachricht hat einige oder alle Empfänger nicht erreicht.\n\n"
        "Folgende(r) Empfänger konnte(n) nicht erreicht werden:\n\n"
        "\tkarl@example.org am 03.04.2006 09:12\n"
        "\t\tDie E-Mail-Adresse konnte nicht gefunden werden.\n"
        "\t\t<srv.example.de #5.1.1 smtp;550 5.1.1 unknown user>\n"
        "\tlisa@example.org am 03.04.2006 09:12\n"
        "\t\t<srv.example.de #5.2.2 smtp;552 5.2.2 mailbox full>\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "exchange2000");
    ASSERT_EQ(r.result.records.size(), 2u);
    EXPECT_EQ(r.result.records[0].recipient, "karl@example.org");
    EXPECT_EQ(r.result.records[0].status, "5.1.1");
    EXPECT_EQ(r.result.records[0].reply_code, "550");
    EXPECT_EQ(r.result.records[1].recipient, "lisa@example.org");
    EXPECT_EQ(r.result.records[1].status, "5.2.2");
    EXPECT_EQ(r.result.records[1].reply_code, "552");
}

TEST(Families, HmailserverIsNotTakenForExchange) {
    Read r = run(
        "From: mailer-daemon@mail.example.com\nTo: a@example.net\nSubject: Message undeliverable: x\n\n"
        "Your message did not reach some or all of the intended recipients.\n\n"
        "The following recipient(s) could not be reached:\n\n"
        "b@example.org\n   Error Type: SMTP\n   Remote server (192.0.2.9) issued an error.\n"
        "   hMailServer sent: MAIL FROM:<a@example.net>\n   Remote server replied: 550 5.7.1 sender rejected\n\n"
        "hMailServer\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "hmailserver");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].recipient, "b@example.org");
    EXPECT_EQ(r.result.records[0].command, "MAIL");
    EXPECT_EQ(r.result.records[0].remote_mta, "192.0.2.9");
    EXPECT_EQ(r.result.records[0].diagnostic, "550 5.7.1 sender rejected");
}

TEST(Families, NetscapeOwnReasonBeatsTheSharedExplanation) {
    Read r = run(
        "From: Mail Administrator <Postmaster@ms.example.com>\nTo: a@example.net\n"
        "Subject: Mail System Error - Returned Mail\n\n"
        "This Message was undeliverable due to the following reason:\n\n"
        "Each of the following recipients was rejected by a remote mail server.\n\n"
        "    Recipient: <b@example.org>\n    Reason:    550 5.1.1 <b@example.org>... User unknown\n\n"
        "Please reply to Postmaster@ms.example.com\nif you feel this message to be in error.\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "netscape");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].diagnostic, "550 5.1.1 <b@example.org>... User unknown");
    EXPECT_EQ(r.result.records[0].status, "5.1.1");
}

TEST(Families, NetscapeStepsAsideForEzweb) {
    Read r = run(
        "From: Postmaster@ezweb.ne.jp\nTo: a@example.net\nSubject: Mail System Error - Returned Mail\n\n"
        "This Message was undeliverable due to the following reason:\n\n<b@ezweb.ne.jp>\n");
    EXPECT_NE(r.result.format, "netscape");
}

TEST(Families, GroupwiseJoinsAWrappedReason) {
    Read r = run(
        "From: postmaster@gw.example.com\nTo: a@example.net\nSubject: Message status - undeliverable\n"
        "X-Mailer: Novell GroupWise Internet Agent 7.0.3\n\n"
        "The message that you sent was undeliverable to the following:\n"
        "\tb@example.com (mailbox full:\n\t  quota exceeded)\n\tc@example.com (user not found)\n\n"
        "Possibly truncated original message follows:\n\nTo: d@example.com\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "groupwise");
    ASSERT_EQ(r.result.records.size(), 2u);
    EXPECT_EQ(r.result.records[0].recipient, "b@example.com");
    EXPECT_EQ(r.result.records[0].diagnostic, "mailbox full: quota exceeded");
    EXPECT_EQ(r.result.records[1].diagnostic, "user not found");
}

TEST(Families, CourierJoinsMultiLineRepliesAndKeepsTheCommand) {
    Read r = run(
        "From: Courier mail server at mx.example.com <@>\nTo: a@example.net\nSubject: DELIVERY FAILURE\n\n"
        "This is a delivery status notification from mx.example.com,\n"
        "running the Courier mail server, version 0.73.1.\n\n"
        "                        UNDELIVERABLE MAIL\n\n"
        "Your message to the following recipients cannot be delivered:\n\n"
        "<b@example.org>:\n    in.example.org [192.0.2.3]:\n>>> RCPT TO:<b@example.org>\n"
        "<<< 550-5.1.1 The email account that you tried to reach\n<<< 550 5.1.1 does not exist.\n\n"
        "---------------------------------------------------------------------------\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "courier");
    ASSERT_EQ(r.result.records.size(), 1u);
    const Record &x = r.result.records[0];
    EXPECT_EQ(x.command, "RCPT");
    EXPECT_EQ(x.remote_mta, "in.example.org");
    EXPECT_EQ(x.reporting_mta, "mx.example.com");
    EXPECT_EQ(x.diagnostic, "550-5.1.1 The email account that you tried to reach 550 5.1.1 does not exist.");
    EXPECT_EQ(x.status, "5.1.1");
}

TEST(Families, DovecotCustomSentenceFallsBackToFinalRecipient) {
    Read r = run(
        "From: MAILER-DAEMON@example.org\nTo: a@example.net\nSubject: Rejected: x\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=disposition-notification; boundary=z\n\n"
        "--z\nContent-Type: text/plain\n\nYour mail was refused by the recipient's filter.\n\n"
        "--z\nContent-Type: message/disposition-notification\n\n"
        "Reporting-UA: imap.example.org; Dovecot Mail Delivery Agent\nFinal-Recipient: rfc822; b@example.org\n"
        "Disposition: automatic-action/MDN-sent-automatically; deleted\n\n--z--\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "dovecot");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].recipient, "b@example.org");
    EXPECT_EQ(r.result.records[0].reporting_mta, "imap.example.org");
    EXPECT_EQ(r.result.records[0].command, "");
}

TEST(Families, ReadReceiptIsStillNotABounce) {
    const std::string raw =
        "From: b@example.org\nTo: a@example.net\nSubject: Read: x\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=disposition-notification; boundary=z\n\n"
        "--z\nContent-Type: text/plain\n\nYour message was displayed.\n\n"
        "--z\nContent-Type: message/disposition-notification\n\n"
        "Final-Recipient: rfc822; b@example.org\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\n\n--z--\n";
    Limits limits;
    mime::Message msg;
    std::string err;
    ASSERT_EQ(mime::parse(raw, limits, msg, err), CAROM_OK);
    EXPECT_TRUE(report::is_mdn(msg));
}

TEST(Families, PhraseTakesTheReturnedRecipientButNotTheSender) {
    Read r = run(
        "From: MAILER-DAEMON@gw.example.org\nTo: a@example.net\nSubject: Returned mail\n\n"
        "Mailbox full\n\n----- Original message -----\n"
        "From: a@example.net\nTo: b@example.org\nSubject: hi\n\nhello\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "phrase");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].recipient, "b@example.org");
    EXPECT_EQ(r.result.records[0].diagnostic, "Mailbox full");
}

TEST(Families, PhraseNeedsAFailureSentence) {
    Read r = run(
        "From: MAILER-DAEMON@gw.example.org\nTo: a@example.net\nSubject: Returned mail\n\n"
        "Here is your message back.\n\n----- Original message -----\n"
        "From: a@example.net\nTo: b@example.org\nSubject: hi\n\nhello\n");
    EXPECT_FALSE(r.ok);
}

TEST(Families, FallbackAddsTheLabelledReasonParagraph) {
    Read r = run(
        "From: mailer-daemon@mail.example.ru\nTo: a@example.net\nSubject: undelivered\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Ваше сообщение не может быть доставлено следующим получателям:\n\n    b@example.ru\n\n"
        "Причина: почтовый ящик переполнен\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "fallback");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].diagnostic, "b@example.ru Причина: почтовый ящик переполнен");
}

TEST(Families, QmailTranslatedGreeting) {
    Read r = run(
        "From: MAILER-DAEMON@mx.example.de\nTo: a@example.net\nSubject: failure notice\n\n"
        "Hallo. Hier ist das qmail-send Programm auf mx.example.de.\n"
        "Ihre Nachricht konnte nicht an folgende Adressen zugestellt werden.\n\n"
        "<b@example.de>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
        "--- Nachfolgend eine Kopie der Nachricht.\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "qmail");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].status, "5.1.1");
}

// The wording readers (phrase, fallback) need a bounce's structure besides their sentences
// (bounce_evidence, mta_common.hh). Each pair below is the same text, refused without the
// structure and read with it.
TEST(WordingNeedsStructure, PhraseDisplayNameIsNotAMailSystem) {
    const std::string text = "Subject: Returned mail\n\nUser unknown: b@example.org\n";
    // "Mail System" in the display name only: anyone may call themselves that
    Read refused = run("From: The Mail System Team <team@example.com>\nTo: a@example.net\n" + text);
    EXPECT_FALSE(refused.ok);
    EXPECT_TRUE(refused.result.records.empty());
    for (const char *structure : {"Return-Path: <>\nFrom: The Mail System Team <team@example.com>\n",
                                  "From: Mail System <MAILER-DAEMON@gw.example.com>\n",
                                  "From: The Mail System Team <team@example.com>\nAuto-Submitted: auto-generated\n"}) {
        Read r = run(std::string(structure) + "To: a@example.net\n" + text);
        ASSERT_TRUE(r.ok) << structure;
        EXPECT_EQ(r.result.format, "phrase") << structure;
        ASSERT_EQ(r.result.records.size(), 1u) << structure;
        EXPECT_EQ(r.result.records[0].recipient, "b@example.org") << structure;
    }
}

TEST(WordingNeedsStructure, PersonPastingAnIndentedNoticeIsAPerson) {
    const std::string notice =
        "Hi. This is the qmail-send program at mail.example.it.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "<anna@example.it>:\nSorry, no mailbox here by that name. (#5.1.1)\n";
    auto indented = [&](const std::string &lead) {
        std::string out;
        for (std::size_t b = 0; b < notice.size();) {
            std::size_t e = notice.find('\n', b);
            out += lead + notice.substr(b, e - b + 1);
            b = e + 1;
        }
        return out;
    };
    const std::string person = "From: Marco <marco@example.it>\nTo: support@example.com\nSubject: your newsletter\n\n"
                               "The log says:\n\n";
    for (const char *lead : {"  ", "\t", "> "}) {
        Read refused = run(person + indented(lead));
        EXPECT_TRUE(refused.result.records.empty()) << "lead [" << lead << "]";
    }
    // the same lines at the start of theirs: read, as are an indented notice from a mail system
    // and a forward
    Read plain = run(person + notice);
    ASSERT_EQ(plain.result.records.size(), 1u);
    EXPECT_EQ(plain.result.format, "qmail");
    for (const std::string &head :
         {std::string("Return-Path: <>\nFrom: MAILER-DAEMON@mail.example.it\nTo: s@example.com\nSubject: failure notice\n\n"),
          std::string("From: Marco <marco@example.it>\nTo: s@example.com\nSubject: Fwd: failure notice\n\n")}) {
        Read r = run(head + indented("  "));
        ASSERT_EQ(r.result.records.size(), 1u) << head;
        EXPECT_EQ(r.result.records[0].recipient, "anna@example.it") << head;
    }
}

TEST(WordingNeedsStructure, PostmasterReplyingInAConversationIsAPerson) {
    const std::string text =
        "From: Hostmaster <postmaster@small.example.org>\nTo: ada@example.com\n";
    const std::string body = "\nUser unknown is right, his mail now goes to office@small.example.org.\n";
    Read refused = run(text + "Subject: Re: cannot reach your users\nIn-Reply-To: <q@example.com>\n" + body);
    EXPECT_FALSE(refused.ok);
    EXPECT_TRUE(refused.result.records.empty());
    // the same sender and words, not a reply in a conversation: a mail-system notice
    Read r = run(text + "Subject: Returned mail\n" + body);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "phrase");
    // a null Return-Path is a bounce even under a reply subject
    Read n = run("Return-Path: <>\n" + text + "Subject: Re: cannot reach your users\nIn-Reply-To: <q@example.com>\n" + body);
    EXPECT_TRUE(n.ok);
}

TEST(WordingNeedsStructure, FallbackPhishingWithoutStructure) {
    const std::string rest =
        "To: raj@example.in\nSubject: Delivery Status Notification (Failure)\n\n"
        "Delivery to the following recipient failed permanently:\n\n     boss@example.in\n\n"
        "Renew your password at https://mx-status.example.org/renew\n";
    Read refused = run("From: Delivery Notification <notify@mx-status.example.org>\n"
                       "Return-Path: <bounce-1@mx-status.example.org>\n" + rest);
    EXPECT_FALSE(refused.ok);
    EXPECT_TRUE(refused.result.records.empty());
    for (const char *structure : {"From: Mail Delivery Subsystem <mailer-daemon@mx.example.org>\n",
                                  "From: Delivery Notification <notify@mx.example.org>\nX-Failed-Recipients: boss@example.in\n",
                                  "From: MAILER-DAEMON <>\n"}) {
        Read r = run(std::string(structure) + rest);
        ASSERT_TRUE(r.ok) << structure;
        EXPECT_EQ(r.result.format, "fallback") << structure;
        ASSERT_EQ(r.result.records.size(), 1u) << structure;
        EXPECT_EQ(r.result.records[0].recipient, "boss@example.in") << structure;
    }
}

TEST(WordingNeedsStructure, ReturnedOriginalCountsUnlessForwarded) {
    const std::string notice =
        "\nYour message could not be delivered to:\n\n    karl@example.net\n\n"
        "Reason: 550 5.1.1 mailbox unknown\n\nOriginal message follows.\n\n"
        "From: reports@example.com\nTo: karl@example.net\nSubject: Weekly report\n\nhello\n";
    const std::string from = "From: Mail Gateway <gateway@example.com>\nTo: reports@example.com\n";
    Read r = run(from + "Subject: Undeliverable message\n" + notice);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "fallback");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].recipient, "karl@example.net");
    // a person forwarding a message: the header block is what they pass on, not a returned original
    Read fwd = run("From: Olivia <olivia@example.net>\nTo: greg@example.net\nSubject: Fwd: Undeliverable message\n" +
                   notice);
    EXPECT_FALSE(fwd.ok);
    EXPECT_TRUE(fwd.result.records.empty());
    // no returned original and no sender structure: words only
    Read bare = run(from + "Subject: Undeliverable message\n\nYour message could not be delivered to:\n\n"
                           "    karl@example.net\n\nReason: 550 5.1.1 mailbox unknown\n");
    EXPECT_FALSE(bare.ok);
}

// A person's reply in a conversation that quotes a bounce without "> " (as Outlook does) is the
// person's mail: no format reader reads it. The same text forwarded, or sent by a mail system
// under a reply subject (Apache James answers with "Re:" and In-Reply-To), is read.
TEST(WordingNeedsStructure, PersonReplyQuotingABounceIsNotRead) {
    const std::string quoted =
        "\nmy old address is gone, use the new one.\n\n-----Original Message-----\n"
        "From: Tina <tina@example.org>\nSent: Tuesday, January 13, 2026 10:05\nTo: hans@example.at\n"
        "Subject: Mail delivery failed: returning message to sender\n\n"
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  hans@example.at\n    SMTP error from remote mail server after RCPT TO:<hans@example.at>:\n"
        "    550 5.1.1 User unknown\n";
    const std::string reply = "From: Hans <hans.g@example.at>\nTo: tina@example.org\n"
                              "Subject: RE: Mail delivery failed: returning message to sender\n";
    Read refused = run(reply + "In-Reply-To: <t-1@example.org>\n" + quoted);
    EXPECT_FALSE(refused.ok);
    EXPECT_TRUE(refused.result.records.empty());
    Read refs = run(reply + "References: <t-0@example.org> <t-1@example.org>\n" + quoted);
    EXPECT_FALSE(refs.ok);
    // not in a conversation (no In-Reply-To / References), forwarded, or from a mail system: read
    for (const std::string &head :
         {reply, std::string("From: Tina <tina@example.org>\nTo: it@example.org\nSubject: Fwd: Mail delivery failed\n"
                             "References: <t-1@example.org>\n"),
          std::string("From: Mail Delivery System <Mailer-Daemon@mx.example.org>\nTo: tina@example.org\n"
                      "Subject: Re: Mail delivery failed\nIn-Reply-To: <t-1@example.org>\n")}) {
        Read r = run(head + quoted);
        ASSERT_TRUE(r.ok) << head;
        EXPECT_EQ(r.result.format, "exim") << head;
        ASSERT_EQ(r.result.records.size(), 1u) << head;
        EXPECT_EQ(r.result.records[0].recipient, "hans@example.at") << head;
    }
}

}  // namespace
}  // namespace carom::formats
