// Unit tests of the MTA readers' shared helpers (lib/formats/mta_common.*, text.*) and of the
// extraction cases of the MTA readers that are easy to get wrong.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "base/limits.hh"
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "read_message.hh"
#include "formats/text.hh"
#include "mime/message.hh"

namespace carom::formats {
namespace {

using testing::Read;
using testing::run;

TEST(MtaText, FindCommandNeedsWordStart) {
    EXPECT_EQ(find_command("Unauthenticated email from example.org is not accepted"), "");
    EXPECT_EQ(find_command("550 denied (in reply to MAIL FROM command)"), "MAIL");
    EXPECT_EQ(find_command("host x said: 550 no (in reply to end of DATA command)"), "DATA");
    EXPECT_EQ(find_command("192.0.2.1 does not like recipient."), "RCPT");
}

// merge()'s old test of a text diagnostic against the DSN's, on lower-case squeezed copies; the
// reference for says_more, which takes both squeezed and searches case-insensitively in place.
bool old_says_more(const std::string &text, const std::string &dsn) {
    if (text.empty()) return false;
    if (dsn.empty()) return true;
    std::string t = squeeze_lower(text), d = squeeze_lower(dsn);
    std::size_t semi = d.find(';');
    if (semi != std::string::npos && semi < 12) d = std::string(trim(std::string_view(d).substr(semi + 1)));
    return t.size() > d.size() && t.find(d) != std::string::npos;
}

TEST(MtaCommon, SaysMoreAsOnLowerCaseCopies) {
    EXPECT_TRUE(says_more("host mx said: 550 5.1.1 <a@example.org>: User Unknown", "smtp; 550 5.1.1 <A@EXAMPLE.ORG>: user unknown"));
    EXPECT_FALSE(says_more("550 5.1.1 user unknown", "smtp; 550 5.1.1 mailbox full"));
    EXPECT_FALSE(says_more("550 x", "550 x"));
    EXPECT_TRUE(says_more("x", ""));
    EXPECT_FALSE(says_more("", ""));
    std::mt19937 rng(7);
    const char *const pieces[] = {"smtp;", "SMTP; ", "x-postfix;", "550", " ", "\t", "\n ", ";", "User", "user",
                                  "UNKNOWN", "a", "B", "\xc3\x89", "\xc3\xa9", "  ", "\r\n", ".", "<a@b.c>", "\v"};
    for (int round = 0; round < 20000; ++round) {
        std::string t, d;
        for (int k = static_cast<int>(rng() % 8); k > 0; --k) t += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
        for (int k = static_cast<int>(rng() % 6); k > 0; --k) d += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
        if (rng() % 3 == 0) t += d;  // containment is the interesting case
        if (rng() % 5 == 0) t = d;
        // What the output shows is the diagnostic chosen, squeezed (finish): the same either way.
        const std::string old_choice = squeeze(old_says_more(t, d) ? t : d);
        const std::string st = squeeze(t), sd = squeeze(d);
        const std::string new_choice = st != sd && says_more(st, sd) ? st : sd;
        ASSERT_EQ(new_choice, old_choice) << "t=[" << t << "] d=[" << d << "]";
        // Apart from a text of white space only against an empty DSN text, the answers agree.
        if (!(d.empty() && st.empty()) && st != sd) {
            ASSERT_EQ(says_more(st, sd), old_says_more(t, d)) << t << "|" << d;
        }
    }
}

// Subject replaces header(in, "Subject") copies: the same text with and without read_known's scan.
TEST(MtaCommon, SubjectViewIsTheDecodedHeader) {
    const char *const raws[] = {
        "From: a@example.org\nSubject:  =?UTF-8?B?w4ljaGVj?= de livraison \t\nTo: b@example.org\n\nbody\n",
        "From: a@example.org\nSubject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host x.\n",
        "From: a@example.org\n\nno subject\n",
    };
    for (const char *raw : raws) {
        Limits limits;
        mime::Message msg;
        std::string err;
        ASSERT_EQ(mime::parse(raw, limits, msg, err), CAROM_OK);
        const std::string body = mime::body_text(msg);
        const Input plain{msg, body, limits};
        const std::string expected = header(plain, "Subject");
        EXPECT_EQ(Subject(plain).view(), expected);
        const Scan once = scan(plain);
        const Input scanned{msg, body, limits, &once};
        EXPECT_EQ(Subject(scanned).view(), expected);
        EXPECT_EQ(header(scanned, "Subject"), expected);
    }
}

// Sendmail's transcript: the command of the last ">>>" verb (any case; QUIT does not count),
// Sendmail's own lines read only when the diagnostic needs them (a bare exit status), and there
// the last verdict line (one starting with a reply code) over the other lines.
TEST(MtaSendmail, TranscriptVerbsAndOwnLines) {
    const std::string head =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@example.org>\nSubject: Returned mail: see transcript for details\n"
        "To: a@example.org\n\n";
    {
        const Read r = run(head +
                           "   ----- The following addresses had permanent fatal errors -----\n<b@example.net>\n"
                           "    (reason: 255)\n\n   ----- Transcript of session follows -----\n"
                           "... while talking to mx.example.net.:\n>>> mail From:<a@example.org>\n<<< 250 ok\n"
                           ">>> rcpt To:<b@example.net>\n<<< 250 ok\n"
                           "<b@example.net>... first own line\n554 5.3.0 unknown mailer error 255\nsecond own line\n");
        ASSERT_TRUE(r.ok);
        ASSERT_EQ(r.result.records.size(), 1u);
        EXPECT_EQ(r.result.records[0].command, "RCPT");
        EXPECT_EQ(r.result.records[0].remote_mta, "mx.example.net");
        EXPECT_EQ(r.result.records[0].diagnostic, "554 5.3.0 unknown mailer error 255");
    }
    {
        const Read r = run(head +
                           "   ----- The following addresses had permanent fatal errors -----\n<b@example.net>\n"
                           "    (reason: 71)\n\n   ----- Transcript of session follows -----\n"
                           "... while talking to mx.example.net.:\n>>> DATA\n>>> quit\n"
                           "<b@example.net>... Deferred: Connection refused\nby mx.example.net.\n");
        ASSERT_TRUE(r.ok);
        ASSERT_EQ(r.result.records.size(), 1u);
        EXPECT_EQ(r.result.records[0].command, "");  // QUIT was the last command
        EXPECT_EQ(r.result.records[0].diagnostic, "<b@example.net>... Deferred: Connection refused by mx.example.net.");
    }
}

// block_after before it passed over lines by their first byte: the reference.
std::string_view old_block_after(std::string_view text, std::string_view start, const std::vector<std::string_view> &ends) {
    std::size_t b = 0;
    if (!start.empty()) {
        std::size_t p = ifind(text, start);
        if (p == std::string_view::npos) return {};
        std::size_t nl = text.find('\n', p);
        b = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    std::size_t i = b;
    while (i < text.size()) {
        std::size_t nl = text.find('\n', i);
        std::size_t e = nl == std::string_view::npos ? text.size() : nl;
        std::string_view line = trim(text.substr(i, e - i));
        for (std::string_view end : ends)
            if (!end.empty() && istarts_with(line, end)) return text.substr(b, i - b);
        i = e + 1;
    }
    return text.substr(b);
}

TEST(MtaCommon, BlockAfterSameAsTryingEveryEnd) {
    std::mt19937 rng(11);
    const char *const pieces[] = {"--", "-", "Content-Type:", "content-TYPE: x", "  ", "\t", "\n", "\n\n", "start",
                                  "START here", "a", "Z", "\xc3\xa9", "-----", "Reporting-MTA:", " \v", "ends with "};
    const std::vector<std::vector<std::string_view>> endsets = {
        {"--", "Content-Type:"}, {"-----", "--", "Content-Type:"}, {"", "reporting-mta:"}, {"ends with "}, {}, {"\xc3\xa9"}};
    for (int round = 0; round < 20000; ++round) {
        std::string t;
        for (int k = static_cast<int>(rng() % 14); k > 0; --k) t += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
        const auto &ends = endsets[rng() % endsets.size()];
        const std::string_view start = rng() % 2 ? "start" : "";
        const std::string_view got = block_after(t, start, ends), want = old_block_after(t, start, ends);
        ASSERT_EQ(got.data() == nullptr, want.data() == nullptr) << t;
        ASSERT_EQ(got, want) << t;
        if (!got.empty()) {
            ASSERT_EQ(got.data(), want.data()) << t;
        }
    }
}

// read_known lets the readers write into ex when it arrives fresh (the engine's case) and into a
// fresh Extraction otherwise: the result is the same either way, and a message no reader takes
// leaves ex as it came (its original kept).
TEST(MtaRegistry, FreshOrNotTheSameExtraction) {
    const std::string postfix =
        "From: MAILER-DAEMON@example.org (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\n"
        "To: a@example.org\n\nThis is the mail system at host mx.example.org.\n\n"
        "<b@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 <b@example.net>: User\n"
        "    unknown (in reply to RCPT TO command)\n";
    const std::string none = "From: a@example.org\nSubject: hello\nTo: b@example.org\n\nJust a letter.\n";
    // Postfix's detect step takes it, its read step finds no recipient: ex is reset, original kept.
    const std::string failing = "From: a@example.org\nSubject: hello\n\nThis is the mail system at host x.\n\nnothing\n";
    for (const std::string *raw : {&postfix, &none, &failing}) {
        Limits limits;
        mime::Message msg;
        std::string err;
        ASSERT_EQ(mime::parse(*raw, limits, msg, err), CAROM_OK);
        const std::string body = mime::body_text(msg);
        const Input in{msg, body, limits};
        Extraction fresh, used;
        fresh.original.subject = used.original.subject = "kept";
        used.notice = "challenge";  // not fresh: the readers get their own Extraction
        used.auto_reply = true;
        const bool a = read_known(in, fresh), b = read_known(in, used);
        EXPECT_EQ(a, b);
        EXPECT_EQ(fresh.original.subject, "kept");
        EXPECT_EQ(used.original.subject, "kept");
        ASSERT_EQ(fresh.records.size(), used.records.size());
        for (std::size_t i = 0; i < fresh.records.size(); ++i) {
            EXPECT_EQ(fresh.records[i].recipient, used.records[i].recipient);
            EXPECT_EQ(fresh.records[i].diagnostic, used.records[i].diagnostic);
            EXPECT_EQ(fresh.records[i].command, used.records[i].command);
        }
        EXPECT_EQ(fresh.format, used.format);
        if (a) {
            EXPECT_EQ(fresh.format, "postfix");
            EXPECT_EQ(fresh.records.size(), 1u);
            EXPECT_TRUE(used.notice.empty() && !used.auto_reply);  // replaced whole, as before
        } else {
            EXPECT_EQ(used.notice, "challenge");  // left as it came
            EXPECT_TRUE(fresh.records.empty() && fresh.format.empty());
        }
    }
}

TEST(MtaCommon, RemoteHostPhrase) {
    EXPECT_EQ(remote_host_phrase("host mx.example.org[192.0.2.1] said: 550"), "mx.example.org");
    EXPECT_EQ(remote_host_phrase("host mx.example.org [192.0.2.1]: 550"), "mx.example.org");
    EXPECT_EQ(remote_host_phrase("no host here"), "");
}

TEST(MtaCommon, FinishPrefersDetailedStatusOfSameClass) {
    Record r;
    r.status = "5.0.0";
    r.diagnostic = "smtp;  550 5.7.1\n  relaying denied";
    finish(r);
    EXPECT_EQ(r.status, "5.7.1");
    EXPECT_EQ(r.reply_code, "550");
    EXPECT_EQ(r.action, "failed");
    EXPECT_EQ(r.diagnostic, "smtp; 550 5.7.1 relaying denied");

    Record k;
    k.status = "5.0.0";
    k.diagnostic = "451 4.3.0 try later";  // another class: the report's status stays
    finish(k);
    EXPECT_EQ(k.status, "5.0.0");
}

TEST(MtaCommon, UnquoteOnlyWhenMarkerIsQuoted) {
    const std::string quoted = "intro\n> ----- The following addresses had x -----\n> <a@example.org>\n";
    EXPECT_EQ(unquote_around(quoted, "----- The following addresses had"),
              "intro\n----- The following addresses had x -----\n<a@example.org>\n");
    const std::string plain = "> quote\n----- The following addresses had x -----\n";
    EXPECT_EQ(unquote_around(plain, "----- The following addresses had"), plain);
}

TEST(MtaReaders, EximListsEveryFailedAddress) {
    Read r = run(
        "From: Mail Delivery System <Mailer-Daemon@relay.example.com>\n"
        "To: a@example.com\nSubject: Mail delivery failed: returning message to sender\n\n"
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  one@example.org\n    host mx.example.org [192.0.2.1]\n"
        "    SMTP error from remote mail server after RCPT TO:<one@example.org>:\n"
        "    550 5.1.1 unknown\n"
        "  pipe to |/usr/bin/handler\n    generated by two@example.net\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        "To: three@example.org\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "exim");
    ASSERT_EQ(r.result.records.size(), 2u);
    EXPECT_EQ(r.result.records[0].recipient, "one@example.org");
    EXPECT_EQ(r.result.records[0].command, "RCPT");
    EXPECT_EQ(r.result.records[0].remote_mta, "mx.example.org");
    EXPECT_EQ(r.result.records[1].recipient, "two@example.net");
}

TEST(MtaReaders, PostfixExpandedFromWrapsToNextLine) {
    Read r = run(
        "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\n"
        "Subject: Undelivered Mail Returned to Sender\n\n"
        "This is the mail system at host mx.example.com.\n\n"
        "<real@example.org> (expanded from\n    <alias@example.org>): host in.example.org[192.0.2.2]\n"
        "    said: 452 4.2.2 over quota (in reply to RCPT TO command)\n");
    ASSERT_TRUE(r.ok);
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].recipient, "real@example.org");
    EXPECT_EQ(r.result.records[0].status, "4.2.2");
    EXPECT_EQ(r.result.records[0].reply_code, "452");
    EXPECT_EQ(r.result.records[0].command, "RCPT");
    EXPECT_EQ(r.result.records[0].remote_mta, "in.example.org");
}

TEST(MtaReaders, FallbackNeverTakesTheBouncesOwnAddresses) {
    Read r = run(
        "From: postmaster@gw.example.com\nTo: sender@example.com\nSubject: Undeliverable message\n\n"
        "Your message from sender@example.com could not be delivered to:\n\n"
        "    target@example.net\n\nReason: 550 no such user\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.result.format, "fallback");
    ASSERT_EQ(r.result.records.size(), 1u);
    EXPECT_EQ(r.result.records[0].recipient, "target@example.net");
    EXPECT_EQ(r.result.records[0].reply_code, "550");
}

TEST(MtaReaders, FallbackIgnoresOrdinaryMail) {
    Read r = run("From: friend@example.org\nTo: me@example.com\nSubject: lunch\n\n"
                 "Could not be delivered to: nobody@example.net? Just kidding.\n");
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(r.result.records.empty());
}

}  // namespace
}  // namespace carom::formats
