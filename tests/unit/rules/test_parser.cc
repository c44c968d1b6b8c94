// The rules format parser: every error names file:line:column; the version line; duplicates.
#include <gtest/gtest.h>

#include "rules/ruleset.hh"

namespace {

using carom::rules::check;
using carom::rules::Source;

carom_status_t run(const std::string &text, std::string &err) { return check(Source{"t.rules", text}, err); }

const char *kGood =
    "carom-rules 1\n"
    "# comment\n"
    "rule a.b\n"
    "  says   550 User unknown\n"
    "  text   \\buser unknown\\b\n"
    "  reason userunknown\n";

TEST(RulesParser, AcceptsAGoodFile) {
    std::string err;
    EXPECT_EQ(run(kGood, err), CAROM_OK) << err;
    EXPECT_TRUE(err.empty());
}

TEST(RulesParser, AcceptsCrlfAndNoFinalNewline) {
    std::string err;
    EXPECT_EQ(run("carom-rules 1\r\nrule x\r\n  says s\r\n  status 5.1.1\r\n  reason userunknown", err), CAROM_OK) << err;
}

struct BadCase {
    const char *text;
    carom_status_t status;
    const char *where;    // "t.rules:L:C:"
    const char *message;  // a part of the message
};

class RulesParserErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(RulesParserErrors, NamesFileLineColumn) {
    const BadCase &c = GetParam();
    std::string err;
    EXPECT_EQ(run(c.text, err), c.status);
    EXPECT_EQ(err.rfind(c.where, 0), 0u) << err;
    EXPECT_NE(err.find(c.message), std::string::npos) << err;
}

INSTANTIATE_TEST_SUITE_P(
    All, RulesParserErrors,
    ::testing::Values(
        BadCase{"", CAROM_E_RULES, "t.rules:1:1:", "format version"},
        BadCase{"rules 1\n", CAROM_E_RULES, "t.rules:1:1:", "format version"},
        BadCase{"carom-rules x\n", CAROM_E_RULES, "t.rules:1:13:", "version number"},
        BadCase{"carom-rules 2\n", CAROM_E_RULES_VERSION, "t.rules:1:13:", "newer"},
        BadCase{"carom-rules 17\nrule a\n", CAROM_E_RULES_VERSION, "t.rules:1:13:", "newer"},
        BadCase{"carom-rules 1 extra\n", CAROM_E_RULES, "t.rules:1:15:", "unexpected text"},
        BadCase{"carom-rules 1\n  says x\n", CAROM_E_RULES, "t.rules:2:3:", "outside a rule"},
        BadCase{"carom-rules 1\nrule A\n", CAROM_E_RULES, "t.rules:2:6:", "bad character"},
        BadCase{"carom-rules 1\nrule a\nsays x\n", CAROM_E_RULES, "t.rules:3:1:", "indented"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  colour red\n", CAROM_E_RULES, "t.rules:4:3:", "unknown key"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  status 5.1.1\n  reason nosuch\n", CAROM_E_RULES,
                "t.rules:5:10:", "unknown reason"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  status 5.1.1 6.1.1\n  reason userunknown\n", CAROM_E_RULES,
                "t.rules:4:16:", "bad status code pattern"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  reply 55\n  reason userunknown\n", CAROM_E_RULES,
                "t.rules:4:9:", "bad reply code"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  command RCPT FOO\n  reason userunknown\n", CAROM_E_RULES,
                "t.rules:4:16:", "unknown SMTP command"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  action bounced\n  reason userunknown\n", CAROM_E_RULES,
                "t.rules:4:10:", "unknown action"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  text user Unknown\n  reason userunknown\n", CAROM_E_RULES,
                "t.rules:4:13:", "case folding"},
        // Past ASCII, ICU decides: Ü folds to ü (columns count bytes: ö is two).
        BadCase{"carom-rules 1\nrule a\n  says x\n  text grösse Über\n  reason userunknown\n", CAROM_E_RULES,
                "t.rules:4:16:", "case folding"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  text a\n  text b\n  reason userunknown\n", CAROM_E_RULES,
                "t.rules:5:8:", "duplicate \"text\""},
        BadCase{"carom-rules 1\nrule a\n  text a\n  reason userunknown\n", CAROM_E_RULES, "t.rules:2:1:", "says"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  text a\n", CAROM_E_RULES, "t.rules:2:1:", "no \"reason\""},
        BadCase{"carom-rules 1\nrule a\n  says x\n  reason userunknown\n", CAROM_E_RULES, "t.rules:2:1:",
                "no match condition"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  text a\n  reason blocked\n  priority 1000\n", CAROM_E_RULES,
                "t.rules:6:12:", "priority"},
        BadCase{"carom-rules 1\ndefault priority x\n", CAROM_E_RULES, "t.rules:2:9:", "default priority"},
        BadCase{"carom-rules 1\nrule a\n  says x\n  text a\n  reason blocked\nrule a\n  says y\n  text b\n  reason "
                "blocked\n",
                CAROM_E_RULES, "t.rules:6:6:", "duplicate rule id a"}));

TEST(RulesParser, FoldingCheckSkipsEscapes) {
    std::string err;
    // \S, \W, \D and \p{Lu} are escapes, not upper-case letters.
    EXPECT_EQ(run("carom-rules 1\nrule a\n  says x\n  text \\S+\\W\\D\\p{Lu}\n  reason blocked\n", err), CAROM_OK)
        << err;
    // A non-ASCII capital is refused too.
    EXPECT_EQ(run("carom-rules 1\nrule a\n  says x\n  text Überfüllt\n  reason blocked\n", err), CAROM_E_RULES);
}

TEST(RulesParser, DefaultPriorityApplies) {
    std::vector<carom::rules::Rule> out;
    std::string err;
    ASSERT_EQ(carom::rules::parse(Source{"t", "carom-rules 1\ndefault priority 42\nrule a\n  says x\n  text a\n"
                                              "  reason blocked\nrule b\n  says x\n  text b\n  reason blocked\n"
                                              "  priority 7\n"},
                                  out, err),
              CAROM_OK)
        << err;
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].effective_priority(), 42);
    EXPECT_EQ(out[1].effective_priority(), 7);
}

