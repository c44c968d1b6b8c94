// The structs behind the opaque handles of carom.h.
#pragma once

#include <memory>

#include "base/model.hh"
#include "core/engine.hh"

struct carom_options {
    carom::Options options;
};

struct carom_engine {
    std::unique_ptr<carom::Engine> engine;
};

struct carom_result {
    carom::Result result;  // held in place: one allocation per classification, not two
};
