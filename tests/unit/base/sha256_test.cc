// SHA-256 against the test vectors of FIPS 180-4's examples (NIST CSRC "Example Algorithms":
// "abc", the two-block 448-bit message, one million 'a') and the padding edges, each checked
// with coreutils: the command that gave the digest is beside it.
#include <gtest/gtest.h>

#include <string>

#include "base/sha256.hh"

namespace {

using carom::sha256_hex;

TEST(Sha256, Empty) {
    // printf '' | sha256sum
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
    // printf 'abc' | sha256sum (FIPS 180-4 example, one block)
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlocks448Bits) {
    // printf 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq' | sha256sum
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, Message896Bits) {
    // printf 'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr
    //         lmnopqrsmnopqrstnopqrstu' | sha256sum   (one line)
    EXPECT_EQ(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
                         "lmnopqrsmnopqrstnopqrstu"),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, OneMillionA) {
    // python3 -c "import sys; sys.stdout.write('a'*1000000)" | sha256sum
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// 55 bytes: the padding fits the block; 56: it needs a second block; 64: exactly one block.
TEST(Sha256, PaddingEdges) {
    // head -c 55 /dev/zero | tr '\0' 'a' | sha256sum
    EXPECT_EQ(sha256_hex(std::string(55, 'a')), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    // head -c 56 /dev/zero | tr '\0' 'a' | sha256sum
    EXPECT_EQ(sha256_hex(std::string(56, 'a')), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    // head -c 64 /dev/zero | tr '\0' 'a' | sha256sum
    EXPECT_EQ(sha256_hex(std::string(64, 'a')), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

// Fed in pieces of every size from 1 to 130, the digest is the one of the whole.
TEST(Sha256, IncrementalEqualsWhole) {
    std::string text;
    for (int i = 0; i < 1000; ++i) text += static_cast<char>('a' + i % 26);
    const std::string whole = sha256_hex(text);
    for (std::size_t step = 1; step <= 130; ++step) {
        carom::Sha256 s;
        for (std::size_t i = 0; i < text.size(); i += step) s.update(std::string_view(text).substr(i, step));
        const auto d = s.finish();
        static const char digits[] = "0123456789abcdef";
        std::string hex;
        for (auto b : d) hex += digits[b >> 4], hex += digits[b & 15];
        EXPECT_EQ(hex, whole) << "pieces of " << step;
    }
}

// Fed in pieces of 7 bytes or in one, the digest is the same, over every length across the
// padding edges of up to five blocks.
TEST(Sha256, IncrementalAgreesWithTheDigest) {
    std::string data;
    for (std::size_t n = 0; n <= 320; ++n) {
        carom::Sha256 s;
        for (std::size_t at = 0; at < data.size(); at += 7) s.update(std::string_view(data).substr(at, 7));
        const std::array<std::uint8_t, 32> d = s.finish();
        std::string hex;
        for (std::uint8_t b : d) hex += "0123456789abcdef"[b >> 4], hex += "0123456789abcdef"[b & 15];
        EXPECT_EQ(hex, sha256_hex(data)) << n;
        data += static_cast<char>('a' + n % 26);
    }
}

}  // namespace
