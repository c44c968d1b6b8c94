#include "classify/message_id.hh"

#include <re2/re2.h>

#include "base/strings.hh"
#include "classify/domains.hh"

namespace carom {
namespace {

// The lower-case domain of a bare Message-ID (after its last '@'), "" when it has none.
std::string id_domain(const std::string &id) {
    std::size_t at = id.rfind('@');
    return at == std::string::npos ? std::string() : lower(std::string_view(id).substr(at + 1));
}

}  // namespace

std::string bare_message_id(std::string_view raw) {
    std::size_t lt = raw.find('<');
    if (lt != std::string_view::npos) {
        std::size_t gt = raw.find('>', lt);
        if (gt != std::string_view::npos) return std::string(trim(raw.substr(lt + 1, gt - lt - 1)));
    }
    return std::string(trim(raw));
}

bool message_id_is_ours(const std::string &id, const Context &ctx) {
    if (id.empty()) return false;
    std::string d = id_domain(id);
    if (!d.empty() && in_domains(d, ctx.message_id_domains)) return true;
    for (const auto &re : ctx.message_id_patterns)
        if (RE2::FullMatch(id, *re)) return true;
    return false;
}

bool looks_forged(const Original &o, const std::string &id, std::string &evidence) {
    // The cheap facts come first: the Message-ID domain, then the From domain and its relation to
    // it; the Return-Path domain (an address parse) only when the answer still depends on it.
    std::string mid = id_domain(id);
    if (mid.empty()) return false;
    auto related = [](const std::string &a, const std::string &b) {
        return domain_within(a, b) || domain_within(b, a) || org_domain(a) == org_domain(b);
    };
    std::string from = address_domain(o.from);
    if (from.empty() || related(from, mid)) return false;
    std::string rp = address_domain(o.return_path);
    if (rp.empty() || related(from, rp) || related(rp, mid)) return false;
    evidence = "From domain " + from + " differs from Return-Path domain " + rp + "; Message-ID domain " + mid +
               " is unrelated to the sender";
    return true;
}

}  // namespace carom
