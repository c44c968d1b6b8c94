// ifind (lib/formats/text.cc) searches with memchr on the needle's least common byte; these tests
// compare it with a plain case-insensitive scan, including matches at both ends of the haystack,
// anchors in either case, overlapping candidates, a start offset and non-ASCII bytes.
#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>

#include "formats/text.hh"

namespace {

char lc(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t naive_ifind(std::string_view hay, std::string_view needle, std::size_t from) {
    if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
    for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && lc(hay[i + k]) == lc(needle[k])) ++k;
        if (k == needle.size()) return i;
    }
    return std::string_view::npos;
}

using carom::formats::ifind;

TEST(TextIfind, Basics) {
    EXPECT_EQ(ifind("Hello World", "world"), 6u);
    EXPECT_EQ(ifind("Hello World", "WORLD"), 6u);
    EXPECT_EQ(ifind("qmail-send", "QMAIL"), 0u);
    EXPECT_EQ(ifind("abc", "abcd"), std::string_view::npos);
    EXPECT_EQ(ifind("abc", ""), 0u);
    EXPECT_EQ(ifind("abc", "", 3), 3u);
    EXPECT_EQ(ifind("abc", "", 4), std::string_view::npos);
    EXPECT_EQ(ifind("abc", "c", 5), std::string_view::npos);
    EXPECT_EQ(ifind("xQmAiL qmail", "qmail", 1), 1u);
    EXPECT_EQ(ifind("xQmAiL qmail", "qmail", 2), 7u);
    EXPECT_EQ(ifind("Zzz\xC3\xA9t\xC3\xA9", "\xC3\xA9T\xC3\xA9"), 3u);
    EXPECT_EQ(ifind("aaaaaaaaab", "aab"), 7u);
}

TEST(TextIfind, MatchesNaiveScan) {
    std::mt19937 rng(12345);
    const std::string alphabet = "aAbBqQzZ -:\n\xC3\xA9";
    for (int round = 0; round < 20000; ++round) {
        std::string hay(rng() % 40, ' '), needle(1 + rng() % 4, ' ');
        for (char &c : hay) c = alphabet[rng() % alphabet.size()];
        for (char &c : needle) c = alphabet[rng() % alphabet.size()];
        std::size_t from = rng() % (hay.size() + 2);
        ASSERT_EQ(ifind(hay, needle, from), naive_ifind(hay, needle, from))
            << "hay=[" << hay << "] needle=[" << needle << "] from=" << from;
    }
}

// Haystacks of 64 bytes and more, where ifind picks its anchor among the needle's first bytes,
// with needles longer than the bytes it ranks.
TEST(TextIfind, MatchesNaiveScanOnLongText) {
    std::mt19937 rng(777);
    const std::string alphabet = "eE tT-zZqQ\n\xC3\xA9";
    for (int round = 0; round < 5000; ++round) {
        std::string hay(64 + rng() % 200, ' '), needle(1 + rng() % 24, ' ');
        for (char &c : hay) c = alphabet[rng() % 4];  // common bytes
        for (char &c : needle) c = alphabet[rng() % alphabet.size()];
        if (rng() % 2) {  // plant the needle, in another case, at a random place
            std::string planted = needle;
            for (char &c : planted) c = static_cast<char>(rng() % 2 ? std::toupper(static_cast<unsigned char>(c)) : c);
            hay.replace(rng() % (hay.size() - needle.size()), needle.size(), planted);
        }
        std::size_t from = rng() % 8;
        ASSERT_EQ(ifind(hay, needle, from), naive_ifind(hay, needle, from))
            << "hay=[" << hay << "] needle=[" << needle << "] from=" << from;
    }
}

}  // namespace

