// Parser of the rules format (docs/rules-format.md) and the text normalisation.
#include "rules/ruleset.hh"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/strings.hh"
#include "base/taxonomy.hh"

namespace carom::rules {

namespace {

constexpr const char *kFieldNames[kFieldCount] = {"status", "reply", "text", "command", "host", "format", "action", "reporter", "category", "report"};

bool id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

// The words of a rule-file value: separated by spaces and tabs only (the format's white space).
std::vector<std::string_view> words(std::string_view v) { return split_words(v, is_wsp); }

class Parser {
public:
    Parser(const Source &src, std::vector<Rule> &out, std::string &error, Directives *directives)
        : src_(src), out_(out), error_(error), directives_(directives) {}

    carom_status_t run();

private:
    carom_status_t fail(unsigned line, unsigned column, const std::string &msg,
                        carom_status_t st = CAROM_E_RULES) {
        error_ = (src_.name.empty() ? std::string("<rules>") : src_.name) + ":" + std::to_string(line) + ":" +
                 std::to_string(column) + ": " + msg;
        return st;
    }
    carom_status_t version_line(std::string_view line);
    carom_status_t finish(Rule &r);
    carom_status_t set_condition(Rule &r, Field f, std::string_view value, unsigned line, unsigned column);

    carom_status_t reason_list(std::string_view value, unsigned line, unsigned column, const char *what,
                               std::vector<carom_reason_t> &out);

    const Source &src_;
    std::vector<Rule> &out_;
    std::string &error_;
    Directives *directives_;
};

// A space-separated list of reason names, each once.
carom_status_t Parser::reason_list(std::string_view value, unsigned line, unsigned column, const char *what,
                                   std::vector<carom_reason_t> &out) {
    out.clear();
    std::vector<std::string_view> ws = words(value);
    if (ws.empty()) return fail(line, column, std::string("\"") + what + "\" needs one or more reason names");
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

carom_status_t Parser::version_line(std::string_view line) {
    // "carom-rules N"
    constexpr std::string_view kMagic = "carom-rules";
    if (line.substr(0, kMagic.size()) != kMagic)
        return fail(1, 1, "the first line must declare the format version: \"carom-rules 1\"");
    std::size_t i = kMagic.size();
    if (i >= line.size() || !is_wsp(line[i])) return fail(1, static_cast<unsigned>(i + 1), "expected a space and a version number");
    while (i < line.size() && is_wsp(line[i])) ++i;
    std::size_t start = i;
    unsigned long v = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') {
        v = v * 10 + static_cast<unsigned long>(line[i] - '0');
        if (v > 1000000) break;
        ++i;
    }
    if (i == start) return fail(1, static_cast<unsigned>(start + 1), "expected a version number");
    std::size_t end = i;
    while (i < line.size() && is_wsp(line[i])) ++i;
    (void)end;
    if (i != line.size()) return fail(1, static_cast<unsigned>(i + 1), "unexpected text after the version number");
    if (v == 0) return fail(1, static_cast<unsigned>(start + 1), "format version 0 does not exist");
    if (v > static_cast<unsigned long>(kFormatVersion))
        return fail(1, static_cast<unsigned>(start + 1),
                    "format version " + std::to_string(v) + " is newer than this library understands (" +
                        std::to_string(kFormatVersion) + ")",
                    CAROM_E_RULES_VERSION);
    return CAROM_OK;
}

// Escapes a literal for RE2.
std::string quote(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) o += '\\';
        o += c;
    }
    return o;
}

// Checks that a text pattern can match folded text: no letter outside an escape that case
// folding would change (an upper-case letter can never match). Returns the byte offset of the
// first offending character, or npos.
std::size_t unfolded_letter(std::string_view p) {
    std::size_t i = 0;
    while (i < p.size()) {
        if (p[i] == '\\') {
            i += 2;
            // \p{Greek} / \P{..} / \x{..}: skip the braces.
            if (i - 1 < p.size() && (p[i - 1] == 'p' || p[i - 1] == 'P' || p[i - 1] == 'x') && i < p.size() &&
                p[i] == '{') {
                while (i < p.size() && p[i] != '}') ++i;
                ++i;
            } else if (i - 1 < p.size() && (p[i - 1] == 'p' || p[i - 1] == 'P')) {
                ++i;  // \pL
            }
            continue;
        }
        if (p.substr(i, 2) == "(?" ) {  // flags group (?i) (?P<name>...)
            std::size_t j = i + 2;
            if (j < p.size() && p[j] == 'P') {
                while (j < p.size() && p[j] != '>') ++j;
                i = j + 1;
                continue;
            }
            i = j;
            continue;
        }
        if (p.substr(i, 2) == "[:") {  // [:alpha:] classes
            std::size_t j = p.find(":]", i + 2);
            if (j != std::string_view::npos) {
                i = j + 2;
                continue;
            }
        }
        UChar32 c = 0;
        std::size_t at = i;
        int32_t k = static_cast<int32_t>(i);
        U8_NEXT(p.data(), k, static_cast<int32_t>(p.size()), c);
        i = static_cast<std::size_t>(k);
        if (c < 0) continue;
        icu::UnicodeString one(c), folded(c);
        folded.foldCase(U_FOLD_CASE_DEFAULT);
        if (folded != one) return at;
    }
    return std::string_view::npos;
}

