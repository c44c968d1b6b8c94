// See parts.hh.
#include "base/strings.hh"
#include "report/parts.hh"

namespace carom::report {

using namespace std::string_view_literals;

const mime::Headers *attached_headers(const mime::Message &msg) {
    const mime::Headers *found = nullptr;
    walk(msg.root, false, [&](const mime::Part &p, bool inside) {
        if (found || inside || &p == &msg.root) return;
        bool message = p.type == "message"sv && (p.subtype == "rfc822"sv || p.subtype == "global"sv || p.subtype == "news"sv ||
                                               p.subtype == "global-headers"sv || p.subtype == "rfc822-headers"sv);
        bool headers = p.type == "text"sv && (p.subtype == "rfc822-headers"sv || p.subtype == "rfc822-header"sv);
        if ((message || headers) && !p.children.empty() && !p.children[0].headers.fields.empty())
            found = &p.children[0].headers;
    });
    return found;
}

}  // namespace carom::report
