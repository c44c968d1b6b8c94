// Test helper shared by the format readers' unit tests: classify raw bytes the way production
// does (Engine::classify: the MIME parse, the returned original, read receipts and ARF, the
// registered readers, RFC 3464 and RFC 3834, the notices, then the generic fallback) and keep what
// the readers found.
#pragma once

#include <memory>
#include <string>

#include "core/engine.hh"

namespace carom::formats::testing {

struct Read {
    Result result;    // the engine's result: format, records (with the rules' verdict), original
    bool ok = false;  // a reader recognised the message (result.format names it)
};

// One engine for every test of the executable: built once, immutable afterwards.
inline const Engine &engine() {
    static const std::unique_ptr<Engine> e = [] {
        Error error;
        return Engine::build(Options{}, error);
    }();
    return *e;
}

inline Read run(const std::string &raw) {
    Read out;
    engine().classify(raw, false, out.result);
    out.ok = out.result.status == CAROM_OK && !out.result.format.empty();
    return out;
}

}  // namespace carom::formats::testing
