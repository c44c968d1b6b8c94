// The MIME tree: multipart splitting, attached messages, header blocks, transfer decoding, line
// ends, limits, body_text.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <string>

#include "mime/decode.hh"
#include "mime/message.hh"

using namespace carom;
using namespace carom::mime;

namespace {

carom_status_t parse_str(const std::string &s, Message &m, const Limits &l = Limits()) {
    std::string err;
    carom_status_t st = parse(s, l, m, err);
    if (st != CAROM_OK) {
        EXPECT_FALSE(err.empty());
    }
    return st;
}

// A compact rendering of the tree, to compare line-end variants.
std::string dump(const Part &p, int depth = 0) {
    std::string r(static_cast<std::size_t>(depth) * 2, ' ');
    r += p.type + "/" + p.subtype + " [" + p.charset + "] ";
    for (const auto &f : p.headers.fields) r += std::string(f.name) + "=" + std::string(f.value) + ";";
    r += " body=" + p.body + " text=" + p.text + "\n";
    for (const auto &c : p.children) r += dump(c, depth + 1);
    return r;
}

std::string with_ends(const std::string &lf, const char *eol) {
    std::string r;
    for (char c : lf) {
        if (c == '\n') r += eol;
        else r.push_back(c);
    }
    return r;
}

const std::string kReport =
    "Return-Path: <>\n"
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\n"
    "To: sender@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"OUTER\"\n"
    "\n"
    "This is a MIME-encapsulated message (preamble).\n"
    "--OUTER-not-a-boundary\n"
    "\n"
    "--OUTER\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "I'm sorry to have to inform you that your message could not be delivered=\n"
    " -- caf=C3=A9. A line mentioning --OUTER inside it.\n"
    "\n"
    "--OUTER\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.example.com\n"
    "\n"
    "Final-Recipient: rfc822; nobody@example.net\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "\n"
    "--OUTER\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: sender@example.org\n"
    "To: nobody@example.net\n"
    "Subject: hello\n"
    "Content-Type: multipart/alternative; boundary=INNER\n"
    "\n"
    "--INNER\n"
    "Content-Type: text/plain\n"
    "\n"
    "inner plain\n"
    "--INNER\n"
    "Content-Type: text/html\n"
    "\n"
    "<p>inner html</p>\n"
    "--INNER--\n"
    "\n"
    "--OUTER--\n"
    "epilogue text\n";

}  // namespace

TEST(Tree, MultipartReport) {
    Message m;
    ASSERT_EQ(parse_str(kReport, m), CAROM_OK);
    const Part &r = m.root;
    EXPECT_TRUE(r.is("multipart", "report"));
    EXPECT_EQ(r.report_type, "delivery-status");
    EXPECT_EQ(r.boundary, "OUTER");
    ASSERT_EQ(r.children.size(), 3u);
    EXPECT_TRUE(r.children[0].is("text", "plain"));
    EXPECT_EQ(r.children[0].text,
              "I'm sorry to have to inform you that your message could not be delivered -- caf\xc3\xa9. A line "
              "mentioning --OUTER inside it.\n");
    EXPECT_TRUE(r.children[1].is("message", "delivery-status"));
    EXPECT_NE(r.children[1].text.find("Final-Recipient: rfc822; nobody@example.net"), std::string::npos);
    const Part &att = r.children[2];
    ASSERT_EQ(att.children.size(), 1u);
    const Part &orig = att.children[0];
    EXPECT_EQ(*orig.headers.get("subject"), "hello");
    ASSERT_EQ(orig.children.size(), 2u);
    EXPECT_EQ(orig.children[0].text, "inner plain");
    EXPECT_EQ(m.parts, 7u);
    EXPECT_EQ(find(r, "message", "delivery-status"), &r.children[1]);
    EXPECT_EQ(find(r, "image", "*"), nullptr);
}

