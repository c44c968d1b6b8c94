#include "base/taxonomy.hh"

#include <array>
#include <cstddef>

#include "base/strings.hh"

namespace carom {
namespace {

constexpr std::array<const char *, 9> kClassNames = {
    "none", "hard", "soft", "block", "backscatter", "delayed", "delivered", "auto_reply", "feedback"};

// The names of the reasons. Their classes are rule data: the "class" lines of
// lib/rules/data/verdicts.rules (rules::builtin_class, carom_reason_default_class).
constexpr ReasonSpec kReasons[] = {
    {CAROM_REASON_UNDEFINED, "undefined"},
    {CAROM_REASON_USERUNKNOWN, "userunknown"},
    {CAROM_REASON_HOSTUNKNOWN, "hostunknown"},
    {CAROM_REASON_HASMOVED, "hasmoved"},
    {CAROM_REASON_NOTACCEPT, "notaccept"},
    {CAROM_REASON_MAILBOXFULL, "mailboxfull"},
    {CAROM_REASON_EXCEEDLIMIT, "exceedlimit"},
    {CAROM_REASON_MESGTOOBIG, "mesgtoobig"},
    {CAROM_REASON_EMAILTOOLARGE, "emailtoolarge"},
    {CAROM_REASON_SYSTEMFULL, "systemfull"},
    {CAROM_REASON_SUSPEND, "suspend"},
    {CAROM_REASON_EXPIRED, "expired"},
    {CAROM_REASON_NETWORKERROR, "networkerror"},
    {CAROM_REASON_SYSTEMERROR, "systemerror"},
    {CAROM_REASON_MAILERERROR, "mailererror"},
    {CAROM_REASON_ONHOLD, "onhold"},
    {CAROM_REASON_BLOCKED, "blocked"},
    {CAROM_REASON_SPAMDETECTED, "spamdetected"},
    {CAROM_REASON_VIRUSDETECTED, "virusdetected"},
    {CAROM_REASON_POLICYVIOLATION, "policyviolation"},
    {CAROM_REASON_BADREPUTATION, "badreputation"},
    {CAROM_REASON_AUTHFAILURE, "authfailure"},
    {CAROM_REASON_REQUIREPTR, "requireptr"},
    {CAROM_REASON_SECURITYERROR, "securityerror"},
    {CAROM_REASON_FAILEDSTARTTLS, "failedstarttls"},
    {CAROM_REASON_CONTENTERROR, "contenterror"},
    {CAROM_REASON_NOTCOMPLIANTRFC, "notcompliantrfc"},
    {CAROM_REASON_FILTERED, "filtered"},
    {CAROM_REASON_REJECTED, "rejected"},
    {CAROM_REASON_NORELAYING, "norelaying"},
    {CAROM_REASON_SYNTAXERROR, "syntaxerror"},
    {CAROM_REASON_TOOMANYCONN, "toomanyconn"},
    {CAROM_REASON_SPEEDING, "speeding"},
    {CAROM_REASON_RATELIMITED, "ratelimited"},
    {CAROM_REASON_SUPPRESSED, "suppressed"},
    {CAROM_REASON_DELIVERED, "delivered"},
    {CAROM_REASON_DELAYED, "delayed"},
    {CAROM_REASON_FEEDBACK, "feedback"},
    {CAROM_REASON_VACATION, "vacation"},
    {CAROM_REASON_CHALLENGE, "challenge"},
    {CAROM_REASON_VIRUSNOTICE, "virusnotice"},
};

const ReasonSpec *find(carom_reason_t r) {
    for (const auto &s : kReasons)
        if (s.id == r) return &s;
    return nullptr;
}

// Names other systems (and older Sisimai releases) use for the same reasons.
struct Alias {
    const char *name;
    carom_reason_t id;
};
constexpr Alias kAliases[] = {
    {"securityerr", CAROM_REASON_SECURITYERROR},
    {"contenterr", CAROM_REASON_CONTENTERROR},
    {"mailboxunknown", CAROM_REASON_USERUNKNOWN},
    {"vacation-reply", CAROM_REASON_VACATION},
    {"autoreply", CAROM_REASON_VACATION},
};

}  // namespace

const char *class_name(carom_class_t cls) {
    auto i = static_cast<std::size_t>(cls);
    return i < kClassNames.size() ? kClassNames[i] : nullptr;
}

bool class_from_name(std::string_view name, carom_class_t *out) {
    for (std::size_t i = 0; i < kClassNames.size(); ++i) {
        if (name == kClassNames[i]) {
            *out = static_cast<carom_class_t>(i);
            return true;
        }
    }
    return false;
}

const char *reason_name(carom_reason_t reason) {
    const ReasonSpec *s = find(reason);
    return s ? s->name : nullptr;
}

bool reason_from_name(std::string_view name, carom_reason_t *out) {
    for (const auto &s : kReasons)
        if (iequals(name, s.name)) return *out = s.id, true;
    for (const auto &a : kAliases)
        if (iequals(name, a.name)) return *out = a.id, true;
    *out = CAROM_REASON_UNDEFINED;
    return false;
}

unsigned reason_count() {
    unsigned m = 0;
    for (const auto &s : kReasons)
        if (static_cast<unsigned>(s.id) + 1 > m) m = static_cast<unsigned>(s.id) + 1;
    return m;
}

unsigned class_count() { return static_cast<unsigned>(kClassNames.size()); }

}  // namespace carom
