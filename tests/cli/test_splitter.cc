// The CLI's input splitter (lib/cli/input.cc): mbox detection, separators, >From unquoting, the
// size limit, and independence from how the bytes are chunked.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "input.hh"

namespace {

using carom_cli::Message;
using carom_cli::Splitter;

std::vector<Message> split(const std::string &input, Splitter::Mode mode = Splitter::Mode::Detect,
                           std::uint64_t limit = 1 << 20, std::size_t chunk = 0) {
    std::vector<Message> out;
    carom_cli::Sink sink = [&](Message &m) { out.push_back(m); };
    Splitter s(mode, limit, "in", sink);
    if (chunk == 0) chunk = input.size() ? input.size() : 1;
    for (std::size_t i = 0; i < input.size(); i += chunk) s.feed(input.data() + i, std::min(chunk, input.size() - i));
    s.finish();
    return out;
}

const std::string kMbox =
    "From alice@example.com Mon Jan  1 00:00:00 2024\n"
    "Subject: one\n"
    "\n"
    "first\n"
    ">From the quoted line\n"
    ">>From twice quoted\n"
    ">Fromage is not quoting\n"
    "From the desk of nobody, a body line that is no separator\n"
    "\n"
    "From bob@example.com Mon Jan  1 00:00:01 2024\n"
    "Subject: two\n"
    "\n"
    "second\n"
    "\n"
    "From - Tue Jan  2 10:20:30 2024\n"
    "Subject: three\n"
    "\n"
    "third\n";

TEST(Separator, LooksLikeAnEnvelopeLine) {
    auto sep = [](const std::string &s) { return carom_cli::is_mbox_separator(s.data(), s.size()); };
    EXPECT_TRUE(sep("From alice@example.com Mon Jan  1 00:00:00 2024\n"));
    EXPECT_TRUE(sep("From MAILER-DAEMON  Thu Apr 29 23:34:45 2015\r\n"));
    EXPECT_TRUE(sep("From - Tue Jan  2 10:20 2024"));
    EXPECT_FALSE(sep("From: alice@example.com\n"));
    EXPECT_FALSE(sep("From the desk of nobody\n"));
    EXPECT_FALSE(sep("From \n"));
    EXPECT_FALSE(sep(">From alice@example.com Mon Jan  1 00:00:00 2024\n"));
    EXPECT_FALSE(sep("from alice@example.com Mon Jan  1 00:00:00 2024\n"));
    EXPECT_FALSE(sep("From 12:30\n"));  // the time must follow a sender
}

TEST(Splitter, MboxIntoMessages) {
    auto msgs = split(kMbox);
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_EQ(msgs[0].source, "in:0");
    EXPECT_EQ(msgs[1].source, "in:" + std::to_string(kMbox.find("From bob")));
    EXPECT_EQ(msgs[2].source, "in:" + std::to_string(kMbox.find("From - ")));
    EXPECT_EQ(msgs[0].bytes,
              "Subject: one\n\nfirst\nFrom the quoted line\n>From twice quoted\n>Fromage is not quoting\n"
              "From the desk of nobody, a body line that is no separator\n");
    EXPECT_EQ(msgs[1].bytes, "Subject: two\n\nsecond\n");
    EXPECT_EQ(msgs[2].bytes, "Subject: three\n\nthird\n");
    for (const auto &m : msgs) {
        EXPECT_FALSE(m.too_large);
        EXPECT_TRUE(m.io_error.empty());
        EXPECT_EQ(m.size, m.bytes.size());
    }
}

TEST(Splitter, ChunkingDoesNotMatter) {
    auto whole = split(kMbox);
    for (std::size_t chunk : {1u, 2u, 3u, 5u, 7u, 64u}) {
        auto parts = split(kMbox, Splitter::Mode::Detect, 1 << 20, chunk);
        ASSERT_EQ(parts.size(), whole.size()) << chunk;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            EXPECT_EQ(parts[i].bytes, whole[i].bytes) << chunk;
            EXPECT_EQ(parts[i].source, whole[i].source) << chunk;
        }
    }
}