TEST(Tree, BodyTextSkipsAttachedMessagesAndPrefersPlain) {
    Message m;
    ASSERT_EQ(parse_str(kReport, m), CAROM_OK);
    std::string t = body_text(m);
    EXPECT_NE(t.find("could not be delivered"), std::string::npos);
    EXPECT_EQ(t.find("inner plain"), std::string::npos);
    EXPECT_EQ(t.find("Final-Recipient"), std::string::npos);

    Message h;
    ASSERT_EQ(parse_str("From: a@example.org\nContent-Type: multipart/alternative; boundary=b\n\n--b\n"
                        "Content-Type: text/html\n\n<div>Mailbox <b>full</b></div><style>x{}</style>\n--b--\n",
                        h),
              CAROM_OK);
    EXPECT_EQ(body_text(h), "Mailbox full");
}

// body_text(msg, scratch) must equal body_text(msg) in every case, and borrow the leaf's text
// only when a lone non-empty text/plain leaf makes up the body.
TEST(Tree, BodyTextByReferenceEqualsTheCopy) {
    struct Case {
        const char *mime;
        bool borrowed;
    };
    const Case cases[] = {
        {"From: a@example.org\n\nMailbox full\n", true},
        {"From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n--b--\n", false},
        // an empty leaf after a non-empty one adds a line break
        {"From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\n--b--\n", false},
        {"From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n--b\n\ntwo\n--b--\n", false},
        {"From: a@example.org\nContent-Type: multipart/alternative; boundary=b\n\n--b\n"
         "Content-Type: text/html\n\n<p>Mailbox <b>full</b></p>\n--b--\n", false},
        {"From: a@example.org\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\n--b\n"
         "Content-Type: text/html\n\n<p>html only</p>\n--b--\n", false},
        {kReport.c_str(), true},
    };
    for (const Case &c : cases) {
        Message m;
        ASSERT_EQ(parse_str(c.mime, m), CAROM_OK) << c.mime;
        std::string scratch;
        const std::string &ref = body_text(m, scratch);
        EXPECT_EQ(ref, body_text(m)) << c.mime;
        EXPECT_EQ(&ref != &scratch, c.borrowed) << c.mime;
    }
}

TEST(Tree, LineEndsGiveIdenticalTrees) {
    Message lf, crlf, cr;
    ASSERT_EQ(parse_str(kReport, lf), CAROM_OK);
    ASSERT_EQ(parse_str(with_ends(kReport, "\r\n"), crlf), CAROM_OK);
    ASSERT_EQ(parse_str(with_ends(kReport, "\r"), cr), CAROM_OK);
    EXPECT_EQ(dump(lf.root), dump(crlf.root));
    EXPECT_EQ(dump(lf.root), dump(cr.root));
    EXPECT_EQ(body_text(lf), body_text(cr));
}

// parse() normalises line ends on the way into the Message's arena; normalize_newlines() shares
// that routine. Both against the byte-at-a-time rule (CRLF and bare CR -> LF) on random inputs:
// CRs first, last, doubled, before and after LFs, across long runs without any.
TEST(Tree, NormalisingIntoTheArenaMatchesTheByteRule) {
    auto ref = [](std::string_view s) {
        std::string r;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] != '\r') {
                r.push_back(s[i]);
                continue;
            }
            r.push_back('\n');
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        }
        return r;
    };
    const char *bits[] = {"\r", "\n", "\r\n", "\n\r", "x", "Subject: a", "To: b@example.org", "\n\n",
                          "body line of some length without breaks ", "\t folded", "\r\r"};
    std::uint32_t seed = 99;
    auto rnd = [&seed]() { return (seed = seed * 1103515245u + 12345u) >> 8; };
    for (int round = 0; round < 3000; ++round) {
        std::string text = round % 2 ? "From: a@example.org\r\n" : "From: a@example.org\n";
        const int n = static_cast<int>(rnd() % 40);
        for (int k = 0; k < n; ++k) text += bits[rnd() % (sizeof bits / sizeof bits[0])];
        const std::string want = ref(text);
        ASSERT_EQ(normalize_newlines(text), want) << text;
        Message got, lf;
        std::string e1, e2;
        const carom_status_t s1 = parse(text, Limits(), got, e1), s2 = parse(want, Limits(), lf, e2);
        ASSERT_EQ(s1, s2) << text;
        ASSERT_EQ(e1, e2) << text;
        if (s1 == CAROM_OK) {
            ASSERT_EQ(dump(got.root), dump(lf.root)) << text;
        }
    }
}

