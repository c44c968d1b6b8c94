// Declarations of every reader's detect/read pair, for the registry table.
#pragma once

#include "formats/reader.hh"

namespace carom::formats {

// --- MTA readers (lib/formats/mta_*.cc) ---
bool postfix_detect(const Input &in);
bool postfix_read(const Input &in, Extraction &ex);
bool exim_detect(const Input &in);
bool exim_read(const Input &in, Extraction &ex);
bool sendmail_detect(const Input &in);
bool sendmail_read(const Input &in, Extraction &ex);
bool v5sendmail_detect(const Input &in);
bool v5sendmail_read(const Input &in, Extraction &ex);
bool qmail_detect(const Input &in);
bool qmail_read(const Input &in, Extraction &ex);
bool dragonfly_detect(const Input &in);
bool dragonfly_read(const Input &in, Extraction &ex);
bool opensmtpd_detect(const Input &in);
bool opensmtpd_read(const Input &in, Extraction &ex);
bool messagingserver_detect(const Input &in);
bool messagingserver_read(const Input &in, Extraction &ex);
bool exchange2003_detect(const Input &in);
bool exchange2003_read(const Input &in, Extraction &ex);
bool exchange2007_detect(const Input &in);
bool exchange2007_read(const Input &in, Extraction &ex);
bool domino_detect(const Input &in);
bool domino_read(const Input &in, Extraction &ex);
bool notes_detect(const Input &in);
bool notes_read(const Input &in, Extraction &ex);
bool x1_detect(const Input &in);
bool x1_read(const Input &in, Extraction &ex);
bool x3_detect(const Input &in);
bool x3_read(const Input &in, Extraction &ex);
bool x6_detect(const Input &in);
bool x6_read(const Input &in, Extraction &ex);
bool imailserver_detect(const Input &in);
bool imailserver_read(const Input &in, Extraction &ex);
bool apachejames_detect(const Input &in);
bool apachejames_read(const Input &in, Extraction &ex);
bool fml_detect(const Input &in);
bool fml_read(const Input &in, Extraction &ex);
// --- provider and appliance readers (lib/formats/provider_*.cc) ---

}  // namespace carom::formats
