// Body markers: the phrases the readers' detect steps look for in the bounce text, found in ONE
// pass over the body instead of one case-insensitive search per phrase.
//
// read_known runs about 45 detect steps on nearly every message; each searched the body for its
// own phrases (about 110 searches per message, docs/performance.md). Now every such phrase is
// listed once in kBodyMarkers, an Aho-Corasick automaton over all of them is built at first use
// (an immutable function-local static), read_known scans the body with it once (a few
// instructions per byte) and hands the detect steps the resulting set through Input::markers.
// A detect step names its phrase as before, through BODY_MARKER("..."), which turns the literal
// into its index at compile time (a phrase missing from the table does not compile).
//
// The answer is exactly icontains(body, phrase) for every phrase (ASCII case folded, other bytes
// compared as they are); an Input without markers (tests, read_fallback) falls back to that call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>

#include "formats/markers.hh"
#include "formats/reader.hh"

namespace carom::formats {

// Every phrase a detect step tests against the whole body. Order is free; each phrase once.
inline constexpr std::string_view kBodyMarkers[] = {
    // lda_cyrus.cc, lda_dovecot.cc
    "automatically rejected by Sieve",
    "Your message to <",
    "was automatically rejected:",
    // mta_apachejames.cc
    "Message details:",
    "Error message below:",
    // mta_courier.cc
    "running the Courier mail server",
    "UNDELIVERABLE MAIL",
    // mta_domino.cc
    "was not delivered to:",
    "because:",
    // mta_dragonfly.cc
    "There was an error delivering your mail to",
    "DragonFly Mail Agent",
    // mta_exchange2000.cc (kTop), mta_hmailserver.cc
    "hMailServer",
    "did not reach some or all of the intended recipients",
    "Ihre Nachricht hat einige oder alle Empf",
    "n'a pas pu être remis à certains ou à l'ensemble des destinataires",
    "no llegó a algunos o a ninguno de los destinatarios",
    "Impossibile recapitare il messaggio ad alcuni o a tutti i destinatari",
    "heeft sommige of alle geadresseerden niet bereikt",
    "não chegou a alguns ou a todos os destinatários",
    "could not be reached:",
    // mta_exchange2003.cc
    "did not reach the following recipient(s)",
    "MSEXCH:",
    // mta_exchange2007.cc (kAdmin), provider_microsoft.cc
    ".prod.outlook.com",
    "Diagnostic information for administrators",
    "Informations de diagnostic pour les administrateurs",
    "Diagnoseinformationen für Administratoren",
    "Información de diagnóstico para administradores",
    "Informações de diagnóstico para administradores",
    "Informazioni di diagnostica per gli amministratori",
    "Diagnostische informatie voor beheerders",
    "Diagnostische gegevens voor beheerders",
    "管理者用の診断情報",
    "Диагностические сведения для администраторов",
    "管理员的诊断信息",
    "系統管理員的診斷資訊",
    "관리자를 위한 진단 정보",
    "Diagnostikinformation för administratörer",
    "Diagnoseinformasjon for administratorer",
    "Diagnostiske oplysninger til administratorer",
    "Informacje diagnostyczne dla administratorów",
    "Sent by Microsoft Exchange Server",
    // mta_exim.cc
    "This message was created automatically by mail delivery software",
    "address(es) failed",
    // mta_groupwise.cc (kIntros)
    "was undeliverable to the following:",
    "could not be delivered to the following:",
    "was not delivered to the following:",
    // mta_imailserver.cc
    "Original message follows.",
    // mta_messagingserver.cc
    "This report relates to a message you sent with the following header fields",
    "Recipient address:",
    // mta_netscape.cc
    "This Message was undeliverable due to the following reason",
    // mta_notes.cc
    "------- Failure Reasons",
    // mta_opensmtpd.cc
    "This is the MAILER-DAEMON, please DO NOT REPLY to this",
    "list of recipients:",
    // mta_postfix.cc
    "This is the mail system at host",
    "This is the Postfix program at host",
    "Transcript of session follows",
    // mta_qmail.cc (kGreetings)
    "This is the qmail-send program at",
    "I'm afraid I wasn't able to deliver your message to the following addresses",
    "Unable to deliver message to the following address(es)",
    "Your mail message to the following address(es) could not be delivered",
    "I wasn't able to deliver your message to the following addresses",
    "This is the qmail-",
    "qmail-send",
    "This is the mail delivery agent at",
    "Unfortunately, your mail was not delivered to the following address",
    "Sorry, we were unable to deliver your message to the following address",
    "Your message to the following addresses",
    "Su mensaje no pudo ser entregado",
    // mta_sendmail.cc, mta_v5sendmail.cc (kEnds)
    "----- The following addresses had",
    "----- Transcript of session follows -----",
    "----- Unsent message follows",
    "----- Original message follows",
    "----- Message header follows",
    "----- Returned message follows",
    // mta_x1.cc, mta_x3.cc, mta_x6.cc
    "---The following addresses had delivery errors---",
    "This is an automatically generated Delivery Status Notification",
    "to the following recipients",
    "We had trouble delivering your message",
    "The following recipients returned",
    // provider_amazonses.cc, provider_amazonworkmail.cc
    "\"notificationType\"",
    "notificationType",
    "eventType",
    "Technical report:",
    // provider_appliances.cc
    "-------server message",
    "--- The following addresses had delivery problems ---",
    "InterScan",
    "Sent <<<",
    "Unable to deliver message to",
    "Unable to deliver message to:",
    "Delivery failed for the following reason:",
    "The following recipients were affected",
    "Could not be delivered because of",
    "ERROR_CODE",
    "[Status: ",
    "Active!Hunter",
    "----- The following addresses had permanent fatal errors -----",
    // provider_carriers.cc
    "following recipients",
    "Recipient:",
    "account is disabled",
    "not delivered within",
    "Could not be delivered to:",
    "----- The following addresses had delivery problems",
    "could not be delivered",
    "Error:",
    // provider_eximlike.cc
    "не может быть доставлено",
    "--- The header of the original message is following",
    "For the following reason",
    // provider_google.cc (kHeadings)
    "** Address not found **",
    "** Message not delivered **",
    "** Delivery incomplete **",
    "** Message blocked **",
    "Technical details of ",
    "Delivery to the following recipient",
    "Technical details of permanent failure",
    "Technical details of temporary failure",
    // provider_yahoo.cc: its kStart is qmail's "Sorry, we were unable to deliver your message ..."
    // text.cc: before_original's markers (also searched by position: body_find)
    "----- original message -----",
    "--- below this line is a copy of the message",
    "------ this is a copy of the message",
    "----- message header follows -----",
    "\ncontent-type: message/rfc822",
    "\ncontent-type: text/rfc822-headers",
    // read steps: mta_exchange2007.cc, mta_exim.cc, mta_messagingserver.cc, mta_opensmtpd.cc,
    // mta_postfix.cc, mta_x3.cc, provider_eximlike.cc
    "Delivery is delayed to these recipients",
    "has not yet been delivered",
    "The following text was generated during the delivery attempt",
    "has been delayed",
    "A message is delayed",
    "THIS IS A WARNING ONLY",
    "to the following recipients has been delayed",
    "This is a permanent error",
    // mta_exim.cc (kIntro)
    "The following address(es) failed:",
    "following address(es) failed",
    "The following addresses failed:",
    "could not be delivered to one or more of its recipients",
    "has not yet been delivered to one or more of its",
    "message has not yet been delivered is:",
    "message has not yet been delivered are:",
    // provider_eximlike.cc (letter)
    "Included is a copy of the message header",
    "------ This is a copy of the message's headers",
};

inline constexpr std::size_t kBodyMarkerCount = std::size(kBodyMarkers);

// The index of phrase s in kBodyMarkers. Only ever evaluated at compile time (BODY_MARKER): a
// phrase not in the table reaches the throw, which is not a constant expression — a compile
// error that says to add it.
constexpr std::size_t body_marker_index(std::string_view s) {
    for (std::size_t i = 0; i < kBodyMarkerCount; ++i)
        if (kBodyMarkers[i] == s) return i;
    throw "phrase missing from kBodyMarkers (lib/formats/markers.hh)";
}

// A set of marker indexes (the scan's answer, or the phrases of one detect step's list).
struct MarkerSet {
    static constexpr std::size_t kWords = (kBodyMarkerCount + 63) / 64;
    std::uint64_t w[kWords] = {};

