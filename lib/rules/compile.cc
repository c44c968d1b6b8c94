// Compiling rule sources into a Matcher: parse every source, order the rules (docs/taxonomy.md,
// "How a reason is decided": origin, priority, evidence tier, number of conditions, the reasons'
// precedence), compile each field's patterns, and remember the answers for frequent values.
#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "base/strings.hh"
#include "rules/matcher.hh"

namespace carom::rules {

namespace {

using ClassLines = std::vector<std::pair<carom_class_t, std::vector<carom_reason_t>>>;

// The rules and directives of all sources, before ordering.
struct Gathered {
    std::vector<Rule> rules;
    std::size_t user_count = 0;  // sources [0, user_count) are user files
    // Each directive from the first source (in precedence order) that has it.
    Directives directives;
    std::vector<ClassLines> class_lines;  // per source, in precedence order
};

std::string where(const std::string &file, unsigned line, unsigned column) {
    return (file.empty() ? std::string("<rules>") : file) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

// Parses the sources in precedence order (the last user source first, ..., the built-in files
// last). A user rule replaces the built-in rule of the same id; any other duplicate id is an error.
carom_status_t gather(const std::vector<const Source *> &order, std::size_t user_count, Gathered &g,
                      std::string &error) {
    g.user_count = user_count;
    std::unordered_map<std::string, std::size_t> seen;  // id → index in g.rules
    for (std::size_t si = 0; si < order.size(); ++si) {
        std::vector<Rule> got;
        Directives here;
        const carom_status_t st = parse(*order[si], got, error, &here);
        if (st != CAROM_OK) return st;
        if (g.directives.precedence.empty()) g.directives.precedence = std::move(here.precedence);
        if (g.directives.outcome.empty()) g.directives.outcome = std::move(here.outcome);
        if (g.directives.transient.empty()) g.directives.transient = std::move(here.transient);
        g.class_lines.push_back(std::move(here.classes));
        const bool is_builtin = si >= user_count;
        for (Rule &r : got) {
            const auto it = seen.find(r.id);
            if (it != seen.end()) {
                const Rule &first = g.rules[it->second];
                if (is_builtin && first.source < user_count) continue;  // a user rule replaces the built-in one
                error = where(r.file, r.line, 1) + ": duplicate rule id " + r.id + " (also at " + first.file + ":" +
                        std::to_string(first.line) + ")";
                return CAROM_E_RULES;
            }
            r.source = si;
            seen.emplace(r.id, g.rules.size());
            g.rules.push_back(std::move(r));
        }
    }
    return CAROM_OK;
}

// The group of a rule: user rules before built-in ones (later user files first), then the
// priority, then the evidence tier. Built-in files are one origin: their order never matters.
std::tuple<std::size_t, int, int> group_key(const Rule &r, std::size_t user_count) {
    const std::size_t origin = r.source < user_count ? r.source : user_count;
    return std::make_tuple(origin, r.effective_priority(), static_cast<int>(r.tier()));
}

// Static order: the group; more conditions first; the reasons' precedence (listed ones in their
// order, then the others by value); the id (a tie of two built-in rules with different reasons is
// a test failure, not a matter of order).
void order_rules(Gathered &g) {
    std::vector<int> reason_rank(128);
    for (std::size_t k = 0; k < reason_rank.size(); ++k) reason_rank[k] = 1000 + static_cast<int>(k);
    for (std::size_t k = 0; k < g.directives.precedence.size(); ++k)
        reason_rank[reason_bit(g.directives.precedence[k])] = static_cast<int>(k);
    const std::size_t users = g.user_count;
    std::sort(g.rules.begin(), g.rules.end(), [&](const Rule &a, const Rule &b) {
        const auto ga = group_key(a, users), gb = group_key(b, users);
        if (ga != gb) return ga < gb;
        if (a.condition_count() != b.condition_count()) return a.condition_count() > b.condition_count();
        const int ra = reason_rank[reason_bit(a.reason)], rb = reason_rank[reason_bit(b.reason)];
        if (ra != rb) return ra < rb;
        return a.id < b.id;
    });
}

// Compiles the patterns of one field into `fs`: alone, into the text filter, or into the set.
class FieldCompiler {
public:
    FieldCompiler(const std::vector<Rule> &rules, Field f, const RE2::Options &opt, FieldSet &fs, const KnownAtoms *known)
        : rules_(rules), f_(f), opt_(opt), fs_(fs), known_(known) {}

    carom_status_t run(std::string &error) {
        std::size_t present = 0;
        for (const Rule &r : rules_) present += r.cond[f_].present ? 1 : 0;
        if (present == 0) return CAROM_OK;
        for (std::size_t i = 0; i < rules_.size(); ++i) {
            const Condition &c = rules_[i].cond[f_];
            if (!c.present) continue;
            std::string pattern = c.pattern.empty() ? std::string("(?:)") : "(?:" + c.pattern + ")";
            const bool only = present == 1;
            if (!anchored(f_) && (only || c.pattern.size() <= kShortPattern) &&
                add_alone(pattern, only, static_cast<std::uint32_t>(i)))
                continue;
            const carom_status_t st = f_ == kText ? add_text(pattern, i, error) : add_to_set(std::move(pattern), i, error);
            if (st != CAROM_OK) return st;
        }
        if (!atom_list_.empty()) fs_.text.atoms.build(atom_list_);
        return fs_.set ? compile_set(error) : CAROM_OK;
    }

private:
    // A pattern that matches a lone letter, digit or space matches nearly any text: it is matched
    // alone (AlonePattern); such patterns are short (run() tries those of kShortPattern bytes at
    // most). So is the only pattern of a field: one RE2 costs less per record than a set of one.
    // Set membership of an unanchored pattern is exactly a partial match with the same options:
    // the answers are the same.
    static constexpr std::size_t kShortPattern = 16;
    bool add_alone(const std::string &pattern, bool only, std::uint32_t rule) {
        auto same = std::find_if(fs_.alone.begin(), fs_.alone.end(),
                                 [&](const AlonePattern &a) { return a.re->pattern() == pattern; });
        if (same != fs_.alone.end()) {
            same->rules.push_back(rule);
            return true;
        }
        auto re = std::make_unique<RE2>(pattern, opt_);
        if (!re->ok()) return false;
        if (!only && !RE2::PartialMatch("a", *re) && !RE2::PartialMatch("0", *re) && !RE2::PartialMatch(" ", *re))
            return false;
        const bool any_text = f_ == kText && pattern == "(?:.)";
        fs_.alone.push_back({std::move(re), {rule}, any_text});
        return true;
    }

    // A text pattern: its atoms from the known ones, else from RE2 now (which also checks that it
    // compiles); the pattern itself is compiled the first time a text has one of its atoms.
    carom_status_t add_text(const std::string &pattern, std::size_t i, std::string &error) {
        RE2::Options longest = opt_;
        longest.set_longest_match(true);  // the same matches; the spans measure the evidence
        PatternAtoms found;
        const PatternAtoms *atoms = nullptr;
        if (known_) {
            const auto it = known_->find(pattern);
            if (it != known_->end()) atoms = &it->second;
        }
        RE2::ErrorCode code = RE2::NoError;
        if (!atoms && !pattern_atoms(pattern, longest, found, code)) {
            const RE2 re(pattern, opt_);
            const Condition &c = rules_[i].cond[f_];
            error = where(rules_[i].file, c.line, c.column) + ": bad text pattern in rule " + rules_[i].id + ": " +
                    re.error();
            return code == RE2::ErrorPatternTooLarge ? CAROM_E_REGEX_MEMORY : CAROM_E_RULES;
        }
        if (!atoms) atoms = &found;
        TextFilter &tf = fs_.text;
        const auto id = static_cast<std::uint32_t>(tf.patterns.size());
        tf.patterns.push_back(std::make_unique<LazyPattern>(pattern, longest));
        tf.atoms_of.push_back(*atoms);
        tf.rule_of.push_back(static_cast<std::uint32_t>(i));
        tf.clause_count.push_back(0);
        if (atoms->unfiltered || atoms->clauses.empty()) {
            tf.unfiltered.push_back(id);
            return CAROM_OK;
        }
        tf.clause_count.back() = static_cast<std::uint32_t>(atoms->clauses.size());
        for (const auto &clause : atoms->clauses) {
            const auto number = static_cast<std::uint32_t>(tf.clause_owner.size());
            tf.clause_owner.push_back(id);
            for (std::uint16_t k : clause) {
                auto &of = tf.clauses_of[atom_number(atoms->atoms[k])];
                if (of.empty() || of.back() != number) of.push_back(number);
            }
        }
        return CAROM_OK;
    }

    // The number of an atom (numbered in the order first met).
    std::uint32_t atom_number(const std::string &atom) {
        const auto added = atom_ids_.emplace(atom, static_cast<std::uint32_t>(atom_list_.size()));
        if (added.second) {
            atom_list_.push_back(atom);
            fs_.text.clauses_of.emplace_back();
        }
        return added.first->second;
    }

    carom_status_t add_to_set(std::string pattern, std::size_t i, std::string &error) {
        if (!fs_.set) fs_.set = std::make_unique<RE2::Set>(opt_, anchored(f_) ? RE2::ANCHOR_BOTH : RE2::UNANCHORED);
        std::string perr;
        if (fs_.set->Add(pattern, &perr) < 0) {
            const Condition &c = rules_[i].cond[f_];
            error = where(rules_[i].file, c.line, c.column) + ": bad " + field_name(f_) + " pattern in rule " +
                    rules_[i].id + ": " + perr;
            return CAROM_E_RULES;
        }
        fs_.rule_of.push_back(static_cast<std::uint32_t>(i));
        fs_.patterns.push_back(std::move(pattern));
        return CAROM_OK;
    }

    carom_status_t compile_set(std::string &error) {
        if (fs_.set->Compile()) return CAROM_OK;
        // Name the pattern that does not compile on its own, when one does not.
        for (std::size_t k = 0; k < fs_.patterns.size(); ++k) {
            const RE2 re(fs_.patterns[k], opt_);
            if (re.ok()) continue;
            const Rule &r = rules_[fs_.rule_of[k]];
            const Condition &c = r.cond[f_];
            error = where(r.file, c.line, c.column) + ": " + re.error();
            return re.error_code() == RE2::ErrorPatternTooLarge ? CAROM_E_REGEX_MEMORY : CAROM_E_RULES;
        }
        error = std::string("the ") + field_name(f_) + " patterns need more memory than rule_memory (" +
                std::to_string(opt_.max_mem()) + " bytes)";
        return CAROM_E_REGEX_MEMORY;
    }

    const std::vector<Rule> &rules_;
    const Field f_;
    const RE2::Options &opt_;
    FieldSet &fs_;
    const KnownAtoms *known_;
    std::unordered_map<std::string, std::uint32_t> atom_ids_;  // the text patterns' atoms, numbered
    std::vector<std::string> atom_list_;                       // by number
};

// Remembers the rules that match one value of a one-set field (FieldSet::memo): the same
// Set::Match the per-record path runs, so the answers are identical. A value whose match fails
// (the DFA out of memory) is left out and takes the per-record path with its fallback.
void remember(FieldSet &fs, const std::string &value) {
    if (!fs.set || fs.memo.count(value)) return;
    std::vector<int> hits;
    RE2::Set::ErrorInfo info{RE2::Set::kNoError};
    if (!fs.set->Match(value, &hits, &info) && info.kind != RE2::Set::kNoError) return;
    std::vector<std::uint32_t> rules;
    for (int h : hits) {
        if (h < 0 || static_cast<std::size_t>(h) >= fs.rule_of.size()) return;
        rules.push_back(fs.rule_of[static_cast<std::size_t>(h)]);
    }
    fs.memo.emplace(value, std::move(rules));
}

void build_memo(Matcher &m) {
    for (char c : {'2', '4', '5'})
        for (int sub = 0; sub <= 7; ++sub)
            for (int det = 0; det <= 29; ++det)
                remember(m.fields[kStatus], std::string(1, c) + "." + std::to_string(sub) + "." + std::to_string(det));
    for (int code = 200; code <= 599; ++code) remember(m.fields[kReply], std::to_string(code));
    for (const char *cmd : {"", "RCPT", "MAIL", "DATA", "EHLO", "HELO", "STARTTLS", "AUTH", "CONN", "QUIT", "RSET", "BDAT"})
        remember(m.fields[kCommand], cmd);
    // Format, action, category, command and report patterns are alternations of the literal
    // names written in the rules (conditions.cc; NONE is the empty command), matched whole: a
    // value matches only if it is one of those names. With every name remembered, the memo is
    // complete.
    for (Field f : {kFormat, kAction, kCategory, kCommand, kReport}) {
        FieldSet &fs = m.fields[f];
        if (!fs.set) continue;
        bool complete = true;
        for (const Rule &r : m.rules) {
            if (!r.cond[f].present) continue;
            for (std::string_view w : split_words(r.cond[f].value)) {
                std::string name = f == kCommand ? upper(w) : lower(w);
                if (f == kCommand && name == "NONE") name.clear();
                remember(fs, name);
                complete = complete && fs.memo.count(name);  // else the set's DFA ran out of memory
            }
        }
        fs.memo_complete = complete;
    }
}

// The class of every reason: `unnamed_class`, then the class lines of the sources from the
// lowest precedence (the built-in files) to the highest (the user file added last).
void set_classes(Matcher &m, const std::vector<ClassLines> &class_lines, carom_class_t (*unnamed_class)(carom_reason_t)) {
    m.classes.resize(128);
    for (std::size_t k = 0; k < m.classes.size(); ++k) m.classes[k] = unnamed_class(static_cast<carom_reason_t>(k));
    for (auto it = class_lines.rbegin(); it != class_lines.rend(); ++it)
        for (const auto &line : *it)
            for (carom_reason_t x : line.second) m.classes[reason_bit(x)] = line.first;
}

// What the decision needs per rule: its conditions, group, evidence pattern and excluded reasons,
// and the rules of the fields matched last.
void index_rules(Matcher &m, std::size_t user_count) {
    const std::vector<Rule> &all = m.rules;
    RE2::Options longest = m.options;
    longest.set_longest_match(true);
    m.evidence.assign(all.size(), nullptr);
    const TextFilter &tf = m.fields[kText].text;
    for (std::size_t id = 0; id < tf.rule_of.size(); ++id) m.evidence[tf.rule_of[id]] = tf.patterns[id].get();
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Rule &r = all[i];
        m.need.push_back(static_cast<std::uint8_t>(r.condition_count()));
        const bool new_group = i > 0 && group_key(all[i - 1], user_count) != group_key(r, user_count);
        m.group.push_back(i == 0 ? 0 : m.group.back() + (new_group ? 1 : 0));
        if (r.cond[kText].present && !m.evidence[i]) {
            m.own_evidence.push_back(std::make_unique<LazyPattern>("(?:" + r.cond[kText].pattern + ")", longest));
            m.evidence[i] = m.own_evidence.back().get();
        }
        ReasonSet ex;
        for (carom_reason_t x : r.excludes) ex.set(reason_bit(x));
        m.excludes.push_back(ex);
        const bool host = r.cond[kHost].present, reporter = r.cond[kReporter].present;
        if (host) m.last[0].push_back({static_cast<std::uint32_t>(i), static_cast<std::uint8_t>(reporter ? 2 : 1)});
        if (reporter) m.last[1].push_back({static_cast<std::uint32_t>(i), 1});
    }
}

}  // namespace

std::unique_ptr<Compiled> compile_sources(const std::vector<Source> &user, const std::vector<Source> &builtin,
                                          carom_class_t (*unnamed_class)(carom_reason_t), std::uint64_t max_mem,
                                          carom_status_t &status, std::string &error, const KnownAtoms *known) {
    error.clear();
    std::vector<const Source *> order;  // precedence order: the last user source first
    for (auto it = user.rbegin(); it != user.rend(); ++it) order.push_back(&*it);
    for (const Source &s : builtin) order.push_back(&s);
    Gathered g;
    status = gather(order, user.size(), g, error);
    if (status != CAROM_OK) return nullptr;
    order_rules(g);

    auto m = std::make_unique<Matcher>();
    m->options.set_log_errors(false);
    m->options.set_encoding(RE2::Options::EncodingUTF8);
    m->options.set_max_mem(static_cast<int64_t>(max_mem));
    m->options.set_case_sensitive(true);  // case is handled by normalisation (folding) of the text
    for (std::size_t f = 0; f < kFieldCount; ++f) {
        status = FieldCompiler(g.rules, static_cast<Field>(f), m->options, m->fields[f], known).run(error);
        if (status != CAROM_OK) return nullptr;
    }
    m->rules = std::move(g.rules);
    build_memo(*m);
    for (carom_reason_t x : g.directives.outcome) m->outcome.set(reason_bit(x));
    if (!g.directives.transient.empty()) {
        m->gave_up = g.directives.transient.front();
        for (std::size_t k = 1; k < g.directives.transient.size(); ++k) m->transient.set(reason_bit(g.directives.transient[k]));
    }
    set_classes(*m, g.class_lines, unnamed_class);
    m->directives = std::move(g.directives);
    index_rules(*m, g.user_count);
    return m;
}

}  // namespace carom::rules
