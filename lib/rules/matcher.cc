// The decision for one record (docs/rules-format.md, "How a decision is made"): match each field,
// keep the rules whose conditions all matched, rank the first group by its evidence, and let the
// reason of giving up outrank a passing trouble once the MTA gave up.
#include <algorithm>
#include <iterator>

#include "base/strings.hh"
#include "base/taxonomy.hh"
#include "rules/matcher.hh"

namespace carom::rules {

namespace {

std::string_view trim(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' || s[b - 1] == '\n')) --b;
    return s.substr(a, b - a);
}

// A field value trimmed and folded to one ASCII case (lower, or upper for the SMTP command).
// Values usually come folded already: then it is a view of the input and nothing is copied;
// otherwise the folded copy lives in `store`.
std::string_view folded(std::string_view raw, bool to_upper_case, std::string &store) {
    std::string_view v = trim(raw);
    for (char c : v) {
        if (to_upper_case ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) {
            store = to_upper_case ? upper(v) : lower(v);
            return store;
        }
    }
    return v;
}

re2::StringPiece piece(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }

// A diagnostic that is nothing but codes ("5.2.2", "550 5.1.1", "552-5.2.2", "#5.1.1"): the
// record's status and reply when it has none of its own, so the RFC 3463 code decides as it
// would in the status field. Any word beside the codes and nothing is taken.
bool digits(std::string_view s, std::size_t &i, std::size_t lo, std::size_t hi) {
    std::size_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++n;
    return n >= lo && n <= hi;
}

void codes_only(std::string_view diagnostic, std::string_view &status, std::string_view &reply) {
    std::string_view d = trim(diagnostic);
    if (!d.empty() && d.back() == '.') d.remove_suffix(1);
    std::size_t i = 0;
    if (i < d.size() && d[i] == '#') ++i;
    std::string_view r;
    if (d.size() >= i + 4 && (d[i + 3] == ' ' || d[i + 3] == '-')) {
        std::size_t k = i;
        if (digits(d, k, 3, 3) && k == i + 3 && (d[i] == '2' || d[i] == '4' || d[i] == '5')) {
            r = d.substr(i, 3);
            i = k + 1;
            if (i < d.size() && d[i] == '#') ++i;
        }
    }
    const std::size_t start = i;
    if (i >= d.size() || (d[i] != '2' && d[i] != '4' && d[i] != '5')) return;
    ++i;
    if (i >= d.size() || d[i] != '.') return;
    ++i;
    if (!digits(d, i, 1, 3) || i >= d.size() || d[i] != '.') return;
    ++i;
    if (!digits(d, i, 1, 3) || i != d.size()) return;
    if (!r.empty() && r[0] != d[start]) return;
    status = d.substr(start);
    if (reply.empty()) reply = r;
}

}  // namespace

carom_class_t Matcher::class_of(carom_reason_t reason) const {
    const auto i = static_cast<std::size_t>(reason);
    return i < classes.size() ? classes[i] : CAROM_CLASS_SOFT;
}

bool Matcher::can_complete(Field f, const Scratch &s) const {
    for (const Pending &p : last[f == kHost ? 0 : 1])
        if (s.count[p.rule] + p.left >= need[p.rule]) return true;
    return false;
}

void Matcher::match_field(Field f, std::string_view value, Scratch &s) const {
    const FieldSet &fs = fields[f];
    for (const AlonePattern &a : fs.alone) {
        const bool hit = a.any_text ? !value.empty()
                                    : a.re->Match(piece(value), 0, value.size(), RE2::UNANCHORED, nullptr, 0);
        if (hit)
            for (std::uint32_t r : a.rules) s.credit(r);
    }
    if (!fs.text.empty()) {
        match_text(fs.text, value, s);
        return;
    }
    if (!fs.set) return;
    const auto known = fs.memo.find(value);
    if (known != fs.memo.end()) {
        for (std::uint32_t r : known->second) s.credit(r);
        return;
    }
    if (!fs.memo_complete) match_set(f, fs, value, s);
}

std::vector<std::uint32_t> TextFilter::candidates(std::string_view text) const {
    std::vector<std::uint32_t> found, filtered;
    atoms.find(text, found);
    // The met clauses as a bit set: read in order, a text id's met clauses come as one run.
    std::vector<std::uint64_t> met((clause_owner.size() + 63) / 64);
    for (std::uint32_t a : found)
        for (std::uint32_t c : clauses_of[a]) met[c / 64] |= std::uint64_t{1} << (c % 64);
    std::uint32_t id = 0, run = 0;  // the text id of the current run, and its length so far
    for (std::size_t w = 0; w < met.size(); ++w) {
        for (std::uint64_t bits = met[w]; bits != 0; bits &= bits - 1) {
            const auto c = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits)));
            if (run == 0 || clause_owner[c] != id) id = clause_owner[c], run = 0;
            if (++run == clause_count[id]) filtered.push_back(id);
        }
    }
    std::vector<std::uint32_t> out;
    out.reserve(unfiltered.size() + filtered.size());
    std::merge(unfiltered.begin(), unfiltered.end(), filtered.begin(), filtered.end(), std::back_inserter(out));
    return out;
}

