// Charset conversion to UTF-8. The encoded test bytes are produced by ICU from UTF-8 text in the
// test itself (or written by hand where noted), then decoded by carom's to_utf8.
#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <string>
#include <vector>

#include "mime/decode.hh"
#include "mime/message.hh"

using carom::Limits;
using carom::mime::Message;
using carom::mime::parse;
using carom::mime::to_utf8;
using carom::mime::to_utf8_into;

namespace {

// Encodes UTF-8 text into `charset` with ICU.
std::string encode(const std::string &utf8, const char *charset) {
    UErrorCode e = U_ZERO_ERROR;
    std::vector<UChar> u(utf8.size() + 8);
    int32_t ulen = 0;
    u_strFromUTF8(u.data(), static_cast<int32_t>(u.size()), &ulen, utf8.data(), static_cast<int32_t>(utf8.size()), &e);
    EXPECT_TRUE(U_SUCCESS(e));
    UConverter *cv = ucnv_open(charset, &e);
    EXPECT_TRUE(U_SUCCESS(e)) << charset;
    std::string out(utf8.size() * 4 + 16, '\0');
    int32_t n = ucnv_fromUChars(cv, out.data(), static_cast<int32_t>(out.size()), u.data(), ulen, &e);
    ucnv_close(cv);
    EXPECT_TRUE(U_SUCCESS(e)) << charset;
    out.resize(static_cast<std::size_t>(n));
    return out;
}

const std::string kJa = "\xe3\x81\x82\xe3\x81\xa6\xe5\x85\x88\xe4\xb8\x8d\xe6\x98\x8e (user unknown)";  // あて先不明
const std::string kZh = "\xe6\x94\xb6\xe4\xbb\xb6\xe4\xba\xba\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8";         // 收件人不存在
const std::string kZhTw = "\xe4\xbf\xa1\xe7\xae\xb1\xe5\xb7\xb2\xe6\xbb\xbf";                              // 信箱已滿
const std::string kRu = "\xd0\xbf\xd0\xbe\xd0\xbb\xd1\x8c\xd0\xb7\xd0\xbe\xd0\xb2\xd0\xb0\xd1\x82\xd0\xb5\xd0\xbb\xd1\x8c";  // пользователь
const std::string kPl = "U\xc5\xbc\x79tkownik nie istnieje";                                                 // Użytkownik
const std::string kKo = "\xec\x82\xac\xec\x9a\xa9\xec\x9e\x90";                                              // 사용자

}  // namespace

TEST(Charset, Japanese) {
    for (const char *cs : {"ISO-2022-JP", "Shift_JIS", "EUC-JP"}) {
        std::string bytes = encode(kJa, cs);
        ASSERT_NE(bytes, kJa) << cs;
        EXPECT_EQ(to_utf8(bytes, cs), kJa) << cs;
    }
    EXPECT_EQ(to_utf8(encode(kJa, "Shift_JIS"), "x-sjis"), kJa);
    EXPECT_EQ(to_utf8(encode(kJa, "Shift_JIS"), "\"SHIFT-JIS\""), kJa);
    EXPECT_EQ(to_utf8(encode(kJa, "ISO-2022-JP"), "iso-2022-jp"), kJa);
}

TEST(Charset, IsoTwoThousandTwentyTwoJpByHand) {
    // "テスト" written by hand: ESC $ B, JIS X 0208 rows, ESC ( B
    EXPECT_EQ(to_utf8("\x1b$B%F%9%H\x1b(B", "iso-2022-jp"), "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88");
}

TEST(Charset, Chinese) {
    EXPECT_EQ(to_utf8(encode(kZh, "GB2312"), "gb2312"), kZh);
    EXPECT_EQ(to_utf8(encode(kZh, "GBK"), "GBK"), kZh);
    EXPECT_EQ(to_utf8(encode(kZh, "GB18030"), "gb18030"), kZh);
    EXPECT_EQ(to_utf8(encode(kZhTw, "Big5"), "big5"), kZhTw);
}

TEST(Charset, CyrillicLatinKorean) {
    EXPECT_EQ(to_utf8(encode(kRu, "KOI8-R"), "koi8-r"), kRu);
    EXPECT_EQ(to_utf8(encode(kRu, "windows-1251"), "Windows-1251"), kRu);
    EXPECT_EQ(to_utf8(encode(kPl, "ISO-8859-2"), "iso-8859-2"), kPl);
    EXPECT_EQ(to_utf8(encode(kPl, "windows-1250"), "cp1250"), kPl);
    EXPECT_EQ(to_utf8(encode(kKo, "EUC-KR"), "ks_c_5601-1987"), kKo);
}

