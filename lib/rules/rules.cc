// The compiled rule set: one RE2::Set per field, an index → rule vector, and the order of
// docs/taxonomy.md ("How a reason is decided"): origin, priority, evidence tier, the length of the
// words that are the evidence, the number of conditions, the reasons' precedence.
#include "rules/rules.hh"

#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <bitset>
#include <cstring>
#include <memory>
#include <tuple>
#include <nlohmann/json.hpp>

#include "base/json_release.hh"
#include <unordered_map>

#include "base/strings.hh"
#include "base/taxonomy.hh"
#include "rules/builtin.hh"
#include "rules/ruleset.hh"

namespace carom::rules {

namespace {

bool anchored(Field f) { return !(f == kText || f == kHost || f == kReporter); }

// A field value trimmed and folded to one ASCII case (lower, or upper for the SMTP command).
// Values usually come folded already: then it is a view of the input and nothing is copied;
// otherwise the folded copy lives in `store`.
std::string_view folded(std::string_view raw, bool upper, std::string &store) {
    std::string_view v = trim(raw);
    for (char c : v) {
        if (upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) {
            store = upper ? carom::upper(v) : lower(v);
            return store;
        }
    }
    return v;
}

// The memo's lookup table: open addressing over the values (FNV-1a), found by string_view
// without building a std::string. Filled once when the engine is built, read-only after.
class FlatMemo {
public:
    void build(const std::unordered_map<std::string, std::vector<int>> &memo,
               const std::vector<std::uint32_t> &rule_of) {
        std::size_t cap = 8;
        while (cap < memo.size() * 2) cap *= 2;
        slots_.assign(cap, Slot());
        for (const auto &kv : memo) {
            std::size_t i = hash(kv.first) & (cap - 1);
            while (slots_[i].used) i = (i + 1) & (cap - 1);
            Slot &sl = slots_[i];
            sl.used = true;
            sl.key = kv.first;
            for (int h : kv.second) sl.rules.push_back(rule_of[static_cast<std::size_t>(h)]);
        }
    }
    bool empty() const { return slots_.empty(); }
    // The rules whose pattern matches the value, or nullptr when the value is not in the memo.
    const std::vector<std::uint32_t> *find(std::string_view key) const {
        if (slots_.empty()) return nullptr;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash(key) & mask; slots_[i].used; i = (i + 1) & mask)
            if (slots_[i].key == key) return &slots_[i].rules;
        return nullptr;
    }

private:
    struct Slot {
        bool used = false;
        std::string key;
        std::vector<std::uint32_t> rules;
    };
    static std::size_t hash(std::string_view s) {
        std::uint64_t h = 14695981039346656037ull;
        for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }
    std::vector<Slot> slots_;
};

// The text patterns are not one RE2::Set: with ~1,200 of them, every new DFA state held
// thousands of NFA threads and a diverse archive built new states for most messages (4 M
// instructions a message until warm, docs/performance.md round 5). Instead RE2's FilteredRE2
// gives each pattern's required literals ("atoms"); one set of those literals finds the atoms in
// the text, and only the patterns whose atoms are there run, each on its own.
// Atoms shorter than this are not worth finding: a pattern whose literals are all shorter runs
// on every text (FilteredRE2's "unfiltered" patterns).
constexpr int kMinAtomLength = 3;

struct TextFilter {
    std::unique_ptr<re2::FilteredRE2> filter;  // patterns compiled for the leftmost-longest match
    std::unique_ptr<RE2::Set> atoms;           // the atoms, as literals
    std::size_t atom_count = 0;
    std::vector<std::uint32_t> rule_of;        // filter id → rule index
};

struct FieldSet {
    // The field's sets: set k holds patterns[offset[k]] .. patterns[offset[k+1]-1] (one set but
    // for the text field, which uses `text` instead).
    std::vector<std::unique_ptr<RE2::Set>> sets;
    std::vector<std::size_t> offset;
    TextFilter text;
    std::vector<std::uint32_t> rule_of;            // pattern index → rule index
    std::vector<std::string> patterns;             // same patterns, for the one-by-one fallback
    // Set indexes that match, for the values a field takes most often (status codes x.y.z with
    // small y and z, reply codes 200-599, SMTP command names, DSN actions): matched once when the
    // engine is built, then looked up (in `table`) instead of running the set per record.
    std::unordered_map<std::string, std::vector<int>> memo;  // while building only
    // The memo holds every value that can match (fields whose patterns are alternations of
    // literal names: format, action, category, command): a value not in it matches nothing.
    bool memo_complete = false;
    FlatMemo table;  // the memo, as it is looked up per record
    // Patterns of an unanchored field that match almost any text (`text .`: "there is a
    // diagnostic"), each matched on its own instead of in the set. In the set such a pattern
    // makes nearly every DFA state a match state, and RE2 then re-inserts every match id of the
    // state at every byte: the text set cost three times as much with the two `.` rules in it.
    // Alone, RE2 stops at the first character. Immutable after build.
    struct Alone {
        std::unique_ptr<RE2> re;
        std::vector<std::uint32_t> rules;  // the rules with this very pattern (matched once)
        // `text .` ("there is a diagnostic"): RE2's dot matches any UTF-8 character but a line
        // feed, and a normalised text is valid UTF-8 without one (white space is collapsed to
        // spaces): it matches every text that is not empty, without running RE2.
        bool any_text = false;
    };
    std::vector<Alone> alone;
};

class Matcher final : public Compiled {
public:
    std::vector<Rule> rules;        // in static order (index = rank); see group
    std::vector<std::uint8_t> need; // conditions per rule
    // Rules of one group (same origin, priority and tier) are ranked by their evidence first:
    // group[i] numbers the group of rule i; evidence[i] is rule i's text pattern compiled for the
    // leftmost-longest match (null without a text condition).
    std::vector<std::uint32_t> group;
    std::vector<const RE2 *> evidence;                 // the filter's RE2, or one in own_evidence
    std::vector<std::unique_ptr<RE2>> own_evidence;    // for the text patterns matched alone
    std::vector<std::bitset<128>> excludes;  // per rule: the reasons it rules out
    std::bitset<128> outcome_;               // the reasons that tell an outcome, not a cause
    std::vector<carom_class_t> classes;      // per reason value: its class ("class" lines)
    Directives directives;                   // as read, for list_jsonl
    FieldSet fields[kFieldCount];
    // Per field matched last (host, then reporter): its rules and how many of their conditions
    // are on that field or on a field matched after it.
    struct Pending {
        std::uint32_t rule;
        std::uint8_t left;
    };
    std::vector<Pending> last[2];
    RE2::Options options;           // the options every pattern was compiled with