void Matcher::match_text(const TextFilter &tf, std::string_view text, Scratch &s) const {
    for (std::uint32_t id : tf.candidates(text)) {
        const RE2 *re = tf.patterns[id]->get();
        if (re && re->Match(piece(text), 0, text.size(), RE2::UNANCHORED, nullptr, 0)) s.credit(tf.rule_of[id]);
    }
}

AtomTable Matcher::text_atoms() const {
    const TextFilter &tf = fields[kText].text;
    AtomTable table;
    for (std::size_t id = 0; id < tf.patterns.size(); ++id) table[tf.patterns[id]->pattern()] = tf.atoms_of[id];
    return table;
}

void Matcher::match_set(Field f, const FieldSet &fs, std::string_view value, Scratch &s) const {
    std::vector<int> &hits = s.hits;
    hits.clear();
    RE2::Set::ErrorInfo info{RE2::Set::kNoError};
    const bool ok = fs.set->Match(piece(value), &hits, &info);
    if (!ok && info.kind != RE2::Set::kNoError) {
        // The set's DFA ran out of memory (or the set is inconsistent): never read that as "no
        // match". Match each pattern of this field on its own instead (slow, correct). They are
        // compiled here, not when the engine is built, which the default rule_memory never needs.
        hits.clear();
        for (std::size_t i = 0; i < fs.patterns.size(); ++i) {
            const RE2 re(fs.patterns[i], options);
            if (!re.ok()) continue;
            const bool m = anchored(f) ? RE2::FullMatch(piece(value), re) : RE2::PartialMatch(piece(value), re);
            if (m) hits.push_back(static_cast<int>(i));
        }
    }
    for (int h : hits)
        if (h >= 0 && static_cast<std::size_t>(h) < fs.rule_of.size()) s.credit(fs.rule_of[static_cast<std::size_t>(h)]);
}

// Counts the matched conditions of every rule. `text` is the normalised diagnostic.
void Matcher::match_fields(const Input &in, const std::string &text, Scratch &s) const {
    std::string store;  // a folded copy, when a value needs folding (used before the next one)
    std::string_view status = trim(in.status), reply = trim(in.reply_code);
    if (status.empty()) codes_only(in.diagnostic, status, reply);
    if (!status.empty()) match_field(kStatus, status, s);
    if (!reply.empty()) match_field(kReply, reply, s);
    match_field(kCommand, folded(in.command, true, store), s);  // "NONE" matches the empty command
    struct Named {
        Field field;
        std::string_view value;
    };
    for (const Named &n : {Named{kFormat, in.format}, Named{kAction, in.action}, Named{kCategory, in.category},
                           Named{kReport, in.report}}) {
        const std::string_view v = folded(n.value, false, store);
        if (!v.empty()) match_field(n.field, v, s);
    }
    if (!text.empty()) match_field(kText, text, s);
    // The host and then the reporter last, each only when one of its rules can still be
    // complete: a field adds at most one to a rule's count, so a rule that lacks more conditions
    // than fields are left cannot become complete, and leaving its host unmatched changes
    // nothing. Most records skip RE2 here.
    if (can_complete(kHost, s)) {
        const std::string_view host = folded(in.remote_mta, false, store);
        if (!host.empty()) match_field(kHost, host, s);
    }
    if (can_complete(kReporter, s)) {
        const std::string_view reporter = folded(in.reporting_mta, false, store);
        if (!reporter.empty()) match_field(kReporter, reporter, s);
    }
}

