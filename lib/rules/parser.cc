// The parser of the rules format (docs/rules-format.md): the one reader of rule files, for the
// files users add at run time and, through the build tool (embed.cc), for the built-in ones.
#include <cstdlib>

#include "base/strings.hh"
#include "base/taxonomy.hh"
#include "rules/ruleset.hh"

namespace carom::rules {

namespace {

constexpr const char *kFieldNames[kFieldCount] = {"status", "reply", "text", "command", "host", "format", "action", "reporter", "category", "report"};

bool is_space(char c) { return c == ' ' || c == '\t'; }

bool is_digits(std::string_view v, std::size_t max_length) {
    return !v.empty() && v.size() <= max_length && v.find_first_not_of("0123456789") == std::string_view::npos;
}

// A rule id: a-z 0-9 . - _, starting with a letter or digit. The offset of the first bad
// character, or npos.
std::size_t bad_id_char(std::string_view id) {
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || !(c == '.' || c == '-' || c == '_'))) return i;
    }
    return std::string_view::npos;
}

// One line that is neither blank nor a comment: "KEY VALUE", maybe indented.
struct Line {
    unsigned number = 0;
    std::size_t indent = 0;
    std::string_view key, value;
    unsigned column = 0, value_column = 0;  // of the key and of the value, from 1
};

// Splits a line; false for a blank line or a comment.
bool split_line(std::string_view text, unsigned number, Line &l) {
    std::size_t ind = 0;
    while (ind < text.size() && is_space(text[ind])) ++ind;
    if (ind == text.size() || text[ind] == '#') return false;
    std::size_t kend = ind;
    while (kend < text.size() && !is_space(text[kend])) ++kend;
    std::size_t vstart = kend;
    while (vstart < text.size() && is_space(text[vstart])) ++vstart;
    std::size_t vend = text.size();
    while (vend > vstart && is_space(text[vend - 1])) --vend;
    l.number = number;
    l.indent = ind;
    l.key = text.substr(ind, kend - ind);
    l.value = text.substr(vstart, vend - vstart);
    l.column = static_cast<unsigned>(ind + 1);
    l.value_column = static_cast<unsigned>(vstart + 1);
    return true;
}

// The unindented lines between rules that are not a rule: each ends the rule before it.
bool file_level(const Line &l) {
    return l.indent == 0 && (l.key == "default" || l.key == "class" || l.key == "precedence" || l.key == "outcome" ||
                             l.key == "transient");
}

class Parser {
public:
    Parser(const Source &src, std::vector<Rule> &out, std::string &error, Directives *directives)
        : src_(src), out_(out), error_(error), directives_(directives) {}

    carom_status_t run();

private:
    carom_status_t fail(unsigned line, unsigned column, const std::string &msg, carom_status_t st = CAROM_E_RULES) {
        error_ = (src_.name.empty() ? std::string("<rules>") : src_.name) + ":" + std::to_string(line) + ":" +
                 std::to_string(column) + ": " + msg;
        return st;
    }
    carom_status_t take_line(std::string_view text, unsigned number);
    carom_status_t version_line(std::string_view line);
    carom_status_t start_rule(const Line &l);
    carom_status_t finish_rule();
    carom_status_t file_line(const Line &l);
    carom_status_t class_line(const Line &l);
    carom_status_t rule_line(const Line &l);
    carom_status_t set_condition(Field f, const Line &l);
    carom_status_t reason_list(std::string_view value, unsigned line, unsigned column, const std::string &what,
                               std::vector<carom_reason_t> &out);

    const Source &src_;
    std::vector<Rule> &out_;
    std::string &error_;
    Directives *directives_;
    // The rule being read.
    bool in_rule_ = false;
    Rule cur_;
    bool priority_set_ = false;
    int default_priority_ = -1;  // "default priority N"
};

