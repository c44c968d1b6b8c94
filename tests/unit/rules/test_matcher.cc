// Matching, priority and contradictions, user rules over built-in ones, explain, list.
#include <gtest/gtest.h>

#include <thread>

#include "base/taxonomy.hh"
#include "rules/builtin.hh"
#include "rules/rules.hh"

namespace {

using namespace carom::rules;

std::unique_ptr<Compiled> build(const std::vector<Source> &user, bool builtin = false, std::uint64_t mem = 64 << 20) {
    carom_status_t st;
    std::string err;
    auto c = compile(user, builtin, mem, st, err);
    EXPECT_TRUE(c) << err;
    return c;
}

Input in(std::string_view status, std::string_view reply, std::string_view diag, std::string_view command = "",
         std::string_view host = "", std::string_view action = "failed") {
    return Input{status, reply, diag, command, host, "", action, "", ""};
}

const char *kSmall =
    "carom-rules 1\n"
    "rule s.generic\n  says 5.0.0\n  status 5.0.0\n  reason onhold\n"
    "rule s.full\n  says 5.2.2\n  status 5.2.2\n  reason mailboxfull\n"
    "rule s.unknown\n  says 5.1.1\n  status 5.1.1\n  reason userunknown\n"
    "rule t.full\n  says mailbox full\n  text mailbox (is )?full\n  reason mailboxfull\n"
    "rule t.unknown\n  says user unknown\n  text user unknown\n  reason userunknown\n"
    "rule t.unknown-data\n  says user unknown after DATA\n  text user unknown\n  command DATA\n  reason filtered\n"
    "  priority 290\n"
    "rule h.provider\n  says provider code\n  host (^|\\.)example\\.net$\n  text x-42\n  reason blocked\n";

TEST(RulesMatcher, TextBeatsGenericStatus) {
    auto c = build({{"small", kSmall}});
    Decision d = c->decide(in("5.0.0", "452", "452 Mailbox full"), true);
    ASSERT_TRUE(d.decided);
    EXPECT_EQ(d.reason, CAROM_REASON_MAILBOXFULL);
    EXPECT_EQ(d.rule, "t.full");
    ASSERT_EQ(d.hits.size(), 2u);
    EXPECT_EQ(d.hits[0], "t.full");
    EXPECT_EQ(d.hits[1], "s.generic");
}

TEST(RulesMatcher, SpecificStatusWithoutTextDecides) {
    auto c = build({{"small", kSmall}});
    Decision d = c->decide(in("5.1.1", "550", "550 go away"), false);
    EXPECT_EQ(d.reason, CAROM_REASON_USERUNKNOWN);
    EXPECT_EQ(d.rule, "s.unknown");
    EXPECT_TRUE(d.hits.empty());  // no explain
}

// A diagnostic that is nothing but codes stands for the status the record lacks; a status of the
// record's own, or any word beside the codes, leaves it a text.
TEST(RulesMatcher, CodesOnlyDiagnosticIsTheStatus) {
    auto c = build({{"small", kSmall}});
    EXPECT_EQ(c->decide(in("", "", "5.2.2"), false).rule, "s.full");
    EXPECT_EQ(c->decide(in("", "", "550 5.1.1"), false).rule, "s.unknown");
    EXPECT_EQ(c->decide(in("", "", "552-5.2.2."), false).rule, "s.full");
    EXPECT_EQ(c->decide(in("", "", " #5.1.1 "), false).rule, "s.unknown");
    EXPECT_EQ(c->decide(in("5.0.0", "", "5.2.2"), false).rule, "s.generic");  // the record's own status
    EXPECT_FALSE(c->decide(in("", "", "550 5.1.1 go away"), false).decided);  // words beside the code
    EXPECT_FALSE(c->decide(in("", "", "450 5.1.1"), false).decided);          // 4xx reply, 5.x.x status
    EXPECT_FALSE(c->decide(in("", "", "5.1.1.1"), false).decided);
}

TEST(RulesMatcher, CommandConditionAndExplicitPriority) {
    auto c = build({{"small", kSmall}});
    EXPECT_EQ(c->decide(in("", "550", "550 User Unknown", "DATA"), false).rule, "t.unknown-data");
    EXPECT_EQ(c->decide(in("", "550", "550 User Unknown", "rcpt"), false).rule, "t.unknown");
    EXPECT_EQ(c->decide(in("", "550", "550 User Unknown", ""), false).rule, "t.unknown");
}

TEST(RulesMatcher, AllConditionsMustMatch) {
    auto c = build({{"small", kSmall}});
    EXPECT_FALSE(c->decide(in("", "", "code X-42"), false).decided);
    EXPECT_EQ(c->decide(in("", "", "code X-42", "", "MX1.Example.NET"), false).rule, "h.provider");
    EXPECT_FALSE(c->decide(in("", "", "code X-42", "", "mx1.example.net.evil.org"), false).decided);
}

TEST(RulesMatcher, NothingMatches) {
    auto c = build({{"small", kSmall}});
    Decision d = c->decide(in("", "", ""), true);
    EXPECT_FALSE(d.decided);
    EXPECT_EQ(d.reason, CAROM_REASON_UNDEFINED);
    EXPECT_TRUE(d.rule.empty());
    EXPECT_TRUE(d.hits.empty());
}

TEST(RulesMatcher, StatusPatternsAreAnchored) {
    auto c = build({{"w", "carom-rules 1\nrule w\n  says x\n  status 5.1.*\n  reason userunknown\n"}});
    EXPECT_TRUE(c->decide(in("5.1.10", "", ""), false).decided);
    EXPECT_TRUE(c->decide(in(" 5.1.1 ", "", ""), false).decided);
    EXPECT_FALSE(c->decide(in("5.1.1000", "", ""), false).decided);
    EXPECT_FALSE(c->decide(in("45.1.1", "", ""), false).decided);
    EXPECT_FALSE(c->decide(in("5.11.1", "", ""), false).decided);
}

TEST(RulesMatcher, ReplyWildcardsAndNoneCommand) {
    auto c = build({{"r", "carom-rules 1\nrule r\n  says x\n  reply 55x\n  command NONE\n  reason onhold\n"}});
    EXPECT_TRUE(c->decide(in("", "552", "", ""), false).decided);
    EXPECT_FALSE(c->decide(in("", "552", "", "RCPT"), false).decided);
    EXPECT_FALSE(c->decide(in("", "542", "", ""), false).decided);
}

TEST(RulesMatcher, TextIsCaseFoldedBeforeMatching) {
    auto c = build({{"f", "carom-rules 1\nrule f\n  says x\n  text ящик переполнен|strasse\n  reason mailboxfull\n"}});
    EXPECT_TRUE(c->decide(in("", "", "ПОЧТОВЫЙ  ЯЩИК\n ПЕРЕПОЛНЕН"), false).decided);
    EXPECT_TRUE(c->decide(in("", "", "Hauptstraße"), false).decided);
}

TEST(RulesMatcher, UserRulesOutrankBuiltinAndLaterUserFilesWin) {
    auto c = build({{"first", "carom-rules 1\nrule u.one\n  says x\n  text user unknown\n  reason blocked\n"},
                    {"second", "carom-rules 1\nrule u.two\n  says x\n  text user unknown\n  reason suspend\n"
                               "  priority 999\n"}},
                   true);
    Decision d = c->decide(in("5.1.1", "550", "550 5.1.1 User unknown", "RCPT"), true);
    EXPECT_EQ(d.rule, "u.two");
    EXPECT_EQ(d.reason, CAROM_REASON_SUSPEND);
    ASSERT_GE(d.hits.size(), 4u);
    EXPECT_EQ(d.hits[1], "u.one");
    // then the built-in ones, by evidence: the words before the code
    EXPECT_EQ(d.hits[2], "diag.userunknown.en.user-unknown");
    EXPECT_EQ(d.hits[3], "status.x.1.1");
}

TEST(RulesMatcher, UserRuleReplacesBuiltinOfSameId) {
    auto c = build({{"u", "carom-rules 1\nrule status.x.1.1\n  says x\n  status 5.1.1\n  reason suspend\n"}}, true);
    Decision d = c->decide(in("5.1.1", "", ""), true);
    EXPECT_EQ(d.reason, CAROM_REASON_SUSPEND);
    int count = 0;
    for (const auto &h : d.hits) count += h == "status.x.1.1";
    EXPECT_EQ(count, 1);
}

TEST(RulesMatcher, DuplicateIdAcrossUserFilesIsAnError) {
    carom_status_t st;
    std::string err;
    auto c = compile({{"a.rules", "carom-rules 1\nrule x\n  says x\n  text a\n  reason blocked\n"},
                      {"b.rules", "carom-rules 1\nrule x\n  says x\n  text b\n  reason blocked\n"}},
                     false, 64 << 20, st, err);
    EXPECT_FALSE(c);
    EXPECT_EQ(st, CAROM_E_RULES);
    EXPECT_NE(err.find("duplicate rule id x"), std::string::npos) << err;
}

TEST(RulesMatcher, BadRegexNamesFileLineColumn) {
    carom_status_t st;
    std::string err;
    auto c = compile({{"bad.rules", "carom-rules 1\nrule x\n  says x\n  text (unclosed\n  reason blocked\n"}}, false,
                     64 << 20, st, err);
    EXPECT_FALSE(c);
    EXPECT_EQ(st, CAROM_E_RULES);
    EXPECT_EQ(err.rfind("bad.rules:4:8:", 0), 0u) << err;
}

TEST(RulesMatcher, VersionRefusalPropagates) {
    carom_status_t st;
    std::string err;
    EXPECT_FALSE(compile({{"v.rules", "carom-rules 9\n"}}, true, 64 << 20, st, err));
    EXPECT_EQ(st, CAROM_E_RULES_VERSION);
}

TEST(RulesMatcher, TinyMemoryBudgetIsAnErrorOrStillCorrect) {
    // With the smallest budget either the sets do not compile (CAROM_E_REGEX_MEMORY), or matching
    // still gives the same answers (the DFA out-of-memory fallback): never a silent "no match".
    carom_status_t st;
    std::string err;
    auto small = compile({}, true, 1 << 20, st, err);
    if (!small) {
        EXPECT_EQ(st, CAROM_E_REGEX_MEMORY) << err;
        return;
    }
    auto big = build({}, true);
    std::string text(20000, 'x');
    text += " user unknown ";
    for (int i = 0; i < 200; ++i) text += "abcdefghij klmnopqrs " + std::to_string(i);
    Input a = in("", "550", text, "RCPT");
    EXPECT_EQ(small->decide(a, true).hits, big->decide(a, true).hits);
}

TEST(RulesMatcher, BuiltinCompilesAndListsEveryRule) {
    auto c = build({}, true);
    ASSERT_GT(c->size(), 200u);
    std::string list = c->list_jsonl();
    std::size_t lines = 0;
    for (char ch : list) lines += ch == '\n';
    EXPECT_EQ(lines, c->size());
    // How the rules are weighed, from the data (verdicts.rules, status-codes.rules).
    std::string how = c->decision_json();
    EXPECT_EQ(how.rfind("{\"tiers\":[\"report\",\"category\",\"provider\",\"text\"", 0), 0u) << how;
    EXPECT_NE(how.find("\"precedence\":[\"userunknown\""), std::string::npos);
    EXPECT_NE(how.find("\"outcome\":[\"expired\""), std::string::npos);
    EXPECT_NE(how.find("\"transient\":[\"expired\",\"systemerror\""), std::string::npos);
    EXPECT_NE(how.find("\"userunknown\":\"hard\""), std::string::npos);
    EXPECT_NE(how.find("\"vacation\":\"auto_reply\""), std::string::npos);
    EXPECT_NE(list.find("\"id\":\"status.x.1.1\""), std::string::npos);
    EXPECT_NE(list.find("\"file\":\"builtin:status-codes.rules\""), std::string::npos);
    EXPECT_NE(list.find("\"reason\":\"userunknown\""), std::string::npos);
    EXPECT_STRNE(builtin_version(), "");
}

TEST(RulesMatcher, EveryIanaCodeHasARule) {
    auto c = build({}, true);
    const char *codes[] = {"5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.6", "5.1.7", "5.1.8", "5.1.9", "5.1.10",
                           "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.3.1", "5.3.2", "5.3.3", "5.3.4", "5.3.5",
                           "4.3.6", "4.4.1", "4.4.2", "4.4.3", "5.4.4", "4.4.5", "5.4.6", "4.4.7", "5.5.1",
                           "5.5.2", "5.5.3", "5.5.4", "5.5.5", "5.5.6", "5.6.1", "5.6.2", "5.6.3", "5.6.4",
                           "5.6.5", "5.6.6", "5.6.7", "5.6.8", "5.6.9", "5.7.1", "5.7.2", "5.7.3", "5.7.4",
                           "5.7.5", "5.7.6", "5.7.7", "5.7.8", "5.7.9", "5.7.10", "5.7.11", "5.7.12", "5.7.13",
                           "5.7.14", "5.7.15", "5.7.16", "5.7.17", "5.7.18", "5.7.19", "5.7.20", "5.7.21",
                           "5.7.22", "5.7.23", "5.7.24", "5.7.25", "5.7.26", "5.7.27", "5.7.28", "5.7.29",
                           "5.7.30", "5.4.300", "4.7.650", "4.7.32"};
    for (const char *code : codes) {
        Decision d = c->decide(in(code, "", ""), false);
        EXPECT_TRUE(d.decided) << code;
        EXPECT_NE(d.rule, "") << code;
    }
}

TEST(RulesMatcher, ContradictionsResolvedByText) {
    auto c = build({}, true);
    EXPECT_EQ(c->decide(in("5.0.0", "452", "452 4.2.2 Mailbox full"), false).reason, CAROM_REASON_MAILBOXFULL);
    EXPECT_EQ(c->decide(in("5.1.1", "550", "550 5.1.1 sorry, mailbox is over quota"), false).reason,
              CAROM_REASON_MAILBOXFULL);
    EXPECT_EQ(c->decide(in("5.1.1", "550", "550 5.1.1 <a@example.org>... User Unknown", "DATA"), false).reason,
              CAROM_REASON_USERUNKNOWN);  // a specific X.1.1 outranks "after DATA"
    EXPECT_EQ(c->decide(in("5.0.0", "550", "550 Unknown user a@example.org", "DATA"), false).reason,
              CAROM_REASON_FILTERED);
}

TEST(RulesMatcher, ConstDecideIsThreadSafe) {
    auto c = build({}, true);
    Input a = in("5.0.0", "550", "550 Unknown user a@example.org", "RCPT");
    std::string want = c->decide(a, true).rule;
    std::vector<std::thread> ts;
    std::vector<int> bad(4, 0);
    for (int t = 0; t < 4; ++t)
        ts.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i)
                if (c->decide(a, true).rule != want) ++bad[static_cast<std::size_t>(t)];
        });
    for (auto &th : ts) th.join();
    for (int b : bad) EXPECT_EQ(b, 0);
}

}  // namespace

