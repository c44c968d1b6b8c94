// `carom suppressions`: the addresses to stop mailing, from the records of a run
// (docs/suppressions.md): every hard bounce that is not backscatter, and soft bounces that
// repeat on N different days within D days.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "carom.h"

namespace carom_cli {

// Seconds since 1970-01-01T00:00:00Z of an RFC 3339 date-time ("2026-02-03T10:11:12+09:00",
// "...Z", "...-00:00"; fractions ignored). False when the text is not one.
bool rfc3339_seconds(const std::string &text, std::int64_t &seconds);

class Suppressions {
public:
    Suppressions(unsigned soft_count, unsigned soft_days) : soft_count_(soft_count), soft_days_(soft_days) {}

    // Takes the records of one classified message.
    void add(const std::string &source, const carom_result_t *result);

    // The suppression list, sorted by address: CSV (with a header line) or JSON Lines.
    void write(std::FILE *out, bool csv) const;

    struct Bounce {
        std::int64_t when = 0;  // seconds; meaningful only when dated
        bool dated = false;
        std::string timestamp, reason, source;
    };
    struct Address {
        std::vector<Bounce> hard, soft;
    };

private:
    // The row of one address, or false when it is not to be suppressed.
    struct Row {
        std::string address, kind, reason, last, source;
        std::size_t bounces = 0;
    };
    bool row(const std::string &address, const Address &a, Row &out) const;

    unsigned soft_count_, soft_days_;
    std::map<std::string, Address> addresses_;  // by lower-cased address
};

}  // namespace carom_cli