    constexpr void add(std::size_t i) { w[i / 64] |= std::uint64_t{1} << (i % 64); }
    constexpr bool has(std::size_t i) const { return (w[i / 64] >> (i % 64)) & 1; }
    bool any_of(const MarkerSet &s) const {
        for (std::size_t k = 0; k < kWords; ++k)
            if (w[k] & s.w[k]) return true;
        return false;
    }
};

// The set of a list of phrases, at compile time: constexpr MarkerSet kX = body_markers(kList).
template <std::size_t N>
constexpr MarkerSet body_markers(const std::string_view (&phrases)[N]) {
    MarkerSet s;
    for (std::string_view p : phrases) s.add(body_marker_index(p));
    return s;
}

// Every marker found in body (one pass; ASCII case-insensitive like icontains), and where each
// found one first starts (ifind(body, phrase); entries of phrases not found are left as they are).
void scan_body_markers(std::string_view body, MarkerSet &found, std::size_t first[kBodyMarkerCount]);
MarkerSet scan_body_markers(std::string_view body);

// What read_known works out once per message for every reader (Input::scan).
struct Scan {
    MarkerSet body;                        // the phrases found in in.body ...
    std::size_t first[kBodyMarkerCount];   // ... and where each starts (valid where body has it)
    std::string subject;                   // header(in, "Subject"): decoded once, not once per detect step
};
Scan scan(const Input &in);

// The search body_has does without a scan.
bool body_search(const Input &in, std::size_t marker);

inline bool body_has(const Input &in, std::size_t marker) {
    return in.scan ? in.scan->body.has(marker) : body_search(in, marker);
}

// icontains(in.body, kBodyMarkers[i]): the scan's answer when read_known made one.
inline bool body_has(const Input &in, std::size_t marker);
// Any of the set's phrases in in.body.
bool body_has_any(const Input &in, const MarkerSet &set);
// ifind(in.body, kBodyMarkers[i]): where the phrase first starts in the body, npos when absent.
std::size_t body_find(const Input &in, std::size_t marker);
// The earliest start of any of the set's phrases in in.body, npos when none is there.
std::size_t body_find_first(const Input &in, const MarkerSet &set);
// The latest of the set's phrases' first starts, npos when none is there.
std::size_t body_find_latest(const Input &in, const MarkerSet &set);

// before_original(in.body) (text.hh), its markers' positions taken from the scan.
std::string_view before_original(const Input &in);

}  // namespace carom::formats

// The compile-time index of a body phrase, for body_has: body_has(in, BODY_MARKER("...")).
#define BODY_MARKER(phrase) \
    (std::integral_constant<std::size_t, ::carom::formats::body_marker_index(phrase)>::value)