namespace {

// The reporter (Reporting-MTA, searched) and category (the reporting MTA's own class, whole
// names) conditions; both rank ahead of text rules (tiers category and provider).
TEST(RulesMatcher, ReporterAndCategoryConditions) {
    const char *rules =
        "carom-rules 1\n"
        "rule t.unknown\n  says user unknown\n  text user unknown\n  reason userunknown\n"
        "rule t.unknown-none\n  says relayed user unknown\n  text user unknown\n  command NONE\n  reason filtered\n"
        "rule r.relay\n  says relay service\n  reporter (^|\\.)relay\\.example\\.net$\n  text user unknown\n"
        "  reason userunknown\n"
        "rule c.quota\n  says X-Vendor-Category: quota-issues\n  category quota-issues over-quota\n  reason mailboxfull\n";
    auto c = build({{"rc", rules}});
    ASSERT_TRUE(c);
    auto with = [](std::string_view reporter, std::string_view category) {
        return Input{"5.0.0", "550", "550 User unknown", "", "mx.example.org", "rfc3464", "failed", reporter, category};
    };
    EXPECT_EQ(c->decide(with("", ""), false).rule, "t.unknown-none");
    EXPECT_EQ(c->decide(with("SERVER-1.Relay.Example.NET", ""), false).rule, "r.relay");
    EXPECT_EQ(c->decide(with("relay.example.net.evil.org", ""), false).rule, "t.unknown-none");
    EXPECT_EQ(c->decide(with("", "quota-issues"), false).rule, "c.quota");
    EXPECT_EQ(c->decide(with("", "Over-Quota"), false).rule, "c.quota");
    // Whole names only: a longer or shorter category does not match.
    EXPECT_EQ(c->decide(with("", "quota-issues-x"), false).rule, "t.unknown-none");
    EXPECT_EQ(c->decide(with("", "quota"), false).rule, "t.unknown-none");
    // The remote host is not the reporter.
    Input remote{"5.0.0", "550", "550 User unknown", "", "relay.example.net", "rfc3464", "failed", "", ""};
    EXPECT_EQ(c->decide(remote, false).rule, "t.unknown-none");
}

TEST(RulesMatcher, CategoryNameIsChecked) {
    carom_status_t st;
    std::string err;
    auto c = compile({{"bad", "carom-rules 1\nrule c.x\n  says x\n  category bad/name\n  reason mailboxfull\n"}}, false,
                     64 << 20, st, err);
    EXPECT_FALSE(c);
    EXPECT_EQ(st, CAROM_E_RULES);
    EXPECT_NE(err.find("bad:4:"), std::string::npos) << err;
}

// Patterns that match almost any text are matched one by one, outside the field's RE2 set
// (matcher.hh, FieldSet::alone); the hits must be the same as if they were in the set, including
// two rules with the same pattern and a field whose every pattern is matched alone.
TEST(RulesMatcher, CatchAllPatternsMatchLikeTheSet) {
    const char *rules =
        "carom-rules 1\n"
        "rule a.any-blocked\n  says x\n  text .\n  status 5.7.1\n  reason blocked\n  priority 100\n"
        "rule a.quota\n  says x\n  text quota exceeded\n  reason mailboxfull\n  priority 300\n"
        "rule a.digit\n  says x\n  text [0-9]\n  reason systemerror\n  priority 500\n"
        "rule a.letter-end\n  says x\n  text [a-z]$\n  reason expired\n  priority 600\n"
        "rule a.any\n  says x\n  text .\n  reason onhold\n  priority 990\n";
    auto c = build({{"any", rules}});
    ASSERT_TRUE(c);
    auto hits = [&](std::string_view status, std::string_view diag) {
        Decision d = c->decide(in(status, "", diag), true);
        std::string all;
        for (const std::string &h : d.hits) all += h + " ";
        EXPECT_EQ(d.decided, !d.hits.empty());
        if (d.decided) {
            EXPECT_EQ(d.rule, d.hits.front());
        }
        return all;
    };
    EXPECT_EQ(hits("5.7.1", "Quota exceeded (42)"), "a.any-blocked a.quota a.digit a.any ");
    EXPECT_EQ(hits("", "quota EXCEEDED"), "a.quota a.letter-end a.any ");
    EXPECT_EQ(hits("5.7.1", "-"), "a.any-blocked a.any ");
    EXPECT_EQ(hits("5.7.1", ""), "");
    EXPECT_EQ(hits("5.7.1", " \t\r\n "), "");  // normalises to nothing
    EXPECT_EQ(hits("", "\xC3\x89"), "a.any ");  // É, through ICU

    // Every host pattern matched alone: the field has no set at all.
    auto h = build({{"host", "carom-rules 1\nrule h.any\n  says x\n  host .\n  status 4.4.1\n  reason networkerror\n"}});
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->decide(in("4.4.1", "", "", "", "mx.example.net"), false).decided);
    EXPECT_FALSE(h->decide(in("4.4.1", "", "", "", ""), false).decided);
    EXPECT_FALSE(h->decide(in("4.4.2", "", "", "", "mx.example.net"), false).decided);
}

