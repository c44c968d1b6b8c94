// Support shared by the local delivery agent readers (lib/formats/lda_*.cc). Delivery agents that
// refuse a message after accepting it (Dovecot LDA/LMTP, Pigeonhole and Cyrus Sieve "reject")
// answer with an RFC 8098 disposition notification ("deleted") instead of an RFC 3464 report:
// the recipient is in its Final-Recipient field.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "formats/mta_common.hh"
#include "mime/message.hh"

namespace carom::formats {

// A field of the message/disposition-notification part ("" when there is no such part or field),
// with an "rfc822;" type prefix removed.
inline std::string mdn_field(const Input &in, std::string_view name) {
    const mime::Part *p = mime::find(in.msg.root, "message", "disposition-notification");
    if (p == nullptr) return "";
    const mime::Headers h = mime::parse_headers(p->text.empty() ? p->body : p->text);
    std::string v = h.decoded(name);
    std::size_t semi = v.find(';');
    if (semi != std::string::npos && semi < 12) v = std::string(trim(std::string_view(v).substr(semi + 1)));
    return v;
}

// The lines of text after the line holding `intro`, up to the first blank line (a rejection
// reason may be several lines long), white space collapsed.
inline std::string paragraph_after(std::string_view text, std::string_view intro) {
    std::size_t p = ifind(text, intro);
    if (p == std::string_view::npos) return "";
    std::size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos) return "";
    std::string out;
    bool started = false;
    for (std::string_view l : lines(text.substr(nl + 1))) {
        if (trim(l).empty()) {
            if (started) break;
            continue;
        }
        started = true;
        if (!out.empty()) out += ' ';
        out += std::string(trim(l));
    }
    return squeeze(out);
}

// Completes the record of a refusal and adds it to `ex` under `format`: the reporting MTA is the
// host in front of Reporting-UA's ';', the action "failed", and no SMTP command (there was no
// SMTP dialogue: "mail from" in a reason is prose).
inline void add_refusal(const Input &in, Record &&r, Extraction &ex, std::string_view format) {
    const std::string ua = mdn_field(in, "Reporting-UA");
    r.reporting_mta = std::string(trim(std::string_view(ua).substr(0, ua.find(';'))));
    r.action = "failed";
    finish(r);
    r.command.clear();
    ex.records.push_back(std::move(r));
    ex.format = std::string(format);
}

}  // namespace carom::formats
