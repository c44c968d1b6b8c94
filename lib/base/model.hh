// The output model: what one classification produces. Owns all its strings, borrows nothing from
// the engine, so a result outlives the engine that made it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "carom.h"

namespace carom {

// Facts and verdict for one recipient. Readers (lib/report, lib/formats) fill the facts; the
// classifier (lib/classify) fills cls, reason, rule and hits.
struct Record {
    std::string recipient;           // bare address, as written (VERP and +tags kept)
    std::string original_recipient;  // Original-Recipient / ORCPT, xtext-decoded
    std::string action;              // failed / delayed / delivered / relayed / expanded (lower case)
    std::string status;              // enhanced status code "5.1.1"
    bool status_derived = false;     // the bounce gave no code: status derived from reply code / action
    std::string reply_code;          // SMTP reply code "550"
    std::string diagnostic_type;     // "smtp", "x-postfix", ...
    std::string diagnostic;          // diagnostic text, unfolded, UTF-8
    std::string remote_mta;
    std::string reporting_mta;
    std::string command;             // last SMTP command: CONN EHLO HELO MAIL RCPT DATA
    std::string last_attempt;        // ISO 8601 UTC when parseable
    std::string feedback_type;       // ARF only
    // What an operator acts on (report/stamp.hh, docs/schema.md): when, whose mail, which send.
    std::string timestamp;           // RFC 3339 with the offset as written
    std::string timestamp_source;    // "last-attempt", "arrival" or "date"; "" with no timestamp
    std::string token;               // SHA-256 hex of sender, recipient, original's Message-ID
    std::string sender;              // the original's sender, bare, lower-case domain (SRS / BATV undone)
    // Where `recipient` came from (docs/schema.md): "dsn", "x-failed-recipients", "text",
    // "original-header", "verp", "arf", "auto-reply", "notice"; "" when there is no recipient.
    std::string recipient_source;
    // The recipient decoded from the VERP address the bounce came back to (context's template):
    // the address we mailed. "" without a VERP match.
    std::string envelope_recipient;
    // The reporting MTA's own classification of the failure, lower case, when it writes one in
    // the DSN (PowerMTA's X-PowerMTA-BounceCategory: "bad-mailbox", "quota-issues", ...).
    std::string category;
    // verdict
    carom_class_t cls = CAROM_CLASS_NONE;
    carom_reason_t reason = CAROM_REASON_UNDEFINED;
    std::string rule;                // id of the rule that decided
    std::vector<std::string> hits;   // every rule that matched (explain mode only)
};

// The returned original message, as far as the bounce carries it.
struct Original {
    std::string message_id, from, subject, date, return_path, list_id;
    std::vector<std::string> to;
    std::vector<std::string> received;                         // Received chain, top first
    std::vector<std::pair<std::string, std::string>> headers;  // caller-named headers (lower-case name)
    bool present = false;                                       // any header of the original was found
};

struct Signal {
    std::string name, outcome, evidence;  // outcome: genuine / backscatter / unknown
};

struct Backscatter {
    carom_verdict_t verdict = CAROM_VERDICT_UNKNOWN;
    std::vector<Signal> signals;
};

struct Result {
    carom_status_t status = CAROM_OK;
    std::string message;   // why the message could not be read; empty when status == CAROM_OK
    std::string format;    // which reader decoded it: "rfc3464", "exim", ...; empty when not a bounce
    std::vector<Record> records;
    Original original;
    Backscatter backscatter;
    bool explain = false;  // render hits
};

}  // namespace carom

namespace carom {

// An ESP event's own verdict on the record of the same index (lib/formats/esp.hh). It decides
// when `decides` (nothing reached a remote server: a suppression, an auto-reply the ESP names);
// otherwise it fills in only when the rules find no cause in the record's diagnostic.
struct Given {
    carom_reason_t reason = CAROM_REASON_UNDEFINED;
    std::string rule;  // "esp.ses.permanent.noemail", ...
    bool decides = false;
};

// What the reading stages (lib/report, lib/formats) extract from one message, before the rules.
struct Extraction {
    std::string format;           // reader that recognised the message; "" when none did
    std::vector<Record> records;  // one per recipient, facts only
    Original original;
    bool bounce = false;          // a delivery report or bounce of any kind
    bool auto_reply = false;      // RFC 3834 / out-of-office
    bool feedback = false;        // ARF
    bool mdn = false;             // read receipt: not a bounce, no records
    // A notice that answers mail without being a delivery report: "challenge" (challenge-response
    // systems) or "virusnotice" (antivirus / content-filter notices). Backscatter by nature.
    std::string notice;
    std::vector<Given> given;     // ESP events: one per record, in the same order; empty otherwise
};

}  // namespace carom