// Format, action, category and command values are looked up among the names the rules write
// (matcher.hh, FieldSet::memo_complete): a name matches whole and in any case, anything else never.
TEST(RulesMatcher, NameFieldsMatchWholeNamesOnly) {
    const char *rules =
        "carom-rules 1\n"
        "rule f.two\n  says x\n  format Alpha-1 beta.2\n  reason blocked\n"
        "rule c.one\n  says x\n  category over_quota\n  reason mailboxfull\n"
        "rule m.none\n  says x\n  command none\n  reply 421\n  reason expired\n"
        "rule m.data\n  says x\n  command data bdat\n  reply 554\n  reason contenterror\n";
    auto c = build({{"names", rules}});
    ASSERT_TRUE(c);
    auto rule = [&](std::string_view format, std::string_view category, std::string_view command,
                    std::string_view reply) {
        Decision d = c->decide(Input{"", reply, "", command, "", format, "failed", "", category}, false);
        return d.decided ? d.rule : std::string("-");
    };
    EXPECT_EQ(rule("alpha-1", "", "", ""), "f.two");
    EXPECT_EQ(rule(" ALPHA-1\t", "", "", ""), "f.two");
    EXPECT_EQ(rule("beta.2", "", "", ""), "f.two");
    EXPECT_EQ(rule("beta-2", "", "", ""), "-");  // the dot is literal
    EXPECT_EQ(rule("alpha", "", "", ""), "-");
    EXPECT_EQ(rule("alpha-1 beta.2", "", "", ""), "-");
    EXPECT_EQ(rule("xalpha-1", "", "", ""), "-");
    EXPECT_EQ(rule("", "Over_Quota", "", ""), "c.one");
    EXPECT_EQ(rule("", "over_quota2", "", ""), "-");
    EXPECT_EQ(rule("", "", "", "421"), "m.none");
    EXPECT_EQ(rule("", "", "rcpt", "421"), "-");
    EXPECT_EQ(rule("", "", "bdat", "554"), "m.data");
    EXPECT_EQ(rule("", "", " Data ", "554"), "m.data");
    EXPECT_EQ(rule("", "", "DATAX", "554"), "-");
}