// The rules whose conditions all matched, in static order, less those of a reason that a matching
// rule's `excludes` rules out (a strong status code bounds what the words may claim).
std::vector<std::uint32_t> Matcher::complete_matches(Scratch &s) const {
    std::sort(s.touched.begin(), s.touched.end());
    ReasonSet excluded;
    std::vector<std::uint32_t> found;
    for (std::uint32_t i : s.touched) {
        if (s.count[i] != need[i]) continue;
        excluded |= excludes[i];
        found.push_back(i);
    }
    found.erase(std::remove_if(found.begin(), found.end(),
                               [&](std::uint32_t i) { return excluded.test(reason_bit(rules[i].reason)); }),
                found.end());
    return found;
}

// Within the first group: words that name a cause outrank words that only tell what became of
// the message (the "outcome" reasons: "I gave up" is no reason); then the longest evidence wins
// (more words, more specific: "host not found, try again" over "host not found"); then the static
// order (more conditions, then the reasons' precedence). Also when all name the same reason: the
// record names the rule whose words decided, the same with and without explain.
void Matcher::rank_first_group(std::vector<std::uint32_t> &found, std::string_view text) const {
    const auto group_end = std::find_if(found.begin(), found.end(),
                                        [&](std::uint32_t i) { return group[i] != group[found.front()]; });
    if (group_end - found.begin() < 2) return;
    struct Ranked {
        bool outcome;
        std::size_t length;
        std::uint32_t rule;
    };
    std::vector<Ranked> ranked;
    for (auto k = found.begin(); k != group_end; ++k)
        ranked.push_back({outcome.test(reason_bit(rules[*k].reason)), evidence_length(*k, text), *k});
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) {
        if (a.outcome != b.outcome) return b.outcome;
        return a.length > b.length;
    });
    for (std::size_t k = 0; k < ranked.size(); ++k) found[k] = ranked[k].rule;
}

// A trouble that passes by itself (the "transient" line) is not the answer once the record says
// the MTA gave up (the action is failed, or SendGrid's "expired"): what it says is that it stopped
// trying, and a matching rule of that reason decides. A delay is still the trouble.
void Matcher::apply_transient(std::vector<std::uint32_t> &found, std::string_view action) const {
    if (!transient.test(reason_bit(rules[found.front()].reason))) return;
    if (action != "failed" && action != "expired") return;
    const auto gave_up_rule =
        std::find_if(found.begin(), found.end(), [&](std::uint32_t i) { return rules[i].reason == gave_up; });
    if (gave_up_rule != found.end()) std::rotate(found.begin(), gave_up_rule, gave_up_rule + 1);
}

Decision Matcher::decide(const Input &in, bool explain) const {
    Decision d;
    if (rules.empty()) return d;
    Scratch s(rules.size());
    std::string text;  // normalised once: matched, then measured as evidence
    if (!in.diagnostic.empty() && (!fields[kText].text.empty() || !fields[kText].alone.empty()))
        text = normalise(in.diagnostic);
    match_fields(in, text, s);
    std::vector<std::uint32_t> found = complete_matches(s);
    if (found.empty()) return d;
    rank_first_group(found, text);
    std::string store;
    apply_transient(found, folded(in.action, false, store));
    d.decided = true;
    d.reason = rules[found.front()].reason;
    d.rule = rules[found.front()].id;
    if (explain)
        for (std::uint32_t i : found) d.hits.push_back(rules[i].id);
    return d;
}

std::size_t Matcher::evidence_length(std::size_t i, std::string_view text) const {
    const RE2 *re = evidence[i] ? evidence[i]->get() : nullptr;
    if (!re) return 0;
    std::size_t best = 0, at = 0;
    re2::StringPiece m;
    // Every match, left to right (bounded: a diagnostic names few causes); the longest counts.
    for (int guard = 0; guard < 32 && at <= text.size(); ++guard) {
        if (!re->Match(piece(text), at, text.size(), RE2::UNANCHORED, &m, 1)) break;
        best = std::max<std::size_t>(best, m.size());
        const std::size_t next = static_cast<std::size_t>(m.data() - text.data()) + std::max<std::size_t>(m.size(), 1);
        if (next <= at) break;
        at = next;
    }
    return best;
}

}  // namespace carom::rules