// Bytes::borrow gives the tree Bytes::copy gives; its fields view the caller's LF input in place,
// while input with CRs is still normalised into the Message's own storage (the caller's buffer
// may then be overwritten).
TEST(Tree, BorrowedInputGivesTheSameTree) {
    auto inside = [](std::string_view v, const std::string &buf) {
        return !v.empty() && v.data() >= buf.data() && v.data() < buf.data() + buf.size();
    };
    for (const char *eol : {"\n", "\r\n", "\r"}) {
        const std::string text = with_ends(kReport, eol);
        Message copied, borrowed;
        std::string e1, e2;
        ASSERT_EQ(parse(text, Limits(), copied, e1), CAROM_OK);
        auto buf = std::make_unique<std::string>(text);
        ASSERT_EQ(parse(*buf, Limits(), borrowed, e2, Bytes::borrow), CAROM_OK);
        EXPECT_EQ(dump(borrowed.root), dump(copied.root)) << eol;
        EXPECT_EQ(body_text(borrowed), body_text(copied));
        const std::string_view *from = borrowed.root.headers.get("From");
        ASSERT_NE(from, nullptr);
        EXPECT_EQ(inside(*from, *buf), std::string_view(eol) == "\n") << eol;
        EXPECT_FALSE(inside(*copied.root.headers.get("From"), text));
        if (std::string_view(eol) != "\n") {
            std::fill(buf->begin(), buf->end(), '#');
            buf.reset();
            EXPECT_EQ(dump(borrowed.root), dump(copied.root)) << eol;
        }
    }
    // Limits and errors are the same in both modes.
    Message m;
    std::string err;
    EXPECT_EQ(parse("\n\n\n", Limits(), m, err, Bytes::borrow), CAROM_E_EMPTY);
    EXPECT_EQ(parse("just text\n", Limits(), m, err, Bytes::borrow), CAROM_E_NOT_EMAIL);
}

TEST(Tree, MissingCloseDelimiterAndNestedBoundaries) {
    Message m;
    ASSERT_EQ(parse_str("From: a@example.org\nContent-Type: multipart/mixed; boundary=\"a\"\n\n--a\n"
                        "Content-Type: multipart/mixed; boundary=\"a-1\"\n\n--a-1\n\none\n--a-1\n\ntwo\n--a-1--\n"
                        "--a\n\nlast part, never closed\n",
                        m),
              CAROM_OK);
    ASSERT_EQ(m.root.children.size(), 2u);
    ASSERT_EQ(m.root.children[0].children.size(), 2u);
    EXPECT_EQ(m.root.children[0].children[1].text, "two");
    EXPECT_EQ(m.root.children[1].text, "last part, never closed\n");
}

TEST(Tree, MultipartWithoutItsBoundaryIsText) {
    Message m;
    ASSERT_EQ(parse_str("From: a@example.org\nContent-Type: multipart/report; report-type=delivery-status; "
                        "boundary=\"nowhere\"\n\nFinal-Recipient: rfc822; x@example.net\n",
                        m),
              CAROM_OK);
    EXPECT_TRUE(m.root.is("text", "plain"));
    EXPECT_EQ(m.root.report_type, "delivery-status");
    EXPECT_EQ(body_text(m), "Final-Recipient: rfc822; x@example.net\n");
}