carom_status_t Parser::run() {
    const std::string &t = src_.text;
    std::size_t pos = 0;
    unsigned number = 0;
    do {  // every line, the last one with or without a line feed ("" is one empty line)
        std::size_t nl = t.find('\n', pos);
        if (nl == std::string::npos) nl = t.size();
        std::string_view line(t.data() + pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = nl + 1;
        const carom_status_t st = take_line(line, ++number);
        if (st != CAROM_OK) return st;
    } while (pos < t.size());
    return in_rule_ ? finish_rule() : CAROM_OK;
}

carom_status_t Parser::take_line(std::string_view text, unsigned number) {
    if (text.find('\0') != std::string_view::npos)
        return fail(number, static_cast<unsigned>(text.find('\0') + 1), "NUL byte in a rule file");
    if (number == 1) {
        if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
        return version_line(text);
    }
    Line l;
    if (!split_line(text, number, l)) return CAROM_OK;
    if (l.key == "rule") return start_rule(l);
    if (file_level(l)) {
        if (in_rule_) {
            const carom_status_t st = finish_rule();
            if (st != CAROM_OK) return st;
        }
        return file_line(l);
    }
    if (!in_rule_)
        return fail(l.number, l.column, "\"" + std::string(l.key) + "\" outside a rule (start one with \"rule ID\")");
    if (l.indent == 0) return fail(l.number, l.column, "a rule's lines must be indented");
    return rule_line(l);
}

// "carom-rules N"
carom_status_t Parser::version_line(std::string_view line) {
    constexpr std::string_view kMagic = "carom-rules";
    if (line.substr(0, kMagic.size()) != kMagic)
        return fail(1, 1, "the first line must declare the format version: \"carom-rules 1\"");
    std::size_t i = kMagic.size();
    if (i >= line.size() || !is_space(line[i])) return fail(1, static_cast<unsigned>(i + 1), "expected a space and a version number");
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    unsigned long v = 0;
    for (; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
        v = v * 10 + static_cast<unsigned long>(line[i] - '0');
        if (v > 1000000) break;  // far too new: the text after is "unexpected"
    }
    if (i == start) return fail(1, static_cast<unsigned>(start + 1), "expected a version number");
    while (i < line.size() && is_space(line[i])) ++i;
    if (i != line.size()) return fail(1, static_cast<unsigned>(i + 1), "unexpected text after the version number");
    if (v == 0) return fail(1, static_cast<unsigned>(start + 1), "format version 0 does not exist");
    if (v > static_cast<unsigned long>(kFormatVersion))
        return fail(1, static_cast<unsigned>(start + 1),
                    "format version " + std::to_string(v) + " is newer than this library understands (" +
                        std::to_string(kFormatVersion) + ")",
                    CAROM_E_RULES_VERSION);
    return CAROM_OK;
}

// "rule ID"
carom_status_t Parser::start_rule(const Line &l) {
    if (l.indent != 0) return fail(l.number, l.column, "\"rule\" must start at the beginning of the line");
    if (in_rule_) {
        const carom_status_t st = finish_rule();
        if (st != CAROM_OK) return st;
    }
    cur_ = Rule();
    cur_.priority = default_priority_;
    priority_set_ = false;
    in_rule_ = true;
    const std::string_view id = l.value;
    if (id.empty()) return fail(l.number, l.value_column, "\"rule\" needs an id");
    const std::size_t bad = bad_id_char(id);
    if (bad != std::string_view::npos)
        return fail(l.number, static_cast<unsigned>(l.value_column + bad),
                    "bad character in rule id (use a-z 0-9 . - _, starting with a letter or digit)");
    if (id.size() > 128) return fail(l.number, l.value_column, "rule id longer than 128 characters");
    for (const Rule &r : out_)
        if (r.id == id)
            return fail(l.number, l.value_column,
                        "duplicate rule id " + std::string(id) + " (first at line " + std::to_string(r.line) + ")");
    cur_.id = std::string(id);
    cur_.line = l.number;
    cur_.file = src_.name;
    return CAROM_OK;
}

carom_status_t Parser::finish_rule() {
    in_rule_ = false;
    Rule &r = cur_;
    if (r.says.empty())
        return fail(r.line, 1, "rule " + r.id + " has no \"says\" line (what the MTA actually writes)");
    if (r.reason_name.empty()) return fail(r.line, 1, "rule " + r.id + " has no \"reason\"");
    if (r.condition_count() == 0) return fail(r.line, 1, "rule " + r.id + " has no match condition");
    out_.push_back(std::move(r));
    return CAROM_OK;
}

// A space-separated list of reason names, each once.
carom_status_t Parser::reason_list(std::string_view value, unsigned line, unsigned column, const std::string &what,
                                   std::vector<carom_reason_t> &out) {
    out.clear();
    const std::vector<std::string_view> ws = split_words(value);
    if (ws.empty()) return fail(line, column, "\"" + what + "\" needs one or more reason names");
    for (std::string_view w : ws) {
        carom_reason_t rsn;
        const auto at = static_cast<unsigned>(column + (w.data() - value.data()));
        if (!reason_from_name(w, &rsn)) return fail(line, at, "unknown reason \"" + std::string(w) + "\"");
        for (carom_reason_t seen : out)
            if (seen == rsn) return fail(line, at, "reason \"" + std::string(w) + "\" named twice");
        out.push_back(rsn);
    }
    return CAROM_OK;
}

// "default priority N", "class ...", and the lines that order reasons: "precedence REASON..."
// (which reason wins when equally strong evidence names two), "outcome REASON..." (reasons that
// words naming a cause outrank), "transient GAVEUP REASON..." (once the MTA gave up, GAVEUP
// outranks the others).
carom_status_t Parser::file_line(const Line &l) {
    if (l.key == "default") {  // the priority of the following rules that set none
        const std::vector<std::string_view> ws = split_words(l.value);
        if (ws.size() != 2 || ws[0] != "priority" || !is_digits(ws[1], 3))
            return fail(l.number, l.value_column, "expected \"default priority N\" (N from 0 to 999)");
        default_priority_ = std::atoi(std::string(ws[1]).c_str());
        return CAROM_OK;
    }
    if (l.key == "class") return class_line(l);
    std::vector<carom_reason_t> list;
    const carom_status_t st = reason_list(l.value, l.number, l.value_column, std::string(l.key), list);
    if (st != CAROM_OK) return st;
    if (l.key == "transient" && list.size() < 2)
        return fail(l.number, l.value_column,
                    "expected \"transient GAVEUP REASON...\": the reason of giving up, then the troubles it outranks");
    if (directives_)
        (l.key == "precedence" ? directives_->precedence
         : l.key == "outcome"  ? directives_->outcome
                               : directives_->transient) = std::move(list);
    return CAROM_OK;
}

// "class CLASS REASON...": the class of failed records with these reasons.
carom_status_t Parser::class_line(const Line &l) {
    const std::string_view v = l.value;
    std::size_t sp = 0;
    while (sp < v.size() && !is_space(v[sp])) ++sp;
    carom_class_t cls;
    if (!class_from_name(v.substr(0, sp), &cls) || cls == CAROM_CLASS_NONE)
        return fail(l.number, l.value_column, "unknown class \"" + std::string(v.substr(0, sp)) + "\"");
    std::size_t rest = sp;
    while (rest < v.size() && is_space(v[rest])) ++rest;
    std::vector<carom_reason_t> list;
    const carom_status_t st = reason_list(v.substr(rest), l.number, static_cast<unsigned>(l.value_column + rest), "class", list);
    if (st != CAROM_OK) return st;
    if (directives_) directives_->classes.emplace_back(cls, std::move(list));
    return CAROM_OK;
}

// An indented line of a rule.
carom_status_t Parser::rule_line(const Line &l) {
    const std::string_view key = l.key, value = l.value;
    if (key == "says") {
        if (value.empty()) return fail(l.number, l.value_column, "\"says\" needs the text the MTA writes");
        cur_.says.emplace_back(value);
        return CAROM_OK;
    }
    if (key == "reason") {
        if (!cur_.reason_name.empty()) return fail(l.number, l.column, "duplicate \"reason\" in rule " + cur_.id);
        if (value.empty()) return fail(l.number, l.value_column, "\"reason\" needs a reason name");
        if (!reason_from_name(value, &cur_.reason))
            return fail(l.number, l.value_column, "unknown reason \"" + std::string(value) + "\"");
        cur_.reason_name = lower(value);
        return CAROM_OK;
    }
    if (key == "priority") {
        if (priority_set_) return fail(l.number, l.column, "duplicate \"priority\" in rule " + cur_.id);
        priority_set_ = true;
        if (!is_digits(value, 3)) return fail(l.number, l.value_column, "\"priority\" must be a number from 0 to 999");
        cur_.priority = std::atoi(std::string(value).c_str());
        return CAROM_OK;
    }
    if (key == "tier") {
        // "tier provider": the text is a code or marker that one provider documents (Comcast's
        // BL000001, Yahoo's [TS01]): it ranks with the rules that name a provider.
        if (value != "provider") return fail(l.number, l.value_column, "\"tier\" takes one value: provider");
        cur_.provider_marker = true;
        return CAROM_OK;
    }
    if (key == "excludes") {
        if (!cur_.excludes.empty()) return fail(l.number, l.column, "duplicate \"excludes\" in rule " + cur_.id);
        return reason_list(value, l.number, l.value_column, "excludes", cur_.excludes);
    }
    for (std::size_t f = 0; f < kFieldCount; ++f)
        if (key == kFieldNames[f]) return set_condition(static_cast<Field>(f), l);
    return fail(l.number, l.column,
                "unknown key \"" + std::string(key) +
                    "\" (says status reply text command host format action reporter category report reason excludes tier priority)");
}

carom_status_t Parser::set_condition(Field f, const Line &l) {
    Condition &c = cur_.cond[f];
    if (c.present)
        return fail(l.number, l.value_column, std::string("duplicate \"") + kFieldNames[f] + "\" in rule " + cur_.id);
    c.present = true;
    c.value = std::string(l.value);
    c.line = l.number;
    c.column = l.value_column;
    std::size_t bad = 0;
    std::string message;
    if (!condition_pattern(f, l.value, c.pattern, bad, message))
        return fail(l.number, static_cast<unsigned>(l.value_column + bad), message);
    return CAROM_OK;
}

}  // namespace

