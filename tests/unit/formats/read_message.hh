// Test helper shared by the format readers' unit tests: parse raw bytes and run the registry.
#pragma once

#include <string>

#include "base/limits.hh"
#include "formats/reader.hh"
#include "mime/message.hh"
#include "report/report.hh"

namespace carom::formats::testing {

struct Read {
    Extraction ex;
    bool ok = false;
};

// As the engine does: the returned original first, then the readers.
inline Read run(const std::string &raw) {
    Read out;
    Limits limits;
    mime::Message msg;
    std::string err;
    if (mime::parse(raw, limits, msg, err) != CAROM_OK) return out;
    report::read_original(msg, {}, out.ex.original);
    const std::string body = mime::body_text(msg);
    Input in{msg, body, limits};
    out.ok = read(in, out.ex);
    return out;
}

}  // namespace carom::formats::testing
