#include "arch/x86/ioapic.hpp"

#include "arch/x86/paging.hpp"

namespace rthv::x86::ioapic {
namespace {

// 82093AA section 3: IOREGSEL at +0x00 selects a register, IOWIN at +0x10 reads/writes it.
// Register 0x01 (IOAPICVER) bits 16-23: the highest redirection entry; entry n is the pair of
// registers 0x10 + 2n (low dword) and 0x11 + 2n (high dword).
constexpr uint32_t kVersion = 0x01, kRedirectionBase = 0x10;

uint32_t read(volatile uint32_t* base, uint32_t reg) {
    base[0] = reg;
    return base[4];
}

void write(volatile uint32_t* base, uint32_t reg, uint32_t value) {
    base[0] = reg;
    base[4] = value;
}

} // namespace

bool route_isa_irq(const MadtInfo& madt, uint8_t irq, uint8_t vector, uint32_t apic_id) {
    const MadtOverride route = isa_irq_route(madt, irq);
    for (size_t i = 0; i < madt.ioapic_count; ++i) {
        const MadtIoApic& io = madt.ioapics[i];
        auto* base = phys_to_virt<volatile uint32_t>(io.address);
        const uint32_t entries = ((read(base, kVersion) >> 16) & 0xff) + 1;
        if (route.gsi < io.gsi_base || route.gsi >= io.gsi_base + entries) continue;
        const uint32_t pin = route.gsi - io.gsi_base;
        // Low dword (82093AA 3.2.4): vector 0-7, delivery 8-10 = 000 fixed, destination mode
        // 11 = 0 physical, polarity 13 (1 = active low), trigger 15 (1 = level), mask 16. ISA
        // is edge/high unless the override says otherwise (MPS INTI flags: 3 = low / level).
        uint32_t low = vector;
        if ((route.flags & 3u) == 3u) low |= 1u << 13;
        if (((route.flags >> 2) & 3u) == 3u) low |= 1u << 15;
        write(base, kRedirectionBase + 2 * pin + 1, apic_id << 24); // destination 56-63
        write(base, kRedirectionBase + 2 * pin, low);               // unmasked (bit 16 clear)
        return true;
    }
    return false;
}

} // namespace rthv::x86::ioapic
