// The delivery-status reader on hand-written bodies: the examples of RFC 3464 (section 10) with
// example domains, RFC 3461 xtext and RFC 6533 addresses, RFC 5322 folding, the layouts MTAs
// write (CRLF, no blank line between recipients, text around the report), the raw fields, the
// "Name: value" splitter, and input that is not a report. See docs/mime.md ("Delivery status").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/dsn.hh"
#include "report/fields.hh"

using namespace carom;

namespace {

std::vector<Record> records(const std::string &text) {
    std::vector<Record> r;
    const std::size_t n = report::parse_delivery_status(text, r);
    EXPECT_EQ(n, r.size()) << text;  // the count returned is the records added
    return r;
}

std::string value(const mime::Headers &h, std::string_view name) {
    const std::string_view *v = h.get(name);
    return v ? std::string(*v) : "(none)";
}

}  // namespace

// ---- RFC 3464 section 10 ------------------------------------------------------------------------

TEST(DsnRecords, Rfc3464SimpleFailure) {
    // Section 10.1, "a simple DSN": one recipient, a temporary failure.
    const auto r = records(
        "Reporting-MTA: dns; cs.example.edu\n"
        "\n"
        "Original-Recipient: rfc822;louisl@larry.example.edu\n"
        "Final-Recipient: rfc822;louisl@larry.example.edu\n"
        "Action: failed\n"
        "Status: 4.0.0\n"
        "Diagnostic-Code: smtp; 426 connection timed out\n"
        "Last-Attempt-Date: Thu, 7 Jul 1994 17:15:49 -0400\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].recipient, "louisl@larry.example.edu");
    EXPECT_EQ(r[0].original_recipient, "louisl@larry.example.edu");
    EXPECT_EQ(r[0].action, "failed");
    EXPECT_EQ(r[0].status, "4.0.0");  // the diagnostic holds no enhanced code to refine it with
    EXPECT_EQ(r[0].diagnostic_type, "smtp");
    EXPECT_EQ(r[0].diagnostic, "426 connection timed out");
    EXPECT_EQ(r[0].reply_code, "426");
    EXPECT_EQ(r[0].reporting_mta, "cs.example.edu");
    EXPECT_EQ(r[0].last_attempt, "1994-07-07T21:15:49Z");
    EXPECT_EQ(r[0].remote_mta, "");
    EXPECT_EQ(r[0].command, "");
}

TEST(DsnRecords, Rfc3464MultipleRecipients) {
    // Section 10.2: three recipients, one of them delayed, comments after the status codes.
    const auto r = records(
        "Reporting-MTA: dns; cs.example.edu\n"
        "\n"
        "Original-Recipient: rfc822;arathib@vnet.example.com\n"
        "Final-Recipient: rfc822;arathib@vnet.example.com\n"
        "Action: failed\n"
        "Status: 5.0.0 (permanent failure)\n"
        "Diagnostic-Code: smtp; 550 'arathib@vnet.example.com' is not a registered gateway user\n"
        "Remote-MTA: dns; vnet.example.com\n"
        "\n"
        "Original-Recipient: rfc822;johnh@hpnjld.example.com\n"
        "Final-Recipient: rfc822;johnh@hpnjld.example.com\n"
        "Action: delayed\n"
        "Status: 4.0.0 (hpnjld.example.com: host name lookup failure)\n"
        "\n"
        "Original-Recipient: rfc822;wsnell@sdcc13.example.edu\n"
        "Final-Recipient: rfc822;wsnell@sdcc13.example.edu\n"
        "Action: failed\n"
        "Status: 5.0.0\n"
        "Diagnostic-Code: smtp; 550 user unknown\n"
        "Remote-MTA: dns; sdcc13.example.edu\n");
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].recipient, "arathib@vnet.example.com");
    EXPECT_EQ(r[0].status, "5.0.0");
    EXPECT_EQ(r[0].reply_code, "550");
    EXPECT_EQ(r[0].remote_mta, "vnet.example.com");
    EXPECT_EQ(r[1].recipient, "johnh@hpnjld.example.com");
    EXPECT_EQ(r[1].action, "delayed");
    EXPECT_EQ(r[1].status, "4.0.0");
    EXPECT_EQ(r[1].diagnostic, "");
    EXPECT_EQ(r[2].recipient, "wsnell@sdcc13.example.edu");
    EXPECT_EQ(r[2].diagnostic, "550 user unknown");
    for (const Record &x : r) EXPECT_EQ(x.reporting_mta, "cs.example.edu");
}

