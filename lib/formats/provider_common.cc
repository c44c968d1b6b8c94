#include "formats/provider_common.hh"

#include "formats/text.hh"

namespace carom::formats {

bool hdr_has(const Input &in, std::string_view name, std::string_view what) {
    const std::string_view *v = in.msg.root.headers.get(name);
    return v && icontains(*v, what);
}

Record &record_for(Extraction &ex, const std::string &addr) {
    for (auto &r : ex.records)
        if (lower(r.recipient) == lower(addr)) return r;
    Record r;
    r.recipient = addr;
    r.action = "failed";
    ex.records.push_back(std::move(r));
    return ex.records.back();
}

void fill_codes(Record &r, std::string_view reply_text) {
    if (r.reply_code.empty()) r.reply_code = find_reply_code(trim(reply_text));
    if (r.status.empty()) r.status = find_status(r.diagnostic);
    if (r.command.empty()) r.command = find_command(r.diagnostic);
}

}  // namespace carom::formats
