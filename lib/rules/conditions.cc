// The value of a condition line turned into the RE2 pattern it stands for (docs/rules-format.md:
// code patterns, command, report, format, action and category names, regular expressions).
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "base/strings.hh"
#include "rules/ruleset.hh"

namespace carom::rules {

namespace {

// Escapes a literal for RE2.
std::string quote(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) o += '\\';
        o += c;
    }
    return o;
}

bool one_of(std::string_view w, std::initializer_list<const char *> names) {
    for (const char *n : names)
        if (w == n) return true;
    return false;
}

// Where a condition's value is wrong: the offset of the word (or character) in the value.
struct Bad {
    std::size_t offset;
    std::string message;
};

// "5.1.1", "5.1.*", "4.*.*", "5.1.10": "*" stands for any number of 1-3 digits. Empty when w is
// no status code pattern.
std::string status_pattern(std::string_view w) {
    std::string_view parts[3];
    std::size_t n = 0, start = 0;
    for (std::size_t i = 0; i <= w.size(); ++i) {
        if (i < w.size() && w[i] != '.') continue;
        if (n == 3) return {};
        parts[n++] = w.substr(start, i - start);
        start = i + 1;
    }
    if (n != 3 || !one_of(parts[0], {"2", "4", "5", "*"})) return {};
    std::string p;
    for (std::size_t k = 0; k < 3; ++k) {
        const std::string_view q = parts[k];
        if (q == "*")
            p += "[0-9]{1,3}";
        else if (!q.empty() && q.size() <= 3 && q.find_first_not_of("0123456789") == std::string_view::npos)
            p += std::string(q);
        else
            return {};
        if (k < 2) p += "\\.";
    }
    return p;
}

// "550", "55x", "5xx". Empty when w is no reply code pattern.
std::string reply_pattern(std::string_view w) {
    if (w.size() != 3 || !(w[0] == '2' || w[0] == '4' || w[0] == '5')) return {};
    std::string p;
    for (std::size_t k = 0; k < 3; ++k) {
        if (w[k] >= '0' && w[k] <= '9') p += w[k];
        else if (k > 0 && (w[k] == 'x' || w[k] == 'X')) p += "[0-9]";
        else return {};
    }
    return p;
}

// The offset of the first character of a text pattern that case folding changes (such a letter
// outside an escape can never match folded text), or npos.
std::size_t unfolded_letter(std::string_view p) {
    std::size_t i = 0;
    while (i < p.size()) {
        if (p[i] == '\\') {
            const char kind = i + 1 < p.size() ? p[i + 1] : '\0';
            i += 2;
            if ((kind == 'p' || kind == 'P' || kind == 'x') && i < p.size() && p[i] == '{') {
                while (i < p.size() && p[i] != '}') ++i;  // \p{Greek} \P{..} \x{..}: skip the braces
                ++i;
            } else if (kind == 'p' || kind == 'P') {
                ++i;  // \pL
            }
            continue;
        }
        if (p.substr(i, 2) == "(?") {  // a flags group (?i), or a name (?P<name>...)
            std::size_t j = i + 2;
            if (j < p.size() && p[j] == 'P') {
                while (j < p.size() && p[j] != '>') ++j;
                ++j;
            }
            i = j;
            continue;
        }
        if (p.substr(i, 2) == "[:") {  // [:alpha:] classes
            const std::size_t j = p.find(":]", i + 2);
            if (j != std::string_view::npos) {
                i = j + 2;
                continue;
            }
        }
        UChar32 c = 0;
        const std::size_t at = i;
        auto k = static_cast<int32_t>(i);
        U8_NEXT(p.data(), k, static_cast<int32_t>(p.size()), c);
        i = static_cast<std::size_t>(k);
        if (c < 0) continue;
        if (c < 0x80) {  // ASCII folds A-Z and nothing else (ICU for each byte cost a quarter of a build)
            if (c >= 'A' && c <= 'Z') return at;
            continue;
        }
        icu::UnicodeString one(c), folded(c);
        folded.foldCase(U_FOLD_CASE_DEFAULT);
        if (folded != one) return at;
    }
    return std::string_view::npos;
}

// One word of a status, reply, command, report, format, action or category value, as a pattern.
// Sets `bad` and returns false when the word is not one the field takes.
bool word_pattern(Field f, std::string_view w, std::string &p, std::string &bad) {
    switch (f) {
    case kStatus:
        p = status_pattern(w);
        bad = "bad status code pattern \"" + std::string(w) + "\" (expected e.g. 5.1.1, 5.1.*, 4.*.*)";
        return !p.empty();
    case kReply:
        p = reply_pattern(w);
        bad = "bad reply code pattern \"" + std::string(w) + "\" (expected e.g. 550, 55x, 5xx)";
        return !p.empty();
    case kCommand: {
        const std::string u = upper(w);
        bad = "unknown SMTP command \"" + std::string(w) + "\" (CONN HELO EHLO STARTTLS AUTH MAIL RCPT DATA BDAT QUIT RSET NONE)";
        p = u == "NONE" ? std::string() : quote(u);
        return one_of(u, {"CONN", "HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT", "QUIT", "RSET", "NONE"});
    }
    case kReport: {
        const std::string l = lower(w);
        bad = "unknown report \"" + std::string(w) + "\" (feedback auto-reply challenge virusnotice delivered relayed expanded)";
        p = quote(l);
        for (const char *k : kReportNames)
            if (l == k) return true;
        return false;
    }
    default: {  // format, action, category: names
        const std::string l = lower(w);
        p = quote(l);
        if (l.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") != std::string::npos) {
            bad = std::string("bad ") + field_name(f) + " name \"" + std::string(w) + "\"";
            return false;
        }
        // RFC 3464's five actions, and "expired", which SendGrid writes for a message it stopped
        // retrying.
        bad = "unknown action \"" + std::string(w) + "\" (failed delayed delivered relayed expanded expired)";
        return f != kAction || one_of(l, {"failed", "delayed", "delivered", "relayed", "expanded", "expired"});
    }
    }
}

}  // namespace

bool condition_pattern(Field f, std::string_view value, std::string &pattern, std::size_t &bad_offset,
                       std::string &message) {
    pattern.clear();
    const std::vector<std::string_view> ws = split_words(value);
    if (f == kText || f == kHost || f == kReporter) {
        // Regular expressions, matched against folded text.
        const std::size_t bad = unfolded_letter(value);
        if (bad != std::string_view::npos) {
            bad_offset = bad;
            message = "pattern has a letter that case folding changes; text is matched after folding, so write it "
                      "in lower case";
            return false;
        }
        pattern = std::string(value);
    } else {
        // Words, each one alternative.
        for (std::size_t k = 0; k < ws.size(); ++k) {
            std::string p;
            if (!word_pattern(f, ws[k], p, message)) {
                bad_offset = static_cast<std::size_t>(ws[k].data() - value.data());
                return false;
            }
            pattern += (k ? "|" : "") + p;
        }
    }
    if (ws.empty()) {
        bad_offset = 0;
        message = std::string("\"") + field_name(f) + "\" needs a value";
        return false;
    }
    return true;
}

}  // namespace carom::rules
