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
// --- readers added for families beyond the shared corpus (mta_*.cc, lda_*.cc) ---
bool courier_detect(const Input &in);
bool courier_read(const Input &in, Extraction &ex);
bool netscape_detect(const Input &in);
bool netscape_read(const Input &in, Extraction &ex);
bool hmailserver_detect(const Input &in);
bool hmailserver_read(const Input &in, Extraction &ex);
bool exchange2000_detect(const Input &in);
bool exchange2000_read(const Input &in, Extraction &ex);
bool groupwise_detect(const Input &in);
bool groupwise_read(const Input &in, Extraction &ex);
bool dovecot_detect(const Input &in);
bool dovecot_read(const Input &in, Extraction &ex);
bool cyrus_detect(const Input &in);
bool cyrus_read(const Input &in, Extraction &ex);
bool phrase_detect(const Input &in);
bool phrase_read(const Input &in, Extraction &ex);
// --- provider and appliance readers (lib/formats/provider_*.cc) ---
bool detect_amazonses_json(const Input &in);
bool read_amazonses_json(const Input &in, Extraction &ex);
bool detect_mailru(const Input &in);
bool read_mailru(const Input &in, Extraction &ex);
bool detect_gmx(const Input &in);
bool detect_einsundeins(const Input &in);
bool read_gmx(const Input &in, Extraction &ex);
bool detect_mxlogic(const Input &in);
bool read_mxlogic(const Input &in, Extraction &ex);
bool detect_ezweb(const Input &in);
bool read_ezweb(const Input &in, Extraction &ex);
bool detect_kddi(const Input &in);
bool read_kddi(const Input &in, Extraction &ex);
bool detect_biglobe(const Input &in);
bool read_biglobe(const Input &in, Extraction &ex);
bool detect_verizon(const Input &in);
bool read_verizon(const Input &in, Extraction &ex);
bool detect_mfilter(const Input &in);
bool read_mfilter(const Input &in, Extraction &ex);
bool detect_mcafee(const Input &in);
bool read_mcafee(const Input &in, Extraction &ex);
bool detect_trendmicro(const Input &in);
bool read_trendmicro(const Input &in, Extraction &ex);
bool detect_mailfoundry(const Input &in);
bool read_mailfoundry(const Input &in, Extraction &ex);
bool detect_mailmarshal(const Input &in);
bool read_mailmarshal(const Input &in, Extraction &ex);
bool detect_zoho(const Input &in);
bool read_zoho(const Input &in, Extraction &ex);
bool detect_amazonworkmail(const Input &in);
bool read_amazonworkmail(const Input &in, Extraction &ex);
bool detect_office365(const Input &in);
bool read_office365(const Input &in, Extraction &ex);
bool detect_activehunter(const Input &in);
bool read_activehunter(const Input &in, Extraction &ex);
bool detect_googlegroups(const Input &in);
bool read_googlegroups(const Input &in, Extraction &ex);
bool detect_gmail(const Input &in);
bool read_gmail(const Input &in, Extraction &ex);
bool detect_yahoo(const Input &in);
bool read_yahoo(const Input &in, Extraction &ex);

}  // namespace carom::formats