    Decision decide(const Input &input, bool explain) const override;
    std::size_t size() const override { return rules.size(); }
    carom_class_t class_of(carom_reason_t reason) const override {
        const auto i = static_cast<std::size_t>(reason);
        return i < classes.size() ? classes[i] : reason_default_class(reason);
    }
    std::string list_jsonl() const override;
    std::string decision_json() const override;

private:
    // Per-decision scratch, on the caller's stack (the matcher itself stays immutable).
    // Up to kStack rules the arrays live on the stack (no allocation per record); a larger rule
    // set (many user rules) takes them from the heap.
    static constexpr std::size_t kStack = 512;
    struct Scratch {
        std::uint8_t *count;       // matched conditions per rule, all 0 at first
        std::uint32_t *touched;    // rules whose count went above 0, each once
        std::size_t ntouched = 0;
        std::vector<int> hits;     // the set's answer, reused across fields
    };
    void match_field(Field f, std::string_view text, Scratch &s) const;
    void match_part(Field f, const FieldSet &fs, std::size_t k, std::string_view text, Scratch &s) const;
    void match_text(const TextFilter &tf, std::string_view text, Scratch &s) const;
    // The length of the longest stretch of the text that rule i's text pattern matches.
    std::size_t evidence_length(std::size_t i, std::string_view text) const;
    // Whether a rule with a condition on f (host or reporter, matched last in that order) still
    // can be complete: its matched conditions plus those left to match (f and after) reach need.
    bool can_complete(Field f, const Scratch &s) const {
        for (const Pending &p : last[f == kHost ? 0 : 1])
            if (s.count[p.rule] + p.left >= need[p.rule]) return true;
        return false;
    }
    static void credit(Scratch &s, std::uint32_t rule) {
        std::uint8_t &c = s.count[rule];
        if (c == 0) s.touched[s.ntouched++] = rule;
        if (c < 255) ++c;
    }
};

void Matcher::match_field(Field f, std::string_view text, Scratch &s) const {
    const FieldSet &fs = fields[f];
    for (const FieldSet::Alone &a : fs.alone) {
        if (a.any_text ? text.empty()
                       : !a.re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED,
                                      nullptr, 0))
            continue;
        for (std::uint32_t r : a.rules) credit(s, r);
    }
    if (fs.text.filter) {
        match_text(fs.text, text, s);
        return;
    }
    if (fs.sets.empty()) return;
    if (!fs.table.empty()) {
        if (const std::vector<std::uint32_t> *rules_hit = fs.table.find(text)) {
            for (std::uint32_t r : *rules_hit) credit(s, r);
            return;
        }
        if (fs.memo_complete) return;
    }
    for (std::size_t k = 0; k < fs.sets.size(); ++k) match_part(f, fs, k, text, s);
}