// A large user rule set (hundreds of rules of one group) decides as a small one.
TEST(RulesMatcher, LargeUserRuleSetDecidesLikeASmallOne) {
    std::string big = "carom-rules 1\n";
    for (int k = 0; k < 700; ++k)
        big += "rule r." + std::to_string(k) + "\n  says x\n  text \\bw" + std::to_string(k) +
               "\\b\n  reason " + (k % 2 ? "mailboxfull" : "userunknown") + "\n";
    auto c = build({{"big", big}}, true);
    ASSERT_TRUE(c);
    EXPECT_GT(c->size(), 700u);
    // The longest evidence first ("w650", "w699" before "w3"); of the two equally long, the
    // reasons' precedence (userunknown before mailboxfull).
    Decision d = c->decide(in("5.1.1", "550", "W650 then w3 and w699"), true);
    ASSERT_TRUE(d.decided);
    EXPECT_EQ(d.rule, "r.650");
    EXPECT_EQ(d.reason, CAROM_REASON_USERUNKNOWN);
    ASSERT_GE(d.hits.size(), 3u);
    EXPECT_EQ(d.hits[0], "r.650");
    EXPECT_EQ(d.hits[1], "r.699");
    EXPECT_EQ(d.hits[2], "r.3");
    EXPECT_EQ(c->decide(in("", "", "w698"), false).rule, "r.698");
    EXPECT_EQ(c->decide(in("5.1.1", "", "nothing here"), false).rule, "status.x.1.1");  // built-in
}

