// A tiny printf-style formatter for the hypervisor and its host tests (no libc there).
// Supported: %d %i %u %x %X %s %c %p %% with length l, ll, z; flags '-' (left-align) and '0'
// (zero-pad); a decimal width or '*'; a precision ".N" / ".*" for %s (at most N characters).
// Anything else is copied through literally so a bad format is visible, never undefined.
#pragma once

#include <stddef.h>

namespace rthv {

using FormatArgs = __builtin_va_list;

// snprintf semantics: writes at most size-1 characters plus a NUL (when size > 0) and returns
// the length the full output would have had, so callers can detect truncation (ret >= size).
size_t format(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
size_t vformat(char* buf, size_t size, const char* fmt, FormatArgs args);

} // namespace rthv