carom_status_t Parser::set_condition(Rule &r, Field f, std::string_view value, unsigned line, unsigned column) {
    Condition &c = r.cond[f];
    if (c.present) return fail(line, column, std::string("duplicate \"") + kFieldNames[f] + "\" in rule " + r.id);
    c.present = true;
    c.value = std::string(value);
    c.line = line;
    c.column = column;
    std::vector<std::string_view> ws = words(value);
    std::string alt;
    bool first = true;
    auto add_alt = [&](const std::string &p) {
        if (!first) alt += '|';
        first = false;
        alt += p;
    };
    switch (f) {
    case kStatus:
        // 5.1.1, 5.1.*, 4.*.*, 5.1.10 ; "*" stands for any number of 1-3 digits.
        for (std::string_view w : ws) {
            std::string_view parts[3];
            std::size_t n = 0, s = 0;
            for (std::size_t i = 0; i <= w.size(); ++i) {
                if (i == w.size() || w[i] == '.') {
                    if (n == 3) { n = 4; break; }
                    parts[n++] = w.substr(s, i - s);
                    s = i + 1;
                }
            }
            bool ok = n == 3;
            if (ok && !(parts[0] == "2" || parts[0] == "4" || parts[0] == "5" || parts[0] == "*")) ok = false;
            std::string p;
            for (std::size_t k = 0; ok && k < 3; ++k) {
                std::string_view q = parts[k];
                if (q == "*") {
                    p += "[0-9]{1,3}";
                } else if (!q.empty() && q.size() <= 3 && q.find_first_not_of("0123456789") == std::string_view::npos) {
                    p += std::string(q);
                } else {
                    ok = false;
                }
                if (k < 2) p += "\\.";
            }
            if (!ok)
                return fail(line, static_cast<unsigned>(column + (w.data() - value.data())),
                            "bad status code pattern \"" + std::string(w) + "\" (expected e.g. 5.1.1, 5.1.*, 4.*.*)");
            add_alt(p);
        }
        break;
    case kReply:
        for (std::string_view w : ws) {
            bool ok = w.size() == 3 && (w[0] == '2' || w[0] == '4' || w[0] == '5');
            std::string p;
            for (std::size_t k = 0; ok && k < 3; ++k) {
                if (w[k] >= '0' && w[k] <= '9') p += w[k];
                else if (k > 0 && (w[k] == 'x' || w[k] == 'X')) p += "[0-9]";
                else ok = false;
            }
            if (!ok)
                return fail(line, static_cast<unsigned>(column + (w.data() - value.data())),
                            "bad reply code pattern \"" + std::string(w) + "\" (expected e.g. 550, 55x, 5xx)");
            add_alt(p);
        }
        break;
    case kCommand:
        for (std::string_view w : ws) {
            std::string u = upper(w);
            static constexpr const char *kCommands[] = {"CONN", "HELO", "EHLO", "STARTTLS", "AUTH", "MAIL",
                                                        "RCPT", "DATA", "BDAT", "QUIT", "RSET", "NONE"};
            bool ok = false;
            for (const char *k : kCommands) ok = ok || u == k;
            if (!ok)
                return fail(line, static_cast<unsigned>(column + (w.data() - value.data())),
                            "unknown SMTP command \"" + std::string(w) +
                                "\" (CONN HELO EHLO STARTTLS AUTH MAIL RCPT DATA BDAT QUIT RSET NONE)");
            add_alt(u == "NONE" ? std::string() : quote(u));
        }
        break;
    case kReport:
        for (std::string_view w : ws) {
            std::string l = lower(w);
            bool ok = false;
            for (const char *k : kReportNames) ok = ok || l == k;
            if (!ok)
                return fail(line, static_cast<unsigned>(column + (w.data() - value.data())),
                            "unknown report \"" + std::string(w) +
                                "\" (feedback auto-reply challenge virusnotice delivered relayed expanded)");
            add_alt(quote(l));
        }
        break;
    case kFormat:
    case kAction:
    case kCategory:
        for (std::string_view w : ws) {
            std::string l = lower(w);
            if (l.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") != std::string::npos)
                return fail(line, static_cast<unsigned>(column + (w.data() - value.data())),
                            std::string("bad ") + kFieldNames[f] + " name \"" + std::string(w) + "\"");
            if (f == kAction && l != "failed" && l != "delayed" && l != "delivered" && l != "relayed" &&
                l != "expanded")
                return fail(line, static_cast<unsigned>(column + (w.data() - value.data())),
                            "unknown action \"" + std::string(w) + "\" (failed delayed delivered relayed expanded)");
            add_alt(quote(l));
        }
        break;
    case kText:
    case kHost:
    case kReporter: {
        std::size_t bad = unfolded_letter(value);
        if (bad != std::string_view::npos)
            return fail(line, static_cast<unsigned>(column + bad),
                        "pattern has a letter that case folding changes; text is matched after folding, so write "
                        "it in lower case");
        alt = std::string(value);
        break;
    }
    default:
        break;
    }
    if (ws.empty()) return fail(line, column, std::string("\"") + kFieldNames[f] + "\" needs a value");
    c.pattern = alt;
    return CAROM_OK;
}

carom_status_t Parser::finish(Rule &r) {
    if (r.says.empty())
        return fail(r.line, 1, "rule " + r.id + " has no \"says\" line (what the MTA actually writes)");
    if (r.reason_name.empty()) return fail(r.line, 1, "rule " + r.id + " has no \"reason\"");
    if (r.condition_count() == 0) return fail(r.line, 1, "rule " + r.id + " has no match condition");
    out_.push_back(std::move(r));
    return CAROM_OK;
}

carom_status_t Parser::run() {
    const std::string &t = src_.text;
    std::size_t pos = 0;
    unsigned lineno = 0;
    bool in_rule = false;
    int default_priority = -1;
    bool priority_set = false;
    Rule cur;
    std::size_t first_new = out_.size();
    while (pos < t.size() || lineno == 0) {
        std::size_t nl = t.find('\n', pos);
        if (nl == std::string::npos) nl = t.size();
        std::string_view line(t.data() + pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = nl + 1;
        ++lineno;
        if (line.find('\0') != std::string_view::npos)
            return fail(lineno, static_cast<unsigned>(line.find('\0') + 1), "NUL byte in a rule file");
        if (lineno == 1) {
            std::string_view l = line;
            if (l.substr(0, 3) == "\xEF\xBB\xBF") l.remove_prefix(3);  // UTF-8 BOM
            carom_status_t st = version_line(l);
            if (st != CAROM_OK) return st;
            if (pos > t.size()) break;
            continue;
        }
        std::size_t ind = 0;
        while (ind < line.size() && is_wsp(line[ind])) ++ind;
        if (ind == line.size() || line[ind] == '#') {
            if (pos > t.size()) break;
            continue;
        }
        unsigned col = static_cast<unsigned>(ind + 1);
        std::size_t kend = ind;
        while (kend < line.size() && !is_wsp(line[kend])) ++kend;
        std::string_view key = line.substr(ind, kend - ind);
        std::size_t vstart = kend;
        while (vstart < line.size() && is_wsp(line[vstart])) ++vstart;
        std::size_t vend = line.size();
        while (vend > vstart && is_wsp(line[vend - 1])) --vend;
        std::string_view value = line.substr(vstart, vend - vstart);
        unsigned vcol = static_cast<unsigned>(vstart + 1);

        if (key == "rule") {
            if (ind != 0) return fail(lineno, col, "\"rule\" must start at the beginning of the line");
            if (in_rule) {
                carom_status_t st = finish(cur);
                if (st != CAROM_OK) return st;
            }
            cur = Rule();
            cur.priority = default_priority;
            priority_set = false;
            in_rule = true;
            if (value.empty()) return fail(lineno, vcol, "\"rule\" needs an id");
            for (std::size_t i = 0; i < value.size(); ++i)
                if (!id_char(value[i]) || (i == 0 && !((value[i] >= 'a' && value[i] <= 'z') || (value[i] >= '0' && value[i] <= '9'))))
                    return fail(lineno, static_cast<unsigned>(vcol + i),
                                "bad character in rule id (use a-z 0-9 . - _, starting with a letter or digit)");
            if (value.size() > 128) return fail(lineno, vcol, "rule id longer than 128 characters");
            for (std::size_t i = first_new; i < out_.size(); ++i)
                if (out_[i].id == value)
                    return fail(lineno, vcol,
                                "duplicate rule id " + std::string(value) + " (first at line " +
                                    std::to_string(out_[i].line) + ")");
            cur.id = std::string(value);
            cur.line = lineno;
            cur.file = src_.name;
            if (pos > t.size()) break;
            continue;
        }
        // A file-level line ("default priority", "class", "precedence", "outcome") ends the rule
        // before it.
        if (ind == 0 && in_rule && (key == "default" || key == "class" || key == "precedence" || key == "outcome")) {
            carom_status_t st = finish(cur);
            if (st != CAROM_OK) return st;
            in_rule = false;
        }
        if (key == "default" && ind == 0) {
            // "default priority N": the priority of the following rules that set none.
            std::vector<std::string_view> ws = words(value);
            if (ws.size() != 2 || ws[0] != "priority" || ws[1].size() > 3 ||
                ws[1].find_first_not_of("0123456789") != std::string_view::npos)
                return fail(lineno, vcol, "expected \"default priority N\" (N from 0 to 999)");
            default_priority = std::atoi(std::string(ws[1]).c_str());
            if (pos > t.size()) break;
            continue;
        }
        if (key == "class" && ind == 0) {
            // "class CLASS REASON...": the class of failed records with these reasons.
            std::size_t sp = 0;
            while (sp < value.size() && !is_wsp(value[sp])) ++sp;
            carom_class_t cls;
            if (!class_from_name(value.substr(0, sp), &cls) || cls == CAROM_CLASS_NONE)
                return fail(lineno, vcol, "unknown class \"" + std::string(value.substr(0, sp)) + "\"");
            std::size_t rest = sp;
            while (rest < value.size() && is_wsp(value[rest])) ++rest;
            std::vector<carom_reason_t> list;
            carom_status_t st = reason_list(value.substr(rest), lineno, static_cast<unsigned>(vcol + rest), "class", list);
            if (st != CAROM_OK) return st;
            if (directives_) directives_->classes.emplace_back(cls, std::move(list));
            if (pos > t.size()) break;
            continue;
        }
        if ((key == "precedence" || key == "outcome") && ind == 0) {
            // "precedence REASON...": which reason wins when equally strong evidence names two;
            // "outcome REASON...": reasons that words naming a cause outrank.
            std::vector<carom_reason_t> list;
            const bool prec = key == "precedence";
            carom_status_t st = reason_list(value, lineno, vcol, prec ? "precedence" : "outcome", list);
            if (st != CAROM_OK) return st;
            if (directives_) (prec ? directives_->precedence : directives_->outcome) = std::move(list);
            if (pos > t.size()) break;
            continue;
        }
        if (!in_rule) return fail(lineno, col, "\"" + std::string(key) + "\" outside a rule (start one with \"rule ID\")");
        if (ind == 0) return fail(lineno, col, "a rule's lines must be indented");
        if (key == "says") {
            if (value.empty()) return fail(lineno, vcol, "\"says\" needs the text the MTA writes");
            cur.says.emplace_back(value);
        } else if (key == "reason") {
            if (!cur.reason_name.empty()) return fail(lineno, col, "duplicate \"reason\" in rule " + cur.id);
            if (value.empty()) return fail(lineno, vcol, "\"reason\" needs a reason name");
            carom_reason_t rsn;
            if (!reason_from_name(value, &rsn))
                return fail(lineno, vcol, "unknown reason \"" + std::string(value) + "\"");
            cur.reason = rsn;
            cur.reason_name = lower(value);
        } else if (key == "priority") {
            if (priority_set) return fail(lineno, col, "duplicate \"priority\" in rule " + cur.id);
            priority_set = true;
            if (value.empty() || value.size() > 3 || value.find_first_not_of("0123456789") != std::string_view::npos)
                return fail(lineno, vcol, "\"priority\" must be a number from 0 to 999");
            cur.priority = std::atoi(std::string(value).c_str());
        } else if (key == "tier") {
            // "tier provider": the text is a code or marker that one provider documents (Comcast's
            // BL000001, Yahoo's [TS01]): it ranks with the rules that name a provider.
            if (value != "provider") return fail(lineno, vcol, "\"tier\" takes one value: provider");
            cur.provider_marker = true;
        } else if (key == "excludes") {
            if (!cur.excludes.empty()) return fail(lineno, col, "duplicate \"excludes\" in rule " + cur.id);
            carom_status_t st = reason_list(value, lineno, vcol, "excludes", cur.excludes);
            if (st != CAROM_OK) return st;
        } else {
            bool known = false;
            for (std::size_t f = 0; f < kFieldCount; ++f) {
                if (key == kFieldNames[f]) {
                    known = true;
                    carom_status_t st = set_condition(cur, static_cast<Field>(f), value, lineno, vcol);
                    if (st != CAROM_OK) return st;
                }
            }
            if (!known)
                return fail(lineno, col,
                            "unknown key \"" + std::string(key) +
                                "\" (says status reply text command host format action reporter category report reason excludes tier priority)");
        }
        if (pos > t.size()) break;
    }
    if (in_rule) return finish(cur);
    return CAROM_OK;
}

}  // namespace

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
        for (std::string_view w : words(cond[kStatus].value)) {
            std::size_t d = w.rfind('.');
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

carom_status_t parse(const Source &source, std::vector<Rule> &out, std::string &error,
                     Directives *directives) {
    std::vector<Rule> tmp;
    Parser p(source, tmp, error, directives);
    carom_status_t st = p.run();
    if (st != CAROM_OK) return st;
    for (auto &r : tmp) out.push_back(std::move(r));
    return CAROM_OK;
}

carom_status_t check(const Source &source, std::string &error) {
    std::vector<Rule> tmp;
    error.clear();
    return parse(source, tmp, error);
}

namespace {

// What the ASCII shortcut of normalise() does with each byte: 0 for white space and control
// characters (collapsed), 0x80 for a non-ASCII byte (the text takes the ICU path), else the byte
// with A-Z folded to a-z.
struct AsciiMap {
    unsigned char m[256];
    constexpr AsciiMap() : m() {
        for (int b = 0; b < 256; ++b)
            m[b] = b >= 0x80 ? 0x80
                   : (b <= 0x20 || b == 0x7F) ? 0
                   : (b >= 'A' && b <= 'Z') ? static_cast<unsigned char>(b - 'A' + 'a')
                                            : static_cast<unsigned char>(b);
    }
};
constexpr AsciiMap kAsciiMap;

// Among ASCII code points, exactly the bytes <= 0x20 and 0x7F are white space or control
// characters for ICU (a test checks this against u_isUWhiteSpace / u_iscntrl).
bool ascii_space(UChar32 c) { return c <= 0x20 || c == 0x7F; }

constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;

// Eight bytes that normalise() copies unchanged except for case: printable ASCII and spaces,
// no two spaces side by side (a space at either end is the caller's to handle). Word-at-a-time
// tests (each exact for bytes below 0x80, which the first test ensures).
bool plain_chunk(std::uint64_t x) {
    if (x & kHigh) return false;                                      // non-ASCII
    if ((x - kOnes * 0x20) & ~x & kHigh) return false;                // a byte below 0x20
    const std::uint64_t del = x ^ (kOnes * 0x7F);
    if ((del - kOnes) & ~del & kHigh) return false;                   // DEL
    const std::uint64_t sp = x ^ (kOnes * 0x20);
    const std::uint64_t spaces = ~(((sp & ~kHigh) + ~kHigh) | sp) & kHigh;  // 0x80 where a space is
    return (spaces & (spaces << 8)) == 0;                             // no two spaces side by side
}

// A-Z -> a-z in eight ASCII bytes.
std::uint64_t fold_chunk(std::uint64_t x) {
    const std::uint64_t ge_a = x + kOnes * (0x80 - 'A');  // high bit: byte >= 'A'
    const std::uint64_t gt_z = x + kOnes * (0x80 - 'Z' - 1);  // high bit: byte > 'Z'
    return x | ((ge_a & ~gt_z & kHigh) >> 2);
}

#if defined(__SSE2__)
// Sixteen bytes at once, the same test as plain_chunk: printable ASCII and spaces (0x20-0x7E:
// bytes from 0x80 up are negative as signed bytes and fail the first comparison), no two spaces
// side by side.
bool plain16(__m128i x) {
    const __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x1F)), _mm_cmplt_epi8(x, _mm_set1_epi8(0x7F)));
    if (_mm_movemask_epi8(printable) != 0xFFFF) return false;
    const unsigned spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(' '))));
    return (spaces & (spaces >> 1)) == 0;
}

