// embed_rules: checks the built-in rule files and embeds them into builtin_rules.cc. Run by Meson
// at build time (lib/rules/meson.build), built for the build machine.
//
// Usage: embed_rules OUTPUT.cc VERSION-FILE RULES-FILE...
//
// Every file goes through the library's own parser (rules::parse), then all of them through
// rules::compile_sources as the built-in set, so that whatever the library would refuse at run
// time (a syntax error, an unknown reason, a duplicate id, a pattern RE2 does not compile) fails
// the build instead. Two lints hold only for the built-in files: no control character (an editing
// accident, e.g. "\b" typed as a backspace) and no "\b" before a non-word character (it only
// matches after a letter or digit: "\b\[tss" never matches " [tss"). Every reason must have a
// "class" line: the generated builtin_class() answers carom_reason_default_class from them.
// An error prints FILE:LINE:COLUMN: message and fails the build.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.hh"
#include "base/taxonomy.hh"
#include "rules/atoms.hh"
#include "rules/matcher.hh"
#include "rules/rules.hh"
#include "rules/ruleset.hh"

namespace {

using carom::rules::Source;

std::string where(const std::string &file, std::size_t line, std::size_t column) {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

bool read_file(const std::string &path, std::string &out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    std::ostringstream s;
    s << f.rdbuf();
    out = s.str();
    return true;
}

std::string base_name(const std::string &path) {
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A control character other than tab, on any line (a line's final carriage return excepted).
bool lint_control_characters(const Source &s, std::string &error) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < s.text.size(); ++i, ++column) {
        const auto c = static_cast<unsigned char>(s.text[i]);
        if (c == '\n') {
            ++line;
            column = 0;
            continue;
        }
        const bool line_end_cr = c == '\r' && (i + 1 == s.text.size() || s.text[i + 1] == '\n');
        if ((c < 0x20 && c != '\t' && !line_end_cr) || c == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", c);
            error = where(s.name, line, column) + "control character " + hex + " in a rule file";
            return false;
        }
    }
    return true;
}

// "\b" followed by a character that is no word character: written as an escape (\[ \( \. \-) or
// as itself.
std::size_t word_boundary_before_non_word(const std::string &p) {
    for (std::size_t i = 0; i + 2 < p.size(); ++i) {
        if (p[i] != '\\' || p[i + 1] != 'b') continue;
        const char next = p[i + 2];
        if (next == '\\' && i + 3 < p.size() && std::string_view("[(.-").find(p[i + 3]) != std::string_view::npos)
            return i;
        if (std::string_view("<>#/-:;,'\" [").find(next) != std::string_view::npos) return i;
    }
    return std::string::npos;
}

bool lint_patterns(const std::vector<carom::rules::Rule> &rules, std::string &error) {
    using namespace carom::rules;
    for (const Rule &r : rules) {
        for (Field f : {kText, kHost, kReporter}) {
            const Condition &c = r.cond[f];
            const std::size_t at = c.present ? word_boundary_before_non_word(c.value) : std::string::npos;
            if (at == std::string::npos) continue;
            error = where(r.file, c.line, c.column + at) +
                           "\\b before a non-word character: it can only match after a letter or digit";
            return false;
        }
    }
    return true;
}

bool check_version(const std::string &path, const std::string &text, std::string &version, std::string &error) {
    const std::size_t a = text.find_first_not_of(" \t\r\n"), b = text.find_last_not_of(" \t\r\n");
    version = a == std::string::npos ? std::string() : text.substr(a, b - a + 1);
    bool ok = !version.empty() && version.size() <= 32;
    for (char c : version)
        ok = ok && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '+' || c == '-');
    if (!ok) error = where(path, 1, 1) + "bad version string";
    return ok;
}

carom_class_t no_class(carom_reason_t) { return CAROM_CLASS_NONE; }

// Compiles the files as the built-in set; returns the class of every reason (by value) and the
// atoms of every text pattern (atoms.hh), computed with the default rule_memory.
bool compile_all(const std::vector<Source> &files, std::vector<std::pair<carom_reason_t, carom_class_t>> &classes,
                 std::size_t &rule_count, carom::rules::AtomTable &atoms, std::string &error) {
    carom_status_t status = CAROM_OK;
    const auto compiled = carom::rules::compile_sources({}, files, no_class, carom::Limits().rule_memory(), status, error);
    if (!compiled) return false;
    rule_count = compiled->size();
    const auto &matcher = static_cast<const carom::rules::Matcher &>(*compiled);
    atoms = matcher.text_atoms();
    RE2::Options longest = matcher.options;
    longest.set_longest_match(true);  // as the text patterns are compiled (compile.cc)
    carom::rules::refine_together(atoms, longest);
    for (unsigned k = 0; k < carom::reason_count(); ++k) {
        const auto r = static_cast<carom_reason_t>(k);
        if (!carom::reason_name(r)) continue;
        const carom_class_t c = compiled->class_of(r);
        if (c == CAROM_CLASS_NONE) {
            error = where(files.front().name, 1, 1) + "reason " + carom::reason_name(r) +
                           " has no \"class\" line in the built-in files";
            return false;
        }
        classes.emplace_back(r, c);
    }
    return true;
}

// One string literal per line of the file (no literal beyond the length ISO C++ guarantees).
std::string c_lines(const std::string &text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        out += "    \"";
        for (std::size_t i = start; i < nl; ++i) {
            const char c = text[i];
            if (c == '\\' || c == '"') out += '\\';
            if (c == '?' && i > start && text[i - 1] == '?') out += '\\';  // no trigraph
            if (c == '\r') out += "\\r";
            else out += c;
        }
        out += nl < text.size() ? "\\n\",\n" : "\",\n";
        start = nl + 1;
    }
    return out;
}

