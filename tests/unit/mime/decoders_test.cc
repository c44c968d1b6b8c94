// The small decoders of lib/mime on project-written inputs, broken forms included.
#include <gtest/gtest.h>

#include "mime/decode.hh"
#include "mime/message.hh"

using namespace carom::mime;
using carom::lower;

// ---- base64 -------------------------------------------------------------------------------

TEST(Base64, Plain) {
    EXPECT_EQ(decode_base64("aGVsbG8gd29ybGQ="), "hello world");
    EXPECT_EQ(decode_base64("YQ=="), "a");
    EXPECT_EQ(decode_base64("YWI="), "ab");
    EXPECT_EQ(decode_base64("YWJj"), "abc");
    EXPECT_EQ(decode_base64(""), "");
}

TEST(Base64, LineBreaksAndJunkAreSkipped) {
    EXPECT_EQ(decode_base64("aGVs\nbG8g\r\nd29y bGQ="), "hello world");
    EXPECT_EQ(decode_base64("aGV*sbG8#"), "hello");
    // bytes above 0x7F never index outside the table
    EXPECT_EQ(decode_base64(std::string("YW\xff\x80J\xc3j")), "abc");
}

TEST(Base64, MissingPaddingAndConcatenation) {
    EXPECT_EQ(decode_base64("YQ"), "a");
    EXPECT_EQ(decode_base64("YWI"), "ab");
    EXPECT_EQ(decode_base64("YQ==YQ=="), "aa");  // two encodings glued together
    EXPECT_EQ(decode_base64("===="), "");
    EXPECT_EQ(decode_base64("Y"), "");          // a lone sextet gives no byte
}

TEST(Base64, BinaryRoundTrip) {
    EXPECT_EQ(decode_base64("AAEC/f7/"), std::string("\x00\x01\x02\xfd\xfe\xff", 6));
    EXPECT_EQ(decode_base64("AAEC_f7_"), std::string("\x00\x01\x02\xfd\xfe\xff", 6));  // URL-safe alphabet
}

// ---- quoted-printable ---------------------------------------------------------------------

TEST(QuotedPrintable, Hex) {
    EXPECT_EQ(decode_qp("caf=C3=A9"), "caf\xc3\xa9");
    EXPECT_EQ(decode_qp("caf=c3=a9"), "caf\xc3\xa9");  // lower-case hex tolerated
    EXPECT_EQ(decode_qp("a=3Db"), "a=b");
}

TEST(QuotedPrintable, SoftBreaks) {
    EXPECT_EQ(decode_qp("long li=\nne"), "long line");
    EXPECT_EQ(decode_qp("long li=  \nne"), "long line");  // white space after '='
    EXPECT_EQ(decode_qp("ends with="), "ends with");
    EXPECT_EQ(decode_qp("two\nlines"), "two\nlines");
}

TEST(QuotedPrintable, BrokenEscapesKeptLiterally) {
    EXPECT_EQ(decode_qp("50% = half"), "50% = half");
    EXPECT_EQ(decode_qp("=G1"), "=G1");
    EXPECT_EQ(decode_qp("=4"), "=4");
    EXPECT_EQ(decode_qp("x=\tz"), "x=\tz");
}

TEST(QuotedPrintable, QEncoding) {
    EXPECT_EQ(decode_qp("Hello_World=21", true), "Hello World!");
    EXPECT_EQ(decode_qp("a=\nb", true), "a=\nb");  // no soft breaks in Q
}

// ---- RFC 2047 -----------------------------------------------------------------------------

TEST(EncodedWords, BAndQ) {
    EXPECT_EQ(decode_words("=?UTF-8?B?Y2Fmw6k=?="), "caf\xc3\xa9");
    EXPECT_EQ(decode_words("=?utf-8?q?caf=C3=A9?="), "caf\xc3\xa9");
    EXPECT_EQ(decode_words("=?iso-8859-1?Q?caf=E9?="), "caf\xc3\xa9");
    EXPECT_EQ(decode_words("Re: =?UTF-8?Q?r=C3=A9sum=C3=A9?= attached"), "Re: r\xc3\xa9sum\xc3\xa9 attached");
}

