// report::quoted_headers on hand-written bounce texts: which runs of lines count as the quoted
// header block of the original message (original.hh, docs/mime.md "The returned original") and
// which fields come out of it, folded values joined as RFC 5322 2.2.3 unfolds them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/original.hh"

using carom::mime::Headers;
using carom::report::quoted_headers;

namespace {

// The fields as "name=value" lines, in order, for comparing in one step.
std::vector<std::string> fields_of(const Headers &h) {
    std::vector<std::string> out;
    for (const auto &f : h.fields) out.push_back(std::string(f.name) + "=" + std::string(f.value));
    return out;
}

// The fields of the block found in `text`; {"(none)"} when none is.
std::vector<std::string> block_in(const std::string &text) {
    Headers h;
    if (!quoted_headers(text, h)) return {"(none)"};
    return fields_of(h);
}

using Lines = std::vector<std::string>;

}  // namespace

TEST(QuotedHeaders, FlushLeftBlockAfterASeparatorLine) {
    EXPECT_EQ(block_in("This is the mail system at host mx.example.org.\n"
                     "\n"
                     "----- Original message -----\n"
                     "From: Sender <sender@example.org>\n"
                     "To: rcpt@example.net\n"
                     "Subject: Hello\n"
                     "Date: Thu, 1 Jan 2015 00:00:00 +0900\n"
                     "\n"
                     "The body.\n"),
              (Lines{"From=Sender <sender@example.org>", "To=rcpt@example.net", "Subject=Hello",
                     "Date=Thu, 1 Jan 2015 00:00:00 +0900"}));
}

TEST(QuotedHeaders, FlushLeftNeedsThreeKnownFieldsWithAKeyOne) {
    EXPECT_EQ(block_in("From: a@example.org\nSubject: s\n"), Lines{"(none)"});  // two
    EXPECT_EQ(block_in("To: a@example.org\nCc: b@example.org\nDate: Thu, 1 Jan 2015 00:00:00 +0900\n"),
              Lines{"(none)"});  // three, but none of From, Subject, Message-ID, Received
    EXPECT_EQ(block_in("Message-ID: <1@example.org>\nTo: a@example.org\nX-Mailer: m\n"),
              (Lines{"Message-ID=<1@example.org>", "To=a@example.org", "X-Mailer=m"}));
    EXPECT_EQ(block_in("Received: from a.example.org\nTo: b@example.net\nDate: d\n"),
              (Lines{"Received=from a.example.org", "To=b@example.net", "Date=d"}));
    // Fields an original does not have are kept but do not count.
    EXPECT_EQ(block_in("From: a@example.org\nX-One: 1\nX-Two: 2\n"), Lines{"(none)"});
}

TEST(QuotedHeaders, IndentedBlockNeedsTwo) {
    // The "Your message / To: / Subject:" summaries of Exchange and Domino.
    EXPECT_EQ(block_in("Your message\n"
                     "\n"
                     "  To:      rcpt@example.net\n"
                     "  Subject: Hello\n"
                     "  Sent:    Thu, 1 Jan 2015 00:00:00 +0900\n"
                     "\n"
                     "did not reach the following recipient(s):\n"),
              (Lines{"To=rcpt@example.net", "Subject=Hello", "Sent=Thu, 1 Jan 2015 00:00:00 +0900"}));
    // Received marks only a flush-left block.
    EXPECT_EQ(block_in("Your message\n  Received: from a.example.org\n  To: b@example.net\n"), Lines{"(none)"});
    EXPECT_EQ(block_in("Your message\n  Subject: only one\n"), Lines{"(none)"});
}

TEST(QuotedHeaders, FoldedValuesAreJoined) {
    EXPECT_EQ(block_in("From: a@example.org\n"
                     "Subject: a long\n"
                     "  subject line\n"
                     "Received: from a.example.org\n"
                     "\tby b.example.net;\n"
                     "        Thu, 1 Jan 2015 00:00:00 +0900\n"
                     "To: b@example.net\n"),
              (Lines{"From=a@example.org", "Subject=a long subject line",
                     "Received=from a.example.org by b.example.net; Thu, 1 Jan 2015 00:00:00 +0900",
                     "To=b@example.net"}));
    EXPECT_EQ(block_in("Your message\n  To: b@example.net\n  Subject: a long\n    subject line\n"),
              (Lines{"To=b@example.net", "Subject=a long subject line"}));
}

