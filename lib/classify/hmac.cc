#include "classify/hmac.hh"

#if CAROM_HAVE_LIBCRYPTO
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

namespace carom {

#if CAROM_HAVE_LIBCRYPTO

namespace {

std::string hex(const unsigned char *p, std::size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

}  // namespace

bool hmac_sha1_hex(std::string_view key, std::string_view data, std::string &out) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (key.size() > 0x7fffffff) return false;
    if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char *>(data.data()),
              data.size(), md, &len))
        return false;
    out = hex(md, len);
    return true;
}

#else

bool hmac_sha1_hex(std::string_view, std::string_view, std::string &out) {
    out.clear();
    return false;
}

#endif

bool hmac_available() { return CAROM_HAVE_LIBCRYPTO != 0; }

}  // namespace carom