// find_command walks the text once with a byte table and a per-letter command index; this is the
// plain definition it must agree with: the last word start (not after a letter or digit) where
// any command phrase begins, ASCII case-insensitive, and there the first phrase in table order.
namespace {

std::string naive_find_command(std::string_view t) {
    static const std::pair<const char *, const char *> kCmds[] = {
        {"rcpt to", "RCPT"}, {"mail from", "MAIL"}, {"end of data", "DATA"}, {"data command", "DATA"},
        {"after data", "DATA"}, {"ehlo", "EHLO"}, {"helo", "HELO"}, {"starttls", "STARTTLS"},
        {"auth ", "AUTH"}, {"refused to talk to me", "CONN"}, {"after initial connection", "CONN"},
        {"during greeting", "CONN"}, {"our final data", "DATA"}, {"after sending data", "DATA"},
        {"after i sent the message", "DATA"}, {"does not like recipient", "RCPT"}, {"does not like sender", "MAIL"},
        {"after pipelined data", "DATA"}, {"my name was rejected", "HELO"}, {"sender was rejected", "MAIL"},
        {"greeting failed", "CONN"},
    };
    auto alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    std::string name;
    for (std::size_t q = 0; q < t.size(); ++q) {
        if (q > 0 && alnum(t[q - 1])) continue;
        for (const auto &c : kCmds)
            if (naive_ifind(t.substr(q), c.first, 0) == 0) {
                name = c.second;
                break;
            }
    }
    return name;
}

TEST(TextFindCommand, Basics) {
    using carom::formats::find_command;
    EXPECT_EQ(find_command("550 5.1.1 unknown user (in reply to RCPT TO command)"), "RCPT");
    EXPECT_EQ(find_command("in reply to MAIL FROM, then rcpt to"), "RCPT");
    EXPECT_EQ(find_command("email from the server"), "");
    EXPECT_EQ(find_command("after data"), "DATA");
    EXPECT_EQ(find_command("x\xc3\xa9helo"), "HELO");  // a non-ASCII byte is not a letter
    EXPECT_EQ(find_command(""), "");
}

TEST(TextFindCommand, SameAsPlainDefinitionOnRandomText) {
    std::mt19937 rng(21);
    const char *const pieces[] = {"rcpt to", "RCPT TO", "mail from", "Mail From", "end of data", "data command",
                                  "after data", "EHLO", "helo", "starttls", "auth ", "AUTH", "refused to talk to me",
                                  "after initial connection", "during greeting", "our final data", "after sending data",
                                  "after i sent the message", "does not like recipient", "does not like sender",
                                  "after pipelined data", "my name was rejected", "sender was rejected",
                                  "greeting failed", "e", "x", "1", " ", "-", "<", "\xc3\xa9", "re", "ma", "af"};
    for (int round = 0; round < 20000; ++round) {
        std::string t;
        const int n = static_cast<int>(rng() % 7);
        for (int k = 0; k < n; ++k) {
            std::string p = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
            if (rng() % 4 == 0) p = p.substr(0, rng() % (p.size() + 1));
            t += p;
        }
        ASSERT_EQ(carom::formats::find_command(t), naive_find_command(t)) << t;
    }
}

// find_command looks for word starts eight bytes at a time: random bytes around the letter and
// digit ranges ('/', ':', '@', '[', '`', '{', DEL, and their images with bit 7 set, which are not
// letters) and phrases at every offset against the plain definition.
TEST(TextFindCommand, SameAsPlainDefinitionOnEdgeBytes) {
    std::mt19937 rng(99);
    const std::string edges = std::string("/09:@AZ[`az{\x7f \t\n.-") + "\xaf\xb0\xb9\xba\xc0\xc1\xda\xdb\xe0\xe1\xfa\xfb\xff\x80";
    const char *const phrases[] = {"rcpt to", "Mail From", "EHLO", "helo", "after data", "AUTH ", "data command",
                                   "our final data", "greeting failed", "starttls", "does not like sender"};
    for (int round = 0; round < 20000; ++round) {
        std::string t;
        for (int k = static_cast<int>(rng() % 40); k > 0; --k) {
            if (rng() % 6 == 0) t += phrases[rng() % (sizeof phrases / sizeof phrases[0])];
            else t += edges[rng() % edges.size()];
        }
        ASSERT_EQ(carom::formats::find_command(t), naive_find_command(t)) << t;
    }
}

}  // namespace

