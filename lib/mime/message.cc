// STUB (to be replaced by the MIME layer): headers and a single body, no multipart.
#include "mime/message.hh"

namespace carom::mime {

static bool ieq(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

const std::string *Headers::get(std::string_view name) const {
    for (const auto &f : fields)
        if (ieq(f.name, name)) return &f.value;
    return nullptr;
}

std::string Headers::decoded(std::string_view name) const {
    const std::string *v = get(name);
    return v ? decode_words(*v) : std::string();
}

Headers parse_headers(std::string_view text, std::size_t *rest) {
    Headers h;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t e = text.find('\n', i);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(i, e - i);
        i = e + 1;
        if (line.empty()) break;
        if ((line[0] == ' ' || line[0] == '\t') && !h.fields.empty()) {
            h.fields.back().value += " ";
            h.fields.back().value += std::string(line.substr(1));
            continue;
        }
        std::size_t c = line.find(':');
        if (c == std::string_view::npos) continue;
        h.fields.push_back({std::string(line.substr(0, c)), std::string(line.substr(c + 1))});
    }
    if (rest) *rest = i > text.size() ? text.size() : i;
    return h;
}

std::string decode_words(std::string_view raw) { return std::string(raw); }

std::string to_utf8(std::string_view bytes, std::string_view) { return std::string(bytes); }

carom_status_t parse(std::string_view bytes, const Limits &limits, Message &out, std::string &error) {
    if (bytes.empty()) return error = "empty message", CAROM_E_EMPTY;
    if (bytes.size() > limits.message_bytes()) return error = "message too large", CAROM_E_TOO_LARGE;
    std::string norm;
    norm.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        char c = bytes[i];
        if (c == '\r') {
            norm += '\n';
            if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
        } else {
            norm += c;
        }
    }
    std::size_t rest = 0;
    out.root.headers = parse_headers(norm, &rest);
    if (out.root.headers.fields.empty()) return error = "no header block", CAROM_E_NOT_EMAIL;
    out.root.body = norm.substr(rest);
    out.root.text = out.root.body;
    out.parts = 1;
    return CAROM_OK;
}

const Part *find(const Part &root, std::string_view type, std::string_view subtype) {
    if ((type == "*" || root.type == type) && (subtype == "*" || root.subtype == subtype)) return &root;
    for (const auto &c : root.children)
        if (const Part *p = find(c, type, subtype)) return p;
    return nullptr;
}

std::string body_text(const Message &msg) { return msg.root.text; }

}  // namespace carom::mime
