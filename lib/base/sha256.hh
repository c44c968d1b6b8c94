// SHA-256 (FIPS 180-4), written here so that every build has it: the record token
// (docs/schema.md, "token") must exist whether or not the build links OpenSSL's libcrypto, which
// is optional (Meson option `crypto`, used only by the backscatter HMAC checks). Small and
// incremental; speed is not a concern (one digest of a few hundred bytes per record).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace carom {

class Sha256 {
public:
    Sha256();
    // Adds bytes to the message; may be called any number of times.
    void update(std::string_view data);
    // The digest of everything added. The object is spent afterwards (call it once).
    std::array<std::uint8_t, 32> finish();

private:
    void block(const std::uint8_t *p);
    std::uint32_t h_[8];
    std::uint8_t buf_[64];
    std::size_t used_ = 0;     // bytes in buf_
    std::uint64_t length_ = 0; // message length in bytes
};

// The SHA-256 of `data` as 64 lower-case hex digits (what `sha256sum` prints).
std::string sha256_hex(std::string_view data);

}  // namespace carom
