// STUB (to be replaced by the rules engine).
#include "rules/rules.hh"

namespace carom::rules {

namespace {
class Empty : public Compiled {
public:
    Decision decide(const Input &, bool) const override { return {}; }
    std::size_t size() const override { return 0; }
    std::string list_jsonl() const override { return ""; }
};
}  // namespace

carom_status_t check(const Source &, std::string &) { return CAROM_OK; }

std::unique_ptr<Compiled> compile(const std::vector<Source> &, bool, std::uint64_t, carom_status_t &status,
                                  std::string &) {
    status = CAROM_OK;
    return std::make_unique<Empty>();
}

const char *builtin_version() { return "0"; }

}  // namespace carom::rules
