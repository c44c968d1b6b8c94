#include "report/envelope.hh"

#include "base/strings.hh"

namespace carom::report {
namespace {

bool srs_separator(char c) { return c == '=' || c == '+' || c == '-'; }

// "HHH=TT=domain=local" (an SRS0 local part after "SRS0" and its separator) → local@domain.
std::string srs0_tail(std::string_view rest) {
    std::size_t a = rest.find('=');
    if (a == std::string_view::npos || a == 0) return "";  // hash
    std::size_t b = rest.find('=', a + 1);
    if (b == std::string_view::npos || b == a + 1) return "";  // timestamp
    std::size_t c = rest.find('=', b + 1);
    if (c == std::string_view::npos || c == b + 1 || c + 1 >= rest.size()) return "";  // domain, local
    return std::string(rest.substr(c + 1)) + "@" + std::string(rest.substr(b + 1, c - b - 1));
}

// A BATV tag "KDDDSSSSSS": key digit, three day digits, six hex digits.
bool batv_tag_shape(std::string_view t) { return t.size() == 10 && all_digits(t.substr(0, 4)) && all_hex(t.substr(4)); }

}  // namespace

std::string srs_reverse(std::string_view address) {
    const std::size_t at = address.rfind('@');
    if (at == std::string_view::npos || at < 6) return "";
    const std::string_view local = address.substr(0, at);
    if (!istarts_with(local, "srs0") && !istarts_with(local, "srs1")) return "";
    if (!srs_separator(local[4])) return "";
    const std::string_view rest = local.substr(5);
    if (local[3] == '0') return srs0_tail(rest);
    // SRS1: HHH=forwarder1= then the SRS0 local part's tail, which starts with its separator.
    std::size_t a = rest.find('=');
    if (a == std::string_view::npos || a == 0) return "";
    std::size_t b = rest.find('=', a + 1);
    if (b == std::string_view::npos || b == a + 1 || b + 2 >= rest.size() || !srs_separator(rest[b + 1])) return "";
    return srs0_tail(rest.substr(b + 2));
}

bool split_prvs(std::string_view a, std::string &tag, std::string &original) {
    tag.clear();
    original.clear();
    if (!istarts_with(a, "prvs=")) return false;
    const std::size_t at = a.rfind('@');
    if (at == std::string_view::npos || at < 5) return false;
    const std::string_view local = a.substr(5, at - 5);
    const std::string_view domain = a.substr(at + 1);
    const std::size_t eq = local.find('=');
    if (eq == 10 && batv_tag_shape(local.substr(0, 10)) && local.size() > 11) {
        tag = std::string(local.substr(0, 10));  // prvs=KDDDSSSSSS=local
        original = std::string(local.substr(11)) + "@" + std::string(domain);
    } else if (local.size() > 11 && local[local.size() - 11] == '=' && batv_tag_shape(local.substr(local.size() - 10))) {
        tag = std::string(local.substr(local.size() - 10));  // prvs=local=KDDDSSSSSS
        original = std::string(local.substr(0, local.size() - 11)) + "@" + std::string(domain);
    }
    if (tag.empty() || domain.empty()) {
        tag.clear();
        original.clear();
        return false;
    }
    return true;
}

std::string unwrap_return_address(std::string_view address) {
    std::string a(address), tag, inner;
    for (int layer = 0; layer < 4; ++layer) {
        if (std::string s = srs_reverse(a); !s.empty()) {
            a = std::move(s);
        } else if (split_prvs(a, tag, inner)) {
            a = std::move(inner);
        } else {
            break;
        }
    }
    return a;
}

}  // namespace carom::report