void Matcher::match_text(const TextFilter &tf, std::string_view text, Scratch &s) const {
    std::vector<int> &atoms = s.hits;
    atoms.clear();
    RE2::Set::ErrorInfo info{RE2::Set::kNoError};
    bool ok = tf.atoms ? tf.atoms->Match(re2::StringPiece(text.data(), text.size()), &atoms, &info) : false;
    if (!ok && info.kind != RE2::Set::kNoError) {
        // The atoms' DFA ran out of memory: take every atom as present (every pattern runs;
        // slow, correct).
        atoms.clear();
        for (std::size_t a = 0; a < tf.atom_count; ++a) atoms.push_back(static_cast<int>(a));
    }
    std::vector<int> matched;
    tf.filter->AllMatches(re2::StringPiece(text.data(), text.size()), atoms, &matched);
    for (int id : matched)
        if (id >= 0 && static_cast<std::size_t>(id) < tf.rule_of.size()) credit(s, tf.rule_of[static_cast<std::size_t>(id)]);
}

void Matcher::match_part(Field f, const FieldSet &fs, std::size_t k, std::string_view text, Scratch &s) const {
    std::vector<int> &hits = s.hits;
    hits.clear();
    RE2::Set::ErrorInfo info{RE2::Set::kNoError};
    const std::size_t from = fs.offset[k], to = k + 1 < fs.offset.size() ? fs.offset[k + 1] : fs.patterns.size();
    bool ok = fs.sets[k]->Match(re2::StringPiece(text.data(), text.size()), &hits, &info);
    if (!ok && info.kind != RE2::Set::kNoError) {
        // The set's DFA ran out of memory (or the set is inconsistent): never read that as "no
        // match". Fall back to matching each pattern of this field on its own (slow, correct).
        // The patterns are compiled here, not at engine build: one RE2 per pattern cost a third
        // of the build time for a path that the default rule_memory never takes
        // (docs/performance.md). Every pattern compiled when the engine was built.
        hits.clear();
        for (std::size_t i = from; i < to; ++i) {
            const RE2 re(re2::StringPiece(fs.patterns[i]), options);
            if (!re.ok()) continue;
            bool m = anchored(f) ? RE2::FullMatch(re2::StringPiece(text.data(), text.size()), re)
                                 : RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
            if (m) hits.push_back(static_cast<int>(i - from));
        }
    }
    for (int h : hits) {
        if (h < 0 || from + static_cast<std::size_t>(h) >= to) continue;
        credit(s, fs.rule_of[from + static_cast<std::size_t>(h)]);
    }
}

