#include "arch/x86/hvm/port_io.hpp"

#include "arch/x86/hvm/linux_vcpu.hpp"

namespace rthv::x86::hvm {
namespace {

constexpr uint16_t kComBase = guest_abi::kConsolePort;
constexpr uint32_t kLineStatusEmpty = 0x60; // THR empty + transmitter empty (16550 LSR)

} // namespace

uint32_t port_in(HvmVcpu& v, uint16_t port, uint8_t size) {
    if (v.platform != nullptr) return linux_port_in(*v.platform, port, size);
    if (port == guest_abi::kConsoleStatusPort) return kLineStatusEmpty;
    if (port >= kComBase && port < kComBase + 8) return 0;
    return size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;
}

RunResult port_out(HvmVcpu& v, uint16_t port, uint8_t size, uint32_t value) {
    if (v.platform != nullptr) {
        linux_port_out(*v.platform, port, size, value);
        return RunResult::kResume;
    }
    if (port == kComBase) v.console.put(v.name, static_cast<char>(value & 0xff));
    return RunResult::kResume;
}

} // namespace rthv::x86::hvm