TEST(Splitter, CrlfMbox) {
    std::string crlf;
    for (char c : kMbox) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    auto msgs = split(crlf);
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_EQ(msgs[1].bytes, "Subject: two\r\n\r\nsecond\r\n");
    EXPECT_EQ(msgs[0].bytes.find(">From the"), std::string::npos);
}

TEST(Splitter, SingleMessageIsNeverSplitOrUnquoted) {
    std::string one = "Subject: x\n\nbody\n>From quoted\n\nFrom bob@example.com Mon Jan  1 00:00:01 2024\nmore\n";
    auto msgs = split(one);
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].source, "in");
    EXPECT_EQ(msgs[0].bytes, one);
    // A file that starts like an mbox but must be one message (*.eml): Mode::Single.
    auto single = split(kMbox, Splitter::Mode::Single);
    ASSERT_EQ(single.size(), 1u);
    EXPECT_EQ(single[0].bytes, kMbox);
}

TEST(Splitter, EmptyInputIsOneEmptyMessage) {
    auto msgs = split("");
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].bytes, "");
    EXPECT_EQ(msgs[0].source, "in");
    auto only_sep = split("From a@example.com Mon Jan  1 00:00:00 2024\n");
    ASSERT_EQ(only_sep.size(), 1u);
    EXPECT_EQ(only_sep[0].bytes, "");
    EXPECT_EQ(only_sep[0].source, "in");  // an mbox of one message is named by its path alone
}

TEST(Splitter, UnterminatedLastLineStartsNoMessage) {
    std::string m = "From a@example.com Mon Jan  1 00:00:00 2024\nSubject: x\n\nFrom b@example.com Mon Jan  1 00:00:00 2024";
    auto msgs = split(m);
    ASSERT_EQ(msgs.size(), 1u);
}

TEST(Splitter, TooLargeIsCountedNotKept) {
    std::string big(5000, 'x');
    std::string mbox = "From a@example.com Mon Jan  1 00:00:00 2024\nSubject: small\n\nok\n\n"
                       "From b@example.com Mon Jan  1 00:00:00 2024\nSubject: big\n\n" + big + "\n\n"
                       "From c@example.com Mon Jan  1 00:00:00 2024\nSubject: small\n\nok\n";
    auto msgs = split(mbox, Splitter::Mode::Detect, 1000, 100);
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_FALSE(msgs[0].too_large);
    EXPECT_TRUE(msgs[1].too_large);
    EXPECT_TRUE(msgs[1].bytes.empty());
    // Its size is the message's, without the blank line that ends it in the mbox, as for a
    // message kept whole: "Subject: big\n\n" + 5000 bytes + "\n".
    EXPECT_EQ(msgs[1].size, 14u + 5000u + 1u);
    EXPECT_FALSE(msgs[2].too_large);
    EXPECT_EQ(msgs[2].bytes, "Subject: small\n\nok\n");
    // exactly at the limit is fine, one more byte is not
    std::string at = std::string(999, 'y') + "\n";
    EXPECT_FALSE(split(at, Splitter::Mode::Single, 1000)[0].too_large);
    EXPECT_TRUE(split(at + "z", Splitter::Mode::Single, 1000)[0].too_large);
}

TEST(Splitter, LongLinesPassThrough) {
    std::string line(100000, 'a');
    std::string mbox = "From a@example.com Mon Jan  1 00:00:00 2024\nSubject: x\n\n>From " + line + "\n" + line +
                       "\n\nFrom b@example.com Mon Jan  1 00:00:00 2024\n\nend\n";
    for (std::size_t chunk : {0u, 1000u, 4096u, 4097u}) {
        auto msgs = split(mbox, Splitter::Mode::Detect, 1 << 20, chunk);
        ASSERT_EQ(msgs.size(), 2u) << chunk;
        EXPECT_EQ(msgs[0].bytes, "Subject: x\n\nFrom " + line + "\n" + line + "\n") << chunk;
        EXPECT_EQ(msgs[1].bytes, "\nend\n");
    }
    // a separator-like line longer than the head buffer is not a separator
    std::string longsep = "From a@example.com Mon Jan  1 00:00:00 2024 " + line + "\n";
    EXPECT_EQ(split("Subject: x\n\n" + longsep, Splitter::Mode::Detect).size(), 1u);
}