TEST(EncodedWords, AdjacentWordsJoinAndWhiteSpaceBetweenThemDrops) {
    EXPECT_EQ(decode_words("=?UTF-8?Q?a?= =?UTF-8?Q?b?="), "ab");
    EXPECT_EQ(decode_words("=?UTF-8?Q?a?=\n\t=?UTF-8?Q?b?="), "ab");
    EXPECT_EQ(decode_words("=?UTF-8?Q?a?= x =?UTF-8?Q?b?="), "a x b");
    // a UTF-8 character split across two words ("é" = C3 A9)
    EXPECT_EQ(decode_words("=?UTF-8?B?w6=?= =?UTF-8?Q?=A9?="), "\xc3\xa9");
    EXPECT_EQ(decode_words("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?="), "caf\xc3\xa9");
}

TEST(EncodedWords, DifferentCharsetsEachConverted) {
    EXPECT_EQ(decode_words("=?iso-8859-1?Q?=E9?= =?UTF-8?Q?=C3=A9?="), "\xc3\xa9\xc3\xa9");
}

TEST(EncodedWords, LanguageSuffixAndCase) {
    EXPECT_EQ(decode_words("=?UTF-8*en?b?aGk=?="), "hi");
    EXPECT_EQ(decode_words("=?Utf-8?Q?hi?="), "hi");
}

TEST(EncodedWords, BrokenFormsStayLiteral) {
    EXPECT_EQ(decode_words("=?UTF-8?B?aGk"), "=?UTF-8?B?aGk");       // no end
    EXPECT_EQ(decode_words("=?UTF-8?X?aGk=?="), "=?UTF-8?X?aGk=?=");  // unknown encoding
    EXPECT_EQ(decode_words("=??B?aGk=?="), "=??B?aGk=?=");             // no charset
    EXPECT_EQ(decode_words("a =? b"), "a =? b");
    // a word glued to text on both sides is still decoded (common in the wild)
    EXPECT_EQ(decode_words("x=?UTF-8?Q?y?=z"), "xyz");
}

TEST(EncodedWords, UnknownCharsetAndRaw8bit) {
    EXPECT_EQ(decode_words("=?x-unknown?Q?caf=C3=A9?="), "caf\xc3\xa9");  // valid UTF-8 kept
    EXPECT_EQ(decode_words("=?x-unknown?Q?caf=E9?="), "caf\xc3\xa9");     // else windows-1252
    EXPECT_EQ(decode_words("caf\xe9"), "caf\xc3\xa9");                     // raw Latin-1 header
    EXPECT_EQ(decode_words("caf\xc3\xa9"), "caf\xc3\xa9");                 // raw UTF-8 header
}

TEST(EncodedWords, Japanese) {
    // "テスト" in ISO-2022-JP, B-encoded: ESC $ B %F%9%H ESC ( B
    EXPECT_EQ(decode_words("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?="), "\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88");
}

// ---- RFC 2231 / Content-Type ----------------------------------------------------------------

TEST(Params, QuotedTokensAndComments) {
    Params p = parse_params(" charset=\"UTF-8\"; format=flowed (comment); Name=\"a \\\"b\\\"\"");
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p[0].first, "charset");
    EXPECT_EQ(p[0].second, "UTF-8");
    EXPECT_EQ(p[1].second, "flowed");
    EXPECT_EQ(p[2].first, "name");
    EXPECT_EQ(p[2].second, "a \"b\"");
}

TEST(Params, Rfc2231ContinuationsAndCharset) {
    Params p = parse_params("; title*0*=us-ascii'en'This%20is%20; title*1*=%2A%2A%2Afun; title*2=\"!\"");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].first, "title");
    EXPECT_EQ(p[0].second, "This is ***fun!");
    p = parse_params("filename*=UTF-8''caf%C3%A9.txt");
    EXPECT_EQ(p[0].second, "caf\xc3\xa9.txt");
    p = parse_params("filename*=iso-8859-1''caf%E9.txt");
    EXPECT_EQ(p[0].second, "caf\xc3\xa9.txt");
    // sections out of order are sorted
    p = parse_params("b*1=\"def\"; b*0=\"abc\"");
    EXPECT_EQ(p[0].second, "abcdef");
    // the RFC 2231 form wins over a plain duplicate
    p = parse_params("name=\"fallback\"; name*=utf-8''real");
    EXPECT_EQ(p[0].second, "real");
}

