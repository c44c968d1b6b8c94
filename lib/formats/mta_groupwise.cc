// Novell GroupWise (the GroupWise Internet Agent, GWIA). Its notices are plain text, the
// subject "Message status - undeliverable", and list each failed address with the reason in
// parentheses on one indented line:
//
//   The message that you sent was undeliverable to the following:
//   	user@example.org (user not found)
//   	other@example.net (host not found)
//
//   Possibly truncated original message follows:
//
// Some versions say "could not be delivered to the following" instead, or "The attached file had
// the following undeliverable recipient(s):" with the addresses alone and the server's answer
// further down (then the line that names the address with a failure code is the diagnostic, else
// the transcript's "Response:" line after the "Command:" that names it); GWIA sets an X-Mailer of
// "Novell GroupWise Internet Agent x.y". When the message also carries an RFC 3464 part (GWIA 7
// and later may add one) the DSN decides the recipients and the line fills the diagnostic.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

constexpr std::string_view kIntros[] = {
    "was undeliverable to the following:",
    "could not be delivered to the following:",
    "was not delivered to the following:",
    "had the following undeliverable recipient(s):",
};

const std::vector<std::string_view> kEnds = {
    "Possibly truncated original message follows", "Original message follows", "--",
    "Content-Type:",
};

// GWIA's transcript gives each command on a "Command:" line and the server's answer on the
// "Response:" line after it; the answer to the RCPT TO that names the address is its diagnostic
// even when the answer itself does not repeat the address.
std::string transcript_response(std::string_view text, std::string_view addr, std::string &command) {
    bool named = false;
    for (std::string_view raw : lines(text)) {
        std::string_view s = trim(raw);
        if (istarts_with(s, "Command:")) {
            named = icontains(s, addr);
            if (named) command = icontains(s, "RCPT") ? "RCPT" : icontains(s, "DATA") ? "DATA" : "";
        } else if (named && istarts_with(s, "Response:")) {
            return std::string(trim(s.substr(9)));
        }
    }
    return {};
}

bool groupwise_detect(const Input &in) {
    if (header_has(in, "X-Mailer", "GroupWise")) return true;
    if (!icontains(Subject(in), "Message status - undeliverable")) return false;
    for (std::string_view i : kIntros)
        if (icontains(in.body, i)) return true;
    return false;
}

bool groupwise_read(const Input &in, Extraction &ex) {
    std::size_t start = std::string_view::npos;
    std::string_view intro;
    for (std::string_view i : kIntros) {
        std::size_t p = ifind(in.body, i);
        if (p != std::string_view::npos && p < start) start = p, intro = i;
    }
    if (start == std::string_view::npos) return false;
    std::string_view text = block_after(std::string_view(in.body).substr(start), intro, kEnds);
    std::vector<Record> out;
    int blanks = 0;
    for (std::string_view raw : lines(text)) {
        std::string_view s = trim(raw);
        if (s.empty()) {
            if (!out.empty() && ++blanks > 1) break;
            continue;
        }
        std::size_t open = s.find('(');
        std::string_view head = open == std::string_view::npos ? s : trim(s.substr(0, open));
        std::string addr = head.find(' ') == std::string_view::npos ? find_address(head) : std::string();
        if (addr.empty()) {
            // A reason that wrapped onto the next line.
            if (!out.empty() && !out.back().diagnostic.empty()) {
                std::string_view more = s;
                if (!more.empty() && more.back() == ')') more.remove_suffix(1);
                out.back().diagnostic += " " + std::string(trim(more));
            }
            continue;
        }
        Record r;
        r.recipient = addr;
        if (open != std::string_view::npos) {
            std::string_view why = s.substr(open + 1);
            std::size_t close = why.rfind(')');
            r.diagnostic = std::string(trim(close == std::string_view::npos ? why : why.substr(0, close)));
        }
        out.push_back(std::move(r));
    }
    for (Record &r : out) {
        if (r.diagnostic.empty()) r.diagnostic = failure_line_for(before_original(in), r.recipient);
        if (r.diagnostic.empty()) r.diagnostic = transcript_response(before_original(in), r.recipient, r.command);
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader groupwise_reader = {"groupwise", Phrases{}, groupwise_detect, groupwise_read};

}  // namespace carom::formats
