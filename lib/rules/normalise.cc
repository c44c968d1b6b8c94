// The text normalisation applied to a diagnostic before its words are matched
// (docs/rules-format.md, "Text normalisation").
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "rules/ruleset.hh"

namespace carom::rules {

namespace {

// Among ASCII code points, exactly the bytes <= 0x20 and 0x7F are white space or control
// characters for ICU (a test checks this against u_isUWhiteSpace / u_iscntrl).
bool ascii_space(UChar32 c) { return c <= 0x20 || c == 0x7F; }

}  // namespace

std::string normalise(std::string_view text) {
    // Most diagnostics are plain ASCII, where NFKC changes nothing and case folding is A-Z -> a-z:
    // this path skips ICU's conversions and passes, a tenth of the time of a classification (a
    // test checks that both paths agree). The first non-ASCII byte hands the text to ICU.
    std::string out;
    out.reserve(text.size());
    bool pending = false;  // white space after some output: one space before the next character
    for (const char ch : text) {
        const auto b = static_cast<unsigned char>(ch);
        if (b >= 0x80) return normalise_unicode(text);
        if (ascii_space(b)) {
            pending = !out.empty();
            continue;
        }
        if (pending) out += ' ';
        pending = false;
        out += (b >= 'A' && b <= 'Z') ? static_cast<char>(b - 'A' + 'a') : ch;
    }
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
