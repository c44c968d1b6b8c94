#include "classify/domains.hh"

#include "base/strings.hh"
#include "formats/text.hh"

namespace carom {

std::string address_domain(std::string_view address) {
    // Most callers hand over a bare address (the original's From and Return-Path, already
    // extracted): letters, digits, '.', '-', '_', '+' and one '@' with something on both sides,
    // neither starting with '.' nor ending with '.' or '-'. find_address would return all of it
    // (no brackets; the characters around the '@' are address characters; nothing to trim), so
    // the domain is what follows the '@'. Anything else takes the general path.
    auto plain = [](char c) { return is_alnum(c) || c == '.' || c == '-' || c == '_' || c == '+'; };
    std::size_t at = std::string_view::npos;
    bool fast = !address.empty() && address.front() != '.' && address.back() != '.' && address.back() != '-';
    for (std::size_t i = 0; fast && i < address.size(); ++i) {
        if (address[i] == '@') {
            fast = at == std::string_view::npos;
            at = i;
        } else if (!plain(address[i])) {
            fast = false;
        }
    }
    if (fast && at != std::string_view::npos && at > 0 && at + 1 < address.size()) return lower(address.substr(at + 1));
    std::string found = formats::find_address(address);
    std::size_t a = found.rfind('@');
    if (a == std::string::npos) return std::string();
    return lower(std::string_view(found).substr(a + 1));
}

bool domain_within(std::string_view domain, std::string_view d) {
    if (domain.empty() || d.empty()) return false;
    if (domain.size() == d.size()) return domain == d;
    return domain.size() > d.size() && ends_with(domain, d) && domain[domain.size() - d.size() - 1] == '.';
}

bool in_domains(std::string_view domain, const std::vector<std::string> &list) {
    for (const auto &d : list)
        if (domain_within(domain, d)) return true;
    return false;
}

std::string org_domain(const std::string &d) {
    std::size_t last = d.rfind('.');
    if (last == std::string::npos || last == 0) return d;
    std::size_t second = d.rfind('.', last - 1);
    if (second == std::string::npos) return d;
    bool cc = d.size() - last - 1 == 2;
    bool short_sld = last - second - 1 <= 3;
    if (cc && short_sld) {
        std::size_t third = second == 0 ? std::string::npos : d.rfind('.', second - 1);
        return third == std::string::npos ? d : d.substr(third + 1);
    }
    return d.substr(second + 1);
}

}  // namespace carom
