#include "arch/x86/ctl_port.hpp"

#include "arch/x86/uart16550.hpp"

namespace rthv::x86::ctl_port {
namespace {

Uart16550 com2(0x2f8);

} // namespace

bool init() { return com2.init(); }

size_t read(uint8_t* out, size_t cap) {
    if (!com2.present()) return 0;
    size_t n = 0;
    while (n < cap && com2.can_read()) out[n++] = com2.get();
    return n;
}

void write(const uint8_t* bytes, size_t n) {
    if (!com2.present()) return;
    // A host that stopped reading must not wedge CPU 0 for good: the frame is then lost, and the
    // client's timeout and the protocol's delimiters recover.
    for (size_t i = 0; i < n; ++i)
        if (!com2.put(bytes[i])) return;
}

} // namespace rthv::x86::ctl_port