// A-Z -> a-z in sixteen ASCII bytes.
__m128i fold16(__m128i x) {
    const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
    return _mm_or_si128(x, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
}
#endif

}  // namespace

std::string normalise(std::string_view text) {
    // Most diagnostics are plain ASCII. There NFKC changes nothing, case folding is A-Z -> a-z,
    // and the white space / control characters collapsed below are exactly the bytes <= 0x20 and
    // 0x7F; doing that directly skips two UTF-16 conversions and the ICU passes (about a tenth of
    // the classification time, docs/performance.md). A test checks the two paths agree. One pass
    // through a table: the first non-ASCII byte abandons it for the ICU path. Runs of eight bytes
    // that need only case folding (most of a diagnostic's words and single spaces) go at once.
    // `pending`: white space was seen after some output, so one space goes before the next byte.
    std::string out(text.size(), '\0');  // never longer than the text: written through a pointer
    char *const begin = &out[0];
    char *w = begin;
    bool pending = false;
    const char *const p = text.data();
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
#if defined(__SSE2__)
        if (n - i >= 16) {  // as the eight-byte chunks below, sixteen bytes at a time
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
            const bool lead = p[i] == ' ';
            if (plain16(x) && !(lead && w == begin)) {
                if (pending && !lead) *w++ = ' ';
                _mm_storeu_si128(reinterpret_cast<__m128i *>(w), fold16(x));
                pending = p[i + 15] == ' ';
                w += pending ? 15 : 16;
                i += 16;
                continue;
            }
        }
#endif
        if (n - i >= 8) {
            // Single spaces between printable bytes stay as they are. A space first in the chunk
            // is the one space of a run already pending, or, after output, a run of its own (at
            // the very start it would be dropped: the byte path does that). Pending white space
            // before a printable first byte is written first. A space last in the chunk is held
            // back as pending: more white space or the end of the text may follow.
            std::uint64_t x;
            std::memcpy(&x, p + i, 8);
            const bool lead = p[i] == ' ';
            if (plain_chunk(x) && !(lead && w == begin)) {
                if (pending && !lead) *w++ = ' ';
                x = fold_chunk(x);
                std::memcpy(w, &x, 8);
                pending = p[i + 7] == ' ';
                w += pending ? 7 : 8;
                i += 8;
                continue;
            }
        }
        const unsigned char m = kAsciiMap.m[static_cast<unsigned char>(p[i++])];
        if (m == 0) {
            pending = w != begin;
            continue;
        }
        if (m == 0x80) return normalise_unicode(text);
        if (pending) *w++ = ' ';
        pending = false;
        *w++ = static_cast<char>(m);
    }
    out.resize(static_cast<std::size_t>(w - begin));
    return out;
}

