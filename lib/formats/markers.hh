// Body markers: the phrases a reader looks for in the whole bounce text, found for every reader
// in ONE pass over the body instead of one case-insensitive search per phrase.
//
// Each reader lists its phrases in its own file,
//
//     constexpr std::string_view kMarkers[] = {"This is the mail system at host", ...};
//
// and gives the list to its Reader (formats/reader.hh: `markers(kMarkers)`). The registry gathers
// the lists of the registered readers, builds one automaton over all of them (automaton.hh: an
// immutable function-local static, made by formats::prepare() or the first message), and
// read_known scans each body with it once. The reader then tests a phrase of its list by name:
//
//     body_has(in, BODY_MARKER("This is the mail system at host"))
//
// BODY_MARKER looks the phrase up in the file's kMarkers at compile time (a phrase missing from the
// list does not compile) and body_has answers with a bit test. The answer is exactly
// icontains(in.body, phrase) (ASCII case folded, other bytes compared as they are); where there is
// no scan (an Input made outside read_known), body_has searches instead.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>

#include "formats/automaton.hh"
#include "formats/reader.hh"

namespace carom::formats {

// A reader has at most this many markers: its found ones are one 64-bit word (Input::markers).
inline constexpr std::size_t kMaxReaderMarkers = 64;

// The index of phrase s in list. Only ever evaluated at compile time (BODY_MARKER): a phrase not
// in the list reaches the throw, which is not a constant expression — a compile error that says to
// add it.
template <typename List>
constexpr std::size_t marker_index(const List &list, std::string_view s) {
    for (std::size_t i = 0; i < std::size(list); ++i)
        if (list[i] == s) return i;
    throw "phrase missing from this file's kMarkers (formats/markers.hh)";
}

// A reader's markers for its Reader descriptor: markers(kMarkers).
template <std::size_t N>
constexpr Phrases markers(const std::string_view (&list)[N]) {
    static_assert(N <= kMaxReaderMarkers, "a reader has at most 64 body markers");
    return Phrases{list, N};
}
template <std::size_t N>
constexpr Phrases markers(const std::array<std::string_view, N> &list) {
    static_assert(N <= kMaxReaderMarkers, "a reader has at most 64 body markers");
    return Phrases{list.data(), N};
}

// Two lists as one (a reader that names a group of its markers: kMarkers = joined(kGroup, kRest)).
template <std::size_t A, std::size_t B>
constexpr std::array<std::string_view, A + B> joined(const std::string_view (&a)[A], const std::string_view (&b)[B]) {
    std::array<std::string_view, A + B> out{};
    for (std::size_t i = 0; i < A; ++i) out[i] = a[i];
    for (std::size_t i = 0; i < B; ++i) out[A + i] = b[i];
    return out;
}

// A set of a reader's markers (bit i = its phrase i), for the tests on several at once.
using MarkerMask = std::uint64_t;

// The set of `group`'s phrases in `list`, at compile time: constexpr MarkerMask kX = marker_mask(kMarkers, kGroup).
template <typename List, std::size_t N>
constexpr MarkerMask marker_mask(const List &list, const std::string_view (&group)[N]) {
    MarkerMask m = 0;
    for (std::string_view p : group) m |= MarkerMask{1} << marker_index(list, p);
    return m;
}

// What read_known works out once per message for every reader (Input::scan).
struct Scan {
    bool scanned = false;   // the automaton was built (it always is for today's readers)
    MarkerSet body;         // the registered phrases found in in.body ...
    std::size_t first[PhraseAutomaton::kCapacity];  // ... and where each starts (valid where body has it)
    std::string subject;    // header(in, "Subject"): decoded once, not once per detect step
};
Scan scan(const Input &in);

// The Input a registered reader is called with: in, with the reader's markers and, when in has a
// scan, which of them it found (registry.cc gives `base`, where they sit among all the phrases).
// (Inline: the registry makes one for every reader it tries on every message.)
inline Input reader_input(const Input &in, Phrases phrases, std::size_t base) {
    Markers m;
    m.phrases = phrases;
    m.base = base;
    m.scanned = in.scan && in.scan->scanned && base + phrases.size <= PhraseAutomaton::kCapacity;
    if (m.scanned) m.found = in.scan->body.window(base, phrases.size);
    return Input{in.msg, in.body, in.limits, in.scan, m};
}

// icontains(in.body, phrase i of the reader's kMarkers): the scan's bit when there is one.
bool body_search(const Input &in, std::size_t marker);
inline bool body_has(const Input &in, std::size_t marker) {
    return in.markers.scanned ? (in.markers.found >> marker) & 1 : body_search(in, marker);
}
// Any of the mask's phrases in in.body.
bool body_has_any(const Input &in, MarkerMask mask);
// ifind(in.body, phrase i): where the phrase first starts in the body, npos when absent.
std::size_t body_find(const Input &in, std::size_t marker);
// The earliest start of any of the mask's phrases in in.body, npos when none is there.
std::size_t body_find_first(const Input &in, MarkerMask mask);
// The latest of the mask's phrases' first starts, npos when none is there.
std::size_t body_find_latest(const Input &in, MarkerMask mask);

// before_original(in.body) (text.hh), its phrases' positions taken from the scan: the support
// code's own markers, scanned with the readers' (kOriginalStarts, text.hh).
std::string_view before_original(const Input &in);

// Every phrase the automaton scans for, in its numbering: the support markers, then each
// registered reader's list (registry.cc). For tests.
const PhraseAutomaton &body_automaton();

}  // namespace carom::formats

// The compile-time index of a phrase in the file's kMarkers, for body_has:
// body_has(in, BODY_MARKER("...")).
#define BODY_MARKER(phrase) (std::integral_constant<std::size_t, ::carom::formats::marker_index(kMarkers, phrase)>::value)
