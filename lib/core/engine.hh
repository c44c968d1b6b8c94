// Engine: rules + limits + context, built once, immutable, shared by any number of threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.hh"
#include "base/model.hh"
#include "classify/context.hh"
#include "core/status.hh"
#include "rules/rules.hh"

namespace carom {

// The mutable builder behind carom_options_t.
struct Options {
    Limits limits;
    bool builtin_rules = true;
    std::vector<rules::Source> rule_sources;
    std::vector<std::string> original_headers;  // lower case
    Context context;
    bool backscatter = true;  // carom_options_use_backscatter: notices and the backscatter verdict
};

class Engine {
public:
    static std::unique_ptr<Engine> build(const Options &options, Error &error);
    // Classifies one message. Never throws except std::bad_alloc. Always returns a result (an
    // error result for unreadable input).
    std::unique_ptr<Result> classify(std::string_view bytes, bool explain) const;
    // The same into a caller-owned, freshly constructed Result (the C API keeps it inside its
    // handle: one allocation per message fewer).
    void classify(std::string_view bytes, bool explain, Result &out) const;

    const Limits &limits() const { return options_.limits; }
    const rules::Compiled &rules() const { return *rules_; }

private:
    Engine() = default;
    // JSON input: ESP events (formats/esp.hh), through the same rules as a bounce.
    void classify_events(std::string_view bytes, bool explain, Result &out) const;
    Options options_;
    std::unique_ptr<rules::Compiled> rules_;
};

}  // namespace carom
