// The body-marker scanner (lib/formats/automaton.cc, markers.cc): one Aho-Corasick pass must
// report exactly the phrases icontains finds, for every phrase the registered readers declare, on
// random texts made of phrase pieces (overlapping, case-flipped, cut short, UTF-8 phrases cut
// inside a character) and noise; and a reader's view of the scan (its own markers, by its own
// numbering) must answer as the searches would.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "base/limits.hh"
#include "formats/automaton.hh"
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/text.hh"
#include "mime/message.hh"

namespace {

using carom::formats::body_automaton;
using carom::formats::body_has;
using carom::formats::body_has_any;
using carom::formats::icontains;
using carom::formats::MarkerSet;
using carom::formats::PhraseAutomaton;

// Every phrase the registry's automaton scans for.
const std::vector<std::string_view> &phrases() { return body_automaton().phrases(); }

void expect_same_as_icontains(const std::string &text) {
    MarkerSet found;
    std::size_t first[PhraseAutomaton::kCapacity];
    body_automaton().scan(text, found, first);
    for (std::size_t i = 0; i < phrases().size(); ++i) {
        ASSERT_EQ(found.has(i), icontains(text, phrases()[i])) << "phrase \"" << phrases()[i] << "\" in \"" << text << "\"";
        if (found.has(i)) {
            ASSERT_EQ(first[i], carom::formats::ifind(text, phrases()[i])) << phrases()[i] << " in " << text;
        }
    }
}

// The registered readers' markers all fit the automaton: no reader falls back to searching.
TEST(BodyMarkers, RegisteredReadersFit) {
    EXPECT_TRUE(body_automaton().built());
    EXPECT_LE(phrases().size(), PhraseAutomaton::kCapacity);
    EXPECT_GT(phrases().size(), 100u);  // some 45 readers' markers
    // the support markers first: before_original(in) counts on them at 0
    for (std::size_t i = 0; i < std::size(carom::formats::kOriginalStarts); ++i)
        EXPECT_EQ(phrases()[i], carom::formats::kOriginalStarts[i]);
}

TEST(BodyMarkers, EachPhraseAloneAndEmbedded) {
    expect_same_as_icontains("");
    for (std::string_view p : phrases()) {
        std::string s(p);
        expect_same_as_icontains(s);
        expect_same_as_icontains("xx " + s + " yy");
        for (char &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        expect_same_as_icontains(s);
        expect_same_as_icontains(s.substr(0, s.size() - 1));  // one byte short: not found
    }
}

// A phrase that ends inside a longer one is found with it.
TEST(BodyMarkers, Known) {
    const PhraseAutomaton a({"This is the qmail-send program at", "This is the qmail-", "qmail-send",
                             "This is the mail system at host", "InterScan"});
    ASSERT_TRUE(a.built());
    MarkerSet m;
    std::size_t first[PhraseAutomaton::kCapacity];
    a.scan("Hi.\nTHIS IS THE QMAIL-SEND PROGRAM AT mx.example.org.\n", m, first);
    EXPECT_TRUE(m.has(0));
    EXPECT_TRUE(m.has(1));  // ends inside the longer phrase
    EXPECT_TRUE(m.has(2));
    EXPECT_FALSE(m.has(3));
    EXPECT_FALSE(m.has(4));
    EXPECT_EQ(first[0], 4u);
    EXPECT_EQ(first[1], 4u);
    EXPECT_EQ(first[2], 16u);
}

TEST(BodyMarkers, RandomTextsOfPhrasePieces) {
    std::mt19937 rng(8);
    const std::string noise = "aZ \n:-.<>@*()[]'\xc3\xa9\xe7\xae\xa1";
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int pieces = static_cast<int>(rng() % 8);
        for (int k = 0; k < pieces; ++k) {
            std::string_view p = phrases()[rng() % phrases().size()];
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
    for (std::size_t i = 0; i < phrases().size(); ++i) {
        const std::string phrase(phrases()[i]);
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
            text += phrases()[rng() % phrases().size()];
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
                std::string_view p = phrases()[rng() % phrases().size()];
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
    for (std::string_view p : phrases()) {
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

// A reader's view of the scan (reader_input: its phrases from `base` on in the scan's numbering,
// windows that straddle the scan's 64-bit words included) answers as the searches of an Input
// without a scan do.
TEST(BodyMarkers, ReaderViewWithAndWithoutScan) {
    using carom::formats::Input;
    using carom::formats::Phrases;
    using carom::formats::reader_input;
    carom::mime::Message msg;
    carom::Limits limits;
    const std::vector<std::string_view> &all = phrases();
    std::string body = "Sorry, we were unable to deliver your message to the following address.\n";
    for (std::size_t i = 0; i < all.size(); i += 3) body += "x " + std::string(all[i]) + " y\n";
    const Input plain0{msg, body, limits};
    const carom::formats::Scan once = carom::formats::scan(plain0);
    const Input scanned0{msg, body, limits, &once};
    for (std::size_t base : {std::size_t{0}, std::size_t{37}, std::size_t{64}, all.size() - 5}) {
        const std::size_t n = std::min<std::size_t>(64, all.size() - base);
        const Phrases list{all.data() + base, n};
        const Input plain = reader_input(plain0, list, base);
        const Input scanned = reader_input(scanned0, list, base);
        EXPECT_FALSE(plain.markers.scanned);
        EXPECT_TRUE(scanned.markers.scanned);
        for (std::size_t i = 0; i < n; ++i) {
            EXPECT_EQ(body_has(plain, i), icontains(body, all[base + i])) << all[base + i];
            EXPECT_EQ(body_has(scanned, i), body_has(plain, i)) << all[base + i];
            EXPECT_EQ(carom::formats::body_find(plain, i), carom::formats::body_find(scanned, i));
        }
        const carom::formats::MarkerMask every = n == 64 ? ~0ull : (1ull << n) - 1;
        EXPECT_EQ(body_has_any(plain, every), body_has_any(scanned, every));
        EXPECT_EQ(carom::formats::body_find_first(plain, every), carom::formats::body_find_first(scanned, every));
        EXPECT_EQ(carom::formats::body_find_latest(plain, every), carom::formats::body_find_latest(scanned, every));
    }
}

// A reader's own list, by the names BODY_MARKER and marker_mask give its phrases.
constexpr std::string_view kMarkers[] = {"InterScan", "Technical report:",
                                         "Sorry, we were unable to deliver your message to the following address"};

TEST(BodyMarkers, ReaderListByName) {
    carom::mime::Message msg;
    carom::Limits limits;
    const std::string body = "Sorry, we were unable to deliver your message to the following address.\n";
    const carom::formats::Input in0{msg, body, limits};
    const carom::formats::Input in = carom::formats::reader_input(in0, carom::formats::markers(kMarkers), 0);
    EXPECT_TRUE(body_has(in, BODY_MARKER("Sorry, we were unable to deliver your message to the following address")));
    EXPECT_FALSE(body_has(in, BODY_MARKER("InterScan")));
    EXPECT_EQ(BODY_MARKER("Technical report:"), 1u);
    static constexpr std::string_view kSome[] = {"InterScan",
                                                 "Sorry, we were unable to deliver your message to the following address"};
    static constexpr std::string_view kNone[] = {"InterScan", "Technical report:"};
    static_assert(carom::formats::marker_mask(kMarkers, kSome) == 0b101, "bit i is phrase i");
    EXPECT_TRUE(body_has_any(in, carom::formats::marker_mask(kMarkers, kSome)));
    EXPECT_FALSE(body_has_any(in, carom::formats::marker_mask(kMarkers, kNone)));
    EXPECT_EQ(carom::formats::body_find_first(in, carom::formats::marker_mask(kMarkers, kSome)), 0u);
}

// before_original(in) takes its positions from the scan: the same cut as the search.
TEST(BodyMarkers, BeforeOriginalFromTheScan) {
    carom::mime::Message msg;
    carom::Limits limits;
    for (const std::string body : {"Sorry.\n", "Sorry.\n----- Original message -----\nContent-Type: message/rfc822\n",
                                   "A\n\nContent-Type: text/rfc822-headers\n--- Below this line is a copy of the message\n"}) {
        const carom::formats::Input plain{msg, body, limits};
        const carom::formats::Scan once = carom::formats::scan(plain);
        const carom::formats::Input scanned{msg, body, limits, &once};
        EXPECT_EQ(carom::formats::before_original(scanned), carom::formats::before_original(std::string_view(body)));
        EXPECT_EQ(carom::formats::before_original(plain), carom::formats::before_original(std::string_view(body)));
    }
    const std::string body = "Sorry.\n----- Original message -----\nContent-Type: message/rfc822\n";
    const carom::formats::Input plain{msg, body, limits};
    const carom::formats::Scan once = carom::formats::scan(plain);
    EXPECT_EQ(carom::formats::before_original(carom::formats::Input{msg, body, limits, &once}), "Sorry.\n");
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
