#include "arch/x86/debugcon.hpp"

namespace rthv::x86 {

void debugcon_write(const char* text, size_t len) {
    if (len == 0) return;
    // RSI source, RCX count, DX port; DF is clear (SysV ABI) so the string goes forwards.
    asm volatile("rep outsb"
                 : "+S"(text), "+c"(len)
                 : "d"(static_cast<uint16_t>(kDebugconPort))
                 : "memory");
}

} // namespace rthv::x86
