// The verdict: rules decide the reason of each record, the reason and the action decide the
// class, then the backscatter decision may turn the records into class backscatter.
#pragma once

#include "base/model.hh"
#include "mime/message.hh"
#include "classify/context.hh"
#include "rules/rules.hh"

namespace carom {

void decide(const rules::Compiled &rules, bool explain, Extraction &ex, Result &out);

// Backscatter verdict with its signals (lib/classify/backscatter.cc).
void judge_backscatter(const Context &context, const mime::Message &msg, const Extraction &ex, Result &out);

}  // namespace carom
