// lib/report readers on project-written messages: delivery status (RFC 3464 / RFC 6533), the
// returned original, ARF, RFC 3834 and MDN.
#include <gtest/gtest.h>

#include "mime/message.hh"
#include "parse_message.hh"
#include "report/report.hh"

using namespace carom;

namespace {

using report::testing::parse;

const char *kDsnBody =
    "Reporting-MTA: dns; mx1.example.com\n"
    "X-Postfix-Queue-ID: 4AB12CD\n"
    "X-Postfix-Sender: rfc822; sender@example.com\n"
    "Arrival-Date: Tue, 2 Mar 2021 10:00:00 +0100\n"
    "Original-Envelope-Id: env-123\n"
    "\n"
    "Final-Recipient: rfc822; first@example.net\n"
    "Original-Recipient: rfc822; first+2Balias@example.net\n"
    "Action: failed\n"
    "Status: 5.0.0\n"
    "Remote-MTA: dns; mx.example.net (192.0.2.25)\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <first@example.net>: Recipient address\n"
    "    rejected: User unknown (in reply to RCPT TO command)\n"
    "Last-Attempt-Date: Tue, 2 Mar 2021 10:00:05 +0100\n"
    "\n"
    "Final-Recipient: rfc822;<second@example.org>\n"
    "Action: Delayed\n"
    "Status: 4.4.1 (connection timed out)\n"
    "Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.26]:25: Connection\n"
    "timed out\n"
    "Will-Retry-Until: Fri, 5 Mar 2021 10:00:00 +0100\n"
    "Final-Recipient: rfc822; third@example.org\n"
    "Action: delivered\n"
    "Status: 2.0.0\n";

}  // namespace

TEST(DeliveryStatus, Fields) {
    report::DeliveryStatus ds = report::parse_delivery_status_fields(kDsnBody);
    EXPECT_EQ(*ds.per_message.get("reporting-mta"), "dns; mx1.example.com");
    EXPECT_EQ(*ds.per_message.get("original-envelope-id"), "env-123");
    EXPECT_EQ(*ds.per_message.get("x-postfix-sender"), "rfc822; sender@example.com");
    ASSERT_EQ(ds.recipients.size(), 3u);  // the third has no blank line before it
    EXPECT_EQ(*ds.recipients[1].get("will-retry-until"), "Fri, 5 Mar 2021 10:00:00 +0100");
}

TEST(DeliveryStatus, Records) {
    std::vector<Record> r;
    ASSERT_EQ(report::parse_delivery_status(kDsnBody, r), 3u);
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].recipient, "first@example.net");
    EXPECT_EQ(r[0].original_recipient, "first+alias@example.net");
    EXPECT_EQ(r[0].action, "failed");
    EXPECT_EQ(r[0].status, "5.1.1");  // generic 5.0.0 refined from the diagnostic
    EXPECT_EQ(r[0].reply_code, "550");
    EXPECT_EQ(r[0].diagnostic_type, "smtp");
    EXPECT_EQ(r[0].diagnostic,
              "550 5.1.1 <first@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command)");
    EXPECT_EQ(r[0].remote_mta, "mx.example.net");
    EXPECT_EQ(r[0].reporting_mta, "mx1.example.com");
    EXPECT_EQ(r[0].command, "RCPT");
    EXPECT_EQ(r[0].last_attempt, "2021-03-02T09:00:05Z");
    EXPECT_EQ(r[1].recipient, "second@example.org");
    EXPECT_EQ(r[1].action, "delayed");
    EXPECT_EQ(r[1].status, "4.4.1");
    EXPECT_EQ(r[1].diagnostic_type, "x-postfix");
    EXPECT_EQ(r[1].diagnostic, "connect to mx.example.org[192.0.2.26]:25: Connection timed out");
    EXPECT_EQ(r[1].reply_code, "");
    EXPECT_EQ(r[2].recipient, "third@example.org");
    EXPECT_EQ(r[2].action, "delivered");
    EXPECT_EQ(r[2].reporting_mta, "mx1.example.com");
}

