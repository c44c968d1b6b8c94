#include "classify/envelope.hh"

#include "base/strings.hh"
#include "classify/verp.hh"
#include "formats/text.hh"
#include "report/envelope.hh"
#include "report/stamp.hh"

namespace carom {

std::vector<std::string> envelope_recipients(const mime::Message &msg) {
    std::vector<std::string> out;
    for (const char *name : {"Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"}) {
        for (const auto &f : msg.root.headers.fields) {
            if (!iequals(f.name, name)) continue;
            std::string a = formats::find_address(f.value);
            bool seen = false;
            for (const auto &x : out) seen = seen || iequals(x, a);
            if (!a.empty() && !seen) out.push_back(a);
        }
    }
    return out;
}

std::string verp_recipient(const Context &ctx, const mime::Message &msg, const Original &original) {
    if (ctx.verp_template.empty()) return "";
    std::vector<std::string> addrs = envelope_recipients(msg);
    if (std::string rp = formats::find_address(original.return_path); !rp.empty()) addrs.push_back(rp);
    for (const std::string &a : addrs) {
        VerpCheck v = check_verp(report::unwrap_return_address(a), ctx);
        if (!v.matched || v.state == VerpCheck::bad_signature) continue;
        const std::size_t at = v.recipient.rfind('@');
        if (at == std::string::npos || at == 0 || at + 1 == v.recipient.size()) continue;  // an opaque signed id
        return v.recipient;
    }
    return "";
}

void apply_envelope(const Context &ctx, const mime::Message &msg, Extraction &ex) {
    if (ex.records.empty() || ctx.verp_template.empty()) return;
    const std::string decoded = verp_recipient(ctx, msg, ex.original);
    if (decoded.empty()) return;
    const std::string &key = !ex.original.message_id.empty() ? ex.original.message_id : ex.original.date;
    for (Record &r : ex.records) {
        r.envelope_recipient = decoded;
        if (!r.recipient.empty() && r.recipient_source != "original-header") continue;
        // The report names no recipient, or only the returned message's To / Cc does (often a
        // list or an alias): the address we mailed is the VERP one.
        r.recipient = decoded;
        r.recipient_source = "verp";
        r.token = report::record_token(r.sender, r.recipient, key);
    }
}

}  // namespace carom