// Status and reply values are looked up in a table built with the engine (matcher.hh, FieldSet::memo)
// when they are frequent, and matched by the set otherwise: both must answer alike.
TEST(RulesMatcher, MemoisedAndMatchedValuesAgree) {
    auto c = build({{"m", "carom-rules 1\nrule m.s\n  says x\n  status 5.1.* 4.7.1\n  reason userunknown\n"
                          "rule m.r\n  says x\n  reply 45x\n  reason mailboxfull\n"}});
    ASSERT_TRUE(c);
    for (const char *cls : {"2", "4", "5"})
        for (int sub = 0; sub <= 12; ++sub)
            for (int det = 0; det <= 120; det += (det < 40 ? 1 : 37)) {
                std::string st = std::string(cls) + "." + std::to_string(sub) + "." + std::to_string(det);
                bool want = (cls[0] == '5' && sub == 1) || st == "4.7.1";
                EXPECT_EQ(c->decide(in(st, "", ""), false).decided, want) << st;
            }
    for (int code = 100; code <= 699; ++code) {
        std::string rc = std::to_string(code);
        EXPECT_EQ(c->decide(in("", rc, ""), false).decided, code >= 450 && code <= 459) << rc;
    }
    EXPECT_FALSE(c->decide(in("5.1.1x", "", ""), false).decided);
    EXPECT_FALSE(c->decide(in("", "4500", ""), false).decided);
}

