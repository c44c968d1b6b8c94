// The address a bounce came back to, decoded as data on the records (docs/schema.md, "The
// envelope"): a VERP address of the context's template names the recipient we mailed.
#pragma once

#include <string>
#include <vector>

#include "base/model.hh"
#include "classify/context.hh"
#include "mime/message.hh"

namespace carom {

// Where the bounce was delivered, as the message shows it: its envelope recipient as local
// delivery recorded it (Delivered-To, X-Original-To, Envelope-To, X-Envelope-To), then its To
// (a bounce is addressed to the original's envelope sender). Bare addresses, no duplicates.
std::vector<std::string> envelope_recipients(const mime::Message &msg);

// The recipient named by the first VERP address of ctx's template among the envelope recipients
// and then the returned original's Return-Path, each with its SRS and BATV layers undone. ""
// without a template, without a match, when the decoded part is not an address, or when the
// template is signed and the signature does not verify (a forged VERP address names nobody).
std::string verp_recipient(const Context &ctx, const mime::Message &msg, const Original &original);

// Sets every record's envelope_recipient to the VERP-decoded address; a record whose recipient
// came only from the quoted original's headers (or that has none) takes it as its recipient
// (recipient_source "verp") and its token is recomputed. Never adds a record.
void apply_envelope(const Context &ctx, const mime::Message &msg, Extraction &ex);

}  // namespace carom
