// normalise() takes an ASCII shortcut; it must give exactly what the ICU path gives.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include <unicode/uchar.h>

#include "rules/ruleset.hh"

namespace {

using carom::rules::normalise;
using carom::rules::normalise_unicode;

TEST(Normalise, AsciiShortcutAgreesWithIcuForEveryByte) {
    for (int b = 0; b < 0x80; ++b) {
        std::string s = "  550 User ";
        s += static_cast<char>(b);
        s += "Unknown\t\r\n";
        EXPECT_EQ(normalise(s), normalise_unicode(s)) << "byte " << b;
    }
}

TEST(Normalise, AsciiShortcutAgreesWithIcuOnRandomText) {
    std::mt19937 rng(7);
    for (int round = 0; round < 5000; ++round) {
        std::string s(rng() % 30, ' ');
        for (char &c : s) c = static_cast<char>(rng() % 0x80);
        ASSERT_EQ(normalise(s), normalise_unicode(s));
    }
}

// Text like a diagnostic: words, single spaces, and now and then a run of white space, a control
// character or DEL, at every length and alignment (normalise copies eight plain bytes at a time).
TEST(Normalise, AsciiShortcutAgreesWithIcuOnWordyText) {
    std::mt19937 rng(11);
    const std::string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:;<>@[]()-_'\"/";
    const std::string odd = std::string(" \t\r\n\x01\x1F\x7F") + '\0';
    for (int round = 0; round < 20000; ++round) {
        std::string s(rng() % 70, ' ');
        for (char &c : s) {
            unsigned r = rng() % 100;
            c = r < 15 ? ' ' : r < 19 ? odd[rng() % odd.size()] : alphabet[rng() % alphabet.size()];
        }
        ASSERT_EQ(normalise(s), normalise_unicode(s)) << "round " << round;
    }
    EXPECT_EQ(normalise("USER UNKNOWN IN LOCAL TABLE"), "user unknown in local table");
    EXPECT_EQ(normalise("  @AZ[`az{ 12345678  ABCDEFGH  "), "@az[`az{ 12345678 abcdefgh");
}

// normalise_unicode skips ICU for ASCII code points: bytes <= 0x20 and 0x7F are its white space.
TEST(Normalise, AsciiWhiteSpaceIsWhatIcuSays) {
    for (UChar32 c = 0; c < 0x80; ++c) {
        bool icu = u_isUWhiteSpace(c) || u_iscntrl(c);
        EXPECT_EQ(icu, c <= 0x20 || c == 0x7F) << "U+" << c;
        std::string s = std::string("\xC3\xA9 x") + static_cast<char>(c) + "y";  // non-ASCII: ICU path
        EXPECT_EQ(normalise(s), icu ? "\xC3\xA9 x y" : "\xC3\xA9 x" + std::string(1, static_cast<char>(
                                                             c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c)) + "y")
            << "U+" << c;
    }
}

// A non-ASCII byte anywhere (first, middle, last) sends the whole text through ICU.
TEST(Normalise, NonAsciiAnywhereTakesTheIcuPath) {
    EXPECT_EQ(normalise("\xC3\x89T\xC3\x89  FULL"), "\xC3\xA9t\xC3\xA9 full");
    EXPECT_EQ(normalise("Mailbox  FULL \xEF\xBC\xA1"), "mailbox full a");
    EXPECT_EQ(normalise("  A\tB \xC2\xA0"), "a b");
    EXPECT_EQ(normalise("A\xFF B"), "a\xEF\xBF\xBD b");  // invalid UTF-8 becomes U+FFFD
}

TEST(Normalise, NonAsciiStillGoesThroughIcu) {
    EXPECT_EQ(normalise("MAILBOX\xC2\xA0" "FULL"), "mailbox full");          // NBSP is white space
    EXPECT_EQ(normalise("\xEF\xBC\xB5SER unknown"), "user unknown");       // fullwidth U -> NFKC
    EXPECT_EQ(normalise("Stra\xC3\x9F" "e"), "strasse");                   // case folding
}

}  // namespace
