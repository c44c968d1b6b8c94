// Sun Java System / Oracle Communications Messaging Server (and its ancestor PMDF). The text part
// repeats the original's header fields, then one indented field block per recipient:
//
//   Your message cannot be delivered to the following recipients:
//
//     Recipient address: user@example.org
//     Original address: alias@example.org
//     Reason: Remote SMTP server has rejected address
//     Diagnostic code: smtp;550 5.1.1 <user@example.org>... User unknown
//     Remote system: dns;mx.example.org (TCP|192.0.2.2|40000|192.0.2.1|25) (mx.example.org ESMTP)
//
// The RFC 3464 part's Status often has only the class (5.0.0) and a comment; the diagnostic code
// carries the detailed one. A "Recipient address" in source-route form (@relay:user@host) is an
// internal channel address: the original address is the one the sender wrote.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "This report relates to a message you sent with the following header fields",
    "Recipient address:",
    "has been delayed",
};

std::string_view field_value(std::string_view line, std::string_view name) {
    line = trim(line);
    if (!istarts_with(line, name)) return {};
    return trim(line.substr(name.size()));
}

std::string after_type(std::string_view v) {
    std::size_t semi = v.find(';');
    if (semi != std::string_view::npos && semi < 10) v = trim(v.substr(semi + 1));
    return std::string(v);
}

bool messagingserver_detect(const Input &in) {
    return body_has(in, BODY_MARKER("This report relates to a message you sent with the following header fields")) ||
           (body_has(in, BODY_MARKER("Recipient address:")) && icontains(Subject(in), "Delivery Notification:"));
}

bool messagingserver_read(const Input &in, Extraction &ex) {
    std::vector<Record> out;
    std::vector<std::string> originals;
    const Subject subject(in);
    const bool delayed = icontains(subject, "delayed") || body_has(in, BODY_MARKER("has been delayed"));
    std::string_view body = in.body;
    std::size_t top = ifind(body, "This report relates to a message");
    if (top != std::string_view::npos) body.remove_prefix(top);
    std::string_view text = block_after(body, "", {"--", "Content-type:", "Reporting-MTA:", "Original-envelope-id:"});
    for (std::string_view line : lines(text)) {
        std::string_view v;
        if (!(v = field_value(line, "Recipient address:")).empty()) {
            Record r;
            r.recipient = v.front() == '@' ? std::string(v) : find_address(v);
            if (delayed) r.action = "delayed";
            out.push_back(std::move(r));
            originals.emplace_back();
        } else if (out.empty()) {
            continue;
        } else if (!(v = field_value(line, "Original address:")).empty()) {
            originals.back() = find_address(v);
        } else if (!(v = field_value(line, "Reason:")).empty()) {
            if (out.back().diagnostic.empty()) out.back().diagnostic = std::string(v);
        } else if (!(v = field_value(line, "Diagnostic code:")).empty()) {
            out.back().diagnostic = after_type(v);
        } else if (!(v = field_value(line, "Remote system:")).empty()) {
            std::string h = after_type(v);
            std::size_t sp = h.find_first_of(" (");
            out.back().remote_mta = h.substr(0, sp);
        }
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        Record &r = out[i];
        if ((r.recipient.empty() || r.recipient.front() == '@') && !originals[i].empty()) {
            r.original_recipient = r.recipient;
            r.recipient = originals[i];
        }
    }
    merge(in, ex, out);
    // The DSN may give the channel address; use the text's original address when it did.
    for (Record &r : ex.records) {
        if (!r.recipient.empty() && r.recipient.front() != '@' && r.recipient.find('@') != std::string::npos) continue;
        std::string orig = find_address(r.original_recipient);
        if (!orig.empty()) r.recipient = orig;
        else if (out.size() == 1) r.recipient = out[0].recipient;
    }
    return !ex.records.empty();
}

}  // namespace

extern const Reader messagingserver_reader = {"messagingserver", markers(kMarkers), messagingserver_detect, messagingserver_read};

}  // namespace carom::formats
