#include "arch/x86/pit.hpp"

#include "arch/x86/cr.hpp"
#include "arch/x86/io.hpp"

namespace rthv::x86 {

uint64_t pit_measure_tsc(uint16_t pit_ticks) {
    constexpr uint16_t kPortB = 0x61, kChannel2 = 0x42, kCommand = 0x43;
    constexpr uint8_t kGate2 = 0x01, kSpeaker = 0x02, kOut2 = 0x20;
    outb(kPortB, static_cast<uint8_t>((inb(kPortB) & ~kSpeaker) | kGate2));
    outb(kCommand, 0xb0); // channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count)
    outb(kChannel2, static_cast<uint8_t>(pit_ticks & 0xff));
    outb(kChannel2, static_cast<uint8_t>(pit_ticks >> 8)); // counting starts here
    uint64_t start = rdtsc();
    // Bounded: ~1e8 polls is seconds even in Bochs; a missing PIT yields 0, not a hang.
    for (uint32_t i = 0; i < 100'000'000 && (inb(kPortB) & kOut2) == 0; ++i) {
    }
    if ((inb(kPortB) & kOut2) == 0) return 0;
    return rdtsc() - start;
}

} // namespace rthv::x86