// ---- addresses: RFC 3461 xtext, RFC 6533 ----------------------------------------------------------

TEST(DsnRecords, OriginalRecipientIsXtextDecoded) {
    // RFC 3461 4.2: ORCPT carries the address as xtext ("+" and "=" written "+2B" and "+3D").
    const auto r = records(
        "Original-Recipient: rfc822;bounces+2Blist+3Duser@example.org\n"
        "Final-Recipient: rfc822;mailbox@example.org\n"
        "Action: failed\n"
        "Status: 5.1.1\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].original_recipient, "bounces+list=user@example.org");
    EXPECT_EQ(r[0].recipient, "mailbox@example.org");  // Final-Recipient is no xtext
}

TEST(DsnRecords, Rfc6533Utf8Addresses) {
    // RFC 6533 3: "utf-8" address type, raw UTF-8 or "\x{HHHH}" escapes for non-ASCII characters.
    const auto r = records(
        "Reporting-MTA: dns; mx.example.jp\n"
        "\n"
        "Final-Recipient: utf-8; \\x{7530}\\x{4E2D}@example.jp\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "\n"
        "Final-Recipient: utf-8; caf\xc3\xa9@example.fr\n"
        "Action: failed\n"
        "Status: 5.1.1\n");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].recipient, "\xe7\x94\xb0\xe4\xb8\xad@example.jp");  // U+7530 U+4E2D in UTF-8
    EXPECT_EQ(r[1].recipient, "caf\xc3\xa9@example.fr");
}

TEST(DsnRecords, RecipientFromTheOtherFieldsWhenFinalIsNoAddress) {
    // A source route and a local name are no address a sender can act on.
    auto r = records(
        "Final-Recipient: rfc822; @relay.example.org:kim@mailhost\n"
        "Original-Recipient: rfc822; kim@example.org\n"
        "Action: failed\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].recipient, "kim@example.org");
    r = records(
        "Final-Recipient: rfc822; kim\n"
        "X-Actual-Recipient: rfc822; kim.berg@example.org\n"
        "Action: failed\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].recipient, "kim.berg@example.org");
    r = records("Original-Recipient: rfc822; only@example.org\nAction: failed\n");  // no Final-Recipient
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].recipient, "only@example.org");
}

TEST(DsnRecords, BlocksWithoutAnAddressGiveNoRecord) {
    std::vector<Record> r(1);
    r[0].recipient = "earlier@example.org";  // records already there are kept as they are
    const std::size_t n = report::parse_delivery_status(
        "Reporting-MTA: dns; mx.example.org\n\n"
        "Final-Recipient: rfc822; first@example.org\nAction: failed\nStatus: 5.1.1\n\n"
        "Final-Recipient: rfc822;\nAction: failed\nStatus: 5.2.2\n\n"
        "Original-Recipient: rfc822; <>\nAction: delayed\n\n"
        "Action: failed\nStatus: 5.0.0\n\n"
        "Final-Recipient: rfc822; last@example.org\nAction: delayed\nStatus: 4.4.1\n",
        r);
    EXPECT_EQ(n, 2u);
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].recipient, "earlier@example.org");
    EXPECT_EQ(r[1].recipient, "first@example.org");
    EXPECT_EQ(r[2].recipient, "last@example.org");
    EXPECT_EQ(r[2].status, "4.4.1");
}

// ---- values -------------------------------------------------------------------------------------

TEST(DsnRecords, ActionWordsMappedToTheFiveValues) {
    // RFC 3464 2.3.3: failed, delayed, delivered, relayed, expanded; a comment may follow.
    const auto r = records(
        "Final-Recipient: rfc822; a@example.org\nAction: Failed (permanent)\n\n"
        "Final-Recipient: rfc822; b@example.org\nAction: undeliverable\n\n"
        "Final-Recipient: rfc822; c@example.org\nAction: deferred\n\n"
        "Final-Recipient: rfc822; d@example.org\nAction: relay\n\n"
        "Final-Recipient: rfc822; e@example.org\nAction: expanded\n\n"
        "Final-Recipient: rfc822; f@example.org\nAction: deliverable\n");
    ASSERT_EQ(r.size(), 6u);
    EXPECT_EQ(r[0].action, "failed");
    EXPECT_EQ(r[1].action, "failed");
    EXPECT_EQ(r[2].action, "delayed");
    EXPECT_EQ(r[3].action, "relayed");
    EXPECT_EQ(r[4].action, "expanded");
    EXPECT_EQ(r[5].action, "delivered");
}

