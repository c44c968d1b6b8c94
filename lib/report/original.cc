// The returned original: read_original and the fields it keeps. See original.hh; the block quoted
// in a text is found by quoted.cc.
#include "base/strings.hh"
#include "report/original.hh"

#include "mime/decode.hh"
#include "report/fields.hh"
#include "report/parts.hh"

namespace carom::report {

using namespace std::string_view_literals;

using mime::Part;

namespace {

// The identifier inside angle brackets (Message-ID, List-Id); the trimmed value when it has none.
std::string angle_id(std::string_view v) {
    std::string_view t = trim(v);
    std::size_t lt = t.find('<'), gt = t.find('>', lt == std::string_view::npos ? 0 : lt);
    if (lt != std::string_view::npos && gt != std::string_view::npos) return std::string(trim(t.substr(lt + 1, gt - lt - 1)));
    return std::string(t);
}

// One pass over the fields (names told apart by length first) instead of a lookup per item: the
// header blocks of returned messages are long, and this runs for most messages.
void fill_original(const mime::Headers &h, const std::vector<std::string> &extra, bool received, Original &o) {
    const std::string_view *message_id = nullptr, *from = nullptr, *subject = nullptr, *date = nullptr,
                           *return_path = nullptr, *list_id = nullptr;
    for (const mime::Field &f : h.fields) {
        const std::string_view n = f.name;
        switch (n.size()) {
            case 2:
                if (iequals(n, "to"))
                    append_address_list(f.value, o.to);
                break;
            case 4:
                if (!from && iequals(n, "from")) from = &f.value;
                else if (!date && iequals(n, "date")) date = &f.value;
                break;
            case 7:
                if (!subject && iequals(n, "subject")) subject = &f.value;
                else if (!list_id && iequals(n, "list-id")) list_id = &f.value;
                break;
            case 8:
                if (received && iequals(n, "received")) o.received.emplace_back(f.value);
                break;
            case 10:
                if (!message_id && iequals(n, "message-id")) message_id = &f.value;
                break;
            case 11:
                if (!return_path && iequals(n, "return-path")) return_path = &f.value;
                break;
            default:
                break;
        }
    }
    if (message_id) o.message_id = angle_id(*message_id);
    if (from) {
        // decode_words returns plain valid UTF-8 unchanged: read such a value in place.
        const bool plain = from->find("=?") == std::string::npos && mime::valid_utf8(*from);
        o.from = plain ? bare_address(*from) : bare_address(mime::decode_words(*from));
    }
    o.subject = subject ? mime::decode_words(*subject) : std::string();
    if (date) {
        o.date = iso_date(*date);
        if (o.date.empty()) o.date = std::string(trim(*date));
    }
    if (return_path) o.return_path = bare_address(*return_path);
    if (list_id) o.list_id = angle_id(*list_id);
    for (const std::string &name : extra)
        for (const std::string_view *v : h.all(name)) o.headers.emplace_back(lower(name), mime::decode_words(*v));
    o.present = true;
}

}  // namespace

void read_original(const mime::Message &msg, const std::vector<std::string> &extra, Original &out,
                   bool received) {
    if (const mime::Headers *h = attached_headers(msg)) {
        fill_original(*h, extra, received, out);
        return;
    }
    mime::Headers quoted;
    bool found = false;
    walk(msg.root, false, [&](const Part &p, bool inside) {
        if (found || inside || p.type != "text"sv || !p.children.empty()) return;
        if (p.subtype != "plain"sv && p.subtype != "delivery-status"sv) return;
        found = quoted_headers(p.text, quoted);
    });
    if (found) fill_original(quoted, extra, received, out);
}

}  // namespace carom::report
