// ifind (lib/formats/text.cc) searches with memchr on the needle's least common byte; these tests
// compare it with a plain case-insensitive scan, including matches at both ends of the haystack,
// anchors in either case, overlapping candidates, a start offset and non-ASCII bytes.
#include <gtest/gtest.h>

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

}  // namespace
