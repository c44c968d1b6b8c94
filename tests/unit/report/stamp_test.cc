// report/stamp: the token's definition against digests computed outside carom (coreutils'
// sha256sum, the command beside each), the sender's order of fall-backs, and the timestamp a record
// gets when its reader gave it none.
#include <gtest/gtest.h>

#include <string>

#include "parse_message.hh"
#include "report/stamp.hh"

namespace {

using carom::Original;
using carom::report::bounce_sender;
using carom::report::record_token;

TEST(Token, KnownDigest) {
    // printf '%s\n%s\n%s' 'news@example.com' 'nobody@example.org' 'newsletter-42@example.com' | sha256sum
    const char kDigest[] = "62f7000ab3d80dc17a93169d0615cfbd95c501a33c848cfe30a37ec3e195ed66";
    EXPECT_EQ(record_token("news@example.com", "nobody@example.org", "newsletter-42@example.com"), kDigest);
    // The addresses are lower-cased first; the key (a Message-ID is case-sensitive) is not.
    EXPECT_EQ(record_token("News@Example.COM", "NOBODY@example.ORG", "newsletter-42@example.com"), kDigest);
    EXPECT_NE(record_token("news@example.com", "nobody@example.org", "Newsletter-42@example.com"), kDigest);
}

TEST(Token, KeyFallbacks) {
    // The original's date when it has no Message-ID:
    // printf '%s\n%s\n%s' 'news@example.com' 'nobody@example.org' '2026-01-02T03:04:05Z' | sha256sum
    EXPECT_EQ(record_token("news@example.com", "nobody@example.org", "2026-01-02T03:04:05Z"),
              "8cf153886d8ac1a9b14f5b6c850053b6e8d869d5e6a207f125684203b1f7077c");
    // Neither: the key is empty, the separators stay.
    // printf '%s\n%s\n%s' 'news@example.com' 'nobody@example.org' '' | sha256sum
    EXPECT_EQ(record_token("news@example.com", "nobody@example.org", ""),
              "717dc6695c841d0f1d5273afe4bcbbb20f597539613358f0f5bc64f1ce456997");
}

TEST(Token, PartsDoNotSlideIntoEachOther) {
    // The separator keeps "a" + "bc" apart from "ab" + "c".
    EXPECT_NE(record_token("a@x", "bc@y", "k"), record_token("a@xb", "c@y", "k"));
    EXPECT_NE(record_token("a@x", "b@y", "k"), record_token("a@x", "b@yk", ""));
}

Original original(std::string return_path, std::string from) {
    Original o;
    o.return_path = std::move(return_path);
    o.from = std::move(from);
    o.present = true;
    return o;
}

carom::mime::Headers bounce_to(std::string_view to) {
    carom::mime::Headers h;
    h.add("From", "MAILER-DAEMON@mx.example.net");
    if (!to.empty()) h.add("To", to);
    return h;
}

TEST(Sender, ReturnPathFirst) {
    EXPECT_EQ(bounce_sender(original("Bounces@Example.COM", "news@example.com"), bounce_to("x@example.net")),
              "Bounces@example.com");  // the domain lower-cased, the local part as written
}

TEST(Sender, FromWhenNoReturnPath) {
    EXPECT_EQ(bounce_sender(original("", "News@Example.com"), bounce_to("x@example.net")), "News@example.com");
    // A null Return-Path (<>, read as "") or one without a domain is no sender.
    EXPECT_EQ(bounce_sender(original("MAILER-DAEMON", "news@example.com"), bounce_to("")), "news@example.com");
}

TEST(Sender, TheBouncesToWhenNoOriginal) {
    EXPECT_EQ(bounce_sender(Original{}, bounce_to("Sender <Sender@EXAMPLE.com>")), "Sender@example.com");
    EXPECT_EQ(bounce_sender(original("", "not an address"), bounce_to("undisclosed-recipients:;, b@example.org")),
              "b@example.org");
    EXPECT_EQ(bounce_sender(Original{}, bounce_to("")), "");
}

// A bounce whose delivery-status part has an Arrival-Date, and records as a reader of its text
// would make them (no timestamp): they take the Arrival-Date, not the bounce's Date.
const char kBounce[] =
    "Date: Tue, 3 Feb 2026 19:15:01 +0900\n"
    "From: MAILER-DAEMON@mx.example.net\n"
    "To: Sender@Example.com\n"
    "Subject: failure\n"
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
    "\n"
    "--b\n"
    "Content-Type: text/plain\n"
    "\n"
    "<a@example.org>: 550 no such user\n"
    "--b\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.net\n"
    "Arrival-Date: Tue, 3 Feb 2026 19:14:00 +0900\n"
    "\n"
    "Final-Recipient: rfc822; a@example.org\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "--b--\n";

TEST(Stamp, ARecordWithoutTimestampTakesTheReportsArrivalDate) {
    carom::mime::Message msg = carom::report::testing::parse(kBounce);
    carom::Extraction ex;
    ex.records.emplace_back().recipient = "a@example.org";
    carom::Record &dated = ex.records.emplace_back();
    dated.recipient = "b@example.org";
    dated.timestamp = "2026-02-03T10:00:00Z";  // a reader's own: kept
    dated.timestamp_source = "last-attempt";
    carom::report::stamp_records(msg, ex);
    EXPECT_EQ(ex.records[0].timestamp, "2026-02-03T19:14:00+09:00");
    EXPECT_EQ(ex.records[0].timestamp_source, "arrival");
    EXPECT_EQ(ex.records[1].timestamp, "2026-02-03T10:00:00Z");
    EXPECT_EQ(ex.records[1].timestamp_source, "last-attempt");
    // No original: the sender is the bounce's To, the key empty.
    EXPECT_EQ(ex.records[0].sender, "Sender@example.com");
    EXPECT_EQ(ex.records[0].token, record_token("Sender@example.com", "a@example.org", ""));
}

TEST(Stamp, ElseTheBouncesDate) {
    std::string text = kBounce;
    text.erase(text.find("Arrival-Date:"), std::string("Arrival-Date: Tue, 3 Feb 2026 19:14:00 +0900\n").size());
    carom::mime::Message msg = carom::report::testing::parse(text);
    carom::Extraction ex;
    ex.records.emplace_back().recipient = "a@example.org";
    carom::report::stamp_records(msg, ex);
    EXPECT_EQ(ex.records[0].timestamp, "2026-02-03T19:15:01+09:00");
    EXPECT_EQ(ex.records[0].timestamp_source, "date");
}

TEST(Stamp, ElseNothing) {
    carom::mime::Message msg = carom::report::testing::parse("From: a@example.net\nSubject: x\n\nbody\n");
    carom::Extraction ex;
    ex.records.emplace_back().recipient = "a@example.org";
    carom::report::stamp_records(msg, ex);
    EXPECT_EQ(ex.records[0].timestamp, "");
    EXPECT_EQ(ex.records[0].timestamp_source, "");
    EXPECT_EQ(ex.records[0].sender, "");
    EXPECT_EQ(ex.records[0].token.size(), 64u);  // every record has one
}

}  // namespace