TEST(Params, BrokenForms) {
    Params p = parse_params("; ; novalue; x=\"unterminated");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].second, "unterminated");
    p = parse_params("name=\"=?UTF-8?B?Y2Fmw6k=?=\"");  // RFC 2047 inside a parameter
    EXPECT_EQ(p[0].second, "caf\xc3\xa9");
    EXPECT_TRUE(parse_params("").empty());
}

TEST(Params, FirstOccurrenceWinsAndQuotedPairs) {
    Params p = parse_params("charset=us-ascii; Charset=utf-8; b=\"x\\\"y\\\\z\"; c=\"plain\"");
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p[0].first, "charset");
    EXPECT_EQ(p[0].second, "us-ascii");
    EXPECT_EQ(p[1].second, "x\"y\\z");
    EXPECT_EQ(p[2].second, "plain");
}

TEST(ContentType, Basic) {
    ContentType ct = parse_content_type("Multipart/Report; report-type=delivery-status;\n\tboundary=\"abc/def\"");
    EXPECT_EQ(ct.type, "multipart");
    EXPECT_EQ(ct.subtype, "report");
    ASSERT_NE(ct.param("boundary"), nullptr);
    EXPECT_EQ(*ct.param("boundary"), "abc/def");
    EXPECT_EQ(*ct.param("report-type"), "delivery-status");
    EXPECT_EQ(ct.param("charset"), nullptr);
}

TEST(ContentType, Tolerance) {
    ContentType ct = parse_content_type("text/plain charset=us-ascii");  // missing ';'
    EXPECT_EQ(ct.subtype, "plain");
    ct = parse_content_type(" (comment) text / html ; charset = \"utf-8\" ");
    EXPECT_EQ(ct.type, "text");
    EXPECT_EQ(ct.subtype, "html");
    EXPECT_EQ(*ct.param("charset"), "utf-8");
    ct = parse_content_type("text");  // no subtype: not a type
    EXPECT_TRUE(ct.type.empty());
    ct = parse_content_type("");
    EXPECT_TRUE(ct.type.empty());
    ct = parse_content_type("multipart/mixed; boundary=simple boundary");
    EXPECT_EQ(*ct.param("boundary"), "simple boundary");
}

// ---- header blocks ------------------------------------------------------------------------

TEST(Headers, UnfoldingAndLastFieldWithoutBlankLine) {
    std::size_t rest = 0;
    Headers h = parse_headers("Subject: one\n two\n\tthree\nX-Last: kept", &rest);
    ASSERT_EQ(h.fields.size(), 2u);
    EXPECT_EQ(*h.get("subject"), "one two three");
    EXPECT_EQ(*h.get("X-LAST"), "kept");
    EXPECT_EQ(rest, 37u);
}

TEST(Headers, BlankLineEndsTheBlock) {
    std::string t = "A: 1\nB:2\n\nbody: not a header\n";
    std::size_t rest = 0;
    Headers h = parse_headers(t, &rest);
    EXPECT_EQ(h.fields.size(), 2u);
    EXPECT_EQ(*h.get("b"), "2");
    EXPECT_EQ(t.substr(rest), "body: not a header\n");
    // a white-space-only line also ends it
    h = parse_headers("A: 1\n   \nB: 2\n", &rest);
    EXPECT_EQ(h.fields.size(), 1u);
}