TEST(DeliveryStatus, StatusRules) {
    std::vector<Record> r;
    // missing Status: taken from the diagnostic
    report::parse_delivery_status("Final-Recipient: rfc822; a@example.org\nAction: failed\n"
                                  "Diagnostic-Code: smtp; 552 5.2.2 mailbox full\n",
                                  r);
    // the remote server's "reply code + enhanced code" wins over a specific Status
    report::parse_delivery_status("Final-Recipient: rfc822; b@example.org\nStatus: 5.1.1\n"
                                  "Diagnostic-Code: smtp; 550-5.7.1 blocked\n",
                                  r);
    // a code of another class does not refine
    report::parse_delivery_status("Final-Recipient: rfc822; c@example.org\nStatus: 5.0.0\n"
                                  "Diagnostic-Code: smtp; 550 4.2.2 odd\n",
                                  r);
    // a specific Status stays when the diagnostic only mentions a code later in its text
    report::parse_delivery_status("Final-Recipient: rfc822; d@example.org\nStatus: 5.7.1\n"
                                  "Diagnostic-Code: smtp; 550 rejected, see 5.1.1 in the FAQ\n",
                                  r);
    // a 4xx Status with a 5xx reply: the reply's own code wins
    report::parse_delivery_status("Final-Recipient: rfc822; e@example.org\nStatus: 4.5.0\n"
                                  "Diagnostic-Code: smtp; 550 5.5.0 service refused\n",
                                  r);
    ASSERT_EQ(r.size(), 5u);
    EXPECT_EQ(r[0].status, "5.2.2");
    EXPECT_EQ(r[1].status, "5.7.1");
    EXPECT_EQ(r[2].status, "5.0.0");
    EXPECT_EQ(r[3].status, "5.7.1");
    EXPECT_EQ(r[4].status, "5.5.0");
}

TEST(DeliveryStatus, RecipientFallbacksAndOrder) {
    std::vector<Record> r;
    // Original-Recipient after Final-Recipient, no blank line before the next recipient
    report::parse_delivery_status("Action: failed\nFinal-Recipient: rfc822; a@example.org\n"
                                  "Original-Recipient: rfc822; a@example.org\nStatus: 5.1.1\n"
                                  "Final-Recipient: rfc822; b@example.org\nOriginal-Recipient: rfc822;b@example.org\n"
                                  "Status: 5.1.2\n",
                                  r);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].status, "5.1.1");
    EXPECT_EQ(r[1].status, "5.1.2");
    r.clear();
    // Final-Recipient an internal alias: the Original-Recipient is reported
    report::parse_delivery_status("Original-Recipient: rfc822;user@example.org\n"
                                  "Final-Recipient: rfc822;@relay.example.org:user@mailhost\nAction: failed\n",
                                  r);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].recipient, "user@example.org");
    r.clear();
    // no recipient at all: no record
    EXPECT_EQ(report::parse_delivery_status("Reporting-MTA: dns; a.example\n\nAction: failed\nStatus: 5.0.0\n", r), 0u);
    EXPECT_EQ(report::parse_delivery_status("", r), 0u);
}

TEST(DeliveryStatus, StopsAtTheReturnedHeaders) {
    std::vector<Record> r;
    report::parse_delivery_status("Final-Recipient: rfc822; a@example.org\nAction: failed\n\n"
                                  "Received: from x\nStatus: RO\nFinal-Recipient: rfc822; z@example.org\n",
                                  r);
    // the second block has DSN fields, so it is read; but a block without any ends the report
    r.clear();
    report::parse_delivery_status("Final-Recipient: rfc822; a@example.org\nAction: failed\n\n"
                                  "Received: from x\nSubject: hi\n\nFinal-Recipient: rfc822; z@example.org\n",
                                  r);
    ASSERT_EQ(r.size(), 1u);
}

