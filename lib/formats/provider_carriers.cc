// Mobile carriers and their ISPs: au by KDDI (EZweb, ezweb.ne.jp; au one net / DION, dion.ne.jp),
// BIGLOBE, Verizon Wireless' MMS gateway. Japanese text is read after the MIME layer decoded it
// (ISO-2022-JP); the parts these readers depend on are ASCII.
//
// EZweb ("Mail System Error - Returned Mail" from Postmaster@ezweb.ne.jp), several generations:
//   <user@ezweb.ne.jp>                                        (address alone on a line)
//   Each of the following recipients was rejected by a remote mail server.
// or
//   Each of the following recipients was rejected by a remote
//   mail server.
//       Recipient: <user@ezweb.ne.jp>
//       >>> RCPT TO:<user@ezweb.ne.jp>
//       <<< 550 <user@ezweb.ne.jp>: User unknown
// or "The following recipients did not receive this message:" followed by "<user@...>", or
// "<user@...>: 550 user unknown (in reply to RCPT TO command)".
//
// KDDI / au one net:
//   Your mail sent on: <date>
//        Could not be delivered to: <user@example.dion.ne.jp>
//        As their mailbox is full.
//
// BIGLOBE:
//      ----- The following addresses had delivery problems -----
//   user@example.biglobe.ne.jp
//      ----- Non-delivered information -----
//   The number of messages in recipient's mailbox exceeded the local limit.
//
// Verizon (MMS gateway):
//   Message could not be delivered to mobile.
//   Error: No valid recipients for this MM
//   Original Message:
//   To: 5555550100@vzwpix.com
#include "formats/markers.hh"
#include "formats/provider_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases the steps of this file's readers look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "following recipients",
    "Recipient:",
    "account is disabled",
    "not delivered within",
    "Could not be delivered to:",
    "----- The following addresses had delivery problems",
    "could not be delivered",
    "Error:",
};

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80 || c == 0x1b) return false;
    return true;
}

// MIME scaffolding that a body may still carry (boundaries, part headers).
bool scaffolding(std::string_view t) {
    return istarts_with(t, "--") || istarts_with(t, "Content-") || istarts_with(t, "This message is in MIME format") ||
           istarts_with(t, "This is a MIME");
}

void add(Extraction &ex, const std::string &addr, const std::string &diag, std::size_t max) {
    for (const auto &r : ex.records)
        if (lower(r.recipient) == lower(addr)) return;
    if (addr.empty() || ex.records.size() >= max) return;
    Record r;
    r.recipient = addr;
    r.action = "failed";
    r.diagnostic = diag;
    ex.records.push_back(std::move(r));
}

// The codes its diagnostic names: the reply code after "<<< " (the remote server's answer) when
// there is one.
void codes_from_diagnostic(Record &r) {
    if (r.reply_code.empty()) {
        std::size_t p = r.diagnostic.find("<<< ");
        r.reply_code = find_reply_code(p != std::string::npos ? std::string_view(r.diagnostic).substr(p + 4)
                                                              : std::string_view(r.diagnostic));
    }
    if (r.status.empty()) r.status = find_status(r.diagnostic);
    if (r.command.empty()) r.command = find_command(r.diagnostic);
}


// ---------------------------------------------------------------- EZweb

bool ezweb_detect(const Input &in) {
    // The body's phrases first: a bit test each, where the headers need searches.
    if (!(body_has(in, BODY_MARKER("following recipients")) || body_has(in, BODY_MARKER("Recipient:")) ||
          body_has(in, BODY_MARKER("account is disabled")) || body_has(in, BODY_MARKER("not delivered within"))))
        return false;
    const std::string_view *subj = in.msg.root.headers.get("Subject");
    return from_has(in, "ezweb.ne.jp") || (subj && icontains(*subj, "Mail System Error - Returned Mail"));
}

bool ezweb_read(const Input &in, Extraction &ex) {
    std::string_view text = before_original(in);
    // The copy of the original message starts after a line of dashes.
    std::size_t dash = text.find("\n----------------------------------------");
    if (dash != std::string_view::npos) text = text.substr(0, dash);
    // Per-recipient lines, and the English explanation shared by all.
    std::vector<std::pair<std::string, std::string>> found;  // address, its own text
    std::string common;
    for (std::string_view raw : lines(text)) {
        std::string_view t = trim(raw);
        if (t.empty() || scaffolding(t)) continue;
        if (icontains(t, ": rfc822;") || istarts_with(t, "Reporting-MTA") || istarts_with(t, "Arrival-Date") ||
            istarts_with(t, "Action:") || istarts_with(t, "Status:"))
            break;  // a delivery-status part: the letter is over
        std::string a = lone_address(t);
        if (!a.empty()) {
            found.emplace_back(a, "");
            continue;
        }
        if (istarts_with(t, "Recipient:")) {
            found.emplace_back(find_address(t), "");
            continue;
        }
        if ((istarts_with(t, ">>>") || istarts_with(t, "<<<")) && !found.empty()) {
            std::string &own = found.back().second;
            if (!own.empty()) own += ' ';
            own.append(t);
            continue;
        }
        if (t.front() == '<') {  // "<user@...>: 550 user unknown (in reply to RCPT TO command)"
            std::size_t gt = t.find(">:");
            if (gt != std::string_view::npos) {
                std::string a2 = find_address(t.substr(0, gt + 1));
                if (!a2.empty()) {
                    found.emplace_back(a2, std::string(trim(t.substr(gt + 2))));
                    continue;
                }
            }
        }
        if (is_ascii(t)) common.append(t).push_back(' ');
    }
    for (auto &f : found) {
        std::string diag = squeeze(common + f.second);
        add(ex, f.first, diag, max_records(in));
    }
    for (Record &r : ex.records) {
        // The remote server's answer decides the codes when there is one.
        std::size_t p = r.diagnostic.find("<<< ");
        if (p == std::string::npos) {
            for (auto &f : found)
                if (f.first == r.recipient && !f.second.empty()) r.reply_code = find_reply_code(f.second);
        }
        codes_from_diagnostic(r);
        if (icontains(r.diagnostic, "not delivered within")) r.action = "failed";
    }
    return !ex.records.empty();
}

