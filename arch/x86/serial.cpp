#include "arch/x86/serial.hpp"

#include "arch/x86/uart16550.hpp"

namespace rthv::x86::serial {
namespace {

Uart16550 com1(0x3f8);

} // namespace

bool init() { return com1.init(); }

void write(const char* s, size_t n) {
    if (!com1.present()) return;
    for (size_t i = 0; i < n; ++i) {
        if (s[i] == '\n') com1.put('\r');
        com1.put(static_cast<uint8_t>(s[i]));
    }
}

void drain() {
    if (com1.present()) com1.drain();
}

} // namespace rthv::x86::serial