TEST(Headers, NonFieldLineStartsTheBody) {
    std::size_t rest = 0;
    std::string t = "A: 1\nthis is text\nmore text\n\nB: 2\n";
    Headers h = parse_headers(t, &rest);
    EXPECT_EQ(h.fields.size(), 1u);
    EXPECT_EQ(t.substr(rest), "this is text\nmore text\n\nB: 2\n");
    // unindented folding (white space stripped in transit): continues the field when another
    // field follows before a blank line
    h = parse_headers("Received: from a.example.org\n(192.0.2.1) by b.example.org\nSubject: s\n\nbody", &rest);
    ASSERT_EQ(h.fields.size(), 2u);
    EXPECT_EQ(*h.get("received"), "from a.example.org (192.0.2.1) by b.example.org");
    h = parse_headers("X-Empty:\nvalue on its own line\n\nbody", &rest);
    EXPECT_EQ(*h.get("x-empty"), "value on its own line");
    h = parse_headers(" indented first line\nA: 1\n", &rest);
    EXPECT_TRUE(h.fields.empty());
    EXPECT_EQ(rest, 0u);
}

TEST(Headers, OddFieldNames) {
    Headers h = parse_headers("Subject : spaced\nX_Under: ok\nno colon here\n");
    ASSERT_EQ(h.fields.size(), 2u);
    EXPECT_EQ(h.fields[0].name, "Subject");
    EXPECT_EQ(h.fields[0].value, "spaced");
    h = parse_headers("Empty:\nA: b\n");
    EXPECT_EQ(*h.get("empty"), "");
    EXPECT_EQ(h.all("a").size(), 1u);
}

TEST(Headers, DecodedAccessor) {
    Headers h = parse_headers("Subject: =?UTF-8?Q?caf=C3=A9?=\n");
    EXPECT_EQ(h.decoded("subject"), "caf\xc3\xa9");
    EXPECT_EQ(h.decoded("missing"), "");
}

// ---- misc ---------------------------------------------------------------------------------

TEST(Utf8, Validity) {
    EXPECT_TRUE(valid_utf8("plain"));
    EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80"));
    EXPECT_FALSE(valid_utf8("caf\xe9"));
    EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong
    EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
    EXPECT_FALSE(valid_utf8("\xe6\x97"));          // truncated
}

TEST(Html, StripsTagsScriptsAndEntities) {
    EXPECT_EQ(html_to_text("<html><head><title>t</title><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b>"
                           "</p><script>x()</script>a&amp;b &#233; &#x41;<br>end</body></html>"),
              "Hello world \na&b \xc3\xa9 A\nend");
    EXPECT_EQ(html_to_text("no tags"), "no tags");
    EXPECT_EQ(html_to_text("<unterminated"), "");
    EXPECT_EQ(html_to_text("<!-- c --> x &bogus; y"), "x &bogus; y");
}

TEST(Newlines, Normalised) {
    EXPECT_EQ(normalize_newlines("a\r\nb\rc\nd\r"), "a\nb\nc\nd\n");
    EXPECT_EQ(normalize_newlines("\r\r\n"), "\n\n");
    EXPECT_EQ(normalize_newlines("no breaks"), "no breaks");
    EXPECT_EQ(normalize_newlines(""), "");
    EXPECT_EQ(normalize_newlines("\n\r\n\r\r\nend"), "\n\n\n\nend");
}

// ---- hostile inputs stay linear -----------------------------------------------------------

TEST(Hostile, ManyOpenersWithoutClosers) {
    std::string h;
    for (int i = 0; i < 200000; ++i) h += "=?a?B?";
    std::string out = decode_words(h);  // quadratic code would take minutes here
    EXPECT_EQ(out.size(), h.size());
    std::string amp(500000, '&');
    EXPECT_EQ(html_to_text(amp).size(), amp.size());
    std::string params;
    for (int i = 0; i < 50000; ++i) params += "; p" + std::to_string(i) + "*0=x";
    EXPECT_EQ(parse_params(params).size(), 256u);
}

