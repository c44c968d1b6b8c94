// Standard reports, one header each: delivery status (dsn.hh: RFC 3464 / RFC 6533 at any depth,
// RFC 6522), the returned original (original.hh: message/rfc822, text/rfc822-headers,
// message/global-headers, or headers quoted in the text), ARF feedback reports (arf.hh: RFC 5965
// and common variants), RFC 3834 auto-replies and reply/forward subject prefixes (autoreply.hh)
// and MDNs (mdn.hh: RFC 8098). This header includes them all, for the layers that call several.
// The field helpers they share are in fields.hh, addresses.hh and dates.hh.
#pragma once

#include "base/strings.hh"
#include "report/arf.hh"
#include "report/autoreply.hh"
#include "report/dsn.hh"
#include "report/mdn.hh"
#include "report/original.hh"