Decision Matcher::decide(const Input &in, bool explain) const {
    Decision d;
    if (rules.empty()) return d;
    Scratch s;
    std::uint8_t count_stack[kStack];
    std::uint32_t touched_stack[kStack];
    std::vector<std::uint8_t> count_heap;
    std::vector<std::uint32_t> touched_heap;
    if (rules.size() <= kStack) {
        std::memset(count_stack, 0, rules.size());
        s.count = count_stack;
        s.touched = touched_stack;
    } else {
        count_heap.assign(rules.size(), 0);
        touched_heap.resize(rules.size());
        s.count = count_heap.data();
        s.touched = touched_heap.data();
    }
    std::string store[7];  // folded copies, when a value needs folding
    std::string_view status = trim(in.status);
    std::string_view reply = trim(in.reply_code);
    std::string_view command = folded(in.command, true, store[0]);
    std::string_view format = folded(in.format, false, store[2]);
    std::string_view action = folded(in.action, false, store[3]);
    std::string_view category = folded(in.category, false, store[5]);
    std::string_view report = folded(in.report, false, store[6]);
    if (!status.empty()) match_field(kStatus, status, s);
    if (!reply.empty()) match_field(kReply, reply, s);
    match_field(kCommand, command, s);  // "NONE" matches the empty command
    if (!format.empty()) match_field(kFormat, format, s);
    if (!action.empty()) match_field(kAction, action, s);
    if (!category.empty()) match_field(kCategory, category, s);
    if (!report.empty()) match_field(kReport, report, s);
    std::string text;  // normalised once: matched here, measured below
    if (!in.diagnostic.empty() && (fields[kText].text.filter || !fields[kText].alone.empty())) {
        text = normalise(in.diagnostic);
        if (!text.empty()) match_field(kText, text, s);
    }
    // The host and then the reporter last, each only when one of its rules can still be
    // complete: a field adds at most one to a rule's count, so a rule that lacks more conditions
    // than fields are left cannot become complete, and leaving its host unmatched changes
    // nothing. The host rules also want a text, which seldom matches: most records skip RE2 here.
    if (can_complete(kHost, s)) {
        std::string_view host = folded(in.remote_mta, false, store[1]);
        if (!host.empty()) match_field(kHost, host, s);
    }
    if (can_complete(kReporter, s)) {
        std::string_view reporter = folded(in.reporting_mta, false, store[4]);
        if (!reporter.empty()) match_field(kReporter, reporter, s);
    }
    // The complete matches in static order. A matching rule's `excludes` rules out those reasons
    // (a strong status code bounds what the words may claim).
    std::sort(s.touched, s.touched + s.ntouched);
    std::bitset<128> excluded;
    std::size_t complete = 0;
    for (std::size_t k = 0; k < s.ntouched; ++k) {
        const std::uint32_t i = s.touched[k];
        if (s.count[i] != need[i]) continue;
        excluded |= excludes[i];
        s.touched[complete++] = i;
    }
    std::uint32_t *first = s.touched, *end = s.touched + complete;
    end = std::remove_if(first, end, [&](std::uint32_t i) { return excluded.test(static_cast<std::size_t>(rules[i].reason) & 127); });
    if (first == end) return d;
    // Within the first group: words that name a cause outrank words that only tell what became
    // of the message (the "outcome" reasons: "I gave up" is no reason); then the longest evidence
    // wins (more words, more specific: "host not found, try again" over "host not found"); then
    // the static order (more conditions, then the reasons' precedence).
    std::uint32_t *group_end = first;
    while (group_end != end && group[*group_end] == group[*first]) ++group_end;
    // Also when all name the same reason: the record names the rule whose words decided, the same
    // with and without explain.
    if (group_end - first > 1) {
        struct Ranked {
            bool outcome;
            std::size_t length;
            std::uint32_t rule;
        };
        std::vector<Ranked> ranked;
        for (std::uint32_t *k = first; k != group_end; ++k)
            ranked.push_back({outcome_.test(static_cast<std::size_t>(rules[*k].reason) & 127),
                              evidence_length(*k, text), *k});
        std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) {
            if (a.outcome != b.outcome) return b.outcome;
            return a.length > b.length;
        });
        for (std::size_t k = 0; k < ranked.size(); ++k) first[k] = ranked[k].rule;
    }
    d.decided = true;
    d.reason = rules[*first].reason;
    d.rule = rules[*first].id;
    if (explain)
        for (std::uint32_t *k = first; k != end; ++k) d.hits.push_back(rules[*k].id);
    return d;
}

std::size_t Matcher::evidence_length(std::size_t i, std::string_view text) const {
    const RE2 *re = evidence[i];
    if (!re) return 0;
    std::size_t best = 0, at = 0;
    re2::StringPiece m;
    // Every match, left to right (bounded: a diagnostic names few causes); the longest counts.
    for (int guard = 0; guard < 32 && at <= text.size(); ++guard) {
        if (!re->Match(re2::StringPiece(text.data(), text.size()), at, text.size(), RE2::UNANCHORED, &m, 1)) break;
        best = std::max<std::size_t>(best, m.size());
        const std::size_t next = static_cast<std::size_t>(m.data() - text.data()) + std::max<std::size_t>(m.size(), 1);
        if (next <= at) break;
        at = next;
    }
    return best;
}