TEST(Dsn, MultipartReportAtAnyDepth) {
    std::string mail =
        "From: MAILER-DAEMON@mx.example.com\nSubject: failure\nContent-Type: multipart/mixed; boundary=o\n\n"
        "--o\nContent-Type: text/plain\n\nSee the report.\n"
        "--o\nContent-Type: multipart/report; report-type=delivery-status; boundary=i\n\n"
        "--i\nContent-Type: text/plain\n\nhuman part\n"
        "--i\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
        "Final-Recipient: rfc822; nested@example.org\nAction: failed\nStatus: 5.1.1\n"
        "--i--\n--o--\n";
    Extraction ex;
    ASSERT_TRUE(report::read_dsn(parse(mail), ex));
    ASSERT_EQ(ex.records.size(), 1u);
    EXPECT_EQ(ex.records[0].recipient, "nested@example.org");
    EXPECT_EQ(ex.format, "rfc3464");
    EXPECT_TRUE(ex.bounce);
}

TEST(Dsn, GlobalDeliveryStatusEncoded) {
    // message/global-delivery-status, base64: "Final-Recipient: utf-8; δοκιμή@example.gr\nAction: failed\nStatus: 5.1.1\n"
    std::string mail =
        "From: postmaster@example.com\nContent-Type: multipart/report; report-type=global-delivery-status; "
        "boundary=g\n\n--g\nContent-Type: message/global-delivery-status\nContent-Transfer-Encoding: base64\n\n"
        "RmluYWwtUmVjaXBpZW50OiB1dGYtODsgzrTOv866zrnOvM6uQGV4YW1wbGUuZ3IKQWN0aW9uOiBm\n"
        "YWlsZWQKU3RhdHVzOiA1LjEuMQo=\n--g--\n";
    Extraction ex;
    ASSERT_TRUE(report::read_dsn(parse(mail), ex));
    ASSERT_EQ(ex.records.size(), 1u);
    EXPECT_EQ(ex.records[0].recipient, "\xce\xb4\xce\xbf\xce\xba\xce\xb9\xce\xbc\xce\xae@example.gr");
    EXPECT_EQ(ex.records[0].status, "5.1.1");
}

TEST(Dsn, InlineBlockInPlainText) {
    std::string mail =
        "From: MAILER-DAEMON@mx.example.com\nSubject: Returned mail\n\nThe message could not be delivered.\n\n"
        "Reporting-MTA: dns; mx.example.com\n\nfinal-recipient: RFC822; inline@example.org\nACTION: failed\n"
        "status: 5.2.2\n\nReturn-Path: <s@example.com>\nSubject: original\n";
    Extraction ex;
    ASSERT_TRUE(report::read_dsn(parse(mail), ex));
    ASSERT_EQ(ex.records.size(), 1u);
    EXPECT_EQ(ex.records[0].recipient, "inline@example.org");
    EXPECT_EQ(ex.records[0].status, "5.2.2");
    Extraction none;
    EXPECT_FALSE(report::read_dsn(parse("From: a@example.org\nSubject: hi\n\nno report here\n"), none));
}

