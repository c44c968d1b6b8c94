// STUB (to be replaced by the report layer).
#include "report/report.hh"

namespace carom::report {

std::size_t parse_delivery_status(std::string_view, std::vector<Record> &) { return 0; }
bool read_dsn(const mime::Message &, Extraction &) { return false; }
bool read_arf(const mime::Message &, Extraction &) { return false; }
bool read_auto_reply(const mime::Message &, Extraction &) { return false; }
bool is_mdn(const mime::Message &) { return false; }
void read_original(const mime::Message &, const std::vector<std::string> &, Original &) {}

long long parse_date_epoch(std::string_view) { return -1; }

}  // namespace carom::report
