// The returned original's Message-ID as the backscatter signals read it: bare, ours or not, and
// whether the original looks forged (its Message-ID, From and Return-Path point at unrelated
// organisations).
#pragma once

#include <string>
#include <string_view>

#include "base/model.hh"
#include "classify/context.hh"

namespace carom {

// The Message-ID without angle brackets, comments or surrounding space.
std::string bare_message_id(std::string_view raw);

// The bare Message-ID `id` is ours: its domain is within ctx.message_id_domains, or it matches
// one of ctx.message_id_patterns. False for an empty id.
bool message_id_is_ours(const std::string &id, const Context &ctx);

// The returned original looks forged: its envelope sender, header sender and Message-ID point at
// unrelated domains (all three present, no two related). On true, evidence says why. `id` is
// bare_message_id(o.message_id).
bool looks_forged(const Original &o, const std::string &id, std::string &evidence);

}  // namespace carom