TEST(Tree, HeaderBlocksAndEncodedAttachedMessages) {
    Message m;
    ASSERT_EQ(parse_str("From: a@example.org\nContent-Type: multipart/report; boundary=b\n\n--b\n"
                        "Content-Type: text/rfc822-headers\n\nFrom: x@example.org\nSubject: s\n"
                        "--b\nContent-Type: message/global\nContent-Transfer-Encoding: base64\n\n"
                        "U3ViamVjdDogZ2xvYmFsCgpib2R5Cg==\n--b--\n",
                        m),
              CAROM_OK);
    ASSERT_EQ(m.root.children.size(), 2u);
    const Part &hb = m.root.children[0];
    ASSERT_EQ(hb.children.size(), 1u);
    EXPECT_EQ(*hb.children[0].headers.get("subject"), "s");  // last field kept, no blank line
    const Part &g = m.root.children[1];
    ASSERT_EQ(g.children.size(), 1u);
    EXPECT_EQ(*g.children[0].headers.get("subject"), "global");
}

TEST(Tree, Base64TextAndBinaryParts) {
    Message m;
    ASSERT_EQ(parse_str("From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                        "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: base64\n\nY2Fm6Q==\n"
                        "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
                        "--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b--\n",
                        m),
              CAROM_OK);
    EXPECT_EQ(m.root.children[0].text, "caf\xc3\xa9");
    EXPECT_EQ(m.root.children[1].text, "");  // binaries are never converted to text
    EXPECT_EQ(m.root.children[1].body, "\x89PNG\r\n\x1a\n");
    EXPECT_EQ(m.root.children[2].body, "");  // images are not even transfer-decoded
}

TEST(Tree, DigestDefaultsToMessages) {
    Message m;
    ASSERT_EQ(parse_str("From: a@example.org\nContent-Type: multipart/digest; boundary=d\n\n--d\n\n"
                        "Subject: one\n\nbody\n--d--\n",
                        m),
              CAROM_OK);
    ASSERT_EQ(m.root.children.size(), 1u);
    EXPECT_TRUE(m.root.children[0].is("message", "rfc822"));
    EXPECT_EQ(*m.root.children[0].children[0].headers.get("subject"), "one");
}

TEST(Tree, MboxFromLineAndLeadingBlankLines) {
    Message m;
    ASSERT_EQ(parse_str("\n\nFrom MAILER-DAEMON Thu Apr 29 23:34:45 2021\nFrom: b@example.org\nSubject: x\n\nbody\n", m),
              CAROM_OK);
    EXPECT_EQ(*m.root.headers.get("from"), "b@example.org");
    EXPECT_EQ(m.root.text, "body\n");
}

// ---- limits: each status ------------------------------------------------------------------

TEST(Limits, Empty) {
    Message m;
    EXPECT_EQ(parse_str("", m), CAROM_E_EMPTY);
    EXPECT_EQ(parse_str("\r\n\r\n", m), CAROM_E_EMPTY);
}

TEST(Limits, NotEmail) {
    Message m;
    EXPECT_EQ(parse_str("just some words\nand more\n", m), CAROM_E_NOT_EMAIL);
    EXPECT_EQ(parse_str(std::string("\x00\x01\x02", 3), m), CAROM_E_NOT_EMAIL);
}

TEST(Limits, TooLarge) {
    Limits l;
    l.v[CAROM_LIMIT_MESSAGE_BYTES] = 100;
    Message m;
    EXPECT_EQ(parse_str("From: a@example.org\n\n" + std::string(200, 'x'), m, l), CAROM_E_TOO_LARGE);
    EXPECT_EQ(parse_str("From: a@example.org\n\nshort", m, l), CAROM_OK);
}