TEST(DsnRecords, HostsWithoutTypeAndComment) {
    const auto r = records(
        "Reporting-MTA: dns; mx1.example.com (Postfix)\n\n"
        "Final-Recipient: rfc822; a@example.org\nRemote-MTA: dns; mx.example.net (192.0.2.25)\n\n"
        "Final-Recipient: rfc822; b@example.org\nRemote-MTA: dns; [192.0.2.1]\n");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].reporting_mta, "mx1.example.com");
    EXPECT_EQ(r[0].remote_mta, "mx.example.net");
    EXPECT_EQ(r[1].remote_mta, "[192.0.2.1]");
}

TEST(DsnRecords, DiagnosticTypeIsAWord) {
    // RFC 3464 2.3.6: "Diagnostic-Code: diagnostic-type; *text"; the type is an atom.
    const auto r = records(
        "Final-Recipient: rfc822; a@example.org\nDiagnostic-Code: X-Postfix; host not found\n\n"
        "Final-Recipient: rfc822; b@example.org\nDiagnostic-Code: 552; mailbox full\n\n"
        "Final-Recipient: rfc822; c@example.org\nDiagnostic-Code: mailbox full\n");
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].diagnostic_type, "x-postfix");
    EXPECT_EQ(r[0].diagnostic, "host not found");
    EXPECT_EQ(r[1].diagnostic_type, "");  // a reply code is no type
    EXPECT_EQ(r[1].diagnostic, "552; mailbox full");
    EXPECT_EQ(r[1].reply_code, "552");
    EXPECT_EQ(r[2].diagnostic_type, "");
    EXPECT_EQ(r[2].diagnostic, "mailbox full");
}

TEST(DsnRecords, EncodedWordsInTheDiagnosticAreDecoded) {
    // RFC 2047 encoded words, as some MTAs write non-ASCII replies ('_' is a space in Q).
    const auto r = records(
        "Final-Recipient: rfc822; a@example.de\n"
        "Diagnostic-Code: smtp; =?utf-8?Q?550_5.1.1_Empf=C3=A4nger_unbekannt?=\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].diagnostic, "550 5.1.1 Empf\xc3\xa4nger unbekannt");
    EXPECT_EQ(r[0].reply_code, "550");
    EXPECT_EQ(r[0].status, "5.1.1");  // no Status: the code of the diagnostic
}

TEST(DsnRecords, CommandNamedByTheDiagnostic) {
    const auto r = records(
        "Final-Recipient: rfc822; a@example.org\n"
        "Diagnostic-Code: smtp; 550 5.1.1 unknown user (in reply to RCPT TO command)\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].command, "RCPT");
}

TEST(DsnRecords, PowerMtaCategoryPerRecipient) {
    const auto r = records("Final-Recipient: rfc822; a@example.org\nX-PowerMTA-BounceCategory: Bad-Mailbox\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].category, "bad-mailbox");
}

// ---- layout: folding, line ends, blocks ---------------------------------------------------------

TEST(DsnLayout, FoldedDiagnosticIsUnfolded) {
    // RFC 5322 2.2.3 folding (DSN fields are header fields, RFC 3464 2.1.1), with spaces and a
    // tab; and the unindented continuation some MTAs write after Diagnostic-Code.
    const auto r = records(
        "Final-Recipient: rfc822; a@example.org\n"
        "Status: 5.0.0\n"
        "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\n"
        "    not exist. Please try\n"
        "\tagain\n"
        "later.\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].diagnostic, "550-5.1.1 The email account that you tried to reach does not exist. Please try again later.");
    EXPECT_EQ(r[0].reply_code, "550");
    EXPECT_EQ(r[0].status, "5.1.1");  // the server's own code wins over the generic Status
}

TEST(DsnLayout, CrLfAndCrLineEndsReadAsLf) {
    const std::string lf = "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; a@example.org\n"
                           "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no\n  such user\n";
    std::string crlf, cr;
    for (char c : lf) {
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        cr += c == '\n' ? '\r' : c;
    }
    for (const std::string &text : {crlf, cr}) {
        const auto r = records(text);
        ASSERT_EQ(r.size(), 1u);
        EXPECT_EQ(r[0].recipient, "a@example.org");
        EXPECT_EQ(r[0].diagnostic, "550 5.1.1 no such user");
        EXPECT_EQ(r[0].reporting_mta, "mx.example.org");
    }
}

TEST(DsnLayout, RecipientsWithoutBlankLinesBetween) {
    const auto r = records(
        "Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n"
        "Final-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.2.2\n"
        "Original-Recipient: rfc822; c@example.org\nFinal-Recipient: rfc822; c@example.org\nStatus: 5.7.1\n");
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].status, "5.1.1");
    EXPECT_EQ(r[1].recipient, "b@example.org");
    EXPECT_EQ(r[1].status, "5.2.2");
    EXPECT_EQ(r[2].recipient, "c@example.org");
    EXPECT_EQ(r[2].status, "5.7.1");
}

TEST(DsnLayout, TextAroundTheReport) {
    const auto r = records(
        "This is the mail system at host mx.example.org.\n"
        "I'm sorry to have to inform you that your message could not be delivered.\n"
        "\n"
        "Reporting-MTA: dns; mx.example.org\n"
        "\n"
        "Final-Recipient: rfc822; a@example.org\n"
        "Action: failed\n"
        "\n"
        "Return-Path: <writer@example.com>\n"
        "Received: from client.example.com\n"
        "Final-Recipient: rfc822; not-this@example.org\n");
    // The returned headers' block holds a Final-Recipient too, but it has DSN fields, so it is
    // read as a block of the report: only a block with no DSN field ends it.
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].recipient, "a@example.org");
    EXPECT_EQ(r[0].reporting_mta, "mx.example.org");

    const auto s = records(
        "Final-Recipient: rfc822; a@example.org\nAction: failed\n\n"
        "Return-Path: <writer@example.com>\nSubject: hello\n\n"
        "Final-Recipient: rfc822; quoted@example.org\n");
    ASSERT_EQ(s.size(), 1u);  // the report ended at the block without DSN fields
}

