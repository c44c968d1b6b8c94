// The text patterns' filter (lib/rules/atoms.hh): the atom finder, the clauses of a pattern,
// and the filter's one promise over the whole built-in rule set: no text that a pattern matches
// is kept from that pattern.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "rules/atoms.hh"
#include "rules/matcher.hh"
#include "rules/ruleset.hh"

namespace {

using carom::rules::AtomFinder;
using carom::rules::PatternAtoms;

std::multiset<std::string> found(const AtomFinder &f, const std::vector<std::string> &atoms, const std::string &text) {
    std::vector<std::uint32_t> ids;
    f.find(text, ids);
    std::multiset<std::string> out;
    for (std::uint32_t id : ids) out.insert(atoms[id]);
    return out;
}

TEST(AtomFinder, FindsOverlappingAndNestedAtoms) {
    const std::vector<std::string> atoms{"he", "she", "his", "hers", "user unknown", "unknown", "ser"};
    AtomFinder f;
    f.build(atoms);
    EXPECT_EQ(found(f, atoms, "ushers"), (std::multiset<std::string>{"she", "he", "hers"}));
    EXPECT_EQ(found(f, atoms, "550 user unknown"), (std::multiset<std::string>{"ser", "user unknown", "unknown"}));
    EXPECT_EQ(found(f, atoms, "hehe"), (std::multiset<std::string>{"he", "he"}));
    EXPECT_TRUE(found(f, atoms, "").empty());
    EXPECT_TRUE(found(f, atoms, "nothing to see").empty());
    AtomFinder none;
    EXPECT_TRUE(found(none, {}, "he").empty());
}

// Against the plain search: every occurrence of every atom, over random atoms and texts of a
// small alphabet (so that atoms nest, overlap and share prefixes), a two-byte letter among them;
// an atom given twice is found under its first number, an empty one never.
TEST(AtomFinder, AgreesWithAPlainSearch) {
    std::mt19937 rng(7);
    const std::vector<std::string> letters{"a", "b", "c", " ", "\xC3\xA9"};
    auto random_text = [&](std::size_t max) {
        std::string t;
        for (std::size_t n = rng() % (max + 1); n > 0; --n) t += letters[rng() % letters.size()];
        return t;
    };
    for (int round = 0; round < 20; ++round) {
        std::vector<std::string> atoms{""};
        for (int i = 0; i < 60; ++i) atoms.push_back(random_text(5));
        atoms.push_back(atoms[7]);
        AtomFinder f;
        f.build(atoms);
        for (int k = 0; k < 50; ++k) {
            const std::string text = random_text(40);
            std::vector<std::uint32_t> ids;
            f.find(text, ids);
            std::multiset<std::uint32_t> want;
            for (std::uint32_t a = 0; a < atoms.size(); ++a) {
                if (atoms[a].empty() || std::find(atoms.begin(), atoms.begin() + a, atoms[a]) != atoms.begin() + a)
                    continue;
                for (std::size_t at = text.find(atoms[a]); at != std::string::npos; at = text.find(atoms[a], at + 1))
                    want.insert(a);
            }
            EXPECT_EQ(std::multiset<std::uint32_t>(ids.begin(), ids.end()), want) << text;
        }
    }
}

RE2::Options options() {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_encoding(RE2::Options::EncodingUTF8);
    o.set_longest_match(true);
    return o;
}

// The clauses as sets of atom strings.
std::set<std::set<std::string>> clauses(const PatternAtoms &p) {
    std::set<std::set<std::string>> out;
    for (const auto &imp : p.clauses) {
        std::set<std::string> s;
        for (auto k : imp) s.insert(p.atoms[k]);
        out.insert(s);
    }
    return out;
}

TEST(PatternAtoms, AlternativesAndSequences) {
    PatternAtoms p;
    RE2::ErrorCode code;
    ASSERT_TRUE(carom::rules::pattern_atoms("(?:user unknown|no such user)", options(), p, code));
    EXPECT_FALSE(p.unfiltered);
    // Either will do: one clause of two atoms.
    EXPECT_EQ(clauses(p), (std::set<std::set<std::string>>{{"user unknown", "no such user"}}));
    // Two literals both needed: two clauses of one atom.
    ASSERT_TRUE(carom::rules::pattern_atoms("(?:mailbox [a-z]+ full)", options(), p, code));
    EXPECT_EQ(clauses(p), (std::set<std::set<std::string>>{{"mailbox "}, {" full"}}));
    // (a or b) and c.
    ASSERT_TRUE(carom::rules::pattern_atoms("(?:(account|mailbox) is disabled)", options(), p, code));
    EXPECT_EQ(clauses(p), (std::set<std::set<std::string>>{{"account is disabled", "mailbox is disabled"}}));
    // No literal of three bytes: every text is a candidate.
    ASSERT_TRUE(carom::rules::pattern_atoms("(?:[0-9]+ ok)", options(), p, code));
    EXPECT_TRUE(p.unfiltered || clauses(p) == (std::set<std::set<std::string>>{{" ok"}}));
    ASSERT_TRUE(carom::rules::pattern_atoms("(?:\\d+)", options(), p, code));
    EXPECT_TRUE(p.unfiltered);
    EXPECT_FALSE(carom::rules::pattern_atoms("(?:(unclosed)", options(), p, code));
    EXPECT_NE(code, RE2::NoError);
}

std::vector<std::string> sample_diagnostics() {
    std::vector<std::string> out;
    DIR *d = opendir(CAROM_RULES_SAMPLES);
    if (!d) return out;
    while (dirent *e = readdir(d)) {
        const std::string n = e->d_name;
        if (n.size() < 5 || n.compare(n.size() - 4, 4, ".txt") != 0) continue;
        std::ifstream f(std::string(CAROM_RULES_SAMPLES) + "/" + n);
        std::string line;
        while (std::getline(f, line)) {
            if (line.empty() || line[0] == '#') continue;
            std::size_t pos = 0;
            for (int k = 0; k < 6 && pos != std::string::npos; ++k) pos = line.find('|', pos) + 1;
            if (pos == 0 || pos == std::string::npos) continue;
            std::string rest = line.substr(pos);
            const std::size_t last = rest.rfind(" | ");
            if (last != std::string::npos && rest.find('=', last) != std::string::npos) rest = rest.substr(0, last);
            out.push_back(carom::rules::normalise(rest));
        }
    }
    closedir(d);
    return out;
}

TEST(TextFilter, KeepsNoMatchFromItsPattern) {
    carom_status_t st;
    std::string err;
    const auto compiled = carom::rules::compile({}, true, 64 << 20, st, err);
    ASSERT_TRUE(compiled) << err;
    const auto &tf = static_cast<const carom::rules::Matcher &>(*compiled).fields[carom::rules::kText].text;
    ASSERT_GT(tf.patterns.size(), 100u);
    const std::vector<std::string> texts = sample_diagnostics();
    ASSERT_GT(texts.size(), 1000u);
    std::vector<std::unique_ptr<RE2>> eager;
    for (const auto &p : tf.patterns) eager.push_back(std::make_unique<RE2>(p->pattern(), options()));
    std::size_t matches = 0, candidates = 0;
    for (const std::string &text : texts) {
        const std::vector<std::uint32_t> c = tf.candidates(text);
        candidates += c.size();
        for (std::size_t id = 0; id < eager.size(); ++id) {
            if (!RE2::PartialMatch(text, *eager[id])) continue;
            ++matches;
            EXPECT_TRUE(std::binary_search(c.begin(), c.end(), id))
                << "pattern " << tf.patterns[id]->pattern() << " matches but was filtered out: " << text;
        }
    }
    std::printf("%zu texts: %.1f candidate patterns of %zu each on average, %.1f matching\n", texts.size(),
                static_cast<double>(candidates) / static_cast<double>(texts.size()), tf.patterns.size(),
                static_cast<double>(matches) / static_cast<double>(texts.size()));
    // The filter is worth having: far fewer patterns run than exist.
    EXPECT_LT(candidates, texts.size() * tf.patterns.size() / 10) << matches << " matches";
}

}  // namespace