// Host and reporter are matched last, and only while one of their rules can still be complete
// (matcher.cc, can_complete): rules on the host alone, on host and reporter, and on host and text.
TEST(RulesMatcher, HostAndReporterRulesInEveryCombination) {
    const char *rules =
        "carom-rules 1\n"
        "rule h.text\n  says x\n  host (^|\\.)example\\.net$\n  text refused\n  reason blocked\n  priority 10\n"
        "rule h.rep\n  says x\n  host (^|\\.)example\\.net$\n  reporter ^relay\\.\n  reason rejected\n  priority 20\n"
        "rule r.text\n  says x\n  reporter ^relay\\.\n  text later\n  reason expired\n  priority 30\n"
        "rule h.only\n  says x\n  host (^|\\.)example\\.org$\n  reason norelaying\n  priority 40\n";
    auto c = build({{"hr", rules}});
    ASSERT_TRUE(c);
    auto hits = [&](std::string_view host, std::string_view reporter, std::string_view text) {
        Decision d = c->decide(Input{"", "", text, "", host, "", "failed", reporter, ""}, true);
        std::string all;
        for (const std::string &h : d.hits) all += h + " ";
        return all;
    };
    EXPECT_EQ(hits("mx.example.net", "", "Refused"), "h.text ");
    EXPECT_EQ(hits("mx.example.net", "", "accepted"), "");
    EXPECT_EQ(hits("mx.example.net", "relay.example.com", ""), "h.rep ");
    EXPECT_EQ(hits("mx.example.net", "relay.example.com", "refused, try later"), "h.text h.rep r.text ");
    EXPECT_EQ(hits("", "relay.example.com", "later"), "r.text ");
    EXPECT_EQ(hits("mx.example.org", "relay.example.com", "later"), "r.text h.only ");
    EXPECT_EQ(hits("MX.Example.ORG", "", ""), "h.only ");
    EXPECT_EQ(hits("mx.example.org.evil.net", "", ""), "");
}

}  // namespace