TEST(QuotedHeaders, DeliveryStatusBlocksAreNotTheOriginal) {
    EXPECT_EQ(block_in("From: a@example.org\nTo: b@example.net\nSubject: s\nStatus: 5.1.1\n"), Lines{"(none)"});
    EXPECT_EQ(block_in("Final-Recipient: rfc822; b@example.net\nFrom: a@example.org\nTo: b@example.net\nSubject: s\n"),
              Lines{"(none)"});
}

TEST(QuotedHeaders, NamesInAnyCase) {
    EXPECT_EQ(block_in("FROM: a@example.org\nto: b@example.net\nSUBJECT: s\n"),
              (Lines{"FROM=a@example.org", "to=b@example.net", "SUBJECT=s"}));
}

TEST(QuotedHeaders, BlockStartsAtItsFirstFieldLine) {
    // A field line right after another belongs to the same block: the block below starts at
    // X-Note and holds it.
    EXPECT_EQ(block_in("X-Note: hi\nFrom: a@example.org\nTo: b@example.net\nSubject: s\n"),
              (Lines{"X-Note=hi", "From=a@example.org", "To=b@example.net", "Subject=s"}));
}

TEST(QuotedHeaders, TheFirstQualifyingBlockWins) {
    EXPECT_EQ(block_in("From: one@example.org\nTo: b@example.net\nSubject: first\n\n"
                     "From: two@example.org\nTo: b@example.net\nSubject: second\n"),
              (Lines{"From=one@example.org", "To=b@example.net", "Subject=first"}));
    // A block that does not qualify is passed over.
    EXPECT_EQ(block_in("Subject: alone\n\nFrom: two@example.org\nTo: b@example.net\nSubject: second\n"),
              (Lines{"From=two@example.org", "To=b@example.net", "Subject=second"}));
}

TEST(QuotedHeaders, BlockAtTheEndWithoutALineEnd) {
    EXPECT_EQ(block_in("\nFrom: a@example.org\nSubject:\n  on the next line\nTo: b@example.net"),
              (Lines{"From=a@example.org", "Subject=on the next line", "To=b@example.net"}));
}

TEST(QuotedHeaders, BlockFollowedByProse) {
    // The block ends at the first line that is neither a field nor a continuation; its fields
    // are read.
    const std::vector<std::string> got = block_in("From: a@example.org\nTo: b@example.net\nSubject: s\nnot a field\n");
    ASSERT_GE(got.size(), 3u);
    EXPECT_EQ(got[0], "From=a@example.org");
    EXPECT_EQ(got[1], "To=b@example.net");
    EXPECT_EQ(got[2], "Subject=s");
}

TEST(QuotedHeaders, TextsWithoutABlock) {
    EXPECT_EQ(block_in(""), Lines{"(none)"});
    EXPECT_EQ(block_in("\n\n"), Lines{"(none)"});
    EXPECT_EQ(block_in("Your message could not be delivered.\nPlease try again later.\n"), Lines{"(none)"});
    const char raw[] = "From: \0\xff\nTo: \x80\n";  // two fields, odd bytes: no block, no harm
    EXPECT_EQ(block_in(std::string(raw, sizeof raw - 1)), Lines{"(none)"});
}

TEST(QuotedHeaders, LongTextsAreSearchedWithinABound) {
    // Each one-field paragraph is a candidate that does not qualify; the search gives up after
    // a few hundred of them rather than read a hostile text to its end.
    std::string text;
    for (int i = 0; i < 1000; ++i) text += "Subject: " + std::to_string(i) + "\n\n";
    text += "From: a@example.org\nTo: b@example.net\nSubject: s\n";
    EXPECT_EQ(block_in(text), Lines{"(none)"});
    EXPECT_NE(block_in(text.substr(text.size() - 200)), Lines{"(none)"});  // the same block alone is found
}
