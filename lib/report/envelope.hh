// The forms a return address takes on its way back (docs/schema.md, "The envelope"): SRS, the
// rewriting of a forwarder, and BATV, the tag of a signing sender. Both wrap OUR envelope sender:
// undoing them gives the address we sent from, never a recipient. Syntax only: SRS hashes are
// the forwarder's (its secret, not ours) and are not checked; BATV tags are checked by
// lib/classify/batv.cc when the context has the keys.
#pragma once

#include <string>
#include <string_view>

namespace carom::report {

// SRS (Shevek's Sender Rewriting Scheme, libsrs2's forms; the separator after SRS0 / SRS1 may be
// '=', '+' or '-', the prefix any case):
//   SRS0=HHH=TT=domain=local@forwarder               → local@domain
//   SRS1=HHH=forwarder1==HHH=TT=domain=local@forwarder2 → local@domain
// "" when `address` is not of one of these shapes (a part missing or empty).
std::string srs_reverse(std::string_view address);

// BATV (draft-levine-smtp-batv-01): splits prvs=KDDDSSSSSS=local@domain, and the older
// tag-after-local form prvs=local=KDDDSSSSSS@domain, into the 10-character tag and local@domain.
// False when `address` (bare) is not of either shape; the prefix is matched in any case.
bool split_prvs(std::string_view address, std::string &tag, std::string &original);

// The address inside any SRS and BATV layers (at most 4, outermost first): SRS0=..=prvs=..=a@d
// → a@d. `address` itself when it has no such layer.
std::string unwrap_return_address(std::string_view address);

}  // namespace carom::report