TEST(DsnLayout, PerMessageBlockAfterTheRecipients) {
    const auto r = records(
        "Final-Recipient: rfc822; a@example.org\nAction: failed\n\n"
        "Reporting-MTA: dns; late.example.com\n");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].reporting_mta, "late.example.com");
}

// ---- the raw fields ------------------------------------------------------------------------------

TEST(DsnFields, PerMessageAndPerRecipientAsWritten) {
    const report::DeliveryStatus ds = report::parse_delivery_status_fields(
        "Reporting-MTA: dns; mx.example.org\n"
        "Arrival-Date: Tue, 2 Mar 2021 10:00:00 +0100\n"
        "X-Postfix-Queue-ID: 4AB12CD\n"
        "\n"
        "Final-Recipient: rfc822; a@example.org\n"
        "Action: failed\n"
        "Diagnostic-Code: smtp; 550 first\n"
        "  second\n"
        "X-Custom-Field: kept\n"
        "\n"
        "final-recipient: rfc822; b@example.org\n"
        "Will-Retry-Until: Fri, 5 Mar 2021 10:00:00 +0100\n");
    EXPECT_EQ(value(ds.per_message, "Reporting-MTA"), "dns; mx.example.org");  // values as written
    EXPECT_EQ(value(ds.per_message, "arrival-date"), "Tue, 2 Mar 2021 10:00:00 +0100");
    EXPECT_EQ(value(ds.per_message, "X-Postfix-Queue-ID"), "4AB12CD");
    ASSERT_EQ(ds.recipients.size(), 2u);
    EXPECT_EQ(value(ds.recipients[0], "Diagnostic-Code"), "smtp; 550 first second");  // unfolded
    EXPECT_EQ(value(ds.recipients[0], "X-Custom-Field"), "kept");  // any field of the block
    EXPECT_EQ(value(ds.recipients[1], "Final-Recipient"), "rfc822; b@example.org");
    EXPECT_EQ(value(ds.recipients[1], "Will-Retry-Until"), "Fri, 5 Mar 2021 10:00:00 +0100");
    ASSERT_EQ(ds.recipients[1].fields.size(), 2u);
    EXPECT_EQ(ds.recipients[1].fields[0].name, "final-recipient");  // the name as written
}

