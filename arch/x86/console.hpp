// The hypervisor console: printf-style lines on COM1. Each line is formatted into a buffer
// first and written under one lock, so lines from different CPUs never interleave.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86 {

enum class LogLevel : uint32_t { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kTrace = 4 };

void console_init(bool enabled, uint32_t loglevel);

// One line (a trailing newline is added), prefixed with "[cpuN] " when `level` is given.
void log(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// Deferred mode, for measured runs: the emulated UART runs at its baud rate (a line costs
// milliseconds with interrupts off), so while `on`, log lines are kept in memory instead and
// written out, in order, when it is switched off (lines beyond the buffer are counted).
void console_defer(bool on);

// Copies log text from absolute offset `from` (clamped to the oldest byte still held) into
// out, at most cap bytes; start = offset of out[0], end = one past the newest byte held.
size_t console_history(uint64_t from, char* out, size_t cap, uint64_t& start, uint64_t& end);

// Raw text written atomically with respect to other console output (for the JSON report).
void console_write_block(const char* text, size_t len);

// For the fault path: take the console lock if it frees up soon, otherwise write anyway
// (the faulting CPU may itself hold it). Pairs with console_emergency_end().
void console_emergency_begin();
void console_emergency_write(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void console_emergency_end();

} // namespace rthv::x86
