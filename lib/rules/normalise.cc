// The text normalisation applied to a diagnostic before its words are matched
// (docs/rules-format.md, "Text normalisation").
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstring>

#include "rules/ruleset.hh"

namespace carom::rules {

namespace {

// Among ASCII code points, exactly the bytes <= 0x20 and 0x7F are white space or control
// characters for ICU (a test checks this against u_isUWhiteSpace / u_iscntrl).
bool ascii_space(UChar32 c) { return c <= 0x20 || c == 0x7F; }

// Whether eight bytes need nothing but case folding: printable ASCII and single spaces, no two
// spaces side by side. The word-at-a-time tests are exact for bytes below 0x80 (the first test).
bool plain_word(std::uint64_t x) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    if (x & kHigh) return false;                        // non-ASCII
    if ((x - kOnes * 0x20) & ~x & kHigh) return false;  // a byte below 0x20
    const std::uint64_t del = x ^ (kOnes * 0x7F);
    if ((del - kOnes) & ~del & kHigh) return false;     // DEL
    const std::uint64_t sp = x ^ (kOnes * 0x20);
    const std::uint64_t spaces = ~(((sp & ~kHigh) + ~kHigh) | sp) & kHigh;  // 0x80 where a space is
    return (spaces & (spaces << 8)) == 0;
}

// A-Z -> a-z in eight ASCII bytes.
std::uint64_t fold_word(std::uint64_t x) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    const std::uint64_t ge_a = x + kOnes * (0x80 - 'A');      // high bit: byte >= 'A'
    const std::uint64_t gt_z = x + kOnes * (0x80 - 'Z' - 1);  // high bit: byte > 'Z'
    return x | ((ge_a & ~gt_z & kHigh) >> 2);
}

// Copies the eight bytes at text[i] folded when nothing but their case changes, and steps on;
// false when they need the byte-by-byte path. A space first in them is the one pending space (so
// none at the very start, where it is dropped); one last in them is held back as pending.
bool copy_plain_word(std::string_view text, std::size_t &i, std::string &out, std::size_t &w, bool &pending) {
    if (text.size() - i < 8 || (text[i] == ' ' && w == 0)) return false;
    std::uint64_t x;
    std::memcpy(&x, text.data() + i, 8);
    if (!plain_word(x)) return false;
    if (pending && text[i] != ' ') out[w++] = ' ';
    x = fold_word(x);
    std::memcpy(&out[w], &x, 8);
    pending = text[i + 7] == ' ';
    w += pending ? 7 : 8;
    i += 8;
    return true;
}

}  // namespace

std::string normalise(std::string_view text) {
    // Most diagnostics are plain ASCII, where NFKC changes nothing and case folding is A-Z -> a-z:
    // this path skips ICU's conversions and passes, a tenth of the time of a classification (a
    // test checks that both paths agree). The first non-ASCII byte hands the text to ICU. Words
    // of eight plain bytes go at once: it pays, diagnostics are mostly such words.
    std::string out(text.size(), '\0');  // never longer than the text
    std::size_t w = 0, i = 0;
    bool pending = false;  // white space after some output: one space before the next character
    while (i < text.size()) {
        if (copy_plain_word(text, i, out, w, pending)) continue;
        const auto b = static_cast<unsigned char>(text[i++]);
        if (b >= 0x80) return normalise_unicode(text);
        if (ascii_space(b)) {
            pending = w != 0;
            continue;
        }
        if (pending) out[w++] = ' ';
        pending = false;
        out[w++] = (b >= 'A' && b <= 'Z') ? static_cast<char>(b - 'A' + 'a') : static_cast<char>(b);
    }
    out.resize(w);
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