// The lines of a buffer are read a run at a time, lines cut by a buffer's end one by one: the
// messages must not depend on where the cuts fall, whatever the lines (separators, quoted and
// long lines, CRLF), nor on the size limit's side of a message.
TEST(Splitter, RunsAndCutLinesAgree) {
    const std::string lng(5000, 'x');
    std::string mbox = kMbox;
    mbox += "From carol@example.com Mon Jan  1 00:00:02 2024\r\nSubject: four\r\n\r\n>From quoted\r\n";
    mbox += "From a separator-like line too long to be one Mon Jan  1 00:00:00 2024 " + lng + "\n";
    mbox += ">From a long quoted line " + lng + "\nF\n>\n" + lng + "\n\n";
    mbox += "From dave@example.com Mon Jan  1 00:00:03 2024\n\nlast line without an end";
    for (std::uint64_t limit : {std::uint64_t{1} << 20, std::uint64_t{60}}) {
        const auto whole = split(mbox, Splitter::Mode::Detect, limit);
        ASSERT_EQ(whole.size(), 5u);
        EXPECT_EQ(whole[3].bytes.find(">From quoted"), std::string::npos);
        for (std::size_t chunk : {1u, 2u, 3u, 5u, 7u, 64u, 4095u, 4096u, 4097u, 5100u}) {
            const auto parts = split(mbox, Splitter::Mode::Detect, limit, chunk);
            ASSERT_EQ(parts.size(), whole.size()) << chunk;
            for (std::size_t i = 0; i < parts.size(); ++i) {
                EXPECT_EQ(parts[i].bytes, whole[i].bytes) << chunk << " " << i;
                EXPECT_EQ(parts[i].source, whole[i].source) << chunk << " " << i;
                EXPECT_EQ(parts[i].size, whole[i].size) << chunk << " " << i;
                EXPECT_EQ(parts[i].too_large, whole[i].too_large) << chunk << " " << i;
            }
        }
    }
    const auto msgs = split(mbox);
    EXPECT_NE(msgs[3].bytes.find("From a separator-like line"), std::string::npos);
    EXPECT_NE(msgs[3].bytes.find("From a long quoted line"), std::string::npos);  // one '>' removed
    EXPECT_EQ(msgs[3].bytes.find(">From a long"), std::string::npos);
    EXPECT_EQ(msgs[4].bytes, "\nlast line without an end");
}

TEST(Splitter, ReadErrorBecomesAnIoMessage) {
    std::vector<Message> out;
    carom_cli::Sink sink = [&](Message &m) { out.push_back(m); };
    Splitter s(Splitter::Mode::Detect, 1 << 20, "in", sink);
    std::string first = "From a@example.com Mon Jan  1 00:00:00 2024\nSubject: 1\n\nx\n\nFrom b@example.com Mon Jan  1 00:00:00 2024\nSub";
    s.feed(first.data(), first.size());
    s.fail("Input/output error");
    s.finish();  // nothing more after a failure
    ASSERT_EQ(out.size(), 2u);
    EXPECT_TRUE(out[0].io_error.empty());
    EXPECT_EQ(out[1].io_error, "Input/output error");
    EXPECT_TRUE(out[1].bytes.empty());
}

TEST(Walk, SkippedNames) {
    EXPECT_TRUE(carom_cli::skipped_in_walk(".hidden"));
    EXPECT_TRUE(carom_cli::skipped_in_walk("case.expected.json"));
    EXPECT_TRUE(carom_cli::skipped_in_walk("labels.jsonl"));
    EXPECT_TRUE(carom_cli::skipped_in_walk("README.md"));
    EXPECT_FALSE(carom_cli::skipped_in_walk("case.eml"));
    EXPECT_FALSE(carom_cli::skipped_in_walk("1700000000.M1P2.host:2,S"));
    EXPECT_FALSE(carom_cli::skipped_in_walk("inbox"));
}

}  // namespace