// The evidence tier comes from the conditions (docs/taxonomy.md); a rule that sets no priority has
// the middle one, the same for all.
TEST(RulesParser, TiersComeFromTheConditions) {
    using carom::rules::Tier;
    std::vector<carom::rules::Rule> out;
    std::string err;
    ASSERT_EQ(carom::rules::parse(Source{"t", "carom-rules 1\n"
                                              "rule h\n  says x\n  host mx\n  text a\n  reason blocked\n"
                                              "rule t\n  says x\n  text a\n  reason blocked\n"
                                              "rule s\n  says x\n  status 5.1.1\n  reason userunknown\n"
                                              "rule g\n  says x\n  status 5.1.0\n  reason onhold\n"
                                              "rule w\n  says x\n  status 5.*.*\n  reason onhold\n"
                                              "rule r\n  says x\n  reply 550\n  reason onhold\n"
                                              "rule a\n  says x\n  action delayed\n  reason expired\n"
                                              "rule c\n  says x\n  category bad-mailbox\n  reason userunknown\n"
                                              "rule m\n  says x\n  text \\bbl0001\\b\n  tier provider\n  reason blocked\n"
                                              "rule d\n  says x\n  text .\n  reason onhold\n"},
                                  out, err),
              CAROM_OK)
        << err;
    ASSERT_EQ(out.size(), 10u);
    const Tier want[] = {carom::rules::kTierProvider, carom::rules::kTierText,     carom::rules::kTierCode,
                         carom::rules::kTierGeneric,  carom::rules::kTierGeneric,  carom::rules::kTierGeneric,
                         carom::rules::kTierStage,    carom::rules::kTierCategory, carom::rules::kTierProvider,
                         carom::rules::kTierStage};
    for (std::size_t i = 0; i < out.size(); ++i) {
        EXPECT_EQ(out[i].tier(), want[i]) << out[i].id;
        EXPECT_EQ(out[i].effective_priority(), carom::rules::kNoPriority) << out[i].id;
    }
}

