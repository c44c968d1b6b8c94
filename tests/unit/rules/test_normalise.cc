// normalise() takes an ASCII shortcut; it must give exactly what the ICU path gives.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <re2/re2.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

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

// Spaces at every place of the sixteen- and eight-byte chunks normalise copies at once (first byte, last
// byte, both; after a pending run of white space; at the start and the end of the text), at
// several densities of white space and lengths past a few chunks.
TEST(Normalise, AsciiShortcutAgreesWithIcuOnSpacesAtChunkEnds) {
    std::mt19937 rng(12);
    const std::string alphabet = "abcXYZ019.:<@[]-'";
    const std::string ws = std::string(" \t\r\n\x01\x7F") + '\0';
    for (int round = 0; round < 30000; ++round) {
        const unsigned space_rate = 5 + rng() % 45, other_ws = rng() % 3;
        std::string s(rng() % 200, ' ');
        for (char &c : s) {
            const unsigned r = rng() % 100;
            c = r < space_rate ? (rng() % 10 < other_ws ? ws[rng() % ws.size()] : ' ') : alphabet[rng() % alphabet.size()];
        }
        ASSERT_EQ(normalise(s), normalise_unicode(s)) << "round " << round << " \"" << s << "\"";
    }
    EXPECT_EQ(normalise(" abcdefg hijklmn opqrstu "), "abcdefg hijklmn opqrstu");
    EXPECT_EQ(normalise("abcdefg  HIJKLMN\t OPQRSTU V"), "abcdefg hijklmn opqrstu v");
    EXPECT_EQ(normalise("abcdefg \n\n        x"), "abcdefg x");
}

// The ICU path as first written (NFKC, fold, to UTF-8, then collapse while decoding that UTF-8),
// kept here as the reference for the one that collapses straight from UTF-16.
std::string reference_unicode(std::string_view text) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Normalizer2 *nfkc = icu::Normalizer2::getNFKCInstance(ec);
    if (U_SUCCESS(ec) && nfkc) {
        icu::UnicodeString n = nfkc->normalize(u, ec);
        if (U_SUCCESS(ec)) u = n;
    }
    u.foldCase(U_FOLD_CASE_DEFAULT);
    std::string utf8;
    u.toUTF8String(utf8);
    std::string out;
    bool pending = false;
    int32_t i = 0;
    const int32_t n = static_cast<int32_t>(utf8.size());
    while (i < n) {
        int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(utf8.data(), i, n, c);
        bool space = c < 0 ? false : (u_isUWhiteSpace(c) || u_iscntrl(c) || c == 0x200B || c == 0xFEFF);
        if (space) {
            pending = !out.empty();
            continue;
        }
        if (pending) out += ' ';
        pending = false;
        out.append(utf8, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
    }
    return out;
}

TEST(Normalise, IcuPathAgreesWithTheReferenceOnRandomText) {
    const std::vector<std::string> pieces = {
        "a", "Z", " ", "  ", "\t", "\n", "\x01", "\x7F", "5.1.1", "User", "\xC2\xA0" /* NBSP */,
        "\xC2\x85" /* NEL */, "\xC3\x89" /* É */, "e\xCC\x81" /* e + combining acute */, "\xC3\x9F" /* ß */,
        "\xEF\xBC\xB5" /* fullwidth U */, "\xE2\x80\x8B" /* ZWSP */, "\xEF\xBB\xBF" /* BOM */,
        "\xE2\x80\xA8" /* LSEP */, "\xE3\x80\x80" /* ideographic space */, "\xCE\xA3" /* Σ */,
        "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85" /* Arabic */, "\xF0\x9F\x90\x88" /* emoji */,
        "\xEF\xAC\x81" /* fi ligature */, "\xE2\x85\xA8" /* roman numeral nine */, "\xFF", "\x80",
        "\xE3\x81" /* truncated */, "\xED\xA0\x80" /* encoded surrogate */, "\xC0\xAF" /* overlong */,
        "\xE3\x82\xA8\xE3\x83\xA9\xE3\x83\xBC" /* katakana */, "\xEF\xBD\xB1" /* halfwidth katakana */};
    std::mt19937 rng(5);
    for (int round = 0; round < 5000; ++round) {
        std::string s;
        for (unsigned k = rng() % 24; k > 0; --k) s += pieces[rng() % pieces.size()];
        ASSERT_EQ(normalise_unicode(s), reference_unicode(s)) << "round " << round;
        ASSERT_EQ(normalise(s), reference_unicode(s)) << "round " << round;
    }
}

// The matcher answers `text .` without RE2 (matcher.hh, AlonePattern::any_text): every normalised text
// that is not empty must have a character RE2's dot matches (valid UTF-8, no line feed).
TEST(Normalise, DotMatchesEveryNormalisedText) {
    RE2::Options opt;
    opt.set_log_errors(false);
    opt.set_encoding(RE2::Options::EncodingUTF8);
    opt.set_case_sensitive(true);
    const RE2 dot("(?:.)", opt);
    ASSERT_TRUE(dot.ok());
    std::mt19937 rng(3);
    const std::string odd[] = {"\n", "\r\n", "\xFF", "\x80", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9",
                               "\xED\xA0\x80", "\xC3", " ", "\t", "\x0B", "\x0C", "a", "\xC3\xA9", "\xF4\x90\x80\x80"};
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        for (unsigned k = rng() % 6; k > 0; --k) s += odd[rng() % (sizeof odd / sizeof odd[0])];
        const std::string t = normalise(s);
        if (!t.empty()) {
            ASSERT_TRUE(RE2::PartialMatch(t, dot)) << "round " << round;
        }
    }
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