namespace {

// The byte-at-a-time base64 state machine the quantum fast path must agree with.
std::string ref_base64(std::string_view in) {
    auto val = [](unsigned char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+' || c == '-') return 62;
        if (c == '/' || c == '_') return 63;
        return -1;
    };
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char ch : in) {
        if (ch == '=') {
            acc = 0;
            bits = 0;
            continue;
        }
        int v = val(static_cast<unsigned char>(ch));
        if (v < 0) continue;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
            acc &= (1u << bits) - 1;
        }
    }
    return out;
}

}  // namespace

TEST(Base64, MatchesByteAtATimeReferenceOnRandomInput) {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
    const char junk[] = {'=', '\n', '\r', ' ', '*', '\x80', '\xff', '\0'};
    std::uint32_t seed = 7;
    auto rnd = [&seed]() { return (seed = seed * 1103515245u + 12345u) >> 8; };
    for (int round = 0; round < 3000; ++round) {
        std::string in;
        const std::size_t n = rnd() % 200;
        const unsigned junk_rate = 1 + rnd() % 30;
        for (std::size_t k = 0; k < n; ++k)
            in.push_back(rnd() % junk_rate == 0 ? junk[rnd() % sizeof junk] : alphabet[rnd() % alphabet.size()]);
        ASSERT_EQ(decode_base64(in), ref_base64(in)) << in;
    }
}

TEST(ContentType, QuickFormAgreesWithTheGeneralParser) {
    const char *bits[] = {"text", "Text", "/", "plain", "multipart", "report", ";", "; ", " ", "\t", "\n", "\r",
                          "charset", "Charset", "boundary", "BOUNDARY", "report-type", "=", "\"", "us-ascii",
                          "\"b=1 x\"", "delivery-status", "x", "(", "*", "\\", "=?", "'", "a b", ";;", "name"};
    std::uint32_t seed = 4242;
    auto rnd = [&seed]() { return (seed = seed * 1103515245u + 12345u) >> 8; };
    int quick = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string v;
        const int n = 1 + static_cast<int>(rnd() % 16);
        for (int k = 0; k < n; ++k) v += bits[rnd() % (sizeof bits / sizeof bits[0])];
        if (round % 3 == 0) v = "text/plain; charset=" + v;
        QuickContentType q;
        if (!quick_content_type(v, q)) continue;
        ++quick;
        ContentType ct = parse_content_type(v);
        ASSERT_EQ(lower(q.type), ct.type) << v;
        ASSERT_EQ(lower(q.subtype), ct.subtype) << v;
        const std::string *cs = ct.param("charset"), *b = ct.param("boundary"), *rt = ct.param("report-type");
        ASSERT_EQ(q.has_charset, cs != nullptr) << v;
        if (cs) {
            ASSERT_EQ(std::string(q.charset), *cs) << v;
        }
        ASSERT_EQ(q.has_boundary, b != nullptr) << v;
        if (b) {
            ASSERT_EQ(std::string(q.boundary), *b) << v;
        }
        ASSERT_EQ(q.has_report_type, rt != nullptr) << v;
        if (rt) {
            ASSERT_EQ(std::string(q.report_type), *rt) << v;
        }
    }
    EXPECT_GT(quick, 5000);  // the quick form was really exercised
    QuickContentType q;
    EXPECT_FALSE(quick_content_type("text/plain; title*0=a", q));
    EXPECT_FALSE(quick_content_type("text/plain (comment); charset=x", q));
    for (std::size_t at = 0; at <= 40; ++at) {  // a special byte at every offset, word-wise scan included
        for (char c : {'(', '*', '\\'}) {
            std::string v = "text/plain; charset=us-ascii; format=flowed";
            v.insert(std::min(at, v.size()), 1, c);
            EXPECT_FALSE(quick_content_type(v, q)) << v;
        }
    }
    EXPECT_TRUE(quick_content_type("text/plain; charset=us-ascii; format=flowed", q));
    ASSERT_TRUE(quick_content_type("Multipart/Report; report-type=delivery-status;\n\tboundary=\"abc/def\"", q));
    EXPECT_EQ(q.subtype, "Report");
    EXPECT_EQ(q.boundary, "abc/def");
    EXPECT_EQ(q.report_type, "delivery-status");
}