namespace {

// find_reply_code before it tried only the bytes '2', '4' and '5' found eight at a time.
std::string old_find_reply_code(std::string_view t) {
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto alnum = [&digit](char c) { return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    for (std::size_t i = 0; i + 3 <= t.size(); ++i) {
        char c = t[i];
        if (c != '2' && c != '4' && c != '5') continue;
        if (i > 0 && (digit(t[i - 1]) || alnum(t[i - 1]) || t[i - 1] == '.')) continue;
        if (!digit(t[i + 1]) || !digit(t[i + 2])) continue;
        if (t[i + 1] > '5') continue;
        if (i + 3 < t.size()) {
            char n = t[i + 3];
            if (!(n == ' ' || n == '-' || n == '\t' || n == '\n' || n == ')' || n == ']' || n == ',')) continue;
        }
        return std::string(t.substr(i, 3));
    }
    return "";
}

TEST(TextFindReplyCode, SameAsByteLoop) {
    EXPECT_EQ(carom::formats::find_reply_code("host said: 550 5.1.1 no"), "550");
    EXPECT_EQ(carom::formats::find_reply_code("x 1550 a.450 560 421"), "421");
    EXPECT_EQ(carom::formats::find_reply_code("12345678 (452)"), "452");
    std::mt19937 rng(5);
    // The digits, the bytes whose images under | 1 or ^ '2' look alike ('3', '4', '5', 0xb4,
    // 0xb5, 0x32 | 0x80), the allowed followers and a few others.
    const std::string alphabet = std::string("0123456789 -)],.\tx:") + "\xb2\xb4\xb5\n";
    for (int round = 0; round < 30000; ++round) {
        std::string t;
        for (int k = static_cast<int>(rng() % 40); k > 0; --k) t += alphabet[rng() % alphabet.size()];
        ASSERT_EQ(carom::formats::find_reply_code(t), old_find_reply_code(t)) << t;
        // A view that stops before digits: nothing past its end may count.
        const std::string longer = t + "55 ";
        const std::string_view view(longer.data(), t.size());
        ASSERT_EQ(carom::formats::find_reply_code(view), old_find_reply_code(view)) << t;
    }
}

// The byte loop squeeze had before it copied eight bytes at a time: the reference.
std::string old_squeeze(std::string_view s, bool lower) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += lower && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

TEST(TextSqueeze, SameAsByteLoopOnLongText) {
    std::mt19937 rng(17);
    // Words of letters (both cases, and the bytes beside A-Z), single and double spaces, the other
    // white space, controls that are not white space (\v, \f, 0x1f), '!' (0x21: a space's
    // neighbour for the SWAR test), and non-ASCII bytes.
    const std::string alphabet = std::string("aAzZ@[`{09!.-_") + "\x80\xc1\xda\xff\x1f\v\f";
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        for (int k = static_cast<int>(rng() % 80); k > 0; --k) {
            const unsigned r = rng() % 10;
            if (r < 6) s += alphabet[rng() % alphabet.size()];
            else if (r < 8) s += ' ';
            else s += " \t\n\r"[rng() % 4];
        }
        ASSERT_EQ(carom::formats::squeeze(s), old_squeeze(s, false)) << s;
        ASSERT_EQ(carom::formats::squeeze_lower(s), old_squeeze(s, true)) << s;
        std::string in_place = s;
        carom::formats::squeeze_in_place(in_place);
        ASSERT_EQ(in_place, old_squeeze(s, false)) << s;
    }
}

TEST(TextSqueeze, LowerInOnePass) {
    using carom::formats::squeeze;
    using carom::formats::squeeze_lower;
    EXPECT_EQ(squeeze("  a\t\tB \r\n c  "), "a B c");
    EXPECT_EQ(squeeze_lower("  Host\tMX.Example.ORG\n said:\xc3\x89 "), "host mx.example.org said:\xc3\x89");
    std::mt19937 rng(3);
    const std::string alphabet = "aZ \t\r\n.\xc3\x89";
    for (int round = 0; round < 2000; ++round) {
        std::string s;
        for (int k = static_cast<int>(rng() % 20); k > 0; --k) s += alphabet[rng() % alphabet.size()];
        EXPECT_EQ(squeeze_lower(s), carom::lower(squeeze(s))) << s;
        std::string in_place = s;
        carom::formats::squeeze_in_place(in_place);
        EXPECT_EQ(in_place, squeeze(s)) << s;
    }
}

}  // namespace

namespace {

// find_address's fallback stops at the first address instead of collecting all of them: it must
// still be find_addresses(t).front() whenever no <...> holds an address.
TEST(TextFindAddress, FirstOfAllWithoutBrackets) {
    using carom::formats::find_address;
    using carom::formats::find_addresses;
    EXPECT_EQ(find_address("rfc822;User@Example.ORG; x@y.example"), "User@Example.ORG");
    EXPECT_EQ(find_addresses("a@example.org A@EXAMPLE.ORG b@example.org").size(), 2u);  // case-insensitive duplicates
    std::mt19937 rng(5);
    const char *const pieces[] = {"user", "@", "example.org", " ", ".", "-", "rfc822;", "'", "Mx", "\n", "x@", "@y", ";"};
    for (int round = 0; round < 20000; ++round) {
        std::string t;
        for (int k = static_cast<int>(rng() % 9); k > 0; --k) t += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
        const auto all = find_addresses(t);
        ASSERT_EQ(find_address(t), all.empty() ? std::string() : all.front()) << t;
    }
}

}  // namespace

namespace {

// lib/base/strings.hh: trim and the character classes are the "C" locale's isspace(), isalpha(), isalnum().
TEST(TextTrim, SameClassesAsCLocale) {
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        EXPECT_EQ(carom::is_space(c), std::isspace(b) != 0) << b;
        EXPECT_EQ(carom::is_alpha(c), std::isalpha(b) != 0) << b;
        EXPECT_EQ(carom::is_alnum(c), std::isalnum(b) != 0) << b;
        const std::string s = std::string(1, c) + "x" + std::string(1, c);
        EXPECT_EQ(carom::trim(s), std::isspace(b) ? std::string_view("x") : std::string_view(s)) << b;
    }
}

}  // namespace