TEST(Original, FromAttachedMessage) {
    std::string mail =
        "From: MAILER-DAEMON@mx.example.com\nContent-Type: multipart/report; boundary=b\n\n--b\n\ntext\n"
        "--b\nContent-Type: message/rfc822\n\n"
        "Return-Path: <sender@example.com>\nReceived: from a.example.com by b.example.com; Tue, 2 Mar 2021 10:00:00 +0000\n"
        "Received: from c.example.com by a.example.com; Tue, 2 Mar 2021 09:59:00 +0000\n"
        "Message-ID: <abc@example.com>\nFrom: \"Sender\" <sender@example.com>\n"
        "To: one@example.net, \"Two\" <two@example.net>\nSubject: =?UTF-8?Q?caf=C3=A9?=\n"
        "Date: Tue, 2 Mar 2021 10:00:00 +0100\nList-Id: News <news.example.com>\nX-Campaign-Id: spring-42\n\nbody\n--b--\n";
    Original o;
    report::read_original(parse(mail), {"x-campaign-id"}, o);
    EXPECT_TRUE(o.present);
    EXPECT_EQ(o.message_id, "abc@example.com");
    EXPECT_EQ(o.from, "sender@example.com");
    ASSERT_EQ(o.to.size(), 2u);
    EXPECT_EQ(o.to[1], "two@example.net");
    EXPECT_EQ(o.subject, "caf\xc3\xa9");
    EXPECT_EQ(o.date, "2021-03-02T09:00:00Z");
    EXPECT_EQ(o.return_path, "sender@example.com");
    EXPECT_EQ(o.list_id, "news.example.com");
    ASSERT_EQ(o.received.size(), 2u);
    EXPECT_EQ(o.received[0].rfind("from a.example.com", 0), 0u);
    ASSERT_EQ(o.headers.size(), 1u);
    EXPECT_EQ(o.headers[0].first, "x-campaign-id");
    EXPECT_EQ(o.headers[0].second, "spring-42");

    // Without the Received chain (the engine's choice when no relay check will read it) the rest
    // is the same.
    Original n;
    report::read_original(parse(mail), {"x-campaign-id"}, n, false);
    EXPECT_TRUE(n.received.empty());
    EXPECT_TRUE(n.present);
    EXPECT_EQ(n.message_id, o.message_id);
    EXPECT_EQ(n.from, o.from);
    EXPECT_EQ(n.to, o.to);
    EXPECT_EQ(n.subject, o.subject);
    EXPECT_EQ(n.date, o.date);
    EXPECT_EQ(n.return_path, o.return_path);
    EXPECT_EQ(n.list_id, o.list_id);
    EXPECT_EQ(n.headers, o.headers);
}

// The From address is the same whether the field is plain, encoded (RFC 2047) or not UTF-8.
TEST(Original, FromAddressOfEveryKindOfField) {
    for (const char *from : {"Sender <sender@example.com>", "=?UTF-8?Q?J=C3=B6rg?= <sender@example.com>",
                             "\"J\xf6rg\" <sender@example.com>", "sender@example.com (J\xf6rg)"}) {
        Original o;
        report::read_original(parse(std::string("From: MAILER-DAEMON@mx.example.com\nContent-Type: multipart/report; "
                                                "boundary=b\n\n--b\n\ntext\n--b\nContent-Type: message/rfc822\n\n"
                                                "Message-ID: <abc@example.com>\nFrom: ") +
                                    from + "\nSubject: s\n\nbody\n--b--\n"),
                              {}, o);
        EXPECT_EQ(o.from, "sender@example.com") << from;
    }
}

TEST(Original, FromHeadersBlockAndQuotedText) {
    Original a;
    report::read_original(parse("From: m@example.com\nContent-Type: multipart/report; boundary=b\n\n--b\n"
                                "Content-Type: text/rfc822-headers\n\nMessage-ID: <h@example.com>\nSubject: s\n--b--\n"),
                          {}, a);
    EXPECT_TRUE(a.present);
    EXPECT_EQ(a.message_id, "h@example.com");

    Original q;
    report::read_original(parse("From: m@example.com\nSubject: failed\n\nSorry.\n"
                                "------ Original message headers: ------\n"
                                "From: sender@example.com\nTo: rcpt@example.net\nSubject: quoted one\n"
                                "Message-Id: <q@example.com>\n\nbody\n"),
                          {}, q);
    EXPECT_TRUE(q.present);
    EXPECT_EQ(q.subject, "quoted one");
    EXPECT_EQ(q.message_id, "q@example.com");

    Original ind;  // indented summary of the original, and a block starting with an unlisted field
    report::read_original(parse("From: postmaster@example.com\nSubject: Undeliverable\n\nYour message\n"
                                "  To:      rcpt@example.net\n  Subject: Quarterly\n    figures\n"
                                "  Sent:    Tue, 2 Mar 2021 10:00:00 +0000\n\ndid not reach the recipient.\n"),
                          {}, ind);
    EXPECT_TRUE(ind.present);
    EXPECT_EQ(ind.subject, "Quarterly figures");
    ASSERT_EQ(ind.to.size(), 1u);
    EXPECT_EQ(ind.to[0], "rcpt@example.net");
    Original x;
    report::read_original(parse("From: m@example.com\nSubject: failed\n\n--- Original message follows.\n"
                                "X-Originating-IP: [192.0.2.5]\nReturn-Path: <s@example.com>\nTo: r@example.net\n"
                                "Message-ID: <x1@example.com>\nSubject: hi\n\nbody\n"),
                          {}, x);
    EXPECT_EQ(x.message_id, "x1@example.com");

    Original none;
    report::read_original(parse("From: m@example.com\nSubject: x\n\nFrom: only one field mentioned\n"), {}, none);
    EXPECT_FALSE(none.present);
}

