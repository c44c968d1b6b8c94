// Project-written samples (samples/*.txt): each is decided with its expected reason, whichever
// rule decides it, and every built-in rule decides at least one of them.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "base/taxonomy.hh"
#include "rules/builtin.hh"
#include "rules/rules.hh"

namespace {

struct Case {
    std::string where;  // file:line
    std::string reason, status, reply, command, host, action, diagnostic, format, reporter, category, report;
};

std::string trim(const std::string &s) {
    std::size_t a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<std::string> sample_files() {
    std::vector<std::string> out;
    if (DIR *d = opendir(CAROM_RULES_SAMPLES)) {
        while (dirent *e = readdir(d)) {
            std::string n = e->d_name;
            if (n.size() > 4 && n.compare(n.size() - 4, 4, ".txt") == 0) out.push_back(std::string(CAROM_RULES_SAMPLES) + "/" + n);
        }
        closedir(d);
    }
    std::sort(out.begin(), out.end());
    EXPECT_FALSE(out.empty()) << CAROM_RULES_SAMPLES;
    return out;
}

void load_file(const std::string &path, std::vector<Case> &out) {
    std::ifstream f(path);
    EXPECT_TRUE(f.good()) << path;
    const std::string name = path.substr(path.rfind('/') + 1);
    std::string line;
    int n = 0;
    while (std::getline(f, line)) {
        ++n;
        const std::string where = name + ":" + std::to_string(n);
        if (trim(line).empty() || trim(line)[0] == '#') continue;
        std::vector<std::string> parts;
        std::size_t pos = 0;
        for (int k = 0; k < 6; ++k) {
            std::size_t bar = line.find('|', pos);
            if (bar == std::string::npos) break;
            parts.push_back(trim(line.substr(pos, bar - pos)));
            pos = bar + 1;
        }
        std::string rest = line.substr(pos), format, reporter, category, report;
        // An optional last column of "key=value" words: "| format=NAME" names the reader,
        // "reporter=HOST" the Reporting-MTA, "category=NAME" the reporting MTA's own category.
        std::size_t last = rest.rfind('|');
        std::string tail = last == std::string::npos ? "" : trim(rest.substr(last + 1));
        if (tail.rfind("format=", 0) == 0 || tail.rfind("reporter=", 0) == 0 || tail.rfind("category=", 0) == 0 ||
            tail.rfind("report=", 0) == 0) {
            std::istringstream words(tail);
            std::string w;
            while (words >> w) {
                std::size_t eq = w.find('=');
                std::string key = w.substr(0, eq), value = eq == std::string::npos ? "" : w.substr(eq + 1);
                if (key == "format") format = value;
                else if (key == "reporter") reporter = value;
                else if (key == "category") category = value;
                else if (key == "report") report = value;
                else ADD_FAILURE() << where << ": unknown key " << key;
            }
            rest = rest.substr(0, last);
        }
        parts.push_back(trim(rest));
        EXPECT_EQ(parts.size(), 7u) << where;
        if (parts.size() != 7) continue;
        out.push_back(Case{where, parts[0], parts[1], parts[2], parts[3], parts[4],
                           parts[5].empty() ? "failed" : parts[5], parts[6], format, reporter, category, report});
    }
}

std::vector<Case> load() {
    std::vector<Case> out;
    for (const std::string &f : sample_files()) load_file(f, out);
    return out;
}

std::unique_ptr<carom::rules::Compiled> builtin() {
    carom_status_t st;
    std::string err;
    auto c = carom::rules::compile({}, true, 64 << 20, st, err);
    EXPECT_TRUE(c) << err;
    return c;
}

TEST(RulesCases, EachSampleGetsItsReason) {
    auto c = builtin();
    ASSERT_TRUE(c);
    auto cases = load();
    ASSERT_GT(cases.size(), 300u);
    for (const Case &k : cases) {
        carom::rules::Input in{k.status, k.reply, k.diagnostic, k.command, k.host, k.format, k.action, k.reporter, k.category, k.report};
        carom::rules::Decision d = c->decide(in, true);
        std::string hits;
        for (const auto &h : d.hits) hits += h + " ";
        const char *name = d.decided ? carom::reason_name(d.reason) : "undefined";
        EXPECT_EQ(k.reason, name) << k.where << ": " << k.diagnostic << "\n  decided by " << d.rule << "; hits: " << hits;
    }
}

TEST(RulesCases, EveryBuiltinRuleDecidesACase) {
    auto c = builtin();
    ASSERT_TRUE(c);
    std::set<std::string> decided;
    for (const Case &k : load()) {
        carom::rules::Input in{k.status, k.reply, k.diagnostic, k.command, k.host, k.format, k.action, k.reporter, k.category, k.report};
        decided.insert(c->decide(in, false).rule);
    }
    std::istringstream list(c->list_jsonl());
    std::string line;
    std::size_t rules = 0;
    while (std::getline(list, line)) {
        auto j = nlohmann::json::parse(line);
        if (!j.contains("id")) continue;  // the precedence, outcome and class lines
        std::string id = j["id"];
        ++rules;
        EXPECT_TRUE(decided.count(id)) << "no project-written sample decides built-in rule " << id << " ("
                                       << j["file"].get<std::string>() << ":" << j["line"] << ")";
    }
    EXPECT_EQ(rules, c->size());
}

// No built-in rule is ranked by hand, and the order of the built-in files (or of the rules in
// them) decides nothing: all the files joined in reverse order, rules reversed, decide every
// sample alike.
TEST(RulesCases, NoHandSetPrioritiesAndFileOrderDecidesNothing) {
    auto c = builtin();
    ASSERT_TRUE(c);
    std::istringstream list(c->list_jsonl());
    std::string line;
    while (std::getline(list, line)) {
        auto j = nlohmann::json::parse(line);
        if (!j.contains("id")) continue;
        EXPECT_EQ(j["priority"].get<int>(), 500) << j["id"].get<std::string>() << " sets a priority";
    }
    // Reverse the rules: split each file into its header (directives) and its rule blocks.
    std::vector<std::string> headers, blocks;
    for (const carom::rules::Source &src : carom::rules::builtin_sources()) {
        std::istringstream in(src.text);
        std::string l, cur;
        bool in_rule = false;
        std::getline(in, l);  // "carom-rules 1"
        while (std::getline(in, l)) {
            if (l.rfind("rule ", 0) == 0) {
                if (in_rule) blocks.push_back(cur);
                cur.clear();
                in_rule = true;
            } else if (!in_rule || (!l.empty() && l[0] != ' ' && l[0] != '\t' && l[0] != '#')) {
                if (in_rule && !l.empty() && l[0] != ' ' && l[0] != '\t') {
                    blocks.push_back(cur);
                    cur.clear();
                    in_rule = false;
                }
                if (!in_rule) {
                    headers.push_back(l);
                    continue;
                }
            }
            cur += l + "\n";
        }
        if (in_rule) blocks.push_back(cur);
    }
    std::string joined = "carom-rules 1\n";
    for (const std::string &h : headers) joined += h + "\n";
    for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) joined += *it;
    carom_status_t st;
    std::string err;
    auto reversed = carom::rules::compile({{"reversed", joined}}, false, 64 << 20, st, err);
    ASSERT_TRUE(reversed) << err;
    EXPECT_EQ(reversed->size(), c->size());
    for (const Case &k : load()) {
        carom::rules::Input in{k.status, k.reply, k.diagnostic, k.command, k.host, k.format, k.action, k.reporter, k.category, k.report};
        EXPECT_EQ(reversed->decide(in, false).rule, c->decide(in, false).rule) << k.where;
    }
}

}  // namespace
