// An Aho-Corasick automaton that finds, in one pass over a text, which of a list of phrases it
// contains and where each first starts: for every phrase exactly icontains / ifind (text.hh: A-Z
// folded to a-z, every other byte compared as it is). The readers' body markers are its phrases
// (formats/markers.hh); the registry builds it once from what the registered readers declare.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace carom::formats {

// A set of phrase numbers below PhraseAutomaton::kCapacity.
struct MarkerSet {
    static constexpr std::size_t kWords = 4;
    std::uint64_t w[kWords] = {};

    void add(std::size_t i) { w[i / 64] |= std::uint64_t{1} << (i % 64); }
    bool has(std::size_t i) const { return (w[i / 64] >> (i % 64)) & 1; }
    // Bits [from, from + n) as one word, bit 0 = phrase `from` (n <= 64).
    std::uint64_t window(std::size_t from, std::size_t n) const {
        const std::size_t k = from / 64, b = from % 64;
        std::uint64_t v = w[k] >> b;
        if (b != 0 && k + 1 < kWords) v |= w[k + 1] << (64 - b);
        return n < 64 ? v & ((std::uint64_t{1} << n) - 1) : v;
    }
};

class PhraseAutomaton {
  public:
    // Phrase numbers fit a MarkerSet; a scan's answer has one position per phrase.
    static constexpr std::size_t kCapacity = MarkerSet::kWords * 64;

    // The phrases are viewed, not copied: they must outlive the automaton (the readers' lists are
    // static). Not built (built() false) when there are more than kCapacity phrases or when their
    // states would not fit the 16-bit table; then scan() finds nothing and callers search instead.
    explicit PhraseAutomaton(std::vector<std::string_view> phrases);

    bool built() const { return built_; }
    std::size_t size() const { return phrases_.size(); }
    const std::vector<std::string_view> &phrases() const { return phrases_; }

    // Adds to `found` every phrase in text, and for each one it adds, where it first starts
    // (ifind(text, phrase)) in first[phrase]. Entries of phrases not found are left as they are.
    void scan(std::string_view text, MarkerSet &found, std::size_t first[kCapacity]) const;

  private:
    using State = std::uint16_t;
    static constexpr std::uint16_t kEnd = 0xFFFF;  // ends a list of phrase numbers in out_ids_

    void build();
    void hit(std::size_t s, const unsigned char *last, const unsigned char *begin, MarkerSet &found,
             std::size_t *first) const;
    void walk(const unsigned char *begin, const unsigned char *p, const unsigned char *e, MarkerSet &found,
              std::size_t *first, std::size_t s = 0) const;
    static std::size_t steps(const State *d, const std::uint32_t *col, std::uint32_t fo, const unsigned char *const *from,
                             std::size_t *st, std::size_t j, std::size_t n);
    void lanes(const unsigned char *begin, std::size_t size, MarkerSet &found, std::size_t *first) const;

    std::vector<std::string_view> phrases_;
    bool built_ = false;
    std::uint32_t column_[256] = {};     // per byte: its class's column (class x states)
    std::size_t classes_ = 0;
    std::size_t longest_ = 1;            // the longest phrase's length
    std::vector<State> table_;           // classes_ columns of one next state per state
    std::uint32_t first_out_ = 0;        // the first state that ends a phrase
    std::vector<std::uint32_t> out_at_;  // per such state (less first_out_): its list in out_ids_
    std::vector<std::uint16_t> out_ids_;
};

}  // namespace carom::formats