TEST(Limits, HeaderLineTooLong) {
    Limits l;
    l.v[CAROM_LIMIT_HEADER_LINE_BYTES] = 100;
    Message m;
    EXPECT_EQ(parse_str("Subject: " + std::string(150, 'x') + "\n\n", m, l), CAROM_E_HEADER_TOO_LONG);
    // folded: the unfolded length counts
    std::string folded = "Subject: a\n";
    for (int i = 0; i < 30; ++i) folded += " abcdef\n";
    EXPECT_EQ(parse_str(folded + "\nbody", m, l), CAROM_E_HEADER_TOO_LONG);
    EXPECT_EQ(parse_str("Subject: short\n\n" + std::string(500, 'b'), m, l), CAROM_OK);  // body lines do not count
}

TEST(Limits, HeaderBlockTooLarge) {
    Limits l;
    l.v[CAROM_LIMIT_HEADER_BYTES] = 1024;
    std::string h;
    for (int i = 0; i < 100; ++i) h += "X-Field-" + std::to_string(i) + ": value\n";
    Message m;
    EXPECT_EQ(parse_str(h + "\nbody\n", m, l), CAROM_E_HEADERS_TOO_LARGE);
}

TEST(Limits, TooDeep) {
    Limits l;
    l.v[CAROM_LIMIT_MIME_DEPTH] = 5;
    std::string mail = "From: a@example.org\n";
    for (int i = 0; i < 10; ++i) mail += "Content-Type: message/rfc822\n\n";
    mail += "Subject: deep\n\nx\n";
    Message m;
    EXPECT_EQ(parse_str(mail, m, l), CAROM_E_TOO_DEEP);
    // the default limit stops a hostile nesting long before the stack would
    std::string hostile = "From: a@example.org\n";
    for (int i = 0; i < 5000; ++i) hostile += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" + std::to_string(i) + "\n";
    EXPECT_EQ(parse_str(hostile, m), CAROM_E_TOO_DEEP);
}

TEST(Limits, TooManyParts) {
    Limits l;
    l.v[CAROM_LIMIT_MIME_PARTS] = 10;
    std::string mail = "From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n";
    for (int i = 0; i < 20; ++i) mail += "--b\n\npart\n";
    Message m;
    EXPECT_EQ(parse_str(mail, m, l), CAROM_E_TOO_MANY_PARTS);
}

TEST(Speed, FifteenMegabytesOfAttachmentsStayFast) {
    std::string mail = "From: a@example.org\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\n\nhello\n";
    std::string line(76, 'A');
    for (int a = 0; a < 3; ++a) {
        mail += "--zz\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n";
        for (int i = 0; i < 5 * 1024 * 1024 / 77; ++i) mail += line + "\n";
    }
    mail += "--zz--\n";
    ASSERT_GT(mail.size(), 15u * 1000 * 1000);
    auto t0 = std::chrono::steady_clock::now();
    Message m;
    ASSERT_EQ(parse_str(mail, m), CAROM_OK);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(m.root.children.size(), 4u);
    EXPECT_EQ(body_text(m), "hello");
    EXPECT_LT(ms, 500.0);  // a few ms in practice; generous for loaded CI machines
}

// ---- header blocks against a line-by-line reference ---------------------------------------

