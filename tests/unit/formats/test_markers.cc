// The body-marker scanner (lib/formats/markers.cc): one Aho-Corasick pass must report exactly the
// phrases icontains finds, for every phrase of kBodyMarkers, on random texts made of phrase
// pieces (overlapping, case-flipped, cut short, UTF-8 phrases cut inside a character) and noise.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/limits.hh"
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/text.hh"
#include "mime/message.hh"

namespace {

using carom::formats::body_has;
using carom::formats::body_has_any;
using carom::formats::icontains;
using carom::formats::kBodyMarkerCount;
using carom::formats::kBodyMarkers;
using carom::formats::MarkerSet;
using carom::formats::scan_body_markers;

void expect_same_as_icontains(const std::string &text) {
    const MarkerSet found = scan_body_markers(text);
    MarkerSet found2;
    std::size_t first[kBodyMarkerCount];
    scan_body_markers(text, found2, first);
    for (std::size_t i = 0; i < kBodyMarkerCount; ++i) {
        ASSERT_EQ(found.has(i), icontains(text, kBodyMarkers[i])) << "phrase \"" << kBodyMarkers[i] << "\" in \"" << text << "\"";
        ASSERT_EQ(found2.has(i), found.has(i));
        if (found.has(i)) {
            ASSERT_EQ(first[i], carom::formats::ifind(text, kBodyMarkers[i])) << kBodyMarkers[i] << " in " << text;
        }
    }
}

TEST(BodyMarkers, EachPhraseAloneAndEmbedded) {
    expect_same_as_icontains("");
    for (std::string_view p : kBodyMarkers) {
        std::string s(p);
        expect_same_as_icontains(s);
        expect_same_as_icontains("xx " + s + " yy");
        for (char &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        expect_same_as_icontains(s);
        expect_same_as_icontains(s.substr(0, s.size() - 1));  // one byte short: not found
    }
}

TEST(BodyMarkers, Known) {
    const MarkerSet m = scan_body_markers("Hi.\nTHIS IS THE QMAIL-SEND PROGRAM AT mx.example.org.\n");
    EXPECT_TRUE(m.has(BODY_MARKER("This is the qmail-send program at")));
    EXPECT_TRUE(m.has(BODY_MARKER("This is the qmail-")));  // ends inside the longer phrase
    EXPECT_TRUE(m.has(BODY_MARKER("qmail-send")));
    EXPECT_FALSE(m.has(BODY_MARKER("This is the mail system at host")));
    EXPECT_EQ(kBodyMarkers[BODY_MARKER("InterScan")], "InterScan");
}

TEST(BodyMarkers, RandomTextsOfPhrasePieces) {
    std::mt19937 rng(8);
    const std::string noise = "aZ \n:-.<>@*()[]'\xc3\xa9\xe7\xae\xa1";
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int pieces = static_cast<int>(rng() % 8);
        for (int k = 0; k < pieces; ++k) {
            std::string_view p = kBodyMarkers[rng() % kBodyMarkerCount];
            // a whole phrase, a prefix or a suffix of one (joined pieces make near-misses)
            std::size_t b = 0, e = p.size();
            switch (rng() % 3) {
                case 1: e = rng() % (p.size() + 1); break;
                case 2: b = rng() % (p.size() + 1); break;
                default: break;
            }
            std::string piece(p.substr(b, e - b));
            for (char &c : piece)
                if (rng() % 3 == 0) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            text += piece;
            const int n = static_cast<int>(rng() % 4);
            for (int j = 0; j < n; ++j) text += noise[rng() % noise.size()];
        }
        expect_same_as_icontains(text);
    }
}

// Bodies of 256 bytes or more are walked as two lanes (halves); a phrase across the boundary
// (or across the quarters, should the lanes ever be four), or found in several lanes, must give the same
// answer and first position as one walk.
TEST(BodyMarkers, LongTextsAcrossLaneBoundaries) {
    std::mt19937 rng(9);
    for (std::size_t i = 0; i < kBodyMarkerCount; ++i) {
        const std::string phrase(kBodyMarkers[i]);
        for (std::size_t total : {256u, 1024u, 2051u}) {
            for (std::size_t cut : {total / 4, total / 2, 3 * total / 4}) {
                for (std::size_t back = 0; back <= phrase.size() && back <= cut; ++back) {
                    // the phrase starts `back` bytes before a lane boundary of a `total`-byte text
                    std::string text(total, 'x');
                    text.replace(cut - back, phrase.size(), phrase);
                    text.resize(total, 'x');
                    expect_same_as_icontains(text);
                    // and again later in the text: the first position must stay the earlier one
                    if (total - 10 > cut + 2 * phrase.size()) {
                        text.replace(total - 10 - phrase.size(), phrase.size(), phrase);
                        expect_same_as_icontains(text);
                    }
                }
            }
        }
    }
    for (int round = 0; round < 300; ++round) {
        std::string text;
        const int pieces = 20 + static_cast<int>(rng() % 150);
        for (int k = 0; k < pieces; ++k) {
            text += kBodyMarkers[rng() % kBodyMarkerCount];
            text += std::string(rng() % 30, rng() % 2 ? ' ' : 'q');
        }
        expect_same_as_icontains(text);
    }
}

// Any byte value (0-255, every byte's class: letters of either case, UTF-8 lead and continuation
// bytes the phrases use and those they do not) between pieces of phrases, in bodies short and
// long (one walk and two lanes): the 16-bit column-major table against the naive search.
TEST(BodyMarkers, RandomBytesBetweenPhrasePieces) {
    std::mt19937 rng(10);
    for (int round = 0; round < 1500; ++round) {
        std::string text;
        const std::size_t want = rng() % 2 ? rng() % 300 : 200 + rng() % 3000;
        while (text.size() < want) {
            if (rng() % 3 == 0) {
                std::string_view p = kBodyMarkers[rng() % kBodyMarkerCount];
                std::string piece(p.substr(0, rng() % 4 ? p.size() : rng() % (p.size() + 1)));
                for (char &c : piece)
                    if (rng() % 2) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                text += piece;
            }
            const int n = static_cast<int>(rng() % 12);
            for (int j = 0; j < n; ++j) text += static_cast<char>(rng() % 256);
        }
        expect_same_as_icontains(text);
    }
}

// Both lanes deep inside long phrases at once (the same near-miss text in either half, so the
// lanes step through the same deep states together): the lanes' test for a hit also fires there
// (the sum of two deep states' numbers), and nothing may be found that is not there.
TEST(BodyMarkers, BothLanesDeepWithoutAPhrase) {
    for (std::string_view p : kBodyMarkers) {
        if (p.size() < 20) continue;
        std::string half;
        while (half.size() < 300) {
            half += p.substr(0, p.size() - 1);  // one byte short: not the phrase
            half += '~';
        }
        expect_same_as_icontains(half + half);
        expect_same_as_icontains(half + half + std::string(p));  // and then the phrase, at the end
    }
}

TEST(BodyMarkers, InputWithAndWithoutScan) {
    carom::mime::Message msg;
    carom::Limits limits;
    const std::string body = "Sorry, we were unable to deliver your message to the following address.\n";
    const carom::formats::Input plain{msg, body, limits};
    const carom::formats::Scan once = carom::formats::scan(plain);
    const carom::formats::Input scanned{msg, body, limits, &once};
    for (std::size_t i = 0; i < kBodyMarkerCount; ++i) {
        EXPECT_EQ(body_has(plain, i), body_has(scanned, i));
        EXPECT_EQ(carom::formats::body_find(plain, i), carom::formats::body_find(scanned, i));
    }
    EXPECT_EQ(carom::formats::before_original(scanned), carom::formats::before_original(std::string_view(body)));
    const std::string body2 = "Sorry.\n----- Original message -----\nContent-Type: message/rfc822\n";
    const carom::formats::Input plain2{msg, body2, limits};
    const carom::formats::Scan once2 = carom::formats::scan(plain2);
    const carom::formats::Input scanned2{msg, body2, limits, &once2};
    EXPECT_EQ(carom::formats::before_original(scanned2), "Sorry.\n");
    EXPECT_EQ(carom::formats::before_original(plain2), "Sorry.\n");
    EXPECT_TRUE(body_has(scanned, BODY_MARKER("Sorry, we were unable to deliver your message to the following address")));
    static constexpr std::string_view kSome[] = {"InterScan", "Technical report:",
                                                 "Sorry, we were unable to deliver your message to the following address"};
    static constexpr MarkerSet kSet = carom::formats::body_markers(kSome);
    EXPECT_TRUE(body_has_any(plain, kSet));
    EXPECT_TRUE(body_has_any(scanned, kSet));
    static constexpr std::string_view kNone[] = {"InterScan", "Technical report:"};
    static constexpr MarkerSet kSet2 = carom::formats::body_markers(kNone);
    EXPECT_FALSE(body_has_any(plain, kSet2));
    EXPECT_FALSE(body_has_any(scanned, kSet2));
}

}  // namespace

namespace {

TEST(BodyMarkers, ScanDecodesSubjectOnce) {
    carom::mime::Message msg;
    std::string err;
    carom::Limits limits;
    const std::string raw =
        "From: =?UTF-8?Q?Mail_Delivery_System?= <mailer-daemon@example.org>\n"
        "Subject:  =?UTF-8?B?VW5kZWxpdmVyZWQgTWFpbA==?= Returned \n\nbody\n";
    ASSERT_EQ(carom::mime::parse(raw, limits, msg, err), CAROM_OK);
    const std::string body = "body\n";
    const carom::formats::Input plain{msg, body, limits};
    const carom::formats::Scan once = carom::formats::scan(plain);
    const carom::formats::Input scanned{msg, body, limits, &once};
    EXPECT_EQ(once.subject, carom::formats::header(plain, "Subject"));
    EXPECT_EQ(carom::formats::header(scanned, "Subject"), "Undelivered Mail Returned");
    EXPECT_EQ(carom::formats::header(scanned, "From"), "Mail Delivery System <mailer-daemon@example.org>");  // decoded there
}

}  // namespace
