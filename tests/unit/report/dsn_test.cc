// The one-pass delivery-status reader against the implementation it replaced (old_dsn.hh): the
// same records and the same raw fields on reports assembled at random from DSN lines, folded
// lines, blank lines, CRLF and returned-header blocks.
#include <gtest/gtest.h>

#include <random>

#include "old_dsn.hh"
#include "report/fields.hh"
#include "report/report.hh"

using namespace carom;

namespace {

const char *kLines[] = {
    "Reporting-MTA: dns; mx1.example.com",
    "reporting-mta: dns;relay.example.net (192.0.2.1)",
    "X-Postfix-Queue-ID: 4AB12CD",
    "Arrival-Date: Tue, 2 Mar 2021 10:00:00 +0100",
    "DSN-Gateway: dns; gw.example.org",
    "Received-From-MTA: dns; client.example.org",
    "Original-Envelope-Id: env-123",
    "Final-Recipient: rfc822; first@example.net",
    "FINAL-RECIPIENT: rfc822;<second@example.org>",
    "Final-Recipient: rfc822; @relay.example.org:user@mailhost",
    "Original-Recipient: rfc822; first+2Balias@example.net",
    "X-Original-Recipient: rfc822; orig@example.org",
    "X-Actual-Recipient: rfc822; actual@example.org",
    "Action: failed",
    "Action: Delayed (will retry)",
    "action: undeliverable",
    "Status: 5.0.0",
    "Status: 4.4.1 (connection timed out)",
    "Remote-MTA: dns; mx.example.net (192.0.2.25)",
    "Diagnostic-Code: smtp; 550 5.1.1 <first@example.net>: Recipient address",
    "Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.26]:25: Connection",
    "Diagnostic-Code: 452-4.2.2 mailbox full",
    "Diagnostic-Code:",
    "    rejected: User unknown (in reply to RCPT TO command)",
    "\ttimed out after DATA",
    "timed out",
    "Last-Attempt-Date: Tue, 2 Mar 2021 10:00:05 +0100",
    "Will-Retry-Until: Fri, 5 Mar 2021 10:00:00 +0100",
    "Final-Log-ID: 12345",
    "X-PowerMTA-BounceCategory: bad-mailbox",
    "Received: from x.example.org by y.example.org",
    "Subject: hello",
    "From: someone@example.com",
    "Status: RO",
    "This is not a field",
    ": no name",
    "Bad Name: value",
    "Final_Recipient: rfc822; underscore@example.org",  // near misses of known names
    "Final-RecipienT: rfc822; mixed@example.org",
    "Final-Recipients: rfc822; plural@example.org",
    "X-ACTUAL-RECIPIENT: rfc822; upper@example.org",
    "Diagnostic-Cod3: smtp; 550 digit",
    "LAST-ATTEMPT-DATE: 1 Jan 2015 00:00:00 +0900",
    "Reporting-MTA : dns; spaced.example.org",
    "",
    "",
    " ",
};

std::string random_report(std::mt19937 &rng) {
    std::string s;
    const std::size_t n = 1 + rng() % 24;
    const bool crlf = rng() % 8 == 0;
    for (std::size_t i = 0; i < n; ++i) {
        s += kLines[rng() % (sizeof kLines / sizeof *kLines)];
        s += crlf ? "\r\n" : "\n";
    }
    if (rng() % 4 == 0 && !s.empty()) s.pop_back();  // no final line end
    return s;
}

void expect_same_records(const std::vector<Record> &a, const std::vector<Record> &b, const std::string &text) {
    ASSERT_EQ(a.size(), b.size()) << text;
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].recipient, b[i].recipient) << text;
        EXPECT_EQ(a[i].original_recipient, b[i].original_recipient) << text;
        EXPECT_EQ(a[i].action, b[i].action) << text;
        EXPECT_EQ(a[i].status, b[i].status) << text;
        EXPECT_EQ(a[i].reply_code, b[i].reply_code) << text;
        EXPECT_EQ(a[i].command, b[i].command) << text;
        EXPECT_EQ(a[i].remote_mta, b[i].remote_mta) << text;
        EXPECT_EQ(a[i].reporting_mta, b[i].reporting_mta) << text;
        EXPECT_EQ(a[i].diagnostic, b[i].diagnostic) << text;
        EXPECT_EQ(a[i].diagnostic_type, b[i].diagnostic_type) << text;
        EXPECT_EQ(a[i].last_attempt, b[i].last_attempt) << text;
        EXPECT_EQ(a[i].category, b[i].category) << text;
    }
}

