// Shared by the fuzz targets: the libFuzzer entry point's signature and a cap on input size.
// Each target is built two ways: with -fsanitize=fuzzer (clang, `-Dfuzzing=true`) libFuzzer
// provides main(); otherwise replay_main.cc does, and runs the target over files and directories
// (the seeds), so that every seed is an ordinary `meson test` case under GCC too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// Inputs beyond this are ignored: the interesting bugs need structure, not bulk, and the limits
// themselves are tested by tests/limits (RE2's fuzzer caps its inputs the same way).
constexpr size_t kFuzzMaxInput = 256 * 1024;

// A failed check inside a target: abort so libFuzzer (and the replay main) report it.
#define FUZZ_CHECK(cond)                                                                         \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);  \
            __builtin_abort();                                                                   \
        }                                                                                        \
    } while (0)