std::string Matcher::list_jsonl() const {
    std::string out;
    for (const Rule &r : rules) {
        // object() up front and json_release at the end: see base/json_release.hh.
        // Room for every key first: growing an ordered_map copies and destroys its values.
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        j.get_ref<nlohmann::ordered_json::object_t &>().reserve(10);
        j["id"] = r.id;
        j["file"] = r.file;
        j["line"] = r.line;
        nlohmann::ordered_json c = nlohmann::ordered_json::object();
        for (std::size_t f = 0; f < kFieldCount; ++f)
            if (r.cond[f].present) c[field_name(static_cast<Field>(f))] = r.cond[f].value;
        j["conditions"] = std::move(c);
        j["reason"] = reason_name(r.reason) ? reason_name(r.reason) : r.reason_name;
        j["class"] = class_name(class_of(r.reason));
        j["priority"] = r.effective_priority();
        j["tier"] = tier_name(r.tier());
        if (!r.excludes.empty()) {
            nlohmann::ordered_json ex = nlohmann::ordered_json::array();
            for (carom_reason_t x : r.excludes) ex.push_back(reason_name(x) ? reason_name(x) : "?");
            j["excludes"] = std::move(ex);
        }
        j["says"] = r.says;
        out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out += '\n';
        json_release(j);
    }
    return out;
}