// A C++ string literal of any bytes (no trigraph, no control character as itself).
std::string c_string(const std::string &text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\\' || c == '"' || (c == '?' && i > 0 && text[i - 1] == '?')) {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
            char oct[8];
            std::snprintf(oct, sizeof oct, "\\%03o", c);
            out += oct;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

// The atoms of the built-in text patterns, sorted by pattern so that the output is the same on
// every build.
std::string atoms_table(const carom::rules::AtomTable &atoms) {
    std::vector<std::pair<std::string, const carom::rules::PatternAtoms *>> sorted;
    for (const auto &e : atoms) sorted.emplace_back(e.first, &e.second);
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    std::string o = "struct KnownPattern {\n    const char *pattern;\n    bool unfiltered;\n"
                    "    const char *const *atoms;         // ends with nullptr\n"
                    "    const unsigned short *clauses;  // (size, atom indexes...)..., 0xFFFF\n};\n";
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        o += "const char *const kAtoms" + std::to_string(i) + "[] = {";
        for (const std::string &a : sorted[i].second->atoms) o += c_string(a) + ", ";
        o += "nullptr};\nconst unsigned short kClauses" + std::to_string(i) + "[] = {";
        for (const auto &clause : sorted[i].second->clauses) {
            o += std::to_string(clause.size()) + ",";
            for (std::uint16_t k : clause) o += " " + std::to_string(k) + ",";
            o += " ";
        }
        o += "0xFFFF};\n";
    }
    o += "const KnownPattern kKnown[] = {\n";
    for (std::size_t i = 0; i < sorted.size(); ++i)
        o += "    {" + c_string(sorted[i].first) + ", " + (sorted[i].second->unfiltered ? "true" : "false") + ", kAtoms" +
             std::to_string(i) + ", kClauses" + std::to_string(i) + "},\n";
    return o + "};\n";
}