TEST(DsnFields, AnonymousBlocksAreNoRecipients) {
    const report::DeliveryStatus ds =
        report::parse_delivery_status_fields("Reporting-MTA: dns; mx.example.org\n\nAction: failed\nStatus: 5.0.0\n");
    EXPECT_EQ(value(ds.per_message, "Reporting-MTA"), "dns; mx.example.org");
    EXPECT_TRUE(ds.recipients.empty());
}

// ---- what is not a report -----------------------------------------------------------------------

TEST(DsnMalformed, NoReportNoRecords) {
    EXPECT_TRUE(records("").empty());
    EXPECT_TRUE(records("\n\n\n").empty());
    EXPECT_TRUE(records("Hello,\n\nyour message was not delivered.\n").empty());
    EXPECT_TRUE(records("Reporting-MTA: dns; mx.example.org\n").empty());  // no recipient block
    EXPECT_TRUE(records("  Final-Recipient: rfc822; indented@example.org\n").empty());  // a continuation of nothing
    EXPECT_TRUE(records("Final Recipient: rfc822; a@example.org\n").empty());  // not a field name
    const report::DeliveryStatus ds = report::parse_delivery_status_fields("");
    EXPECT_EQ(ds.per_message.fields.size(), 0u);
    EXPECT_TRUE(ds.recipients.empty());
}

TEST(DsnMalformed, HostileBodiesEndWithoutHarm) {
    // NUL bytes, a huge folded value, many blocks: read to the end, no crash.
    const char raw[] = "Final-Recipient: rfc822; a@example.org\0\nAction: failed\n";
    auto r = records(std::string(raw, sizeof raw - 1));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].action, "failed");

    std::string folded = "Final-Recipient: rfc822; a@example.org\nDiagnostic-Code: smtp; 550\n";
    for (int i = 0; i < 20000; ++i) folded += " x\n";
    r = records(folded);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].diagnostic.size(), 3u + 2u * 20000u);

    std::string many;
    for (int i = 0; i < 5000; ++i) many += "Final-Recipient: rfc822; u" + std::to_string(i) + "@example.org\n\n";
    r = records(many);
    ASSERT_EQ(r.size(), 5000u);
    EXPECT_EQ(r.back().recipient, "u4999@example.org");
}

// ---- one "Name: value" line -----------------------------------------------------------------------

TEST(SplitField, NameAndTrimmedValue) {
    std::string_view n, v;
    ASSERT_TRUE(report::split_field("Status: 5.1.1", n, v));
    EXPECT_EQ(n, "Status");
    EXPECT_EQ(v, "5.1.1");
    ASSERT_TRUE(report::split_field("  Remote-MTA \t:  dns; mx.example.org  ", n, v));
    EXPECT_EQ(n, "Remote-MTA");
    EXPECT_EQ(v, "dns; mx.example.org");
    ASSERT_TRUE(report::split_field("X_Under-9:", n, v));
    EXPECT_EQ(n, "X_Under-9");
    EXPECT_EQ(v, "");
    ASSERT_TRUE(report::split_field("Subject:no space: after", n, v));
    EXPECT_EQ(v, "no space: after");
}

TEST(SplitField, NotAField) {
    std::string_view n, v;
    EXPECT_FALSE(report::split_field("", n, v));
    EXPECT_FALSE(report::split_field("no colon here", n, v));
    EXPECT_FALSE(report::split_field(": no name", n, v));
    EXPECT_FALSE(report::split_field("Two words: value", n, v));
    EXPECT_FALSE(report::split_field("X.Dotted: value", n, v));
    EXPECT_FALSE(report::split_field("N\xc3\xa4me: value", n, v));  // non-ASCII name
}

TEST(SplitField, TheColonWithinTheFirst65Bytes) {
    std::string_view n, v;
    const std::string name64(64, 'a'), name65(65, 'a');
    ASSERT_TRUE(report::split_field(name64 + ": v", n, v));  // the colon at offset 64
    EXPECT_EQ(n.size(), 64u);
    EXPECT_FALSE(report::split_field(name65 + ": v", n, v));
    EXPECT_FALSE(report::split_field(std::string(60, 'a') + "     : v", n, v));  // blanks count too
}
