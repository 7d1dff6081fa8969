#include "arch/x86/console.hpp"

#include "arch/x86/percpu.hpp"
#include "arch/x86/serial.hpp"
#include "hv/lib/format.hpp"
#include "hv/lib/spinlock.hpp"

namespace rthv::x86 {
namespace {

constexpr size_t kLineMax = 256;
Spinlock console_lock;
bool console_enabled = false;
uint32_t console_level = 2;
bool emergency_locked = false;
bool deferred = false;
char defer_buffer[16 * 1024];
size_t defer_used = 0;
uint64_t defer_dropped = 0;
// Every log line also goes into this ring, for `xl dmesg` (offsets count all bytes ever kept).
char history[16 * 1024];
uint64_t history_end = 0;

void remember(const char* text, size_t n) {
    for (size_t i = 0; i < n; ++i) history[(history_end + i) % sizeof(history)] = text[i];
    history_end += n;
}

const char* const kLevelTag[] = {"E", "W", "I", "D", "T"};

// Appends a newline to whatever `format` produced, keeping it inside the buffer.
size_t finish_line(char* buf, size_t used) {
    if (used > kLineMax - 2) used = kLineMax - 2;
    buf[used++] = '\n';
    buf[used] = '\0';
    return used;
}

} // namespace

void console_init(bool enabled, uint32_t loglevel) {
    // The UART is set up even with console=none: fault reports, the JSON report and the exit
    // marker always go out, only log lines are silenced.
    serial::init();
    console_enabled = enabled;
    console_level = loglevel;
}

void log(LogLevel level, const char* fmt, ...) {
    auto lvl = static_cast<uint32_t>(level);
    if (!console_enabled || lvl > console_level) return;
    char buf[kLineMax];
    size_t n = format(buf, sizeof(buf), "[cpu%u %s] ", current_cpu_id(), kLevelTag[lvl]);
    FormatArgs args;
    __builtin_va_start(args, fmt);
    n += vformat(buf + n, sizeof(buf) - n, fmt, args);
    __builtin_va_end(args);
    n = finish_line(buf, n);
    LockGuard guard(console_lock);
    remember(buf, n);
    if (!deferred) return serial::write(buf, n);
    if (defer_used + n > sizeof(defer_buffer)) {
        ++defer_dropped;
        return;
    }
    for (size_t i = 0; i < n; ++i) defer_buffer[defer_used + i] = buf[i];
    defer_used += n;
}

void console_defer(bool on) {
    LockGuard guard(console_lock);
    if (deferred && !on) {
        serial::write(defer_buffer, defer_used);
        if (defer_dropped != 0) {
            char buf[kLineMax];
            size_t n = format(buf, sizeof(buf), "[%llu console lines dropped]\n",
                              static_cast<unsigned long long>(defer_dropped));
            serial::write(buf, n);
        }
        defer_used = 0;
        defer_dropped = 0;
    }
    deferred = on;
}

size_t console_history(uint64_t from, char* out, size_t cap, uint64_t& start, uint64_t& end) {
    LockGuard guard(console_lock);
    uint64_t oldest = history_end > sizeof(history) ? history_end - sizeof(history) : 0;
    start = from < oldest ? oldest : (from > history_end ? history_end : from);
    end = history_end;
    size_t n = 0;
    for (; n < cap && start + n < history_end; ++n) out[n] = history[(start + n) % sizeof(history)];
    return n;
}

void console_write_block(const char* text, size_t len) {
    LockGuard guard(console_lock);
    serial::write(text, len);
}

void console_emergency_begin() {
    emergency_locked = false;
    for (uint32_t i = 0; i < 10'000'000; ++i) {
        if (console_lock.try_lock()) {
            emergency_locked = true;
            break;
        }
        cpu_relax();
    }
    // What was deferred comes first: it may say what led to the fault.
    if (deferred) serial::write(defer_buffer, defer_used);
    deferred = false;
    defer_used = 0;
}

void console_emergency_write(const char* fmt, ...) {
    char buf[kLineMax];
    FormatArgs args;
    __builtin_va_start(args, fmt);
    size_t n = finish_line(buf, vformat(buf, sizeof(buf), fmt, args));
    __builtin_va_end(args);
    serial::write(buf, n); // bypasses console_enabled: a fault report always goes out
}

void console_emergency_end() {
    if (emergency_locked) console_lock.unlock();
    emergency_locked = false;
}

} // namespace rthv::x86
