// Unit tests of the envelope decoders (lib/report/envelope.cc, lib/classify/envelope.cc): SRS0,
// SRS1, BATV's two forms, their nesting, VERP against the context's template, and malformed
// addresses left alone.
#include <gtest/gtest.h>

#include <string>

#include "base/limits.hh"
#include "base/model.hh"
#include "classify/context.hh"
#include "classify/envelope.hh"
#include "classify/hmac.hh"
#include "classify/verp.hh"
#include "mime/message.hh"
#include "report/envelope.hh"

namespace carom {
namespace {

using report::split_prvs;
using report::srs_reverse;
using report::unwrap_return_address;

TEST(Srs, Srs0) {
    EXPECT_EQ(srs_reverse("SRS0=HHH=TT=example.org=alice@forwarder.example"), "alice@example.org");
    EXPECT_EQ(srs_reverse("SRS0+Hh1x=T5=example.org=alice@forwarder.example"), "alice@example.org");
    EXPECT_EQ(srs_reverse("srs0-Hh1x=T5=example.org=alice@forwarder.example"), "alice@example.org");
    // The local part keeps its own '=' (only the first three separate fields).
    EXPECT_EQ(srs_reverse("SRS0=h=t=example.org=a=b@f.example"), "a=b@example.org");
}

TEST(Srs, Srs1) {
    EXPECT_EQ(srs_reverse("SRS1=HHH=forwarder1.example==HHH=TT=example.org=alice@forwarder2.example"),
              "alice@example.org");
    EXPECT_EQ(srs_reverse("SRS1=X=fwd.example=+Y=TT=example.org=alice@f2.example"), "alice@example.org");
}

TEST(Srs, MalformedIsLeftAlone) {
    for (const char *a : {"SRS0=abc@f.example", "SRS0==TT=example.org=alice@f.example",
                          "SRS0=HHH==example.org=alice@f.example", "SRS0=HHH=TT==alice@f.example",
                          "SRS0=HHH=TT=example.org=@f.example", "SRS0=HHH=TT=example.org=alice",
                          "SRS2=HHH=TT=example.org=alice@f.example", "SRS0xHHH=TT=example.org=alice@f.example",
                          "SRS1=HHH=fwd.example=HHH=TT=example.org=alice@f.example", "SRS1=HHH@f.example",
                          "alice@example.org", "", "@", "SRS0@x"})
        EXPECT_EQ(srs_reverse(a), "") << a;
}

TEST(Batv, SplitsBothForms) {
    std::string tag, original;
    ASSERT_TRUE(split_prvs("prvs=0123abcdef=alice@example.com", tag, original));
    EXPECT_EQ(tag, "0123abcdef");
    EXPECT_EQ(original, "alice@example.com");
    ASSERT_TRUE(split_prvs("PRVS=alice=0123ABCDEF@example.com", tag, original));
    EXPECT_EQ(tag, "0123ABCDEF");
    EXPECT_EQ(original, "alice@example.com");
}

TEST(Batv, MalformedIsLeftAlone) {
    std::string tag, original;
    for (const char *a : {"prvs=0123abcde=alice@example.com", "prvs=0123abcdeg=alice@example.com",
                          "prvs=a123abcdef=alice@example.com", "prvs=0123abcdef=@example.com",
                          "prvs=0123abcdef=alice@", "prvs=0123abcdef=alice", "btv1==0123abcdef==alice@example.com",
                          "alice@example.com", "prvs="}) {
        EXPECT_FALSE(split_prvs(a, tag, original)) << a;
        EXPECT_EQ(unwrap_return_address(a), a) << a;
    }
}

TEST(Unwrap, Layers) {
    EXPECT_EQ(unwrap_return_address("alice@example.org"), "alice@example.org");
    EXPECT_EQ(unwrap_return_address("prvs=0123abcdef=news@ours.example"), "news@ours.example");
    EXPECT_EQ(unwrap_return_address("SRS0=H=TT=ours.example=prvs=0123abcdef=news@fwd.example"), "news@ours.example");
    EXPECT_EQ(unwrap_return_address("SRS0=H=TT=ours.example=bounces+a=example.org@fwd.example"),
              "bounces+a=example.org@ours.example");
}

Context verp_context(const std::string &tpl, const std::string &key = "") {
    Context c;
    c.verp_template = tpl;
    c.verp_hmac_key = key;
    return c;
}

std::string decoded(const Context &ctx, const std::string &headers, const Original &og = Original()) {
    mime::Message msg;
    std::string err;
    EXPECT_EQ(mime::parse(headers + "\nbody\n", Limits(), msg, err), CAROM_OK) << err;
    return verp_recipient(ctx, msg, og);
}

TEST(Verp, DecodesWithTheContextTemplate) {
    const Context c = verp_context("bounces+{recipient}@ours.example");
    EXPECT_EQ(decoded(c, "To: bounces+alice=example.org@ours.example\n"), "alice@example.org");
    EXPECT_EQ(decoded(c, "Delivered-To: bounces+bob=example.net@ours.example\nTo: bounces+alice=example.org@ours.example\n"),
              "bob@example.net");
    EXPECT_EQ(decoded(c, "X-Original-To: <Bounces+Bob=Example.NET@Ours.Example>\n"), "bob@example.net");
    EXPECT_EQ(decoded(c, "To: SRS0=H=TT=ours.example=bounces+alice=example.org@fwd.example\n"), "alice@example.org");
    EXPECT_EQ(decoded(c, "To: prvs=0123abcdef=bounces+alice=example.org@ours.example\n"), "alice@example.org");
    Original og;
    og.return_path = "<bounces+carol=example.com@ours.example>";
    EXPECT_EQ(decoded(c, "To: someone@elsewhere.example\n", og), "carol@example.com");
}

TEST(Verp, NothingWithoutTemplateOrMatch) {
    EXPECT_EQ(decoded(Context(), "To: bounces+alice=example.org@ours.example\n"), "");
    const Context c = verp_context("bounces+{recipient}@ours.example");
    for (const char *h : {"To: bounces+alice@ours.example\n", "To: bounces+alice=@ours.example\n",
                          "To: bounces+=example.org@ours.example\n", "To: bounces+alice=example.org@other.example\n",
                          "To: news@ours.example\n", "Subject: no address\n"})
        EXPECT_EQ(decoded(c, h), "") << h;
}

TEST(Verp, SignedTemplate) {
    std::string probe;
    if (!hmac_sha1_hex("k", "d", probe)) GTEST_SKIP() << "built without libcrypto";
    const Context c = verp_context("bounces+{recipient}-{sig}@ours.example", "verp secret");
    const std::string good = verp_encode("alice@example.org", c);
    ASSERT_FALSE(good.empty());
    EXPECT_EQ(decoded(c, "To: " + good + "\n"), "alice@example.org");
    // A wrong or missing signature: forged, names nobody.
    EXPECT_EQ(decoded(c, "To: bounces+alice=example.org-00000000@ours.example\n"), "");
    EXPECT_EQ(decoded(c, "To: bounces+alice=example.org@ours.example\n"), "");
}

TEST(Verp, AppliedToRecords) {
    const Context c = verp_context("bounces+{recipient}@ours.example");
    mime::Message msg;
    std::string err;
    ASSERT_EQ(mime::parse("To: bounces+alice=example.org@ours.example\n\nbody\n", Limits(), msg, err), CAROM_OK);
    Extraction ex;
    Record from_dsn, from_original;
    from_dsn.recipient = "alice@forward.example";
    from_dsn.recipient_source = "dsn";
    from_original.recipient = "list@lists.example.org";
    from_original.recipient_source = "original-header";
    from_original.token = "old";
    ex.records = {from_dsn, from_original};
    apply_envelope(c, msg, ex);
    ASSERT_EQ(ex.records.size(), 2u);
    EXPECT_EQ(ex.records[0].recipient, "alice@forward.example");
    EXPECT_EQ(ex.records[0].recipient_source, "dsn");
    EXPECT_EQ(ex.records[0].envelope_recipient, "alice@example.org");
    EXPECT_EQ(ex.records[1].recipient, "alice@example.org");
    EXPECT_EQ(ex.records[1].recipient_source, "verp");
    EXPECT_NE(ex.records[1].token, "old");
    // No records: none is invented.
    Extraction none;
    apply_envelope(c, msg, none);
    EXPECT_TRUE(none.records.empty());
}

}  // namespace
}  // namespace carom