TEST(Charset, Utf7) {
    EXPECT_EQ(to_utf8("Hi Mom -+Jjo--!", "utf-7"), "Hi Mom -\xe2\x98\xba-!");
    EXPECT_EQ(to_utf8("+ZeVnLIqe-", "unicode-1-1-utf-7"), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
}

TEST(Charset, MisspeltAndAliasedLabels) {
    EXPECT_EQ(to_utf8("caf\xc3\xa9", "uft-8"), "caf\xc3\xa9");
    EXPECT_EQ(to_utf8("caf\xc3\xa9", "UTF8"), "caf\xc3\xa9");
    EXPECT_EQ(to_utf8("caf\xe9", "latin1"), "caf\xc3\xa9");
    // ISO-8859-1 is read as windows-1252, as mailers mean it: 0x80 is the euro sign
    EXPECT_EQ(to_utf8("\x80", "iso-8859-1"), "\xe2\x82\xac");
}

TEST(Charset, UnknownOrAsciiLabelsAreSniffed) {
    EXPECT_EQ(to_utf8("caf\xc3\xa9", "x-no-such-charset"), "caf\xc3\xa9");
    EXPECT_EQ(to_utf8("caf\xe9", "x-no-such-charset"), "caf\xc3\xa9");
    EXPECT_EQ(to_utf8("caf\xe9", ""), "caf\xc3\xa9");
    EXPECT_EQ(to_utf8("caf\xc3\xa9", "us-ascii"), "caf\xc3\xa9");
    EXPECT_EQ(to_utf8("\x93quoted\x94", "us-ascii"), "\xe2\x80\x9cquoted\xe2\x80\x9d");
    EXPECT_EQ(to_utf8("plain ascii", "no-such"), "plain ascii");
}

TEST(Charset, InvalidBytesReplacedNeverThrown) {
    std::string out = to_utf8("ab\xff\xfe", "utf-8");
    EXPECT_TRUE(carom::mime::valid_utf8(out));
    EXPECT_NE(out.find("\xef\xbf\xbd"), std::string::npos);  // U+FFFD
    EXPECT_EQ(out.substr(0, 2), "ab");
    // a truncated Shift_JIS lead byte
    out = to_utf8("ok\x82", "shift_jis");
    EXPECT_TRUE(carom::mime::valid_utf8(out));
    EXPECT_EQ(out.substr(0, 2), "ok");
    // garbage in ISO-2022-JP
    out = to_utf8("\x1b$B\xff\xff\x1b(B", "iso-2022-jp");
    EXPECT_TRUE(carom::mime::valid_utf8(out));
    EXPECT_TRUE(carom::mime::valid_utf8(to_utf8(std::string("\0\x80\xff", 3), "big5")));
}

TEST(Charset, TextPartsAreConverted) {
    std::string mail = "From: a@example.org\nContent-Type: text/plain; charset=iso-2022-jp\n\n" + encode(kJa, "ISO-2022-JP") + "\n";
    carom::mime::Message m;
    std::string err;
    ASSERT_EQ(carom::mime::parse(mail, carom::Limits(), m, err), CAROM_OK);
    EXPECT_EQ(carom::mime::body_text(m), kJa + "\n");
}

TEST(Charset, IntoAgreesWithToUtf8AndSkipsTheCopy) {
    const char *labels[] = {"", "us-ascii", "utf-8", "UTF8", "iso-8859-1", "windows-1252", "iso-2022-jp",
                            "utf-7", "shift_jis", "x-no-such-charset", "koi8-r", "gb2312"};
    const std::string inputs[] = {"", "plain ascii", "caf\xc3\xa9", "caf\xe9", "a+ZeVnLIqe-b", "\x1b$B$3\x1b(B",
                                  std::string("nul\0byte", 8), "\xff\xfe\x80"};
    for (const char *l : labels) {
        for (const std::string &in : inputs) {
            std::string out = "untouched";
            bool changed = to_utf8_into(in, l, out);
            if (changed) {
                EXPECT_EQ(out, to_utf8(in, l)) << l << " / " << in;
            } else {
                EXPECT_EQ(out, "untouched") << l << " / " << in;
                EXPECT_EQ(in, to_utf8(in, l)) << l << " / " << in;
            }
        }
    }
    std::string out;
    EXPECT_FALSE(to_utf8_into("hello", "us-ascii", out));
    EXPECT_FALSE(to_utf8_into("caf\xc3\xa9", "utf-8", out));
    EXPECT_TRUE(to_utf8_into("caf\xe9", "iso-8859-1", out));
    EXPECT_EQ(out, "caf\xc3\xa9");
}

TEST(Charset, PartKeepsRawBodyOnlyWhenConverted) {
    Message m;
    std::string err;
    ASSERT_EQ(parse("From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                    "Content-Type: text/plain; charset=us-ascii\n\nplain\n--b\n"
                    "Content-Type: text/plain; charset=iso-8859-1\n\ncaf\xe9\n--b--\n",
                    Limits(), m, err),
              CAROM_OK);
    ASSERT_EQ(m.root.children.size(), 2u);
    EXPECT_EQ(m.root.children[0].text, "plain");
    EXPECT_EQ(m.root.children[0].body, "");  // text holds the bytes unchanged
    EXPECT_EQ(m.root.children[1].text, "caf\xc3\xa9");
    EXPECT_EQ(m.root.children[1].body, "caf\xe9");
}

namespace {

// Decodes with ICU the way carom did before its own windows-1252 and UTF-7 shortcuts.
std::string icu_decode(const std::string &bytes, const char *charset) {
    UErrorCode e = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(charset, &e);
    EXPECT_TRUE(U_SUCCESS(e)) << charset;
    std::vector<UChar> u(bytes.size() * 2 + 16);
    int32_t n = ucnv_toUChars(cv, u.data(), static_cast<int32_t>(u.size()), bytes.data(),
                              static_cast<int32_t>(bytes.size()), &e);
    ucnv_close(cv);
    std::string out(static_cast<std::size_t>(n) * 3 + 4, '\0');
    int32_t len = 0;
    u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &len, u.data(), n, 0xFFFD, nullptr, &e);
    out.resize(static_cast<std::size_t>(len));
    return out;
}

}  // namespace

