// The single guard every extern "C" definition runs its body through: no exception ever crosses
// the C ABI. std::bad_alloc becomes CAROM_E_NOMEM; any other exception is a bug in carom and
// becomes CAROM_E_INTERNAL (with what() as the message when the function has an error slot).
// guard() itself is noexcept, so even an exception thrown while handling another one terminates
// cleanly instead of unwinding through C frames. (The extern "C" definitions cannot be declared
// noexcept themselves: carom.h is plain C and a C++ definition must match its declaration.)
// tests/abi/check_guard.py checks that every definition in carom_api.cc uses it.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "carom.h"

namespace carom {

// Body returns carom_status_t. `detail`, when given, receives the exception's message.
template <class F>
carom_status_t guard(F &&body, std::string *detail = nullptr) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return CAROM_E_NOMEM;
    } catch (const std::exception &e) {
        if (detail) {
            try {
                *detail = e.what();
            } catch (...) {
            }
        }
        return CAROM_E_INTERNAL;
    } catch (...) {
        return CAROM_E_INTERNAL;
    }
}

// For functions whose return type is not a status: returns `fallback` on any exception.
template <class T, class F>
T guard_value(T fallback, F &&body) noexcept {
    try {
        return body();
    } catch (...) {
        return fallback;
    }
}

// Copies a string into a malloc'd C string for a `char **` out-parameter (freed with
// carom_string_free). Returns nullptr when memory is short.
char *dup_c_string(const std::string &s) noexcept;

}  // namespace carom
