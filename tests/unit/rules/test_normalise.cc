// normalise() takes an ASCII shortcut; it must give exactly what the ICU path gives.
#include <gtest/gtest.h>

#include <random>
#include <string>

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

TEST(Normalise, NonAsciiStillGoesThroughIcu) {
    EXPECT_EQ(normalise("MAILBOX\xC2\xA0" "FULL"), "mailbox full");          // NBSP is white space
    EXPECT_EQ(normalise("\xEF\xBC\xB5SER unknown"), "user unknown");       // fullwidth U -> NFKC
    EXPECT_EQ(normalise("Stra\xC3\x9F" "e"), "strasse");                   // case folding
}

}  // namespace
