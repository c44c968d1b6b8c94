// Unit tests of the backscatter internals: HMAC-SHA1, BATV, signed VERP, Received hops, the
// context JSON and the tiered verdict. The HMAC/BATV/VERP vectors come from batv_vectors.h,
// which meson generates at build time with Python's hmac module (batv_vectors.py).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/model.hh"
#include "batv_vectors.h"
#include "classify/backscatter.hh"
#include "classify/classifier.hh"
#include "classify/context.hh"
#include "formats/text.hh"
#include "mime/message.hh"
#include "rules/rules.hh"

namespace carom {
namespace {

Context batv_context(int key, const std::string &secret, int max_age = 7) {
    Context c;
    c.batv_keys[key] = secret;
    c.batv_max_age_days = max_age;
    return c;
}

// ---- HMAC-SHA1 ----------------------------------------------------------------------------

TEST(Hmac, AgreesWithPython) {
    for (const HmacVector &v : kHmacVectors) {
        std::string out;
        ASSERT_TRUE(hmac_sha1_hex(std::string(v.key, v.key_len), std::string(v.data, v.data_len), out));
        EXPECT_EQ(out, v.hex) << "key of " << v.key_len << " bytes";
    }
}

// ---- BATV ---------------------------------------------------------------------------------

TEST(Batv, SigningAgreesWithPython) {
    for (const BatvVector &v : kBatvVectors)
        EXPECT_EQ(batv_sign(v.address, v.key, v.secret, v.expiry_day), v.signed_address) << v.address;
}

TEST(Batv, CheckingAgreesWithPython) {
    for (const BatvVector &v : kBatvVectors) {
        Context c = batv_context(v.key, v.secret);
        BatvCheck r = check_batv(v.signed_address, c, v.expiry_day);
        EXPECT_EQ(r.state, BatvCheck::pass) << v.signed_address << ": " << r.evidence;
        EXPECT_EQ(r.original, v.address);
        // Inside angle brackets, as a header writes it.
        EXPECT_EQ(check_batv(std::string("Name <") + v.signed_address + ">", c, v.expiry_day).state, BatvCheck::pass);
    }
}

TEST(Batv, ValidityWindow) {
    const BatvVector &v = kBatvVectors[0];  // expiry day 20000
    Context c = batv_context(v.key, v.secret, 7);
    EXPECT_EQ(check_batv(v.signed_address, c, 20000).state, BatvCheck::pass);  // last valid day
    EXPECT_EQ(check_batv(v.signed_address, c, 19993).state, BatvCheck::pass);  // signed today, +7
    EXPECT_EQ(check_batv(v.signed_address, c, 20001).state, BatvCheck::expired);
    EXPECT_EQ(check_batv(v.signed_address, c, 20300).state, BatvCheck::expired);
    EXPECT_EQ(check_batv(v.signed_address, c, 19992).state, BatvCheck::expired);  // too far ahead
    // The day number wraps at 1000: expiry 20999 is "999", still valid on day 21000-1.
    const BatvVector &w = kBatvVectors[3];
    Context cw = batv_context(w.key, w.secret, 7);
    EXPECT_EQ(check_batv(w.signed_address, cw, 20995).state, BatvCheck::pass);
    EXPECT_EQ(check_batv(w.signed_address, cw, 21000).state, BatvCheck::expired);
    // A longer validity accepts an older tag.
    Context longer = batv_context(v.key, v.secret, 30);
    EXPECT_EQ(check_batv(v.signed_address, longer, 19975).state, BatvCheck::pass);
}

TEST(Batv, BadSignature) {
    const BatvVector &v = kBatvVectors[0];
    Context c = batv_context(v.key, v.secret);
    std::string s = v.signed_address;  // prvs=KDDDSSSSSS=...
    s[14] = s[14] == '0' ? '1' : '0';
    BatvCheck r = check_batv(s, c, v.expiry_day);
    EXPECT_EQ(r.state, BatvCheck::bad_signature) << r.evidence;
    // The same tag under another secret.
    EXPECT_EQ(check_batv(v.signed_address, batv_context(v.key, "not the secret"), v.expiry_day).state,
              BatvCheck::bad_signature);
    // The tag moved to another address.
    std::string moved = std::string(v.signed_address).substr(0, 16) + "mallory@example.com";
    EXPECT_EQ(check_batv(moved, c, v.expiry_day).state, BatvCheck::bad_signature);
    // Upper-case hex is the same signature (Exim's regex writes [A-F0-9]).
    std::string upper = v.signed_address;
    for (std::size_t i = 9; i < 15; ++i) upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
    EXPECT_EQ(check_batv(upper, c, v.expiry_day).state, BatvCheck::pass);
}

TEST(Batv, SignedLowerCaseShownInOtherCase) {
    // Some signers lower-case the address before signing; the bounce may show it as written.
    const BatvVector &v = kBatvVectors[0];  // prvs=0000dba087=alice@example.com
    Context c = batv_context(v.key, v.secret);
    EXPECT_EQ(check_batv("prvs=0000dba087=Alice@Example.COM", c, v.expiry_day).state, BatvCheck::pass);
    // The other way round cannot be undone: a mixed-case signature needs the mixed-case address.
    const BatvVector &m = kBatvVectors[1];  // Bob.Smith@Mail.Example.NET
    std::string low = m.signed_address;
    for (char &ch : low) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_EQ(check_batv(low, batv_context(m.key, m.secret), m.expiry_day).state, BatvCheck::bad_signature);
}

TEST(Batv, Malformed) {
    Context c = batv_context(0, "secret");
    for (const char *a : {"prvs=abc=alice@example.com", "prvs=0000=alice@example.com", "prvs=0000dba08=alice@example.com",
                          "prvs=0000dba08z=alice@example.com", "prvs=x000dba087=alice@example.com",
                          "prvs=0000dba087=@example.com", "prvs=0000dba087alice@example.com"}) {
        BatvCheck r = check_batv(a, c, 20000);
        EXPECT_EQ(r.state, BatvCheck::malformed) << a << ": " << batv_state_name(r.state);
    }
}

TEST(Batv, UnknownKey) {
    const BatvVector &v = kBatvVectors[1];  // key 3
    BatvCheck r = check_batv(v.signed_address, batv_context(0, v.secret), v.expiry_day);
    EXPECT_EQ(r.state, BatvCheck::unknown_key);
    EXPECT_NE(r.evidence.find("key 3"), std::string::npos);
}

TEST(Batv, Missing) {
    Context c = batv_context(0, "secret");
    EXPECT_EQ(check_batv("alice@example.com", c, 20000).state, BatvCheck::missing);
    EXPECT_EQ(check_batv("<prvsx@example.com>", c, 20000).state, BatvCheck::missing);
    EXPECT_EQ(check_batv("", c, 20000).state, BatvCheck::missing);
}

TEST(Batv, TagAfterLocalPart) {
    // The older form prvs=local=KDDDSSSSSS@domain carries the same signature.
    const BatvVector &v = kBatvVectors[0];  // prvs=0000dba087=alice@example.com
    Context c = batv_context(v.key, v.secret);
    BatvCheck r = check_batv("prvs=alice=0000dba087@example.com", c, v.expiry_day);
    EXPECT_EQ(r.state, BatvCheck::pass) << r.evidence;
    EXPECT_EQ(r.original, "alice@example.com");
}

// ---- VERP ---------------------------------------------------------------------------------

TEST(Verp, EncodingAgreesWithPython) {
    for (const VerpVector &v : kVerpVectors) {
        Context c;
        c.verp_template = v.tpl;
        c.verp_hmac_key = v.key;
        EXPECT_EQ(verp_encode(v.recipient, c), v.address) << v.tpl;
    }
}

TEST(Verp, DecodeWithHmac) {
    for (const VerpVector &v : kVerpVectors) {
        if (!*v.key) continue;
        Context c;
        c.verp_template = v.tpl;
        c.verp_hmac_key = v.key;
        VerpCheck r = check_verp(std::string("<") + v.address + ">", c);
        EXPECT_TRUE(r.matched);
        EXPECT_EQ(r.state, VerpCheck::pass) << v.address << ": " << r.evidence;
        std::string low = v.recipient;
        for (char &ch : low) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        EXPECT_EQ(r.recipient, low);
    }
    Context c;
    c.verp_template = kVerpVectors[0].tpl;  // bounces+{recipient}-{sig}@example.com
    c.verp_hmac_key = kVerpVectors[0].key;
    std::string a = kVerpVectors[0].address;
    std::string bad = a;
    bad[bad.find('@') - 1] = bad[bad.find('@') - 1] == '0' ? '1' : '0';
    EXPECT_EQ(check_verp(bad, c).state, VerpCheck::bad_signature);
    // The signature of one recipient on another.
    std::string other = "bounces+mallory=example.org" + a.substr(a.rfind('-'));
    EXPECT_EQ(check_verp(other, c).state, VerpCheck::bad_signature);
    // No signature at all.
    VerpCheck none = check_verp("bounces+user=example.org@example.com", c);
    EXPECT_TRUE(none.matched);
    EXPECT_EQ(none.state, VerpCheck::bad_signature);
    // Another key.
    c.verp_hmac_key = "other key";
    EXPECT_EQ(check_verp(a, c).state, VerpCheck::bad_signature);
}

TEST(Verp, DecodeWithoutHmac) {
    Context c;
    c.verp_template = "list-bounces+{recipient}@example.com";
    VerpCheck r = check_verp("List-Bounces+Eve=Example.ORG@example.com", c);
    EXPECT_TRUE(r.matched);
    EXPECT_EQ(r.state, VerpCheck::unsigned_match);
    EXPECT_EQ(r.recipient, "eve@example.org");
    EXPECT_FALSE(check_verp("list-bounces@example.com", c).matched);
    EXPECT_FALSE(check_verp("list-bounces+eve=example.org@example.net", c).matched);
    EXPECT_FALSE(check_verp("someone@example.com", c).matched);
    EXPECT_FALSE(check_verp("list-bounces+noequals@example.com", c).matched);
}

// ---- Received hops ------------------------------------------------------------------------

TEST(Received, PostfixFormHeloNeverCounts) {
    ReceivedHop h = parse_received(
        "from relay.ours.example (localhost [127.0.0.1]) by mx.remote.example (Postfix) with ESMTP id 4Xy for "
        "<x@remote.example>; Mon, 2 Nov 2026 10:00:00 +0000");
    EXPECT_EQ(h.helo, "relay.ours.example");
    EXPECT_EQ(h.by, "mx.remote.example");
    ASSERT_EQ(h.verified.size(), 2u);
    EXPECT_EQ(h.verified[0], "localhost");
    EXPECT_EQ(h.verified[1], "127.0.0.1");
    EXPECT_FALSE(hop_has_relay(h, "relay.ours.example"));  // a forger chooses the HELO name
    EXPECT_TRUE(hop_has_relay(h, "mx.remote.example"));
    EXPECT_TRUE(hop_has_relay(h, "127.0.0.1"));
}

TEST(Received, VerifiedNamesAndIps) {
    ReceivedHop h = parse_received("from client.example.net (mta1.example.com [192.0.2.10])\n\tby mx.example.org");
    EXPECT_TRUE(hop_has_relay(h, "mta1.example.com"));
    EXPECT_TRUE(hop_has_relay(h, "192.0.2.10"));
    EXPECT_FALSE(hop_has_relay(h, "client.example.net"));
    EXPECT_TRUE(hop_has_relay(h, ".example.com"));
    EXPECT_FALSE(hop_has_relay(h, ".example.net"));
    EXPECT_FALSE(hop_has_relay(h, "example.com"));
}

TEST(Received, EximForms) {
    ReceivedHop a = parse_received("from mta1.example.com ([192.0.2.10] helo=fake.example.net) by mx.example.org with "
                                   "esmtp (Exim 4.96) (envelope-from <a@example.com>) id 1abc");
    EXPECT_TRUE(hop_has_relay(a, "mta1.example.com"));  // Exim's leading name is the rDNS here
    EXPECT_FALSE(hop_has_relay(a, "fake.example.net"));
    ReceivedHop b = parse_received("from [192.0.2.10] (helo=mta1.example.com) by mx.example.org with esmtp");
    EXPECT_TRUE(hop_has_relay(b, "192.0.2.10"));
    EXPECT_FALSE(hop_has_relay(b, "mta1.example.com"));
}

TEST(Received, QmailAndIpv6) {
    ReceivedHop q = parse_received("from unknown (HELO mta1.example.com) (192.0.2.99) by mx.example.org with SMTP");
    EXPECT_FALSE(hop_has_relay(q, "mta1.example.com"));
    EXPECT_TRUE(hop_has_relay(q, "192.0.2.99"));
    ReceivedHop v6 = parse_received("from x (y.example.com [IPv6:2001:db8::1]) by [IPv6:2001:db8::2]; date");
    EXPECT_TRUE(hop_has_relay(v6, "2001:db8::1"));
    EXPECT_TRUE(hop_has_relay(v6, "2001:db8::2"));
    ReceivedHop local = parse_received("by mta1.example.com (Postfix, from userid 1000) id 1234; date");
    EXPECT_TRUE(hop_has_relay(local, "mta1.example.com"));
    ReceivedHop junk = parse_received("((((garbage");
    EXPECT_TRUE(junk.by.empty());
}

// ---- context JSON -------------------------------------------------------------------------

struct ContextError {
    const char *json;
    const char *message_part;
};

TEST(ContextJson, Errors) {
    const ContextError cases[] = {
        {"not json", "not valid JSON"},
        {"[]", "top level must be an object"},
        {R"({"relay": ["mx.example.com"]})", "unknown key \"relay\""},
        {R"({"domains": "example.com"})", "\"domains\" must be an array"},
        {R"({"domains": [1]})", "\"domains\"[0]"},
        {R"({"domains": [""]})", "\"domains\"[0]"},
        {R"({"relays": ["mx1 example com"]})", "is not a host name"},
        {R"({"batv": []})", "\"batv\" must be an object"},
        {R"({"batv": {"keys": {"12": "s"}}})", "single digits 0-9, not \"12\""},
        {R"({"batv": {"keys": {"0": ""}}})", "secret of key 0"},
        {R"({"batv": {"keys": {"0": 5}}})", "secret of key 0"},
        {R"({"batv": {"keys": {}}})", "\"batv.keys\" must be an object mapping"},
        {R"({"batv": {"max_age_days": 7}})", "\"batv.keys\""},
        {R"({"batv": {"keys": {"0": "s"}, "max_age_days": 0}})", "from 1 to 999"},
        {R"({"batv": {"keys": {"0": "s"}, "max_age_days": "7"}})", "from 1 to 999"},
        {R"({"batv": {"keys": {"0": "s"}, "maxage": 7}})", "unknown key \"batv.maxage\""},
        {R"({"verp": "bounces+{recipient}@example.com"})", "\"verp\" must be an object"},
        {R"({"verp": {}})", "\"verp.template\" is required"},
        {R"({"verp": {"template": "bounces@example.com"}})", "{recipient} exactly once"},
        {R"({"verp": {"template": "{recipient}.{recipient}@example.com"}})", "{recipient} exactly once"},
        {R"({"verp": {"template": "bounces+{recipient}"}})", "must be an address"},
        {R"({"verp": {"template": "b+{recipient}-{sig}@example.com"}})", "\"verp.hmac_key\" is missing"},
        {R"({"verp": {"template": "b+{recipient}@example.com", "hmac_key": "k"}})", "no {sig}"},
        {R"({"verp": {"template": "b+{recipient}{sig}@example.com", "hmac_key": "k"}})", "need a separator"},
        {R"({"verp": {"template": "b+{recipient}@example.com", "key": "k"}})", "unknown key \"verp.key\""},
        {R"({"message_id_patterns": ["(unclosed"]})", "\"message_id_patterns\"[0] does not compile"},
    };
    for (const ContextError &c : cases) {
        Context ctx;
        ctx.domains = {"kept.example"};
        std::string error;
        EXPECT_FALSE(parse_context_json(c.json, ctx, error)) << c.json;
        EXPECT_NE(error.find(c.message_part), std::string::npos) << c.json << " gave: " << error;
        EXPECT_EQ(error.rfind("context: ", 0), 0u) << error;
        ASSERT_EQ(ctx.domains.size(), 1u) << "unchanged on error";
    }
}

carom_sent_t never(void *, const char *, size_t, const char *, size_t) { return CAROM_SENT_UNKNOWN; }

TEST(ContextJson, FullSchema) {
    Context ctx;
    ctx.sent_callback = never;
    std::string error;
    ASSERT_TRUE(parse_context_json(R"({"domains": ["Example.COM."], "relays": ["mx1.example.com", "192.0.2.10"],
        "message_id_domains": ["mail.example.com"], "message_id_patterns": ["[0-9a-f]{16}@gen\\.example\\.com"],
        "batv": {"keys": {"0": "secret", "7": "older"}, "max_age_days": 10},
        "verp": {"template": "bounces+{recipient}-{sig}@example.com", "hmac_key": "vk"}})",
                                   ctx, error))
        << error;
    EXPECT_EQ(ctx.domains, std::vector<std::string>{"example.com"});
    EXPECT_EQ(ctx.relays.size(), 2u);
    EXPECT_EQ(ctx.message_id_patterns.size(), 1u);
    EXPECT_EQ(ctx.batv_keys.at(7), "older");
    EXPECT_EQ(ctx.batv_max_age_days, 10);
    EXPECT_EQ(ctx.verp_hmac_key, "vk");
    EXPECT_EQ(ctx.sent_callback, &never) << "the callback survives a new context";
    ASSERT_TRUE(parse_context_json("{}", ctx, error));
    EXPECT_TRUE(ctx.domains.empty());
    EXPECT_EQ(ctx.sent_callback, &never);
}

// ---- the verdict --------------------------------------------------------------------------

// A bounce with the given headers; its original and one hard record are set up by hand so that
// the decision is tested apart from the readers.
struct Case {
    mime::Message msg;
    Extraction ex;
    Result out;
    explicit Case(const std::string &headers) {
        std::string err;
        EXPECT_EQ(mime::parse(headers + "\nbody\n", Limits(), msg, err), CAROM_OK) << err;
        Record r;
        r.recipient = "nobody@example.org";
        r.cls = CAROM_CLASS_HARD;
        r.reason = CAROM_REASON_USERUNKNOWN;
        out.records.push_back(r);
        ex.original.present = true;
    }
    carom_verdict_t judge(const Context &c) {
        out.backscatter = Backscatter();
        judge_backscatter(c, msg, ex, out);
        return out.backscatter.verdict;
    }
    std::string signal(const std::string &name) const {
        for (const Signal &s : out.backscatter.signals)
            if (s.name == name) return s.outcome;
        return "";
    }
};

TEST(Verdict, NoContextPlainBounceStaysUnknown) {
    Case k("From: MAILER-DAEMON@example.org\nTo: alice@example.com\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n");
    k.ex.original.message_id = "abc@random.example.net";
    k.ex.original.from = "alice@example.com";
    EXPECT_EQ(k.judge(Context()), CAROM_VERDICT_UNKNOWN);
    EXPECT_EQ(k.out.records[0].cls, CAROM_CLASS_HARD);
}

// decide() reuses the previous record's rule decision when the facts are the same (a bounce to
// many recipients); every record must end as if decided alone, including records whose empty
// action or status the previous record had filled in after its decision.
TEST(Decide, RecordsWithTheSameFactsDecideAsAlone) {
    carom_status_t st;
    std::string err;
    auto rules = rules::compile({}, true, 64 << 20, st, err);
    ASSERT_TRUE(rules) << err;
    auto rec = [](const char *status, const char *action, const char *diag, const char *reply = "550") {
        Record r;
        r.recipient = "user@example.org";
        r.status = status;
        r.action = action;
        r.reply_code = reply;
        r.diagnostic = diag;
        return r;
    };
    const char *unknown = "550 5.1.1 <user@example.org>: Recipient address rejected: User unknown";
    const char *full = "452 4.2.2 Mailbox full";
    std::vector<Record> batch = {rec("5.1.1", "", unknown),  rec("5.1.1", "", unknown),   rec("", "", unknown),
                                 rec("", "", unknown),       rec("", "failed", unknown), rec("", "failed", unknown),
                                 rec("4.2.2", "delayed", full, "452"), rec("4.2.2", "delayed", full, "452"),
                                 rec("4.2.2", "delayed", full, "452"), rec("5.1.1", "", unknown),
                                 rec("5.1.1", "", full)};
    for (bool explain : {false, true}) {
        Extraction ex;
        ex.format = "postfix";
        ex.records = batch;
        Result all;
        decide(*rules, explain, ex, all);
        ASSERT_EQ(all.records.size(), batch.size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            Extraction one;
            one.format = "postfix";
            one.records = {batch[i]};
            Result alone;
            decide(*rules, explain, one, alone);
            const Record &a = all.records[i], &b = alone.records[0];
            EXPECT_EQ(a.rule, b.rule) << i;
            EXPECT_EQ(a.reason, b.reason) << i;
            EXPECT_EQ(a.cls, b.cls) << i;
            EXPECT_EQ(a.status, b.status) << i;
            EXPECT_EQ(a.status_derived, b.status_derived) << i;
            EXPECT_EQ(a.action, b.action) << i;
            EXPECT_EQ(a.hits, b.hits) << i;
        }
        EXPECT_NE(all.records[0].rule, all.records[6].rule);
        EXPECT_NE(all.records[9].rule, all.records[10].rule);
    }
}

// forged_original needs the three domains of the original (From, Return-Path, Message-ID) all
// present and pairwise unrelated; it is a hint on a bounce and decides an auto-reply.
TEST(Verdict, ForgedOriginalNeedsThreeUnrelatedDomains) {
    struct Row {
        const char *from, *return_path, *message_id;
        bool forged;
    } rows[] = {
        {"Alice <alice@example.com>", "<bounce@example.net>", "<1@mail.example.org>", true},
        {"alice@example.com", "bounce@example.net", "<1@mail.example.com>", false},   // From ~ Message-ID
        {"alice@example.com", "bounce@example.net", "<1@example.net>", false},        // Return-Path ~ Message-ID
        {"alice@example.com", "bounce@bounces.example.com", "<1@example.org>", false}, // From ~ Return-Path
        {"alice@example.com", "bounce@example.net", "", false},
        {"alice@example.com", "", "<1@example.org>", false},
        {"", "bounce@example.net", "<1@example.org>", false},
    };
    for (const Row &row : rows) {
        for (bool auto_reply : {false, true}) {
            Case k("From: MAILER-DAEMON@example.org\nTo: alice@example.com\n");
            k.ex.original.from = row.from;
            k.ex.original.return_path = row.return_path;
            k.ex.original.message_id = row.message_id;
            k.ex.auto_reply = auto_reply;
            carom_verdict_t v = k.judge(Context());
            std::string want = !row.forged ? "" : auto_reply ? "backscatter" : "unknown";
            EXPECT_EQ(k.signal("forged_original"), want) << row.from << " " << row.return_path << " " << row.message_id;
            EXPECT_EQ(v, row.forged && auto_reply ? CAROM_VERDICT_BACKSCATTER : CAROM_VERDICT_UNKNOWN);
            if (row.forged) {
                EXPECT_NE(k.out.backscatter.signals.back().evidence.find(
                              "From domain example.com differs from Return-Path domain example.net; Message-ID domain "
                              "mail.example.org is unrelated to the sender"),
                          std::string::npos);
            }
        }
    }
}

TEST(Verdict, BatvMissingExpiredBadAndPassThroughTheBounce) {
    const BatvVector &v = kBatvVectors[0];  // alice@example.com, expiry day 20000 = 2024-10-04
    Context c = batv_context(v.key, v.secret);
    c.domains = {"example.com"};
    const std::string date = "Date: Thu, 03 Oct 2024 12:00:00 +0000\n";  // day 19999
    Case pass(std::string("To: ") + v.signed_address + "\n" + date);
    EXPECT_EQ(pass.judge(c), CAROM_VERDICT_GENUINE);
    EXPECT_EQ(pass.out.records[0].cls, CAROM_CLASS_HARD);
    Case late(std::string("To: ") + v.signed_address + "\nDate: Sat, 12 Oct 2024 12:00:00 +0000\n");
    EXPECT_EQ(late.judge(c), CAROM_VERDICT_BACKSCATTER);
    EXPECT_NE(late.out.backscatter.signals[0].evidence.find("expired"), std::string::npos);
    EXPECT_EQ(late.out.records[0].cls, CAROM_CLASS_BACKSCATTER);
    EXPECT_EQ(late.out.records[0].reason, CAROM_REASON_USERUNKNOWN) << "the reason is kept";
    std::string forged = v.signed_address;
    forged[12] = forged[12] == 'a' ? 'b' : 'a';
    Case bad("To: " + forged + "\n" + date);
    EXPECT_EQ(bad.judge(c), CAROM_VERDICT_BACKSCATTER);
    Case missing("To: alice@example.com\n" + date);
    EXPECT_EQ(missing.judge(c), CAROM_VERDICT_BACKSCATTER);
    EXPECT_EQ(missing.signal("batv"), "backscatter");
    // A tag on To while local delivery recorded the stripped address: the tag decides.
    Case stripped("Delivered-To: alice@example.com\nTo: " + std::string(v.signed_address) + "\n" + date);
    EXPECT_EQ(stripped.judge(c), CAROM_VERDICT_GENUINE);
    // Not in our domains: no evidence.
    Case elsewhere("To: someone@example.net\n" + date);
    EXPECT_EQ(elsewhere.judge(c), CAROM_VERDICT_UNKNOWN);
}

TEST(Verdict, RelaysAndMessageId) {
    Context c;
    c.relays = {"mta1.example.com"};
    c.message_id_domains = {"mail.example.com"};
    Case ours("To: alice@example.com\n");
    ours.ex.original.received = {"from mta1.example.com (mta1.example.com [192.0.2.10]) by mx.example.org; date",
                                 "from app (localhost [127.0.0.1]) by mta1.example.com (Postfix); date"};
    ours.ex.original.message_id = "1234.5678@mail.example.com";
    EXPECT_EQ(ours.judge(c), CAROM_VERDICT_GENUINE);
    Case forged("To: alice@example.com\n");
    forged.ex.original.received = {"from mta1.example.com (dsl-1-2.isp.example.net [198.51.100.7]) by mx.example.org"};
    forged.ex.original.message_id = "<xyz@spammer.example.net>";
    EXPECT_EQ(forged.judge(c), CAROM_VERDICT_BACKSCATTER);
    EXPECT_EQ(forged.signal("relays"), "backscatter");
    EXPECT_EQ(forged.signal("message_id"), "backscatter");
    // Disagreement in tier 2 leaves it to lower tiers: here none, so unknown.
    Case mixed("To: alice@example.com\n");
    mixed.ex.original.received = ours.ex.original.received;
    mixed.ex.original.message_id = "xyz@spammer.example.net";
    EXPECT_EQ(mixed.judge(c), CAROM_VERDICT_UNKNOWN);
    // No returned original: unknown, never backscatter.
    Case bare("To: alice@example.com\n");
    bare.ex.original = Original();
    EXPECT_EQ(bare.judge(c), CAROM_VERDICT_UNKNOWN);
}

TEST(Verdict, MessageIdPattern) {
    Context c;
    std::string error;
    ASSERT_TRUE(parse_context_json(R"({"message_id_patterns": ["[0-9a-f]{8}\\.campaign@.*"]})", c, error)) << error;
    Case ours("To: a@example.com\n");
    ours.ex.original.message_id = "<0badcafe.campaign@whatever.example>";
    EXPECT_EQ(ours.judge(c), CAROM_VERDICT_GENUINE);
    Case other("To: a@example.com\n");
    other.ex.original.message_id = "<nothex00.campaign@whatever.example>";
    EXPECT_EQ(other.judge(c), CAROM_VERDICT_BACKSCATTER);
}

TEST(Verdict, SignedVerp) {
    const VerpVector &v = kVerpVectors[0];
    Context c;
    c.verp_template = v.tpl;
    c.verp_hmac_key = v.key;
    Case good(std::string("Delivered-To: ") + v.address + "\n");
    EXPECT_EQ(good.judge(c), CAROM_VERDICT_GENUINE);
    Case bad("Delivered-To: bounces+user=example.org-00000000@example.com\n");
    EXPECT_EQ(bad.judge(c), CAROM_VERDICT_BACKSCATTER);
    Case unrelated("Delivered-To: postmaster@example.com\n");
    EXPECT_EQ(unrelated.judge(c), CAROM_VERDICT_UNKNOWN);
}

TEST(Verdict, OriginalSenderOutsideOurDomains) {
    Context c;
    c.domains = {"example.com"};
    Case misdirected("To: alice@example.com\n");
    misdirected.ex.original.from = "someone@example.net";
    EXPECT_EQ(misdirected.judge(c), CAROM_VERDICT_BACKSCATTER);
    Case ours("To: alice@example.com\n");
    ours.ex.original.from = "alice@example.com";
    EXPECT_EQ(ours.judge(c), CAROM_VERDICT_UNKNOWN) << "our own domain proves nothing: it is what forgers use";
    Case esp("To: bounces@example.com\n");
    esp.ex.original.from = "news@customer.example.net";
    esp.ex.original.return_path = "bounces@example.com";
    EXPECT_EQ(esp.judge(c), CAROM_VERDICT_UNKNOWN) << "either sender in our domains is enough";
}

TEST(Verdict, StrongerTierWins) {
    // The relay proves the bounce genuine although the sender domain says "not ours".
    Context c;
    c.domains = {"example.com"};
    c.relays = {"mta1.example.com"};
    Case k("To: alice@example.com\n");
    k.ex.original.from = "someone@example.net";
    k.ex.original.received = {"from x (localhost [127.0.0.1]) by mta1.example.com; date"};
    EXPECT_EQ(k.judge(c), CAROM_VERDICT_GENUINE);
}

TEST(Verdict, NoticesWithoutContextAndOursWithContext) {
    Case ch("From: guard@example.org\nTo: alice@example.com\nSubject: Please confirm your message\n");
    ch.ex.notice = "challenge";
    ch.out.records[0].cls = CAROM_CLASS_BACKSCATTER;
    ch.out.records[0].reason = CAROM_REASON_CHALLENGE;
    EXPECT_EQ(ch.judge(Context()), CAROM_VERDICT_BACKSCATTER);
    EXPECT_EQ(ch.signal("challenge_response"), "backscatter");
    Context c;
    c.message_id_domains = {"mail.example.com"};
    ch.ex.original.message_id = "1@mail.example.com";
    EXPECT_EQ(ch.judge(c), CAROM_VERDICT_GENUINE);
    EXPECT_EQ(ch.out.records[0].cls, CAROM_CLASS_AUTO_REPLY) << "a challenge about our own mail waits for us";
    EXPECT_EQ(ch.out.records[0].reason, CAROM_REASON_CHALLENGE);
}

TEST(Verdict, AutoReplyToForgedOriginal) {
    Case k("From: bob@example.org\nTo: alice@example.com\nSubject: Out of office\n");
    k.ex.auto_reply = true;
    k.out.records[0].cls = CAROM_CLASS_AUTO_REPLY;
    k.out.records[0].reason = CAROM_REASON_VACATION;
    k.ex.original.from = "alice@example.com";
    k.ex.original.return_path = "bulk@cheap-pills.example.net";
    k.ex.original.message_id = "<0x1f@host.example.jp>";
    EXPECT_EQ(k.judge(Context()), CAROM_VERDICT_BACKSCATTER);
    EXPECT_EQ(k.out.records[0].reason, CAROM_REASON_VACATION);
    Case plain("From: bob@example.org\nTo: alice@example.com\nSubject: Out of office\n");
    plain.ex.auto_reply = true;
    plain.out.records[0].cls = CAROM_CLASS_AUTO_REPLY;
    plain.ex.original.from = "alice@example.com";
    plain.ex.original.message_id = "<1@example.com>";
    EXPECT_EQ(plain.judge(Context()), CAROM_VERDICT_UNKNOWN);
    EXPECT_EQ(plain.out.records[0].cls, CAROM_CLASS_AUTO_REPLY);
}

TEST(Verdict, NotBounceLikeIsNotJudged) {
    Case k("To: alice@example.com\n");
    k.out.records.clear();
    Context c;
    c.domains = {"example.com"};
    c.batv_keys[0] = "s";
    EXPECT_EQ(k.judge(c), CAROM_VERDICT_UNKNOWN);
    EXPECT_TRUE(k.out.backscatter.signals.empty());
}

// address_domain takes a short cut for bare addresses; it must agree with the general path
// (the domain of find_address's result, lower case) on any input.
std::string reference_domain(std::string_view address) {
    std::string a = formats::find_address(address);
    std::size_t at = a.rfind('@');
    if (at == std::string::npos) return std::string();
    return lower(std::string_view(a).substr(at + 1));
}

TEST(AddressDomain, AgreesWithFindAddress) {
    for (const char *a : {"user@Example.COM", "a.b+c@mx.example.org", "@example.org", "user@", "user@example.org.",
                          "user@example-", ".user@example.org", "..@example.org", "a@b@example.org", "<u@example.org>",
                          "Name <u@Example.org>", "rfc822;u@example.org", "", "nobody", "u@-x.example", "-u@x.example"}) {
        EXPECT_EQ(address_domain(a), reference_domain(a)) << a;
    }
    EXPECT_EQ(address_domain("User@Mail.Example.COM"), "mail.example.com");
    std::mt19937 rng(8);
    const std::string alphabet = "abAB09.-_+@@<>; '/?`=\xc3";
    for (int n = 0; n < 20000; ++n) {
        std::string a(rng() % 14, ' ');
        for (char &c : a) c = alphabet[rng() % alphabet.size()];
        ASSERT_EQ(address_domain(a), reference_domain(a)) << a;
    }
}

TEST(Robustness, JunkNeverCrashes) {
    // Random and adversarial strings through every parser of this file (bounded, deterministic).
    Context c = batv_context(0, "secret");
    c.verp_template = "bounces+{recipient}-{sig}@example.com";
    c.verp_hmac_key = "k";
    unsigned state = 12345;
    auto next = [&] { return state = state * 1103515245u + 12345u; };
    const char alphabet[] = "prvs=0123456789abcdef@.-+(){}[]<> \t\n;:helobyfromPRVS=\"\\\x80\xff";
    for (int i = 0; i < 5000; ++i) {
        std::string s;
        std::size_t n = next() % 80;
        for (std::size_t k = 0; k < n; ++k) s += alphabet[next() % (sizeof alphabet - 1)];
        (void)check_batv(s, c, static_cast<long long>(next() % 40000));
        (void)check_verp(s, c);
        (void)verp_encode(s, c);
        ReceivedHop h = parse_received(s);
        (void)hop_has_relay(h, ".example.com");
        Context out;
        std::string error;
        (void)parse_context_json(s, out, error);
    }
    std::string deep(100000, '(');
    EXPECT_TRUE(parse_received(deep).by.empty());
    std::string wide = "from " + std::string(100000, 'a') + " by " + std::string(100000, 'b');
    EXPECT_EQ(parse_received(wide).by.size(), 100000u);
    EXPECT_EQ(check_batv("prvs=" + std::string(100000, '='), c, 1).state, BatvCheck::malformed);
}

}  // namespace
}  // namespace carom