TEST(Arf, StandardReport) {
    std::string mail =
        "From: fbl@isp.example.net\nSubject: complaint\nContent-Type: multipart/report; "
        "report-type=feedback-report; boundary=f\n\n--f\nContent-Type: text/plain\n\nA complaint.\n"
        "--f\nContent-Type: message/feedback-report\n\nFeedback-Type: Abuse\nUser-Agent: fbl/1.0\nVersion: 1\n"
        "Original-Rcpt-To: <u1@example.net>\nOriginal-Rcpt-To: u2@example.net\n"
        "Arrival-Date: Tue, 2 Mar 2021 10:00:00 +0000\nReporting-MTA: dns; fbl.example.net\n"
        "--f\nContent-Type: message/rfc822\n\nFrom: news@example.com\nTo: someone-else@example.net\nSubject: offer\n\nx\n"
        "--f--\n";
    Extraction ex;
    ASSERT_TRUE(report::read_arf(parse(mail), ex));
    ASSERT_EQ(ex.records.size(), 2u);
    EXPECT_EQ(ex.records[0].recipient, "u1@example.net");
    EXPECT_EQ(ex.records[1].recipient, "u2@example.net");
    EXPECT_EQ(ex.records[0].feedback_type, "abuse");
    EXPECT_EQ(ex.records[0].reporting_mta, "fbl.example.net");
    EXPECT_TRUE(ex.feedback);
    EXPECT_EQ(ex.format, "arf");
}

TEST(Arf, RecipientFallbacks) {
    std::string to_fallback =
        "From: fbl@isp.example.net\nContent-Type: multipart/report; report-type=feedback-report; boundary=f\n\n"
        "--f\nContent-Type: message/feedback-report\n\nFeedback-Type: opt-out\n"
        "--f\nContent-Type: text/rfc822-headers\n\nFrom: news@example.com\nTo: reader@example.net\n--f--\n";
    Extraction a;
    ASSERT_TRUE(report::read_arf(parse(to_fallback), a));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "reader@example.net");
    EXPECT_EQ(a.records[0].feedback_type, "opt-out");

    std::string removal =
        "From: fbl@isp.example.net\nContent-Type: multipart/report; report-type=feedback-report; boundary=f\n\n"
        "--f\nContent-Type: message/feedback-report\n\nFeedback-Type: opt-out\nRemoval-Recipient: gone@example.net\n"
        "--f\nContent-Type: text/rfc822-headers\n\nFrom: news@example.com\nTo: <Undisclosed Recipients>\n--f--\n";
    Extraction b;
    ASSERT_TRUE(report::read_arf(parse(removal), b));
    EXPECT_EQ(b.records[0].recipient, "gone@example.net");
}

