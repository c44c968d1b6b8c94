// Support shared by the MTA readers (lib/formats/mta_*.cc): header access, the "DSN first, text
// second" merge, and the finishing pass that derives status / reply code / command from the
// diagnostic text. Pure text helpers live in text.hh; these ones know about Input and Record.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {

// The bounce's own header, RFC 2047-decoded; "" when absent.
std::string header(const Input &in, std::string_view name);
// header(in, "Subject") without the copy: a view of the Subject read_known decoded once
// (formats/markers.hh), or of its own decoded copy where there is no scan. Neither copied nor
// moved (it may point into itself); converts to std::string_view.
class Subject {
  public:
    explicit Subject(const Input &in);
    Subject(const Subject &) = delete;
    Subject &operator=(const Subject &) = delete;
    std::string_view view() const { return *s_; }
    operator std::string_view() const { return *s_; }

  private:
    std::string own_;
    const std::string *s_;
};

// True when any of the bounce's own fields called `name` contains `needle` (ASCII case-insensitive).
bool header_has(const Input &in, std::string_view name, std::string_view needle);

// The bounce comes from a mail system: null Return-Path, or a From whose address names
// MAILER-DAEMON, postmaster, Mail Delivery System/Subsystem and the like.
bool from_mail_system(const Input &in);

// The message was sent by a mail system or a program: a null Return-Path, X-Failed-Recipients, a
// mail-system address (MAILER-DAEMON, postmaster, ... by address, not display name) in From /
// Sender / Return-Path, "From: ... <>", or Auto-Submitted other than "no".
bool mail_system_sender(const Input &in);

// A person's reply in a conversation: a reply subject (Re:, AW:, SV:, ...) with In-Reply-To or
// References, from no mail system (mail_system_sender). The bounce text such a reply quotes, with
// or without "> ", is not its own; read_known reads it with no format reader (docs/formats.md).
bool person_replying(const Input &in);

// A person's own message that quotes a bounce: no mark of a mail system at all (no null
// Return-Path, no X-Failed-Recipients, no mail-system address or display name, no
// Auto-Submitted), no returned message attached or quoted as a header block, and not a forward
// (which passes a report on whole). Pasting a notice's lines into one's mail does not make it
// one; read_known reads it with no format reader.
bool person_writing(const Input &in, const Extraction &ex);

// Structural evidence that the message is a bounce, which the readers that go by wording alone
// (fallback.cc, mta_phrase.cc) require besides their sentences (docs/formats.md, "Wording is not
// enough"): a null Return-Path or X-Failed-Recipients; else never a reply or forward in a
// conversation (reply/forward subject with In-Reply-To or References); else mail_system_sender,
// or a returned original (ex.original.present) under a subject that is not a reply/forward.
bool bounce_evidence(const Input &in, const Extraction &ex);

// The phrase reader (mta_phrase.cc): one failure sentence and the addresses of its paragraph or of
// the returned message. Not registered: read_fallback runs it after its own wording (fallback.cc).
bool phrase_detect(const Input &in);
bool phrase_read(const Input &in, Extraction &ex);

// The text between the first line containing `start` (exclusive) and the first following line
// that begins with one of `ends` (after leading white space; ASCII case-insensitive). When start
// is empty the block begins at the top. The end line is not part of the block; no end → to EOF.
std::string_view block_after(std::string_view text, std::string_view start,
                             const std::vector<std::string_view> &ends);

// Case-insensitive address comparison (local part included: bounces rarely change its case, and
// when they do, it is the same mailbox for every MTA we know).
bool same_address(std::string_view a, std::string_view b);

// Records found by a reader in the human-readable text. merge() combines them with the RFC 3464
// part when the message has one: the DSN decides which recipients there are; a text record with
// the same recipient (or the only one, when both sides have one) fills whatever the DSN left
// empty, and its diagnostic replaces the DSN's when it says more. Without a DSN (or with a DSN
// that names no recipient) the text records are the result. finish() is applied to every record.
// Returns true when ex.records is not empty.
bool merge(const Input &in, Extraction &ex, std::vector<Record> text_records);

// merge()'s test of a text diagnostic against the DSN's, both squeezed (squeeze()): true when the
// text one is not empty and the DSN one is, or when the text one contains the DSN one (after a
// "type;" prefix of under 12 bytes) and is longer, ASCII case-insensitive.
bool says_more(std::string_view text, std::string_view dsn);

// Completes one record: default action "failed"; status from the diagnostic when missing, or
// when the record only has a class-level code (x.0.0) and the diagnostic names a detailed code of
// the same class; reply code and command from the diagnostic when missing; white space of the
// diagnostic collapsed.
void finish(Record &r);

// The host name in front of an "[ip]" or " (ip)" in texts like "host mx.example.org[192.0.2.1]
// said:" or "mx.example.org [192.0.2.1]: ...": the token before the bracket; "" when none.
std::string host_before_bracket(std::string_view text, std::size_t bracket);

// The remote host of a Postfix/Exim style "host NAME[ip]" / "host NAME [ip]" phrase; "".
std::string remote_host_phrase(std::string_view text);

// The first line of text (trimmed, 5 to 600 bytes) with an enhanced status code, or with an SMTP
// reply code that opens it or follows a label ("Reason: 550 ...", "said: 550"); "" when none.
// A notice's last-resort diagnostic.
std::string coded_line(std::string_view text);

// The first line of text (trimmed) that names addr and carries a failure: a 4.x.x / 5.x.x
// status or a 4xx / 5xx reply code; "" when none. In a session transcript this is the remote
// server's answer about the recipient, not the "250 Ok" before it.
std::string failure_line_for(std::string_view text, std::string_view addr);

// When the line holding `marker` is quoted ("> " as in a forwarded message), returns the text
// with one level of quoting removed from every quoted line; otherwise returns the text as is.
std::string unquote_around(std::string_view text, std::string_view marker);

}  // namespace carom::formats
