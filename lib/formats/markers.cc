#include "formats/markers.hh"

#include <algorithm>

#include "formats/mta_common.hh"
#include "formats/text.hh"

namespace carom::formats {

Scan scan(const Input &in) {
    Scan s;
    const PhraseAutomaton &a = body_automaton();
    s.scanned = a.built();
    a.scan(in.body, s.body, s.first);
    s.subject = header(in, "Subject");
    return s;
}

bool body_search(const Input &in, std::size_t marker) { return icontains(in.body, in.markers.phrases.list[marker]); }

std::size_t body_find(const Input &in, std::size_t marker) {
    if (!in.markers.scanned) return ifind(in.body, in.markers.phrases.list[marker]);
    if (!((in.markers.found >> marker) & 1)) return std::string_view::npos;
    return in.scan->first[in.markers.base + marker];
}

bool body_has_any(const Input &in, MarkerMask mask) {
    if (in.markers.scanned) return (in.markers.found & mask) != 0;
    for (std::size_t i = 0; i < in.markers.phrases.size; ++i)
        if ((mask >> i) & 1 && body_search(in, i)) return true;
    return false;
}

std::size_t body_find_first(const Input &in, MarkerMask mask) {
    std::size_t best = std::string_view::npos;
    for (std::size_t i = 0; i < in.markers.phrases.size; ++i)
        if ((mask >> i) & 1) best = std::min(best, body_find(in, i));
    return best;
}

std::size_t body_find_latest(const Input &in, MarkerMask mask) {
    std::size_t latest = std::string_view::npos;
    for (std::size_t i = 0; i < in.markers.phrases.size; ++i) {
        if (!((mask >> i) & 1)) continue;
        const std::size_t p = body_find(in, i);
        if (p != std::string_view::npos && (latest == std::string_view::npos || p > latest)) latest = p;
    }
    return latest;
}

std::string_view before_original(const Input &in) {
    if (!in.scan || !in.scan->scanned) return before_original(std::string_view(in.body));
    // The support markers come first in the scan's numbering (registry.cc).
    std::size_t p = in.body.size();
    for (std::size_t i = 0; i < std::size(kOriginalStarts); ++i)
        if (in.scan->body.has(i)) p = std::min(p, in.scan->first[i]);
    return std::string_view(in.body).substr(0, p);
}

}  // namespace carom::formats