// ---------------------------------------------------------------- KDDI / au one net

bool kddi_detect(const Input &in) {
    if (!body_has(in, BODY_MARKER("Could not be delivered to:"))) return false;  // cheap test first
    return from_has(in, "dion.ne.jp") || from_has(in, "auone-net.jp") || from_has(in, "@au.com") || from_has(in, "kddi");
}

bool kddi_read(const Input &in, Extraction &ex) {
    const std::string_view text = before_original(in);
    const auto ls = lines(text);
    for (std::size_t i = 0; i < ls.size(); ++i) {
        std::size_t p = ifind(ls[i], "Could not be delivered to:");
        if (p == std::string_view::npos) continue;
        std::string a = find_address(ls[i].substr(p));
        std::string diag;
        for (std::size_t k = i + 1; k < ls.size(); ++k) {
            std::string_view t = trim(ls[k]);
            if (t.empty() || scaffolding(t) || icontains(t, "Could not be delivered to:")) break;
            diag.append(t).push_back(' ');
        }
        add(ex, a, squeeze(diag), max_records(in));
    }
    for (Record &r : ex.records) codes_from_diagnostic(r);
    return !ex.records.empty();
}

// ---------------------------------------------------------------- BIGLOBE

bool biglobe_detect(const Input &in) {
    return body_has(in, BODY_MARKER("----- The following addresses had delivery problems")) && from_has(in, "biglobe.ne.jp");
}

bool biglobe_read(const Input &in, Extraction &ex) {
    const std::string_view text = before_original(in);
    std::size_t p = ifind(text, "----- The following addresses had delivery problems");
    if (p == std::string_view::npos) return false;
    std::vector<std::string> addrs;
    std::string diag;
    bool info = false;
    for (std::string_view raw : lines(text.substr(p))) {
        std::string_view t = trim(raw);
        if (t.empty() || istarts_with(t, "----- The following")) continue;
        if (istarts_with(t, "----- Non-delivered information")) {
            info = true;
            continue;
        }
        if (scaffolding(t)) break;
        if (!info) {
            std::string a = lone_address(t);
            if (!a.empty()) addrs.push_back(a);
        } else {
            diag.append(t).push_back(' ');
        }
    }
    for (const auto &a : addrs) add(ex, a, squeeze(diag), max_records(in));
    for (Record &r : ex.records) codes_from_diagnostic(r);
    return !ex.records.empty();
}

// ---------------------------------------------------------------- Verizon

bool verizon_detect(const Input &in) {
    if (!(body_has(in, BODY_MARKER("could not be delivered")) || body_has(in, BODY_MARKER("Error:")))) return false;
    return from_has(in, "vzwpix.com") || from_has(in, "vtext.com") || from_has(in, "verizon");
}

bool verizon_read(const Input &in, Extraction &ex) {
    const std::string_view body = in.body;
    std::size_t orig = ifind(body, "Original Message:");
    std::string_view letter = body.substr(0, orig == std::string_view::npos ? body.size() : orig);
    std::string diag;
    for (std::string_view raw : lines(letter)) {
        std::string_view t = trim(raw);
        if (t.empty() || scaffolding(t)) continue;
        diag.append(t).push_back(' ');
    }
    std::vector<std::string> rcpts;
    if (orig != std::string_view::npos) {
        for (std::string_view raw : lines(body.substr(orig))) {
            std::string_view t = trim(raw);
            if (istarts_with(t, "To:")) {
                for (auto &a : find_addresses(t.substr(3))) rcpts.push_back(a);
                break;
            }
        }
    }
    if (rcpts.empty())
        for (auto &a : find_addresses(letter)) rcpts.push_back(a);
    for (const auto &a : rcpts) add(ex, a, squeeze(diag), max_records(in));
    for (Record &r : ex.records) codes_from_diagnostic(r);
    return !ex.records.empty();
}

}  // namespace

extern const Reader ezweb_reader = {"ezweb", markers(kMarkers), ezweb_detect, ezweb_read};
extern const Reader kddi_reader = {"kddi", markers(kMarkers), kddi_detect, kddi_read};
extern const Reader biglobe_reader = {"biglobe", markers(kMarkers), biglobe_detect, biglobe_read};
extern const Reader verizon_reader = {"verizon", markers(kMarkers), verizon_detect, verizon_read};

}  // namespace carom::formats
