// Backscatter (docs/backscatter.md): the signals, each in its own file, and the verdict that
// weighs them, judge_backscatter (declared in classify/classifier.hh, defined in backscatter.cc).
//
//   classify/batv.hh        BATV prvs= tags: check and sign
//   classify/verp.hh        VERP addresses: decode and check the signature
//   classify/received.hh    Received hops: the receiving host and the verified client
//   classify/message_id.hh  the returned Message-ID: ours or not; forged-looking originals
//   classify/domains.hh     address domains, "ours", organisational domains
//   classify/notices.hh     challenge-response and antivirus notices (content only)
//   classify/hmac.hh        HMAC-SHA1 for BATV and VERP
#pragma once

#include "classify/batv.hh"
#include "classify/domains.hh"
#include "classify/hmac.hh"
#include "classify/message_id.hh"
#include "classify/notices.hh"
#include "classify/received.hh"
#include "classify/verp.hh"
