// Office 365 / Outlook.com non-delivery reports when they come as plain text without a
// delivery-status part (those with one are read as RFC 3464 reports):
//
//   Delivery has failed to these recipients or groups:
//   user@example.org<mailto:user@example.org>
//   The email address you entered couldn't be found. ...
//   Diagnostic information for administrators:
//   Generating server: SRV01.example.prod.outlook.com
//   user@example.org
//   Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'
//   Original message headers:
#include "formats/markers.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "Diagnostic information for administrators",
};

bool microsoft_headers(const Input &in) {
    const auto &h = in.msg.root.headers;
    const std::string_view *from = h.get("From");
    if (from && (icontains(*from, "outlook.com") || icontains(*from, "onmicrosoft.com") ||
                 icontains(*from, "hotmail.com") || icontains(*from, "office365")))
        return true;
    for (const auto &f : h.fields)
        if (istarts_with(f.name, "X-MS-Exchange-")) return true;
    return false;
}

// "user@example.org", "user@example.org<mailto:user@example.org>", "Name (user@example.org)".
std::string listed_address(std::string_view t) {
    t = trim(t);
    if (t.empty() || t.find('@') == std::string_view::npos) return "";
    std::size_t sp = t.find(' ');
    if (sp != std::string_view::npos && t.find('(') == std::string_view::npos) return "";
    return find_address(t);
}


bool office365_detect(const Input &in) {
    if (!body_has(in, BODY_MARKER("Diagnostic information for administrators"))) return false;  // a bit test first
    if (!microsoft_headers(in)) return false;
    if (mime::find(in.msg.root, "message", "delivery-status") || mime::find(in.msg.root, "message", "global-delivery-status"))
        return false;
    return true;
}

bool office365_read(const Input &in, Extraction &ex) {
    std::string_view text = in.body;
    std::size_t end = ifind(text, "Original message headers:");
    if (end != std::string_view::npos) text = text.substr(0, end);
    std::size_t di = ifind(text, "Diagnostic information for administrators");
    if (di == std::string_view::npos) return false;
    const std::size_t max = static_cast<std::size_t>(in.limits.recipients());
    // Recipients in the user part.
    for (std::string_view raw : lines(text.substr(0, di))) {
        std::string a = listed_address(raw);
        if (a.empty() || ex.records.size() >= max) continue;
        bool seen = false;
        for (const auto &r : ex.records) seen = seen || lower(r.recipient) == lower(a);
        if (seen) continue;
        Record r;
        r.recipient = a;
        r.action = "failed";
        ex.records.push_back(std::move(r));
    }
    // Per-recipient details in the administrators' part.
    std::string generating = host_after(text.substr(di), "Generating server:");
    Record *cur = nullptr;
    for (std::string_view raw : lines(text.substr(di))) {
        std::string_view t = trim(raw);
        if (t.empty() || istarts_with(t, "Diagnostic information") || istarts_with(t, "Generating server:")) continue;
        std::string a = listed_address(t);
        if (!a.empty() && t.find(' ') == std::string_view::npos) {
            cur = nullptr;
            for (auto &r : ex.records)
                if (lower(r.recipient) == lower(a)) cur = &r;
            if (!cur && ex.records.size() < max) {
                Record r;
                r.recipient = a;
                r.action = "failed";
                ex.records.push_back(std::move(r));
                cur = &ex.records.back();
            }
            continue;
        }
        if (!cur) continue;
        if (!cur->diagnostic.empty()) cur->diagnostic += ' ';
        cur->diagnostic.append(t);
    }
    for (Record &r : ex.records) {
        r.diagnostic = squeeze(r.diagnostic);
        std::string_view d = r.diagnostic;
        std::size_t q = ifind(d, "returned '");
        std::string_view reply = q != std::string_view::npos ? d.substr(q + 10) : d;
        r.reply_code = find_reply_code(reply);
        r.status = find_status(reply);
        r.reporting_mta = generating;
        if (r.remote_mta.empty() && q != std::string_view::npos) {
            // "mx.example.org Remote Server returned ..." names the remote host first.
            std::string_view before = trim(d.substr(0, ifind(d, "Remote Server")));
            if (!before.empty() && before.find(' ') == std::string_view::npos) r.remote_mta = std::string(before);
        }
    }
    return !ex.records.empty();
}

}  // namespace

extern const Reader office365_reader = {"office365", markers(kMarkers), office365_detect, office365_read};

}  // namespace carom::formats