void expect_same_headers(const mime::Headers &a, const mime::Headers &b, const std::string &text) {
    ASSERT_EQ(a.fields.size(), b.fields.size()) << text;
    for (std::size_t i = 0; i < a.fields.size(); ++i) {
        EXPECT_EQ(a.fields[i].name, b.fields[i].name) << text;
        EXPECT_EQ(a.fields[i].value, b.fields[i].value) << text;
    }
}

}  // namespace

TEST(DsnReader, SameAsTheReferenceOnRandomReports) {
    std::mt19937 rng(8);
    std::size_t records = 0;
    for (int round = 0; round < 20000; ++round) {
        const std::string text = random_report(rng);
        std::vector<Record> got, want;
        const std::size_t n = report::parse_delivery_status(text, got);
        ASSERT_EQ(n, old_report::parse_delivery_status(text, want)) << text;
        expect_same_records(got, want, text);
        records += got.size();

        const report::DeliveryStatus a = report::parse_delivery_status_fields(text);
        const report::DeliveryStatus b = old_report::parse_delivery_status_fields(text);
        expect_same_headers(a.per_message, b.per_message, text);
        ASSERT_EQ(a.recipients.size(), b.recipients.size()) << text;
        for (std::size_t i = 0; i < a.recipients.size(); ++i) expect_same_headers(a.recipients[i], b.recipients[i], text);
        if (HasFailure()) return;  // one failing report is enough to read
    }
    EXPECT_GT(records, 20000u);  // the generator yields recipients: the comparison means something
}

TEST(DsnReader, FoldedValuesAndReportingMta) {
    std::vector<Record> r;
    ASSERT_EQ(report::parse_delivery_status("Final-Recipient: rfc822; a@example.org\n"
                                            "Diagnostic-Code: smtp; 550 5.1.1 first\n"
                                            "  second\n"
                                            "third\n"
                                            "\n"
                                            "Reporting-MTA: dns; late.example.com\n",
                                            r),
              1u);
    EXPECT_EQ(r[0].diagnostic, "550 5.1.1 first second third");
    EXPECT_EQ(r[0].reporting_mta, "late.example.com");  // a per-message block after the recipient
}

TEST(SplitField, SameAsTheReferenceOnRandomLines) {
    std::mt19937 rng(64);
    const std::string alphabet = "aZ9-_ \t:\r\n;x.@<>";
    int fields = 0;
    for (int round = 0; round < 200000; ++round) {
        std::string line;
        const std::size_t n = rng() % 80;
        for (std::size_t i = 0; i < n; ++i) line += alphabet[rng() % alphabet.size()];
        if (rng() % 3 == 0) line = kLines[rng() % (sizeof kLines / sizeof *kLines)] + line;
        if (rng() % 3 == 0) {  // a long name: the colon near the 64-byte limit
            const std::string ws[] = {"", " ", "\t", " \t "};
            line = ws[rng() % 4] + std::string(55 + rng() % 15, "aB-_9"[rng() % 5]) + ws[rng() % 4] + ":" + line;
        }
        std::string_view n1, v1, n2, v2;
        const bool a = report::split_field(line, n1, v1), b = old_report::reference_split_field(line, n2, v2);
        ASSERT_EQ(a, b) << "'" << line << "'";
        if (!a) continue;
        ++fields;
        ASSERT_EQ(n1, n2) << "'" << line << "'";
        ASSERT_EQ(v1, v2) << "'" << line << "'";
    }
    EXPECT_GT(fields, 10000);
}

// A recipient block whose addresses are all empty gives no record; the record built for it in
// place is dropped, and the blocks around it are read as before.
TEST(DsnReader, BlockWithoutAddressDropped) {
    const char *text =
        "Reporting-MTA: dns; mx.example.org\n\n"
        "Final-Recipient: rfc822; first@example.org\nAction: failed\nStatus: 5.1.1\n\n"
        "Final-Recipient: rfc822;\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 full\n\n"
        "Original-Recipient: rfc822; <>\nAction: delayed\n\n"
        "Final-Recipient: rfc822; last@example.org\nAction: delayed\nStatus: 4.4.1\n";
    std::vector<Record> got, want;
    got.emplace_back();  // records already in the vector stay as they are
    got.back().recipient = "earlier@example.org";
    want = got;
    ASSERT_EQ(report::parse_delivery_status(text, got), 2u);
    ASSERT_EQ(old_report::parse_delivery_status(text, want), 2u);
    expect_same_records(got, want, text);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].recipient, "earlier@example.org");
    EXPECT_EQ(got[1].recipient, "first@example.org");
    EXPECT_EQ(got[2].recipient, "last@example.org");
    EXPECT_EQ(got[2].status, "4.4.1");
}
