// Test helper of the lib/report tests: a message parsed from hand-written bytes (the parse is
// expected to succeed).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "base/limits.hh"
#include "mime/message.hh"

namespace carom::report::testing {

inline mime::Message parse(const std::string &s) {
    mime::Message m;
    std::string err;
    EXPECT_EQ(mime::parse(s, Limits(), m, err), CAROM_OK) << err;
    return m;
}

}  // namespace carom::report::testing
