// The "We had trouble delivering your message" notice, named after its first sentence: its maker is
// unknown (Sisimai calls it "X6"; the output keeps that format name, "x6"). Each failure is summed
// up in one sentence:
//
//   We had trouble delivering your message. Full details follow:
//
//   Subject: 'Hello'
//   Date: 'Thu, 29 Apr 2012 10:00:00 +0000'
//
//   1 error(s):
//
//   The following recipients returned permanent errors: user@example.org. Reason: SMTP Server
//   <192.0.2.1> refused to accept your message (DATA), with the following error message:
//   [554 5.4.6 Hop count exceeded - possible mail loop]
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// The phrases its steps look for in the whole body (formats/markers.hh).
constexpr std::string_view kMarkers[] = {
    "We had trouble delivering your message",
    "The following recipients returned",
};

bool hadtrouble_detect(const Input &in) {
    return body_has(in, BODY_MARKER("We had trouble delivering your message")) &&
           body_has(in, BODY_MARKER("The following recipients returned"));
}

bool hadtrouble_read(const Input &in, Extraction &ex) {
    std::vector<Record> out;
    std::string_view body = in.body;
    constexpr std::string_view kKey = "The following recipients returned";
    std::size_t p = 0;
    while ((p = ifind(body, kKey, p)) != std::string_view::npos) {
        std::size_t e = body.find("\n\n", p);
        std::string sentence = squeeze(body.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p));
        std::size_t colon = sentence.find(':');
        std::size_t why = ifind(sentence, ". Reason:");
        if (colon != std::string::npos && why != std::string::npos && why > colon) {
            const bool temporary = icontains(std::string_view(sentence).substr(0, colon), "temporary");
            std::string reason = std::string(trim(std::string_view(sentence).substr(why + 9)));
            for (const std::string &a : find_addresses(std::string_view(sentence).substr(colon + 1, why - colon - 1))) {
                Record r;
                r.recipient = a;
                r.diagnostic = reason;
                if (temporary) r.action = "delayed";
                std::size_t lt = reason.find('<'), gt = reason.find('>');
                if (lt != std::string::npos && gt != std::string::npos && gt > lt)
                    r.remote_mta = reason.substr(lt + 1, gt - lt - 1);
                std::size_t paren = reason.find('(');
                if (paren != std::string::npos) {
                    std::string_view v = std::string_view(reason).substr(paren + 1, 4);
                    if (v == "DATA" || v == "RCPT" || v == "MAIL" || v == "HELO" || v == "EHLO") r.command = std::string(v);
                }
                out.push_back(std::move(r));
            }
        }
        p += kKey.size();
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader hadtrouble_reader = {"x6", markers(kMarkers), hadtrouble_detect, hadtrouble_read};

}  // namespace carom::formats