std::vector<std::string_view> split_words(std::string_view v) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < v.size()) {
        while (i < v.size() && is_space(v[i])) ++i;
        std::size_t j = i;
        while (j < v.size() && !is_space(v[j])) ++j;
        if (j > i) out.push_back(v.substr(i, j - i));
        i = j;
    }
    return out;
}

const char *field_name(Field f) { return f < kFieldCount ? kFieldNames[f] : "?"; }

unsigned Rule::condition_count() const {
    unsigned n = 0;
    for (const auto &c : cond) n += c.present ? 1u : 0u;
    return n;
}

int Rule::effective_priority() const { return priority >= 0 ? priority : kNoPriority; }

Tier Rule::tier() const {
    if (cond[kReport].present) return kTierReport;
    if (cond[kCategory].present) return kTierCategory;
    if (cond[kHost].present || cond[kFormat].present || cond[kReporter].present || provider_marker) return kTierProvider;
    // "text ." only says that there is a diagnostic: no word of it is evidence.
    if (cond[kText].present && cond[kText].value != ".") return kTierText;
    if (cond[kStatus].present) {
        // A code with a detail (5.1.1) names a cause; X.Y.0 and wildcards only a class or subject.
        bool generic = cond[kStatus].value.find('*') != std::string::npos;
        for (std::string_view w : split_words(cond[kStatus].value)) {
            const std::size_t d = w.rfind('.');
            if (d != std::string_view::npos && w.substr(d + 1) == "0") generic = true;
        }
        return generic ? kTierGeneric : kTierCode;
    }
    if (cond[kReply].present) return kTierGeneric;
    return kTierStage;
}

const char *tier_name(Tier t) {
    switch (t) {
    case kTierReport: return "report";
    case kTierCategory: return "category";
    case kTierProvider: return "provider";
    case kTierText: return "text";
    case kTierCode: return "code";
    case kTierGeneric: return "generic";
    case kTierStage: return "stage";
    }
    return "?";
}

carom_status_t parse(const Source &source, std::vector<Rule> &out, std::string &error, Directives *directives) {
    std::vector<Rule> tmp;
    Parser p(source, tmp, error, directives);
    const carom_status_t st = p.run();
    if (st != CAROM_OK) return st;
    for (auto &r : tmp) out.push_back(std::move(r));
    return CAROM_OK;
}

carom_status_t check(const Source &source, std::string &error) {
    std::vector<Rule> tmp;
    error.clear();
    return parse(source, tmp, error);
}

}  // namespace carom::rules