std::string Matcher::decision_json() const {
    // The parts of the procedure that are data (docs/taxonomy.md): the tiers in order, the
    // reasons' precedence, the outcome reasons and the class of every reason.
    auto names = [](const std::vector<carom_reason_t> &v) {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (carom_reason_t x : v) a.push_back(reason_name(x) ? reason_name(x) : "?");
        return a;
    };
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    nlohmann::ordered_json tiers = nlohmann::ordered_json::array();
    for (Tier t : {kTierReport, kTierCategory, kTierProvider, kTierText, kTierCode, kTierGeneric, kTierStage})
        tiers.push_back(tier_name(t));
    j["tiers"] = std::move(tiers);
    j["precedence"] = names(directives.precedence);
    j["outcome"] = names(directives.outcome);
    nlohmann::ordered_json cls = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < classes.size(); ++k)
        if (const char *n = reason_name(static_cast<carom_reason_t>(k))) cls[n] = class_name(classes[k]);
    j["classes"] = std::move(cls);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::unique_ptr<Compiled> compile(const std::vector<Source> &user, bool builtin, std::uint64_t max_mem,
                                  carom_status_t &status, std::string &error) {
    status = CAROM_OK;
    error.clear();
    // Sources in precedence order: the last user source first, ..., the built-in files last.
    std::vector<const Source *> order;
    for (auto it = user.rbegin(); it != user.rend(); ++it) order.push_back(&*it);
    std::vector<Source> builtins;
    if (builtin) builtins = builtin_sources();
    for (const Source &s : builtins) order.push_back(&s);

    std::vector<Rule> all;
    std::unordered_map<std::string, std::size_t> seen;  // id → index in all
    std::size_t user_count = user.size();
    // Each directive from the first source (in precedence order) that has it; "class" lines
    // per source (a later one replaces an earlier one reason by reason).
    Directives directives;
    std::vector<std::vector<std::pair<carom_class_t, std::vector<carom_reason_t>>>> class_lines;
    for (std::size_t si = 0; si < order.size(); ++si) {
        std::vector<Rule> got;
        Directives here;
        carom_status_t st = parse(*order[si], got, error, &here);
        if (st != CAROM_OK) {
            status = st;
            return nullptr;
        }
        if (directives.precedence.empty()) directives.precedence = std::move(here.precedence);
        if (directives.outcome.empty()) directives.outcome = std::move(here.outcome);
        class_lines.push_back(std::move(here.classes));
        bool is_builtin = si >= user_count;
        for (Rule &r : got) {
            auto it = seen.find(r.id);
            if (it != seen.end()) {
                const Rule &first = all[it->second];
                bool first_builtin = first.source >= user_count;
                if (is_builtin && !first_builtin) continue;  // a user rule replaces the built-in one
                status = CAROM_E_RULES;
                error = (r.file.empty() ? "<rules>" : r.file) + ":" + std::to_string(r.line) +
                        ":1: duplicate rule id " + r.id + " (also at " + first.file + ":" +
                        std::to_string(first.line) + ")";
                return nullptr;
            }
            r.source = si;
            seen.emplace(r.id, all.size());
            all.push_back(std::move(r));
        }
    }
    // The reasons' precedence: listed ones in their order, then the others by value.
    std::vector<int> reason_rank(128);
    for (std::size_t k = 0; k < reason_rank.size(); ++k) reason_rank[k] = 1000 + static_cast<int>(k);
    for (std::size_t k = 0; k < directives.precedence.size(); ++k)
        reason_rank[static_cast<std::size_t>(directives.precedence[k]) & 127] = static_cast<int>(k);
    // The group of a rule: user rules before built-in ones (later user files first), then the
    // priority, then the evidence tier. Built-in files are one origin: their order never matters.
    auto group_key = [&](const Rule &r) {
        const std::size_t origin = r.source < user_count ? r.source : user_count;
        return std::make_tuple(origin, r.effective_priority(), static_cast<int>(r.tier()));
    };
    // Static order: the group; more conditions first; the reasons' precedence; the id (a tie
    // of two built-in rules with different reasons is a test failure, not a matter of order).
    std::sort(all.begin(), all.end(), [&](const Rule &a, const Rule &b) {
        auto ga = group_key(a), gb = group_key(b);
        if (ga != gb) return ga < gb;
        if (a.condition_count() != b.condition_count()) return a.condition_count() > b.condition_count();
        int ra = reason_rank[static_cast<std::size_t>(a.reason) & 127], rb = reason_rank[static_cast<std::size_t>(b.reason) & 127];
        if (ra != rb) return ra < rb;
        return a.id < b.id;
    });

    auto m = std::make_unique<Matcher>();
    RE2::Options opt;
    opt.set_log_errors(false);
    opt.set_encoding(RE2::Options::EncodingUTF8);
    opt.set_max_mem(static_cast<int64_t>(max_mem));
    opt.set_case_sensitive(true);  // case is handled by normalisation (folding) of the text
    for (std::size_t f = 0; f < kFieldCount; ++f) {
        Field fld = static_cast<Field>(f);
        std::size_t present = 0;
        for (const Rule &r : all) present += r.cond[f].present ? 1 : 0;
        if (present == 0) continue;
        FieldSet &fs = m->fields[f];
        for (std::size_t i = 0; i < all.size(); ++i) {
            const Condition &c = all[i].cond[f];
            if (!c.present) continue;
            std::string perr;
            std::string pattern = c.pattern.empty() ? std::string("(?:)") : "(?:" + c.pattern + ")";
            // The only pattern of its field is matched alone too: one RE2 costs less per record
            // than a set of one (measured on the reporter field).
            if (!anchored(fld) && (present == 1 || c.pattern.size() <= 16)) {
                // A pattern that matches a lone letter, digit or space matches nearly any text:
                // match it alone (FieldSet::alone); such patterns are short. Unanchored set
                // membership is exactly a partial match with the same options: same answers.
                auto same = std::find_if(fs.alone.begin(), fs.alone.end(),
                                         [&](const FieldSet::Alone &a) { return a.re->pattern() == pattern; });
                if (same != fs.alone.end()) {
                    same->rules.push_back(static_cast<std::uint32_t>(i));
                    continue;
                }
                auto re = std::make_unique<RE2>(re2::StringPiece(pattern), opt);
                if (re->ok() && (present == 1 || RE2::PartialMatch("a", *re) || RE2::PartialMatch("0", *re) ||
                                 RE2::PartialMatch(" ", *re))) {
                    const bool any_text = fld == kText && pattern == "(?:.)";
                    fs.alone.push_back({std::move(re), {static_cast<std::uint32_t>(i)}, any_text});
                    continue;
                }
            }
            if (fld == kText) {
                if (!fs.text.filter) fs.text.filter = std::make_unique<re2::FilteredRE2>(kMinAtomLength);
                int id = -1;
                RE2::Options lo = opt;
                lo.set_longest_match(true);  // the same matches; the spans measure the evidence
                const RE2::ErrorCode code = fs.text.filter->Add(re2::StringPiece(pattern), lo, &id);
                if (code != RE2::NoError || id < 0) {
                    const RE2 re(re2::StringPiece(pattern), opt);
                    status = code == RE2::ErrorPatternTooLarge ? CAROM_E_REGEX_MEMORY : CAROM_E_RULES;
                    error = (all[i].file.empty() ? "<rules>" : all[i].file) + ":" + std::to_string(c.line) + ":" +
                            std::to_string(c.column) + ": bad text pattern in rule " + all[i].id + ": " + re.error();
                    return nullptr;
                }
                fs.text.rule_of.push_back(static_cast<std::uint32_t>(i));
                continue;
            }
            if (fs.sets.empty()) {
                fs.sets.push_back(std::make_unique<RE2::Set>(opt, anchored(fld) ? RE2::ANCHOR_BOTH : RE2::UNANCHORED));
                fs.offset.push_back(fs.patterns.size());
            }
            int idx = fs.sets.back()->Add(re2::StringPiece(pattern), &perr);
            if (idx < 0) {
                status = CAROM_E_RULES;
                error = (all[i].file.empty() ? "<rules>" : all[i].file) + ":" + std::to_string(c.line) + ":" +
                        std::to_string(c.column) + ": bad " + field_name(fld) + " pattern in rule " + all[i].id +
                        ": " + perr;
                return nullptr;
            }
            fs.rule_of.push_back(static_cast<std::uint32_t>(i));
            fs.patterns.push_back(std::move(pattern));
        }
        if (fs.text.filter) {
            std::vector<std::string> atoms;
            fs.text.filter->Compile(&atoms);
            fs.text.atom_count = atoms.size();
            if (!atoms.empty()) {
                fs.text.atoms = std::make_unique<RE2::Set>(opt, RE2::UNANCHORED);
                for (const std::string &a : atoms) fs.text.atoms->Add(RE2::QuoteMeta(a), nullptr);
                if (!fs.text.atoms->Compile()) {
                    status = CAROM_E_REGEX_MEMORY;
                    error = "the text patterns' literals need more memory than rule_memory (" + std::to_string(max_mem) + " bytes)";
                    return nullptr;
                }
            }
        }
        if (fs.patterns.empty()) continue;  // every pattern of the field is matched alone
        bool compiled = true;
        for (auto &set : fs.sets) compiled = compiled && set->Compile();
        if (!compiled) {
            // Name the pattern that does not compile on its own, when one does not.
            for (std::size_t k = 0; k < fs.patterns.size(); ++k) {
                const RE2 re(re2::StringPiece(fs.patterns[k]), opt);
                if (re.ok()) continue;
                const Rule &r = all[fs.rule_of[k]];
                const Condition &c = r.cond[f];
                status = re.error_code() == RE2::ErrorPatternTooLarge ? CAROM_E_REGEX_MEMORY : CAROM_E_RULES;
                error = r.file + ":" + std::to_string(c.line) + ":" + std::to_string(c.column) + ": " + re.error();
                return nullptr;
            }
            status = CAROM_E_REGEX_MEMORY;
            error = std::string("the ") + field_name(fld) + " patterns need more memory than rule_memory (" +
                    std::to_string(max_mem) + " bytes)";
            return nullptr;
        }
    }
    m->options = opt;
    // The memo of frequent values (FieldSet::memo): the same Set::Match the per-record path runs,
    // so the answers are identical; a value whose match fails (DFA out of memory) is left out
    // and takes the per-record path with its fallback.
    auto remember = [&m](Field f, const std::string &value) {
        FieldSet &fs = m->fields[f];
        if (fs.sets.size() != 1) return;  // the memo is for the one-set fields
        std::vector<int> hits;
        RE2::Set::ErrorInfo info{RE2::Set::kNoError};
        bool ok = fs.sets[0]->Match(re2::StringPiece(value), &hits, &info);
        if (!ok && info.kind != RE2::Set::kNoError) return;
        for (int h : hits)
            if (h < 0 || static_cast<std::size_t>(h) >= fs.rule_of.size()) return;
        fs.memo.emplace(value, std::move(hits));
    };
    for (char c : {'2', '4', '5'})
        for (int sub = 0; sub <= 7; ++sub)
            for (int det = 0; det <= 29; ++det)
                remember(kStatus, std::string(1, c) + "." + std::to_string(sub) + "." + std::to_string(det));
    for (int code = 200; code <= 599; ++code) remember(kReply, std::to_string(code));
    for (const char *cmd : {"", "RCPT", "MAIL", "DATA", "EHLO", "HELO", "STARTTLS", "AUTH", "CONN", "QUIT", "RSET", "BDAT"})
        remember(kCommand, cmd);
    for (const char *act : {"failed", "delayed", "delivered", "relayed", "expanded"}) remember(kAction, act);
    // Format, action, category and command patterns are alternations of the literal names written
    // in the rules (ruleset.cc, set_condition; NONE is the empty command), matched whole: a value
    // matches only if it is one of those names. With every name remembered, the memo is complete.
    for (Field f : {kFormat, kAction, kCategory, kCommand, kReport}) {
        FieldSet &fs = m->fields[f];
        if (fs.sets.size() != 1) continue;
        bool complete = true;
        for (const Rule &r : all) {
            const Condition &c = r.cond[f];
            if (!c.present) continue;
            std::string_view v = c.value;
            for (;;) {
                std::size_t from = v.find_first_not_of(" \t");
                if (from == std::string_view::npos) break;
                v.remove_prefix(from);
                std::size_t to = std::min(v.find_first_of(" \t"), v.size());
                std::string name = f == kCommand ? upper(v.substr(0, to)) : lower(v.substr(0, to));
                v.remove_prefix(to);
                if (f == kCommand && name == "NONE") name.clear();
                if (!fs.memo.count(name)) remember(f, name);
                // Not remembered (the set's DFA out of memory): leave the per-record path on.
                if (!fs.memo.count(name)) complete = false;
            }
        }
        fs.memo_complete = complete;
    }
    for (FieldSet &fs : m->fields) {
        if (!fs.memo.empty()) fs.table.build(fs.memo, fs.rule_of);
        fs.memo.clear();  // only the table is read per record
    }
    for (const Rule &r : all) m->need.push_back(static_cast<std::uint8_t>(r.condition_count()));
    for (carom_reason_t x : directives.outcome) m->outcome_.set(static_cast<std::size_t>(x) & 127);
    // Classes: the defaults of the taxonomy, then the sources from the lowest precedence (the
    // built-in files) to the highest (the user file added last).
    m->classes.resize(128);
    for (std::size_t k = 0; k < m->classes.size(); ++k) m->classes[k] = reason_default_class(static_cast<carom_reason_t>(k));
    for (auto it = class_lines.rbegin(); it != class_lines.rend(); ++it)
        for (const auto &line : *it)
            for (carom_reason_t x : line.second) m->classes[static_cast<std::size_t>(x) & 127] = line.first;
    m->directives = std::move(directives);
    RE2::Options longest = opt;
    longest.set_longest_match(true);
    m->evidence.assign(all.size(), nullptr);
    const TextFilter &tf = m->fields[kText].text;
    for (std::size_t id = 0; id < tf.rule_of.size(); ++id)
        m->evidence[tf.rule_of[id]] = &tf.filter->GetRE2(static_cast<int>(id));
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Rule &r = all[i];
        m->group.push_back(i == 0 ? 0 : m->group.back() + (group_key(all[i - 1]) != group_key(r) ? 1 : 0));
        if (r.cond[kText].present && !m->evidence[i]) {
            auto re = std::make_unique<RE2>(re2::StringPiece("(?:" + r.cond[kText].pattern + ")"), longest);
            if (re->ok()) {
                m->evidence[i] = re.get();
                m->own_evidence.push_back(std::move(re));
            }
        }
        std::bitset<128> ex;
        for (carom_reason_t x : r.excludes) ex.set(static_cast<std::size_t>(x) & 127);
        m->excludes.push_back(ex);
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Rule &r = all[i];
        const auto left = static_cast<std::uint8_t>((r.cond[kHost].present ? 1 : 0) + (r.cond[kReporter].present ? 1 : 0));
        if (r.cond[kHost].present) m->last[0].push_back({static_cast<std::uint32_t>(i), left});
        if (r.cond[kReporter].present) m->last[1].push_back({static_cast<std::uint32_t>(i), static_cast<std::uint8_t>(1)});
    }
    m->rules = std::move(all);
    return m;
}

}  // namespace carom::rules
