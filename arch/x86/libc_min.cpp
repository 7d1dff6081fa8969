// The few C runtime symbols the compiler may emit calls to even with -ffreestanding
// -fno-builtin (struct copies and zeroing), plus the C++ ABI's pure-virtual trap.
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/cr.hpp"

extern "C" {

// REP STOSB / REP MOVSB (SDM Vol. 2B): one instruction for the whole block, which both emulators
// run as a block move; a byte loop costs ~4 instructions per byte, and a Linux guest's image
// (tens of MiB) is copied and its memory zeroed with these.
void* memset(void* dst, int c, size_t n) {
    void* d = dst;
    asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

void* memcpy(void* dst, const void* src, size_t n) {
    void* d = dst;
    asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    if (d < s) {
        for (size_t i = 0; i < n; ++i) d[i] = s[i];
    } else {
        for (size_t i = n; i > 0; --i) d[i - 1] = s[i - 1];
    }
    return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
    const auto* x = static_cast<const unsigned char*>(a);
    const auto* y = static_cast<const unsigned char*>(b);
    for (size_t i = 0; i < n; ++i)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

[[noreturn]] void __cxa_pure_virtual() { rthv::x86::halt_forever(); }

} // extern "C"