TEST(Charset, Windows1252ByHandMatchesIcuOnEveryByte) {
    std::string all;
    for (int b = 1; b < 256; ++b) all.push_back(static_cast<char>(b));
    const std::string want = icu_decode(all, "windows-1252");
    EXPECT_EQ(to_utf8(all, "windows-1252"), want);
    EXPECT_EQ(to_utf8(all, "iso-8859-1"), want);
    EXPECT_EQ(to_utf8(all, "us-ascii"), want);  // not UTF-8: sniffed as windows-1252
    for (int b = 0x80; b < 0x100; ++b) {
        const std::string one(1, static_cast<char>(b));
        EXPECT_EQ(to_utf8("x" + one, "latin1"), icu_decode("x" + one, "windows-1252")) << b;
    }
}

TEST(Charset, Utf7DirectCharactersStayAsTheyAre) {
    const std::string direct = "Mailbox full: user@example.org (552) - try again\tlater\r\n";
    std::string out;
    EXPECT_FALSE(to_utf8_into(direct, "utf-7", out));
    EXPECT_EQ(icu_decode(direct, "UTF-7"), direct);
    // Shifted, rejected or 8-bit bytes still go through ICU.
    for (const std::string &s : {std::string("a+ZeVnLIqe-b"), std::string("back\\slash"), std::string("tilde~"),
                                std::string("bell\x07"), std::string("caf\xc3\xa9")}) {
        EXPECT_EQ(to_utf8(s, "utf-7"), icu_decode(s, "UTF-7")) << s;
    }
}

TEST(Charset, Iso2022JpByHandMatchesIcu) {
    // Every JIS X 0208 pair, one row at a time.
    for (int r = 0x21; r <= 0x7E; ++r) {
        std::string row = "row \x1b$B";
        for (int c = 0x21; c <= 0x7E; ++c) {
            row.push_back(static_cast<char>(r));
            row.push_back(static_cast<char>(c));
        }
        row += "\x1b(B end\n";
        ASSERT_EQ(to_utf8(row, "iso-2022-jp"), icu_decode(row, "ISO-2022-JP-2")) << r;
    }
    // Random mixtures, including forms outside the hand-decoded subset (ICU then decodes).
    const std::string bits[] = {"\x1b$B", "\x1b(B", "\x1b(J", "\x1b$@", "\x1b$A", "\x1b", "\x0e", "\x0f",
                                "$3", "%F", "0!", "tE", "~~", "!", "\n", "\r\n", "abc ", "\xa4\xa2", "\t", "\x7f"};
    std::uint32_t seed = 99;
    auto rnd = [&seed]() { return (seed = seed * 1103515245u + 12345u) >> 8; };
    for (int round = 0; round < 3000; ++round) {
        std::string in = rnd() % 2 ? "" : "\x1b$B";
        const int n = static_cast<int>(rnd() % 24);
        for (int k = 0; k < n; ++k) in += bits[rnd() % (sizeof bits / sizeof bits[0])];
        // 7-bit text without any escape is returned as it is before any converter is consulted.
        bool plain = in.find('\x1b') == std::string::npos;
        for (char c : in) plain = plain && static_cast<unsigned char>(c) < 0x80;
        ASSERT_EQ(to_utf8(in, "ISO-2022-JP"), plain ? in : icu_decode(in, "ISO-2022-JP-2")) << in;
    }
}

// The ASCII test before any conversion reads 64 bytes per step (SSE2) and then words and bytes:
// one 8-bit byte anywhere, in any lane of any step or in the tail, must send the text to the
// converter; a text without one is returned as it is.
TEST(Charset, OneEightBitByteAnywhereIsSeen) {
    std::string out;
    for (std::size_t n = 1; n <= 200; ++n) {
        std::string text(n, 'a');
        for (std::size_t k = 0; k < n; ++k) text[k] = static_cast<char>('a' + (k * 7) % 26);
        EXPECT_FALSE(carom::mime::to_utf8_into(text, "iso-8859-1", out)) << n;
        for (std::size_t p = 0; p < n; ++p) {
            std::string t = text;
            t[p] = static_cast<char>(0x80 | (p % 0x7F));
            out.clear();
            ASSERT_TRUE(carom::mime::to_utf8_into(t, "iso-8859-1", out)) << n << " " << p;
            EXPECT_EQ(out, carom::mime::to_utf8(t, "iso-8859-1")) << n << " " << p;
        }
    }
}
