// fml (the Japanese mailing-list manager; X-MLServer: fml [fml 4.0 ...]). It rejects a post from a
// non-member with a notice to the poster naming the list:
//
//   You are not a member of this mailing list <list@example.org>.
//
// and also returns "command rejected" / "message too big" style notices. The rejected delivery is
// the one to the list, so the list address is the recipient.
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

bool fml_detect(const Input &in) { return header_has(in, "X-MLServer", "fml"); }

bool fml_read(const Input &in, Extraction &ex) {
    // The first paragraph of the notice says what happened.
    std::string first;
    for (std::string_view l : lines(in.body)) {
        if (trim(l).empty()) {
            if (!first.empty()) break;
            continue;
        }
        if (!first.empty()) first += ' ';
        first += std::string(trim(l));
    }
    const bool rejection = icontains(first, "not a member") || icontains(first, "rejected") ||
                           icontains(first, "denied") || icontains(first, "too big") || icontains(first, "not allowed");
    if (!rejection) return false;
    std::string list = find_address(first);
    if (list.empty()) {
        std::string post = header(in, "List-Post");
        list = find_address(post);
    }
    if (list.empty()) return false;
    Record r;
    r.recipient = list;
    r.diagnostic = first;
    merge(in, ex, {r});
    return !ex.records.empty();
}

}  // namespace

extern const Reader fml_reader = {"fml", Phrases{}, fml_detect, fml_read};

}  // namespace carom::formats