TEST(Arf, NonStandardVariants) {
    // Feedback-Type written in a text part
    Extraction a;
    ASSERT_TRUE(report::read_arf(parse("From: fbl@isp.example.net\nSubject: report\n\nFeedback-Type: fraud\n"
                                       "Original-Rcpt-To: victim@example.net\n"),
                                 a));
    EXPECT_EQ(a.records[0].feedback_type, "fraud");
    EXPECT_EQ(a.records[0].recipient, "victim@example.net");
    // Junk-mail reporting program style: the message attached with the reporter's address
    Extraction b;
    ASSERT_TRUE(report::read_arf(parse("From: staff@isp.example.net\nContent-Type: multipart/mixed; boundary=j\n\n"
                                       "--j\nContent-Type: message/rfc822\n\nX-HmXmrOriginalRecipient: reporter@example.net\n"
                                       "From: news@example.com\nTo: reporter@example.net\nSubject: promo\n\nx\n--j--\n"),
                                 b));
    EXPECT_EQ(b.records[0].recipient, "reporter@example.net");
    EXPECT_EQ(b.records[0].feedback_type, "abuse");
    // an ordinary message with an attached message is not a report
    Extraction c;
    EXPECT_FALSE(report::read_arf(parse("From: a@example.org\nContent-Type: multipart/mixed; boundary=j\n\n"
                                        "--j\nContent-Type: message/rfc822\n\nFrom: b@example.org\nSubject: fwd\n\nx\n--j--\n"),
                                  c));
}

TEST(AutoReply, Markers) {
    Extraction a;
    ASSERT_TRUE(report::read_auto_reply(parse("From: \"Ann\" <ann@example.org>\nTo: s@example.com\n"
                                              "Auto-Submitted: auto-replied (vacation)\nSubject: Away\n\nI am away.\n"),
                                        a));
    EXPECT_EQ(a.records[0].recipient, "ann@example.org");
    EXPECT_TRUE(a.auto_reply);
    EXPECT_EQ(a.format, "rfc3834");
    for (const char *mail : {"From: b@example.org\nX-Autoreply: yes\nSubject: hi\n\nx\n",
                             "From: b@example.org\nPrecedence: auto_reply\nSubject: hi\n\nx\n",
                             "From: b@example.org\nX-Apple-Action: VACATION\nSubject: hi\n\nx\n",
                             // a subject marker, with a sign that a program answered a message
                             "From: b@example.org\nSubject: Automatic reply: your message\nIn-Reply-To: <m@example.com>\n\nx\n",
                             "From: b@example.org\nSubject: Out of Office: back Monday\nX-Auto-Response-Suppress: All\n\nx\n",
                             "From: b@example.org\nSubject: =?UTF-8?B?6Ieq5YuV6L+U5L+hOiBIZWxsbw==?=\nReturn-Path: <>\n\nx\n",
                             "From: b@example.org\nSubject: =?ISO-8859-1?Q?R=E9ponse_automatique?=\nReferences: <m@example.com>\n\nx\n",
                             "From: b@example.org\nSubject: Anna Berg is out of the office.\nAuto-Submitted: auto-generated\n\nx\n",
                             "From: b@example.org\nSubject: Away: back soon\nPrecedence: bulk\n\nx\n"}) {
        Extraction e;
        EXPECT_TRUE(report::read_auto_reply(parse(mail), e)) << mail;
    }
}

TEST(AutoReply, NotBouncesNorOrdinaryMail) {
    Extraction a;
    EXPECT_FALSE(report::read_auto_reply(parse("From: MAILER-DAEMON@mx.example.com\nAuto-Submitted: auto-replied\n"
                                               "Subject: Undelivered\n\nx\n"),
                                         a));
    EXPECT_FALSE(report::read_auto_reply(parse("From: b@example.org\nAuto-Submitted: auto-generated\n"
                                               "Subject: Your invoice\n\nx\n"),
                                         a));
    EXPECT_FALSE(report::read_auto_reply(parse("From: b@example.org\nSubject: Lunch?\n\nx\n"), a));
}

