#include "classify/notices.hh"

#include "base/strings.hh"
#include "formats/text.hh"

namespace carom {
namespace {

using formats::icontains;

bool subject_has_any(const std::string &subject, std::initializer_list<const char *> phrases) {
    for (const char *p : phrases)
        if (icontains(subject, p)) return true;
    return false;
}

// Written by a machine rather than a person: null envelope sender, an Auto-Submitted marker, or
// a daemon's sender address. A newsletter about viruses is none of these.
bool machine_generated(const mime::Headers &h) {
    if (const std::string_view *rp = h.get("Return-Path"); rp && trim(*rp) == "<>") return true;
    if (const std::string_view *as = h.get("Auto-Submitted"); as && !icontains(*as, "no")) return true;
    std::string from = lower(formats::find_address(h.decoded("From")));
    std::string local = from.substr(0, from.find('@'));
    static const char *const daemons[] = {"mailer-daemon", "postmaster", "antivirus", "virus", "scanner",
                                          "amavis", "content-filter", "contentfilter", "quarantine",
                                          "mailscanner", "mailmarshal", "security", "filter", "root"};
    for (const char *d : daemons)
        if (local == d) return true;
    return false;
}

}  // namespace

// Challenge-response systems (TMDA, BoxTrapper, Bluebottle, Spam Arrest, ...) mark their
// challenges in headers, or ask in the subject to confirm that the sender is human.
bool is_challenge(const mime::Message &msg) {
    const mime::Headers &h = msg.root.headers;
    for (const char *name : {"X-Boxtrapper", "X-Bluebottle-Request", "X-TMDA-Confirm", "X-Spamarrest-Noauth",
                             "X-Challenge", "X-ChallengeResponse"})
        if (h.has(name)) return true;
    // TMDA names itself in X-Delivery-Agent; Spam Arrest sends its challenges from its own domain.
    if (const std::string_view *agent = h.get("X-Delivery-Agent"); agent && istarts_with(trim(*agent), "TMDA"))
        return true;
    if (icontains(formats::find_address(h.decoded("From")), "@spamarrest.")) return true;
    // Phrases of challenges only: a double opt-in ("please confirm your email address") is not a
    // challenge and must not match.
    if (subject_has_any(h.decoded("Subject"),
                        {"please confirm your message", "confirm that you are human", "verify that you are human",
                         "prove that you are human", "unverified email to", "confirmation required for your message",
                         "sender verification required", "verify your message to",
                         "your message is awaiting confirmation"}))
        return true;
    // TMDA puts "-confirm-" into the local part of its challenges' Message-ID and reply address.
    const std::string_view *mid = h.get("Message-ID");
    return mid && icontains(*mid, "tmda") && icontains(*mid, "-confirm");
}

// Antivirus and content-filter notices sent back to the (claimed) sender.
bool is_virus_notice(const mime::Message &msg) {
    if (!machine_generated(msg.root.headers)) return false;
    return subject_has_any(msg.root.headers.decoded("Subject"),
                           {"virus found", "virus detected", "virus alert", "infected attachment", "infected message",
                            "norton antivirus", "antigen found", "interscan", "content violation",
                            "banned or potentially offensive material", "virus in your mail", "malware detected",
                            "a virus was found", "message contained a virus", "in mail from you", "mailmarshal"});
}

bool read_notice(const mime::Message &msg, Extraction &ex) {
    const char *kind = is_challenge(msg) ? "challenge" : is_virus_notice(msg) ? "virusnotice" : nullptr;
    if (!kind) return false;
    Record r;
    // The recipient the notice is about: the original's recipient when the notice returns it,
    // else whoever sent the notice (a challenge comes from the protected mailbox's system).
    if (!ex.original.to.empty()) r.recipient = formats::find_address(ex.original.to.front());
    r.recipient_source = "original-header";
    if (r.recipient.empty()) {
        r.recipient = formats::find_address(msg.root.headers.decoded("From"));
        r.recipient_source = "from-header";
    }
    r.action = "failed";
    r.diagnostic = msg.root.headers.decoded("Subject");
    ex.records.push_back(std::move(r));
    ex.notice = kind;
    ex.format = kind == std::string("challenge") ? "challenge" : "virus-notice";
    return true;
}

}  // namespace carom
