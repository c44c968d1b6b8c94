// report::quoted_headers keeps the fields it reads while qualifying a flush-left block instead of
// parsing the block again: compared with the former implementation (old_quoted.hh, which called
// mime::parse_headers) on generated texts, field by field.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "old_quoted.hh"
#include "report/report.hh"

namespace {

// Lines a body with a quoted original is made of, and the odd ones that decide where a block
// ends or whether it may be read in place (blank-looking lines, names parse_headers reads
// differently, stripped folding).
const char *const kLines[] = {
    "From: Sender <sender@example.org>",
    "To: a@example.net, \"B, C\" <b@example.net>",
    "Subject: Hello there",
    "Subject:",
    "Date: Thu, 1 Jan 2015 00:00:00 +0900",
    "Message-ID: <id-1@example.org>",
    "Received: from mx.example.org (mx.example.org [192.0.2.1])",
    "\tby mx.example.net with ESMTP id abc;",
    "        Thu, 1 Jan 2015 00:00:00 +0900",
    " continued value",
    "  ",
    " \f",
    "\t",
    "\f",
    "\v ",
    " \r",
    "",
    "",
    "Return-Path: <bounce@example.org>",
    "List-Id: <list.example.org>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=us-ascii",
    "X-Mailer: test 1.0",
    "X-Custom : spaced name",
    "X-Tab\t: tabbed name",
    "X-CR\r: carriage return",
    "\rFrom: cr first",
    "Bad Name: two words",
    "X-Odd!Name: printable but not a name character",
    "X-A-Very-Long-Header-Name-That-Goes-On-And-On-Past-The-Sixty-Four-Byte-Limit: v",
    "Final-Recipient: rfc822; x@example.net",
    "Status: 5.1.1",
    "This is the mail system at host example.org.",
    "----- Original message -----",
    "Message headers follow.",
    "  To: indented@example.net",
    "  Subject: indented subject",
    "  From: indented@example.org",
    "    folded indented",
    "plain text line without a colon",
    "value: looks like a field in prose",
};

// Every name that counts for a block (and a few near misses), in random case.
const char *const kNames[] = {
    "from", "to", "cc", "subject", "date", "message-id", "received", "return-path", "mime-version",
    "content-type", "reply-to", "sender", "x-mailer", "list-id", "references", "in-reply-to",
    "dkim-signature", "content-transfer-encoding", "user-agent", "list-unsubscribe", "delivered-to",
    "final-recipient", "x-powermta-bouncecategory", "froma", "t0", "messageid", "receivedx", "x-mailers", "list_id",
};

std::string random_name(std::mt19937 &rng) {
    std::string n = kNames[rng() % (sizeof kNames / sizeof *kNames)];
    for (char &c : n)
        if (c >= 'a' && c <= 'z' && rng() % 3 == 0) c = static_cast<char>(c - 'a' + 'A');
    return n;
}

std::string random_text(std::mt19937 &rng) {
    std::string t;
    const std::size_t n = 1 + rng() % 40;
    for (std::size_t i = 0; i < n; ++i) {
        if (rng() % 3 == 0) {
            t += (rng() % 5 == 0 ? "  " : "") + random_name(rng) + ": v\n";
            continue;
        }
        // runs of header lines are likelier than single ones: blocks that qualify
        if (rng() % 4 == 0) {
            t += "From: s@example.org\nTo: r@example.net\nSubject: s\n";
            continue;
        }
        t += kLines[rng() % (sizeof kLines / sizeof *kLines)];
        if (i + 1 < n || rng() % 2) t += '\n';
    }
    return t;
}

void expect_same(std::string_view text) {
    carom::mime::Headers got, want;
    const bool a = carom::report::quoted_headers(text, got);
    const bool b = old_report_quoted::quoted_headers(text, want);
    ASSERT_EQ(a, b) << text;
    ASSERT_EQ(got.fields.size(), want.fields.size()) << text;
    for (std::size_t i = 0; i < got.fields.size(); ++i) {
        EXPECT_EQ(got.fields[i].name, want.fields[i].name) << text;
        EXPECT_EQ(got.fields[i].value, want.fields[i].value) << text;
    }
}

}  // namespace

TEST(QuotedHeaders, SameAsTheReferenceOnRandomTexts) {
    std::mt19937 rng(3464);
    int found = 0, folded = 0;
    for (int round = 0; round < 30000; ++round) {
        const std::string text = random_text(rng);
        expect_same(text);
        if (HasFailure()) return;  // one failing text is enough to read
        carom::mime::Headers h;
        if (carom::report::quoted_headers(text, h)) {
            ++found;
            for (const auto &f : h.fields)
                if (f.value.find(" Thu,") != std::string_view::npos) ++folded;
        }
    }
    // the generator yields qualifying blocks, folded values among them
    EXPECT_GT(found, 10000);
    EXPECT_GT(folded, 1000);
}

TEST(QuotedHeaders, FoldedAndOddBlocks) {
    const char *texts[] = {
        "Your message could not be delivered.\n\nReceived: from a\n\tby b;\n  Thu, 1 Jan 2015\nFrom: x@example.org\n"
        "To: y@example.net\nSubject: s\n\nbody\n",
        "\nFrom: x@example.org\nSubject:\n  on the next line\nTo: y@example.net",  // no blank line at the end
        "From: x@example.org\nTo: y@example.net\nSubject: s\n \f\nX: after a form feed\n",
        "From: x@example.org\nTo: y@example.net\nSubject: s\nX-Name-Longer-Than-Sixty-Four-Bytes-Which-Split-Field-Rejects-Here: v\n",
        "From: x@example.org\nTo: y@example.net\nX-CR\r: v\nSubject: s\n",
        "From: x@example.org\nTo: y@example.net\nSubject: s\nnot a field\nDate: later\n",
        "Your message\n  To: y@example.net\n  Subject: s\n    folded\n  From: x@example.org\n",
    };
    for (const char *t : texts) expect_same(t);
    carom::mime::Headers h;
    ASSERT_TRUE(carom::report::quoted_headers(texts[0], h));
    ASSERT_EQ(h.fields.size(), 4u);
    EXPECT_EQ(h.fields[0].value, "from a by b; Thu, 1 Jan 2015");
}