namespace {

// docs/taxonomy.md, "How a reason is decided": each step of the procedure on rules made for it.
const char *kProcedure =
    "carom-rules 1\n"
    "precedence userunknown hostunknown mailboxfull networkerror filtered expired onhold\n"
    "outcome expired onhold\n"
    "transient expired networkerror\n"
    "rule code.mailbox\n  says x\n  status 5.1.1\n  reason userunknown\n  excludes filtered\n"
    "rule code.generic\n  says x\n  status 5.0.0 4.0.0\n  reason onhold\n"
    "rule words.host\n  says x\n  text host not found\n  reason hostunknown\n"
    "rule words.host-again\n  says x\n  text host not found, try again\n  reason networkerror\n"
    "rule words.full\n  says x\n  text mailbox full\n  reason mailboxfull\n"
    "rule words.gave-up\n  says x\n  text retry timeout exceeded\n  reason expired\n"
    "rule words.filter\n  says x\n  text refused by the recipient's filter\n  reason filtered\n"
    "rule words.unknown\n  says x\n  text unknown\n  reason userunknown\n"
    "rule words.unknown-data\n  says x\n  text unknown\n  command DATA\n  reason filtered\n"
    "rule vendor.code\n  says x\n  text \\bzz01\\b\n  tier provider\n  reason mailboxfull\n"
    "rule any\n  says x\n  text .\n  reason onhold\n";

TEST(RulesProcedure, WordsOutrankCodesAndTheLongestWordsWin) {
    auto c = build({{"p", kProcedure}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->decide(in("5.0.0", "", "nothing we know"), false).rule, "code.generic");
    EXPECT_EQ(c->decide(in("5.0.0", "", "mailbox full"), false).rule, "words.full");
    EXPECT_EQ(c->decide(in("5.0.0", "", "Host not found"), false).rule, "words.host");
    EXPECT_EQ(c->decide(in("4.0.0", "", "Host not found, try again"), false).rule, "words.host-again");
    EXPECT_EQ(c->decide(in("", "", "something"), false).rule, "any");
}

TEST(RulesProcedure, CausesOutrankOutcomes) {
    auto c = build({{"p", kProcedure}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->decide(in("4.0.0", "", "retry timeout exceeded"), false).rule, "words.gave-up");
    // "retry timeout exceeded" is longer, but it only says what became of the message.
    EXPECT_EQ(c->decide(in("4.0.0", "", "mailbox full: retry timeout exceeded"), false).rule, "words.full");
}

TEST(RulesProcedure, OnceTheMtaGaveUpATransientTroubleIsExpired) {
    auto c = build({{"p", kProcedure}});
    ASSERT_TRUE(c);
    const char *text = "host not found, try again: retry timeout exceeded";
    // Failed (or SendGrid's "expired"): the MTA says it gave up on a trouble that passes.
    Decision d = c->decide(in("4.0.0", "", text, "", "", "failed"), true);
    EXPECT_EQ(d.rule, "words.gave-up");
    ASSERT_GE(d.hits.size(), 2u);
    EXPECT_EQ(d.hits[0], "words.gave-up");  // explain lists the winner first
    EXPECT_EQ(c->decide(in("4.0.0", "", text, "", "", "expired"), false).rule, "words.gave-up");
    // In a delay the trouble is still the answer; without words of giving up, too.
    EXPECT_EQ(c->decide(in("4.0.0", "", text, "", "", "delayed"), false).rule, "words.host-again");
    EXPECT_EQ(c->decide(in("4.0.0", "", "host not found, try again", "", "", "failed"), false).rule, "words.host-again");
    // A cause that does not pass by itself is not transient: the full mailbox stays the answer.
    EXPECT_EQ(c->decide(in("4.0.0", "", "mailbox full: retry timeout exceeded", "", "", "failed"), false).rule, "words.full");
}

TEST(RulesProcedure, AStrongCodeBoundsTheWords) {
    auto c = build({{"p", kProcedure}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->decide(in("5.7.1", "", "refused by the recipient's filter"), false).rule, "words.filter");
    Decision d = c->decide(in("5.1.1", "", "refused by the recipient's filter"), true);
    EXPECT_EQ(d.rule, "code.mailbox");
    for (const auto &h : d.hits) EXPECT_NE(h, "words.filter");
}

TEST(RulesProcedure, MoreConditionsThenPrecedenceBreakTies) {
    auto c = build({{"p", kProcedure}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->decide(in("5.0.0", "", "user unknown", "DATA"), false).rule, "words.unknown-data");
    EXPECT_EQ(c->decide(in("5.0.0", "", "user unknown", "RCPT"), false).rule, "words.unknown");
    // Equal evidence ("unknown" is as long as "mailbox full"? no: "unknown" 7, "mailbox full" 12).
    EXPECT_EQ(c->decide(in("5.0.0", "", "unknown; mailbox full"), false).rule, "words.full");
    // The same length: the precedence line decides, and a user file's own line replaces it.
    auto tie = build({{"p", "carom-rules 1\nprecedence mailboxfull userunknown\n"
                            "rule a\n  says x\n  text aaaa\n  reason userunknown\n"
                            "rule b\n  says x\n  text bbbb\n  reason mailboxfull\n"}});
    ASSERT_TRUE(tie);
    EXPECT_EQ(tie->decide(in("", "", "aaaa bbbb"), false).rule, "b");
    auto other = build({{"p", "carom-rules 1\nprecedence userunknown mailboxfull\n"
                              "rule a\n  says x\n  text aaaa\n  reason userunknown\n"
                              "rule b\n  says x\n  text bbbb\n  reason mailboxfull\n"}});
    ASSERT_TRUE(other);
    EXPECT_EQ(other->decide(in("", "", "aaaa bbbb"), false).rule, "a");
}

TEST(RulesProcedure, AProviderCodeOutranksWords) {
    auto c = build({{"p", kProcedure}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->decide(in("5.0.0", "", "host not found, try again [ZZ01]"), false).rule, "vendor.code");
}

}  // namespace

namespace {

// The class table and the report verdicts are rule data: a user file replaces them.
TEST(RulesProcedure, UserFilesReplaceClassesAndReportVerdicts) {
    auto plain = build({}, true);
    ASSERT_TRUE(plain);
    // Every reason has a class line; the table the build tool generated from those lines (the
    // answer of carom_reason_default_class) is what the engine reads from the embedded files.
    for (int k = 0; k < 128; ++k) {
        const auto r = static_cast<carom_reason_t>(k);
        if (!carom::reason_name(r)) continue;
        EXPECT_NE(plain->class_of(r), CAROM_CLASS_NONE) << carom::reason_name(r);
        EXPECT_EQ(plain->class_of(r), carom::rules::builtin_class(r)) << carom::reason_name(r);
    }
    // Hard is Sisimai's four reasons (docs/taxonomy.md).
    for (carom_reason_t r : {CAROM_REASON_USERUNKNOWN, CAROM_REASON_HOSTUNKNOWN, CAROM_REASON_HASMOVED, CAROM_REASON_NOTACCEPT})
        EXPECT_EQ(plain->class_of(r), CAROM_CLASS_HARD) << carom::reason_name(r);
    EXPECT_EQ(plain->class_of(CAROM_REASON_MAILBOXFULL), CAROM_CLASS_SOFT);
    EXPECT_EQ(plain->class_of(CAROM_REASON_BLOCKED), CAROM_CLASS_BLOCK);
    EXPECT_EQ(plain->class_of(CAROM_REASON_VACATION), CAROM_CLASS_AUTO_REPLY);
    EXPECT_EQ(plain->class_of(CAROM_REASON_CHALLENGE), CAROM_CLASS_BACKSCATTER);
    EXPECT_EQ(carom::rules::builtin_class(static_cast<carom_reason_t>(127)), CAROM_CLASS_SOFT);  // no reason
    // Without the built-in rules a reason keeps its built-in class.
    auto none = build({}, false);
    ASSERT_TRUE(none);
    EXPECT_EQ(none->class_of(CAROM_REASON_USERUNKNOWN), CAROM_CLASS_HARD);
    EXPECT_EQ(none->class_of(CAROM_REASON_BLOCKED), CAROM_CLASS_BLOCK);
    Input fb = in("", "", "");
    fb.report = "feedback";
    EXPECT_EQ(plain->decide(fb, false).rule, "arf.feedback-report");
    EXPECT_EQ(plain->decide(fb, false).reason, CAROM_REASON_FEEDBACK);

    auto mine = build({{"mine", "carom-rules 1\nclass hard mailboxfull\nclass block suspend\n"
                                "rule arf.feedback-report\n  says x\n  report feedback\n  reason blocked\n"}},
                      true);
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine->class_of(CAROM_REASON_MAILBOXFULL), CAROM_CLASS_HARD);
    EXPECT_EQ(mine->class_of(CAROM_REASON_SUSPEND), CAROM_CLASS_BLOCK);
    EXPECT_EQ(mine->class_of(CAROM_REASON_USERUNKNOWN), CAROM_CLASS_HARD);  // untouched
    EXPECT_EQ(mine->decide(fb, false).reason, CAROM_REASON_BLOCKED);
    EXPECT_NE(mine->decision_json().find("\"mailboxfull\":\"hard\""), std::string::npos);
    // A later user file replaces an earlier one, reason by reason.
    auto later = build({{"a", "carom-rules 1\nclass hard mailboxfull\n"}, {"b", "carom-rules 1\nclass block mailboxfull\n"}}, true);
    ASSERT_TRUE(later);
    EXPECT_EQ(later->class_of(CAROM_REASON_MAILBOXFULL), CAROM_CLASS_BLOCK);
    // Class lines are checked.
    carom_status_t st;
    std::string err;
    EXPECT_FALSE(compile({{"bad", "carom-rules 1\nclass firm mailboxfull\n"}}, false, 64 << 20, st, err));
    EXPECT_EQ(st, CAROM_E_RULES);
    EXPECT_NE(err.find("bad:2:"), std::string::npos) << err;
}

}  // namespace
