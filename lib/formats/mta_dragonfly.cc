// DragonFly Mail Agent (dma). One recipient per notice:
//
//   This is the DragonFly Mail Agent v0.13 at mail.example.com.
//
//   There was an error delivering your mail to <user@example.org>.
//
//   mx.example.org [192.0.2.1] did not like our RCPT TO:
//   550 5.1.1 <user@example.org>: Recipient address rejected: User unknown
//
//   Message headers follow.
//
// "did not like our MAIL FROM / RCPT TO / final DATA" names the command; "Could not deliver for
// the last N seconds. Giving up." is the queue timeout.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "There was an error delivering your mail to",
    "DragonFly Mail Agent",
};

bool dragonfly_detect(const Input &in) {
    return body_has(in, BODY_MARKER("There was an error delivering your mail to")) &&
           (body_has(in, BODY_MARKER("DragonFly Mail Agent")) || header_has(in, "Received", "DragonFly Mail Agent"));
}

bool dragonfly_read(const Input &in, Extraction &ex) {
    std::vector<Record> out;
    std::string_view body = in.body;
    std::size_t p = 0;
    constexpr std::string_view kIntro = "There was an error delivering your mail to";
    while ((p = ifind(body, kIntro, p)) != std::string_view::npos) {
        std::size_t nl = body.find('\n', p);
        std::string_view head = body.substr(p, nl == std::string_view::npos ? std::string_view::npos : nl - p);
        Record r;
        r.recipient = find_address(head);
        std::string_view diag = block_after(body.substr(p), kIntro,
                                            {"Message headers follow", "Original message follows", kIntro, "--"});
        r.diagnostic = squeeze(diag);
        std::size_t like = ifind(r.diagnostic, " did not like our ");
        if (like != std::string::npos) {
            std::size_t br = r.diagnostic.rfind('[', like);
            if (br != std::string::npos) r.remote_mta = host_before_bracket(r.diagnostic, br);
            std::string_view what = std::string_view(r.diagnostic).substr(like + 18);
            if (istarts_with(what, "RCPT")) r.command = "RCPT";
            else if (istarts_with(what, "MAIL")) r.command = "MAIL";
            else if (istarts_with(what, "final DATA") || istarts_with(what, "DATA")) r.command = "DATA";
            else if (istarts_with(what, "EHLO") || istarts_with(what, "HELO")) r.command = "EHLO";
        }
        if (!r.recipient.empty()) out.push_back(std::move(r));
        p = nl == std::string_view::npos ? body.size() : nl;
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader dragonfly_reader = {"dragonfly", markers(kMarkers), dragonfly_detect, dragonfly_read};

}  // namespace carom::formats