TEST(RulesParser, ExcludesPrecedenceAndOutcomeAreChecked) {
    std::vector<carom::rules::Rule> out;
    std::string err;
    carom::rules::Directives dir;
    ASSERT_EQ(carom::rules::parse(Source{"t", "carom-rules 1\n"
                                              "precedence mailboxfull userunknown\n"
                                              "outcome expired\n"
                                              "transient expired systemerror networkerror\n"
                                              "rule s\n  says x\n  status 5.1.1\n  reason userunknown\n"
                                              "  excludes filtered rejected\n"},
                                  out, err, &dir),
              CAROM_OK)
        << err;
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].excludes, (std::vector<carom_reason_t>{CAROM_REASON_FILTERED, CAROM_REASON_REJECTED}));
    EXPECT_EQ(dir.precedence, (std::vector<carom_reason_t>{CAROM_REASON_MAILBOXFULL, CAROM_REASON_USERUNKNOWN}));
    EXPECT_EQ(dir.outcome, (std::vector<carom_reason_t>{CAROM_REASON_EXPIRED}));
    EXPECT_EQ(dir.transient, (std::vector<carom_reason_t>{CAROM_REASON_EXPIRED, CAROM_REASON_SYSTEMERROR,
                                                          CAROM_REASON_NETWORKERROR}));
    for (const char *bad : {"carom-rules 1\nprecedence userunknown nosuchreason\n",
                            "carom-rules 1\nprecedence userunknown userunknown\n",
                            "carom-rules 1\noutcome\n",
                            "carom-rules 1\ntransient expired\n",
                            "carom-rules 1\ntransient expired nosuchreason\n",
                            "carom-rules 1\nrule s\n  says x\n  status 5.1.1\n  reason userunknown\n  excludes bogus\n",
                            "carom-rules 1\nrule s\n  says x\n  text a\n  reason userunknown\n  tier text\n"}) {
        out.clear();
        EXPECT_EQ(carom::rules::parse(Source{"t", bad}, out, err), CAROM_E_RULES) << bad;
        EXPECT_EQ(err.rfind("t:", 0), 0u) << err;
    }
}

TEST(RulesNormalise, FoldsCaseIncludingNonAscii) {
    using carom::rules::normalise;
    EXPECT_EQ(normalise("User UNKNOWN"), "user unknown");
    EXPECT_EQ(normalise("ПОЧТОВЫЙ ЯЩИК"), "почтовый ящик");
    EXPECT_EQ(normalise("Größe ÜBERSCHRITTEN"), "grösse überschritten");  // ß folds to ss
}

TEST(RulesNormalise, FullCaseFoldingAndCompatibilityForms) {
    using carom::rules::normalise;
    EXPECT_EQ(normalise("STRASSE Straße"), "strasse strasse");
    EXPECT_EQ(normalise("ＵＳＥＲ　ＵＮＫＮＯＷＮ"), "user unknown");  // full-width letters and space (NFKC)
    EXPECT_EQ(normalise("ﾒｰﾙ"), "メール");                           // half-width katakana (NFKC)
    EXPECT_EQ(normalise("ΣΊΣΥΦΟΣ"), "σίσυφοσ");                      // final sigma folds to σ
}

TEST(RulesNormalise, CollapsesWhiteSpace) {
    using carom::rules::normalise;
    EXPECT_EQ(normalise("  a\t\tb\r\n c\xC2\xA0" "d  "), "a b c d");
    EXPECT_EQ(normalise("\n\n"), "");
    EXPECT_EQ(normalise(std::string("a\0b", 3)), "a b");
}

TEST(RulesNormalise, InvalidUtf8DoesNotCrash) {
    std::string s = carom::rules::normalise("user \xFF\xFE unknown \xC3");
    EXPECT_NE(s.find("user"), std::string::npos);
    EXPECT_NE(s.find("unknown"), std::string::npos);
}

}  // namespace
