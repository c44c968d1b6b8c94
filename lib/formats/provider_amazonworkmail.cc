// Amazon WorkMail bounces (X-Mailer: Amazon WorkMail, sent through SES): multipart/mixed with a
// text part that lists the failed addresses and then embeds a delivery-status block as text:
//
//   An error occurred while trying to deliver the mail to the following recipients:
//   user@example.org
//   Technical report:
//   Reporting-MTA: dsn; a1-2.smtp-out.us-west-2.amazonses.com
//   Action: failed
//   Final-Recipient: rfc822; user@example.org
//   Diagnostic-Code: smtp; 550 5.1.1 <user@example.org>... User Unknown
//   Status: 5.1.1
#include "formats/markers.hh"
#include "formats/reader.hh"
#include "formats/text.hh"
#include "report/report.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "Technical report:",
};

bool amazonworkmail_detect(const Input &in) {
    if (!body_has(in, BODY_MARKER("Technical report:"))) return false;  // cheap test first
    const auto &h = in.msg.root.headers;
    const std::string_view *xm = h.get("X-Mailer");
    const std::string_view *from = h.get("From");
    bool hdr = (xm && icontains(*xm, "Amazon WorkMail")) || (from && icontains(*from, "amazonses.com"));
    return hdr && body_has(in, BODY_MARKER("Technical report:"));
}

bool amazonworkmail_read(const Input &in, Extraction &ex) {
    std::string_view text = before_original(in);
    std::size_t tr = ifind(text, "Technical report:");
    if (tr == std::string_view::npos) return false;
    std::string_view report_text = text.substr(tr + 17);
    std::vector<Record> dsn;
    report::parse_delivery_status(report_text, dsn);
    if (!dsn.empty()) {
        for (auto &r : dsn)
            if (!r.recipient.empty()) ex.records.push_back(std::move(r));
    }
    if (ex.records.empty()) {
        // The list of addresses before the report, with the report's text as diagnostic.
        std::string diag, reply;
        std::size_t dc = ifind(report_text, "Diagnostic-Code:");
        if (dc != std::string_view::npos) {
            std::string_view line = report_text.substr(dc + 16);
            line = line.substr(0, line.find('\n'));
            std::size_t sc = line.find(';');
            if (sc != std::string_view::npos) line = line.substr(sc + 1);
            diag = squeeze(line);
        }
        std::string status;
        std::size_t st = ifind(report_text, "\nStatus:");
        if (st != std::string_view::npos) status = find_status(report_text.substr(st, 40));
        for (std::string_view raw : lines(text.substr(0, tr))) {
            std::string_view t = trim(raw);
            if (t.empty() || t.find(' ') != std::string_view::npos || t.find('@') == std::string_view::npos) continue;
            Record r;
            r.recipient = find_address(t);
            if (r.recipient.empty()) continue;
            r.action = "failed";
            r.diagnostic = diag;
            r.status = status;
            ex.records.push_back(std::move(r));
        }
    }
    for (Record &r : ex.records) {
        if (r.reply_code.empty()) r.reply_code = find_reply_code(r.diagnostic);
        if (r.status.empty()) r.status = find_status(r.diagnostic);
        if (r.command.empty()) r.command = find_command(r.diagnostic);
    }
    return !ex.records.empty();
}

}  // namespace

extern const Reader amazonworkmail_reader = {"amazonworkmail", markers(kMarkers), amazonworkmail_detect, amazonworkmail_read};

}  // namespace carom::formats