std::string normalise_unicode(std::string_view text) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Normalizer2 *nfkc = icu::Normalizer2::getNFKCInstance(ec);
    if (U_SUCCESS(ec) && nfkc) {
        icu::UnicodeString n = nfkc->normalize(u, ec);
        if (U_SUCCESS(ec)) u = n;
    }
    u.foldCase(U_FOLD_CASE_DEFAULT);
    // Collapse white space and control characters, writing UTF-8 straight from the folded UTF-16
    // (no UTF-8 copy to decode again). A lone surrogate becomes U+FFFD, as toUTF8String writes it.
    const UChar *units = u.getBuffer();
    const int32_t n = units ? u.length() : 0;
    std::string out(static_cast<std::size_t>(n) * 3, '\0');  // a UTF-16 unit is at most 3 UTF-8 bytes
    auto *w = reinterpret_cast<uint8_t *>(&out[0]);
    int32_t o = 0;
    bool pending = false;
    int32_t i = 0;
    while (i < n) {
        UChar32 c = 0;
        U16_NEXT(units, i, n, c);
        bool space;
        if (c < 0x80) {
            space = ascii_space(c);  // ASCII (most of a text that has some non-ASCII): no ICU calls
        } else {
            if (U_IS_SURROGATE(c)) c = 0xFFFD;
            space = u_isUWhiteSpace(c) || u_iscntrl(c) || c == 0x200B || c == 0xFEFF;
        }
        if (space) {
            pending = o != 0;
            continue;
        }
        if (pending) w[o++] = ' ';
        pending = false;
        U8_APPEND_UNSAFE(w, o, c);
    }
    out.resize(static_cast<std::size_t>(o));
    return out;
}

}  // namespace carom::rules