// An empty or negative auto-reply header states nothing (some clients write "X-Autoreply:" with no
// value on every message); only a value that is not a negation marks an auto-reply.
TEST(AutoReply, EmptyOrNegativeHeadersAreNoMarker) {
    for (const char *mail : {"From: b@example.org\nX-Autoreply:\nSubject: Re: are you around?\n\nYes.\n",
                             "From: b@example.org\nX-Autoreply: \nX-Autorespond:\nSubject: lunch\n\nx\n",
                             "From: b@example.org\nX-Auto-Reply: no\nSubject: hi\n\nx\n",
                             "From: b@example.org\nX-Autoreply: false\nSubject: hi\n\nx\n",
                             "From: b@example.org\nX-Vacation: 0\nSubject: hi\n\nx\n"}) {
        Extraction e;
        EXPECT_FALSE(report::read_auto_reply(parse(mail), e)) << mail;
        EXPECT_TRUE(e.records.empty()) << mail;
    }
    Extraction yes;
    EXPECT_TRUE(report::read_auto_reply(parse("From: b@example.org\nX-Autoreply: yes\nSubject: hi\n\nx\n"), yes));
}

// A subject that says someone is away is words a person may type: it marks an auto-reply only when
// it is not a person's reply or forward (the responder's marker comes first) and something shows a
// program answered a message; "Auto-Submitted: no" says a person sent it.
TEST(AutoReply, PeopleWritingAboutAbsenceAreNot) {
    for (const char *mail : {
             // a human reply in a thread: the reply prefix comes first
             "From: l@example.com\nSubject: Re: Anna is out of the office until Monday - can you cover?\n"
             "In-Reply-To: <c@example.com>\n\nSure.\n",
             "From: l@example.com\nSubject: AW: Abwesenheitsnotiz: Projekt X\nIn-Reply-To: <c@example.com>\n\nx\n",
             "From: l@example.com\nSubject: Fwd: Out of office policy\nReferences: <c@example.com>\n\nx\n",
             "From: l@example.com\nSubject: RE[2]: Automatic reply: budget\nIn-Reply-To: <c@example.com>\n\nx\n",
             "From: l@example.com\nSubject: =?UTF-8?B?5Zue5aSN77ya6Ieq5Yqo5Zue5aSN?=\nIn-Reply-To: <c@example.com>\n\nx\n",
             // a new message by a person: no sign of a responder
             "From: t@example.com\nSubject: Anna is out of the office until Monday - can you cover?\n\nWho?\n",
             "From: t@example.com\nSubject: Out of office: Anna, 2-6 Feb\n\nJust so you know.\n",
             // "Auto-Submitted: no": a person sent it
             "From: t@example.com\nAuto-Submitted: no\nSubject: Out of the office tomorrow\nIn-Reply-To: <c@example.com>\n\nx\n",
         }) {
        Extraction e;
        EXPECT_FALSE(report::read_auto_reply(parse(mail), e)) << mail;
    }
}

TEST(Mdn, ReadReceipts) {
    EXPECT_TRUE(report::is_mdn(parse("From: b@example.org\nContent-Type: multipart/report; "
                                     "report-type=disposition-notification; boundary=m\n\n--m\n\nread\n--m\n"
                                     "Content-Type: message/disposition-notification\n\nDisposition: manual-action/"
                                     "MDN-sent-manually; displayed\n--m--\n")));
    EXPECT_TRUE(report::is_mdn(parse("From: b@example.org\nContent-Type: multipart/report; boundary=m\n\n--m\n"
                                     "Content-Type: message/global-disposition-notification\n\nDisposition: x\n--m--\n")));
    EXPECT_FALSE(report::is_mdn(parse("From: b@example.org\nContent-Type: multipart/report; "
                                      "report-type=delivery-status; boundary=m\n\n--m\n"
                                      "Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@example.org\n--m--\n")));
}

TEST(AutoReply, OrdinarySubjectsWithCommonWordsAreNot) {
    for (const char *mail : {"From: b@example.org\nSubject: Re: absence of the invoice\n\nx\n",
                             "From: b@example.org\nSubject: Plans while I am away from the desk\n\nx\n",
                             "From: b@example.org\nSubject: Automation of reports\n\nx\n"}) {
        Extraction e;
        EXPECT_FALSE(report::read_auto_reply(parse(mail), e)) << mail;
    }
}