namespace {

// The straightforward reader the optimised one must match: one line at a time, each indented
// line appended to the field above.
bool ref_is_wsp(char c) { return c == ' ' || c == '\t'; }
// White space for trimming values and for blank lines: isspace() in the "C" locale.
bool ref_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool ref_ws_only(std::string_view s) {
    for (char c : s)
        if (!ref_space(c)) return false;
    return true;
}
bool ref_field_name(std::string_view line, std::size_t &colon) {
    std::size_t c = line.find(':');
    if (c == std::string_view::npos || c == 0 || c > 256) return false;
    std::size_t e = c;
    while (e > 0 && ref_is_wsp(line[e - 1])) --e;
    if (e == 0) return false;
    for (std::size_t k = 0; k < e; ++k) {
        auto b = static_cast<unsigned char>(line[k]);
        if (b <= 32 || b >= 127) return false;
    }
    colon = c;
    return true;
}
std::string_view ref_trim(std::string_view s) {
    while (!s.empty() && ref_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && ref_space(s.back())) s.remove_suffix(1);
    return s;
}
struct RefField {
    std::string name, value;
};
struct RefHeaders {
    std::vector<RefField> fields;
};
RefHeaders ref_headers(std::string_view text, std::size_t &rest) {
    RefHeaders h;
    std::size_t i = 0;
    auto fold = [&](std::string_view line) {
        std::string &v = h.fields.back().value;
        if (!v.empty()) v.push_back(' ');
        v += ref_trim(line);
    };
    while (i < text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(i, e - i);
        if (ref_ws_only(line)) {
            rest = e < text.size() ? e + 1 : text.size();
            return h;
        }
        std::size_t colon = 0;
        if (ref_is_wsp(line[0])) {
            if (h.fields.empty()) {
                rest = i;
                return h;
            }
            fold(line);
        } else if (ref_field_name(line, colon)) {
            std::size_t ne = colon;
            while (ne > 0 && ref_is_wsp(line[ne - 1])) --ne;
            h.fields.push_back({std::string(line.substr(0, ne)), std::string(ref_trim(line.substr(colon + 1)))});
        } else {
            std::size_t j = i, run = 0, c2 = 0;
            bool continues = false;
            while (!h.fields.empty() && j < text.size() && run < 8) {
                std::size_t je = text.find('\n', j);
                if (je == std::string_view::npos) je = text.size();
                std::string_view l2 = text.substr(j, je - j);
                if (ref_ws_only(l2)) break;
                if (!ref_is_wsp(l2[0]) && ref_field_name(l2, c2)) {
                    continues = run > 0;
                    break;
                }
                ++run;
                j = je + 1;
            }
            if (!h.fields.empty() && h.fields.back().value.empty()) continues = true;
            if (!continues) {
                rest = i;
                return h;
            }
            fold(line);
        }
        i = e + 1;
    }
    rest = text.size();
    return h;
}

}  // namespace

TEST(Headers, MatchesLineByLineReferenceOnRandomBlocks) {
    const char *bits[] = {"Subject", "X-A", "To", ":", " : ", ": v", " ", "\t", "  ", "value", "\n", "\n",
                          "\n ",     "\n\t", "\r", "\f", "\xc3\xa9", "a b", "=?", "--", "From ", "\n\n",
                          "X-Long-Header-Name-Here", "Bad\x7fName", "Tab\tName", "Eight-By", "\x01"};
    std::uint32_t seed = 12345;
    auto rnd = [&seed]() { return (seed = seed * 1103515245u + 12345u) >> 8; };
    for (int round = 0; round < 4000; ++round) {
        std::string text;
        const int n = 1 + static_cast<int>(rnd() % 60);
        for (int k = 0; k < n; ++k) text += bits[rnd() % (sizeof bits / sizeof bits[0])];
        std::size_t r1 = 0, r2 = 0;
        // Parsed from a copy that is overwritten and freed before the fields are read: the
        // Headers own their bytes.
        auto copy = std::make_unique<std::string>(text);
        Headers got = parse_headers(*copy, &r1);
        std::fill(copy->begin(), copy->end(), '#');
        copy.reset();
        RefHeaders want = ref_headers(text, r2);
        ASSERT_EQ(r1, r2) << text;
        ASSERT_EQ(got.fields.size(), want.fields.size()) << text;
        for (std::size_t k = 0; k < got.fields.size(); ++k) {
            ASSERT_EQ(got.fields[k].name, want.fields[k].name) << text;
            ASSERT_EQ(got.fields[k].value, want.fields[k].value) << text;
        }
    }
}

