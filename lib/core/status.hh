// Internal error type passed between modules instead of exceptions (exceptions are reserved for
// bad_alloc and bugs, which the C API guard turns into statuses).
#pragma once

#include <string>

#include "carom.h"

namespace carom {

struct Error {
    carom_status_t status = CAROM_OK;
    std::string message;
    bool ok() const { return status == CAROM_OK; }
};

}  // namespace carom
