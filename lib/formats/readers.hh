// Declarations of every reader's detect/read pair, for the registry table.
#pragma once

#include "formats/reader.hh"

namespace carom::formats {

// --- MTA readers (lib/formats/mta_*.cc) ---
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