TEST(Headers, ManyFoldedLinesAndLongNames) {
    std::string text = "Received: from a";
    std::string want = "from a";
    for (int i = 0; i < 40; ++i) {  // more continuation lines than the reader collects at once
        text += "\n\tby host" + std::to_string(i) + "  ";
        want += " by host" + std::to_string(i);
    }
    text += "\nSubject : hi\n\nbody";
    std::size_t rest = 0;
    Headers h = parse_headers(text, &rest);
    ASSERT_EQ(h.fields.size(), 2u);
    EXPECT_EQ(h.fields[0].value, want);
    EXPECT_EQ(h.fields[1].name, "Subject");
    EXPECT_EQ(text.substr(rest), "body");

    // The colon may stand at offset 256 at most.
    EXPECT_EQ(parse_headers(std::string(256, 'N') + ": v\n").fields.size(), 1u);
    EXPECT_EQ(parse_headers(std::string(257, 'N') + ": v\n").fields.size(), 0u);
    EXPECT_EQ(parse_headers(std::string(255, 'N') + " : v\n").fields.size(), 1u);
    EXPECT_EQ(parse_headers(std::string(256, 'N') + " : v\n").fields.size(), 0u);
}

// ---- multipart splitting against the straightforward search --------------------------------

namespace {

std::vector<std::string_view> ref_split(std::string_view body, std::string_view boundary) {
    std::vector<std::string_view> parts;
    std::string delim = "--" + std::string(boundary);
    std::size_t pos = 0, part_start = std::string_view::npos;
    while (pos <= body.size()) {
        std::size_t p = body.find(delim, pos);
        if (p == std::string_view::npos) break;
        if (p != 0 && body[p - 1] != '\n') {
            pos = p + 1;
            continue;
        }
        std::size_t after = p + delim.size();
        std::size_t eol = body.find('\n', after);
        if (eol == std::string_view::npos) eol = body.size();
        std::string_view tail = body.substr(after, eol - after);
        bool close = tail.size() >= 2 && tail[0] == '-' && tail[1] == '-';
        bool ws = true;
        for (char c : tail) ws = ws && (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v');
        if (!close && !ws) {
            pos = p + 1;
            continue;
        }
        if (part_start != std::string_view::npos) {
            std::size_t end = p > part_start ? p - 1 : part_start;
            parts.push_back(body.substr(part_start, end - part_start));
        }
        if (close) return parts;
        part_start = eol < body.size() ? eol + 1 : body.size();
        pos = part_start;
    }
    if (part_start != std::string_view::npos && part_start < body.size()) parts.push_back(body.substr(part_start));
    else if (part_start != std::string_view::npos && parts.empty()) parts.push_back(std::string_view());
    return parts;
}

}  // namespace

TEST(Multipart, SplitMatchesStraightforwardSearchOnRandomBodies) {
    const char *bits[] = {"--b", "--bb", "--b--", "\n", "\n", "x", "-", "--", " ", "\t", "b", "text ", "--b ", "\n--b\n"};
    std::uint32_t seed = 2024;
    auto rnd = [&seed]() { return (seed = seed * 1103515245u + 12345u) >> 8; };
    for (int round = 0; round < 20000; ++round) {
        std::string body;
        const int n = static_cast<int>(rnd() % 30);
        for (int k = 0; k < n; ++k) body += bits[rnd() % (sizeof bits / sizeof bits[0])];
        for (std::string_view boundary : {"b", "bb"}) {
            auto got = split_multipart(body, boundary);
            auto want = ref_split(body, boundary);
            ASSERT_EQ(got.size(), want.size()) << body;
            for (std::size_t k = 0; k < got.size(); ++k) {
                ASSERT_EQ(got[k].data() - body.data(), want[k].data() - body.data()) << body;
                ASSERT_EQ(got[k].size(), want[k].size()) << body;
            }
        }
    }
}

// Boundaries longer than a byte skip can hold (the skips are capped at 255) and boundaries that
// differ from the body's near-misses only far from their end.
TEST(Multipart, LongBoundariesMatchStraightforwardSearch) {
    std::uint32_t seed = 4242;
    auto rnd = [&seed]() { return (seed = seed * 1103515245u + 12345u) >> 8; };
    for (std::size_t len : {250u, 254u, 255u, 256u, 257u, 300u, 600u}) {
        std::string b;
        for (std::size_t k = 0; k < len; ++k) b.push_back(static_cast<char>('a' + k % 7));
        std::string near = b;
        near[len / 3] = 'z';  // the same length, one byte off early on
        const std::string bits[] = {"--" + b, "--" + b + "--", "--" + near, "--" + b.substr(1), "--" + b + "x",
                                    "\n", "\n", "x", "-", " ", b.substr(0, 40), "\n--" + b + "\n", b};
        for (int round = 0; round < 3000; ++round) {
            std::string body;
            const int n = static_cast<int>(rnd() % 20);
            for (int k = 0; k < n; ++k) body += bits[rnd() % (sizeof bits / sizeof bits[0])];
            for (std::string_view boundary : {std::string_view(b), std::string_view(near)}) {
                auto got = split_multipart(body, boundary);
                auto want = ref_split(body, boundary);
                ASSERT_EQ(got.size(), want.size()) << len;
                for (std::size_t k = 0; k < got.size(); ++k) {
                    ASSERT_EQ(got[k].data() - body.data(), want[k].data() - body.data()) << len;
                    ASSERT_EQ(got[k].size(), want[k].size()) << len;
                }
            }
        }
    }
}

// The header fields of a Message are views into the Message's own storage: they stay valid when
// the input buffer is overwritten and freed and when the Message is moved, including values
// joined from folded lines (more of them than the reader collects at once, and stripped folding).
TEST(Headers, MessageOwnsTheBytesItsFieldsView) {
    std::uint32_t seed = 777;
    auto rnd = [&seed]() { return (seed = seed * 1103515245u + 12345u) >> 8; };
    const char *bits[] = {"Subject", "X-A", ": v", "\n ", "\n\t", "value", "\n", "a b", "\r\n", "\nplain\n", "Short"};
    for (int round = 0; round < 2000; ++round) {
        std::string text = "To: x@example.org\n";
        if (round % 7 == 0) {  // a long folded value and a value continued without indentation
            text += "Received: from a";
            for (int i = 0; i < 40; ++i) text += "\n\tby host" + std::to_string(i);
            text += "\nX-Empty:\nstripped fold\n";
        }
        const int n = static_cast<int>(rnd() % 40);
        for (int k = 0; k < n; ++k) text += bits[rnd() % (sizeof bits / sizeof bits[0])];
        text += "\n\nbody\n";
        std::string norm = normalize_newlines(text);
        Headers want = parse_headers(norm);
        std::vector<Message> keep(1);
        {
            auto copy = std::make_unique<std::string>(text);
            Message m;
            std::string err;
            ASSERT_EQ(parse(*copy, Limits(), m, err), CAROM_OK) << text;
            std::fill(copy->begin(), copy->end(), '#');
            copy.reset();
            keep[0] = std::move(m);
        }
        keep.resize(8);  // the vector reallocates: the Message moves again
        const Headers &got = keep[0].root.headers;
        ASSERT_EQ(got.fields.size(), want.fields.size()) << text;
        for (std::size_t k = 0; k < got.fields.size(); ++k) {
            ASSERT_EQ(got.fields[k].name, want.fields[k].name) << text;
            ASSERT_EQ(got.fields[k].value, want.fields[k].value) << text;
        }
        if (round % 7 == 0) {
            ASSERT_NE(got.get("Received"), nullptr);
            EXPECT_EQ(got.get("Received")->size(), std::string_view("from a").size() + 40 * 9 + 30);
            ASSERT_NE(got.get("X-Empty"), nullptr);
            EXPECT_EQ(got.get("X-Empty")->substr(0, 13), "stripped fold");  // random lines may continue it
        }
    }
}
