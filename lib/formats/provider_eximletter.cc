#include "formats/provider_eximletter.hh"

#include <vector>

#include "formats/markers.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// A line that names a failed recipient: "user@x", "<user@x>", "\"user@x\":", "<user@x>: text".
// Returns the address and sets rest to the text after it (after a colon), or "" when not such
// a line.
std::string address_line(std::string_view t, std::string_view &rest) {
    if (t.empty()) return "";
    std::size_t end = 0;
    char open = t[0];
    if (open == '<' || open == '"') {
        char close = open == '<' ? '>' : '"';
        end = t.find(close, 1);
        if (end == std::string_view::npos) return "";
        std::string_view inner = t.substr(1, end - 1);
        if (inner.find('@') == std::string_view::npos || inner.find(' ') != std::string_view::npos) return "";
        ++end;
    } else {
        end = t.find_first_of(" \t:");
        if (end == std::string_view::npos) end = t.size();
        std::string_view tok = t.substr(0, end);
        if (tok.find('@') == std::string_view::npos) return "";
    }
    std::string_view after = trim(t.substr(end));
    if (!after.empty() && after[0] == ':') after = trim(after.substr(1));
    else if (!after.empty()) return "";  // an address inside a sentence
    rest = after;
    std::string a = find_address(t.substr(0, end));
    return a;
}

bool label_line(std::string_view t) {
    return t == "Reason:" || istarts_with(t, "For the following reason") || istarts_with(t, "The following address");
}

std::string exim_command(std::string_view diag) {
    std::string c = find_command(diag);
    if (!c.empty()) return c;
    if (icontains(diag, "after RCPT")) return "RCPT";
    if (icontains(diag, "after MAIL")) return "MAIL";
    if (icontains(diag, "after DATA")) return "DATA";
    return "";
}

}  // namespace

std::string_view exim_letter(const Input &in) {
    std::string_view body = before_original(in);
    // Each end phrase in turn cuts the text where it first starts in the body, when it lies
    // within what is left (as searching the shortened text would find it). Searched here, not
    // scanned: only the read steps of the readers that claimed the message come here.
    static constexpr std::string_view kEnds[] = {
        "--- The header of the original message is following",
        "Included is a copy of the message header",
        "------ This is a copy of the message's headers",
    };
    for (std::string_view m : kEnds) {
        const std::size_t p = ifind(in.body, m);
        if (p != std::string_view::npos && p + m.size() <= body.size()) body = body.substr(0, p);
    }
    return body;
}

bool read_exim_blocks(std::string_view text, bool flat, Extraction &ex, std::size_t max) {
    const auto ls = lines(text);
    std::vector<std::string> diags;
    int cur = -1;
    bool keep = false;  // append to the current record's diagnostic
    bool blank = false;
    for (std::string_view raw : ls) {
        std::string_view t = trim(raw);
        if (t.empty()) {
            blank = true;
            continue;
        }
        if (t.find_first_not_of('*') == std::string_view::npos) {  // Mail.Ru's separator
            cur = -1;
            continue;
        }
        std::string_view rest;
        std::string a = address_line(t, rest);
        if (!a.empty()) {
            int found = -1;
            for (std::size_t i = 0; i < ex.records.size(); ++i)
                if (lower(ex.records[i].recipient) == lower(a)) found = static_cast<int>(i);
            if (found >= 0 && found == cur) {  // the address again, inside its own diagnostic
                diags[cur].append(" ").append(t);
                blank = false;
                continue;
            }
            if (found < 0) {
                if (ex.records.size() >= max) break;
                Record r;
                r.recipient = a;
                r.action = "failed";
                ex.records.push_back(std::move(r));
                diags.emplace_back();
                found = static_cast<int>(ex.records.size() - 1);
            }
            cur = found;
            keep = diags[cur].empty();
            if (keep && !rest.empty()) diags[cur].append(rest);
            blank = false;
            continue;
        }
        if (cur < 0) continue;
        bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
        if (!flat && blank && !indented) {  // a new paragraph ends the list
            cur = -1;
            continue;
        }
        blank = false;
        if (!keep || label_line(t)) continue;
        if (!diags[cur].empty()) diags[cur] += ' ';
        diags[cur].append(t);
    }
    for (std::size_t i = 0; i < ex.records.size(); ++i) {
        Record &r = ex.records[i];
        r.diagnostic = squeeze(diags[i]);
        std::string_view d = r.diagnostic;
        std::size_t said = ifind(d, "]: ");
        std::string_view reply = said != std::string_view::npos ? d.substr(said + 3) : d;
        r.reply_code = find_reply_code(reply);
        r.status = find_status(reply);
        r.command = exim_command(d);
        r.remote_mta = host_after(d, "host: ");
        if (r.remote_mta.empty()) r.remote_mta = host_after(d, " host ");
        if (r.remote_mta.empty() && istarts_with(d, "host ")) r.remote_mta = host_after(d, "host ");
    }
    return !ex.records.empty();
}

std::string_view english_part(std::string_view text) {
    std::size_t p = ifind(text, "This message was created automatically by mail delivery software");
    return p == std::string_view::npos ? text : text.substr(p);
}

bool exim_permanent(const Input &in, Extraction &ex, bool ok) {
    if (!ok || !icontains(in.body, "This is a permanent error")) return ok;
    for (Record &r : ex.records)
        if (r.status.empty() && r.reply_code.empty()) r.status = "5.0.0";
    return ok;
}

}  // namespace carom::formats