std::string upper(std::string s) {
    for (char &c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

std::string generate(const std::vector<Source> &files, const std::string &version, std::size_t rule_count,
                     const std::vector<std::pair<carom_reason_t, carom_class_t>> &classes,
                     const carom::rules::AtomTable &atoms) {
    std::string names, o;
    for (const Source &s : files) names += (names.empty() ? "" : ", ") + std::string("lib/rules/data/") + base_name(s.name);
    o += "// Generated by embed_rules (lib/rules/embed.cc) from " + names + ".\n";
    o += "// Do not edit: edit the .rules files instead.\n";
    o += "// " + std::to_string(rule_count) + " rules, rule set version " + version + ".\n";
    o += "#include <cstddef>\n#include <string>\n\n#include \"rules/atoms.hh\"\n#include \"rules/builtin.hh\"\n\n"
         "namespace carom::rules {\n\nnamespace {\n";
    for (std::size_t i = 0; i < files.size(); ++i) {
        o += "// generated from lib/rules/data/" + base_name(files[i].name) + "\n";
        o += "const char *const kFile" + std::to_string(i) + "[] = {\n" + c_lines(files[i].text) + "};\n";
    }
    o += "template <std::size_t N>\nstd::string join(const char *const (&lines)[N]) {\n    std::string s;\n"
         "    for (const char *l : lines) s += l;\n    return s;\n}\n\n";
    o += "struct ReasonClass {\n    int reason;\n    carom_class_t cls;\n};\n";
    o += "// The \"class\" lines of the files above.\nconstexpr ReasonClass kClasses[] = {\n";
    for (const auto &rc : classes)
        o += "    {" + std::to_string(static_cast<int>(rc.first)) + ", CAROM_CLASS_" + upper(carom::class_name(rc.second)) +
             "},  // " + carom::reason_name(rc.first) + "\n";
    o += "};\n";
    o += "// The atoms of every text pattern of the files above (rules/atoms.hh).\n" + atoms_table(atoms);
    o += "}  // namespace\n\nstd::vector<Source> builtin_sources() {\n    std::vector<Source> v;\n";
    for (std::size_t i = 0; i < files.size(); ++i)
        o += "    v.push_back(Source{\"builtin:" + base_name(files[i].name) + "\", join(kFile" + std::to_string(i) + ")});\n";
    o += "    return v;\n}\n\n";
    o += "const char *builtin_version() { return \"" + version + "\"; }\n\n";
    o += "KnownAtoms builtin_atoms() {\n    KnownAtoms table;\n    for (const KnownPattern &k : kKnown) {\n"
         "        PatternAtoms &p = table[k.pattern];\n        p.unfiltered = k.unfiltered;\n"
         "        for (const char *const *a = k.atoms; *a; ++a) p.atoms.emplace_back(*a);\n"
         "        for (const unsigned short *i = k.clauses; *i != 0xFFFF; i += *i + 1)\n"
         "            p.clauses.emplace_back(i + 1, i + 1 + *i);\n    }\n"
         "    return table;\n}\n\n";
    o += "carom_class_t builtin_class(carom_reason_t reason) {\n"
         "    for (const ReasonClass &rc : kClasses)\n"
         "        if (rc.reason == static_cast<int>(reason)) return rc.cls;\n"
         "    return CAROM_CLASS_SOFT;\n}\n\n}  // namespace carom::rules\n";
    return o;
}

bool run(int argc, char **argv, std::string &error) {
    const std::string output = argv[1], version_path = argv[2];
    std::string version_text, version;
    if (!read_file(version_path, version_text)) {
        error = version_path + ": cannot read";
        return false;
    }
    if (!check_version(version_path, version_text, version, error)) return false;
    std::vector<Source> files;
    for (int i = 3; i < argc; ++i) {
        Source s{argv[i], {}};
        if (!read_file(s.name, s.text)) {
            error = s.name + ": cannot read";
            return false;
        }
        std::vector<carom::rules::Rule> rules;
        if (!lint_control_characters(s, error) || carom::rules::parse(s, rules, error) != CAROM_OK ||
            !lint_patterns(rules, error))
            return false;
        files.push_back(std::move(s));
    }
    std::vector<std::pair<carom_reason_t, carom_class_t>> classes;
    std::size_t rule_count = 0;
    carom::rules::AtomTable atoms;
    if (!compile_all(files, classes, rule_count, atoms, error)) return false;
    const std::string tmp = output + ".tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << generate(files, version, rule_count, classes, atoms);
    out.close();
    if (out && std::rename(tmp.c_str(), output.c_str()) == 0) return true;
    error = output + ": cannot write";
    return false;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: embed_rules OUTPUT.cc VERSION-FILE RULES-FILE...\n");
        return 2;
    }
    std::string error;  // FILE:LINE:COLUMN: message
    try {
        if (run(argc, argv, error)) return 0;
    } catch (const std::exception &e) {  // a build tool, not the library: out of memory and the like
        error = std::string("embed_rules: ") + e.what();
    }
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
}
