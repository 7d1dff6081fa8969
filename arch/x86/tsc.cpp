#include "arch/x86/tsc.hpp"

#include "arch/x86/cpuid.hpp"
#include "arch/x86/cr.hpp"
#include "arch/x86/pit.hpp"
#include "arch/x86/tsc_math.hpp"
#include "arch/x86/tsc_scale.hpp"

namespace rthv::x86 {
namespace {

TscInfo info;
uint64_t boot_tsc = 0;
TscScale scale; // now() without a division: tsc_scale.hpp

// CPUID 0x15 gives TSC/crystal ratio and (maybe) the crystal; 0x16 only the nominal base MHz,
// which emulators report regardless of their real TSC rate (Bochs with sync=none ticks the TSC
// at `ips`), so either is accepted only if it agrees with a PIT measurement within 2%.
uint64_t cpuid_tsc_hz(const char*& source) {
    uint32_t max = cpuid_max_leaf();
    if (max >= 0x15) {
        CpuidResult r = cpuid(0x15);
        if (uint64_t hz = tsc_hz_from_cpuid15(r.eax, r.ebx, r.ecx); hz != 0) {
            source = "cpuid-15h";
            return hz;
        }
    }
    if (max >= 0x16) {
        uint64_t mhz = cpuid(0x16).eax & 0xffff;
        if (mhz != 0) {
            source = "cpuid-16h";
            return mhz * 1'000'000;
        }
    }
    return 0;
}

} // namespace

bool tsc_calibrate() {
    constexpr uint16_t kPitTicks = 23864; // 20 ms
    info.invariant = has_invariant_tsc();
    info.measured_hz = measured_hz(pit_measure_tsc(kPitTicks), kPitTicks, kPitHz);
    const char* cpuid_source = "none";
    info.cpuid_hz = cpuid_tsc_hz(cpuid_source);
    if (info.cpuid_hz != 0 && hz_agree(info.cpuid_hz, info.measured_hz, 20)) {
        info.hz = info.cpuid_hz;
        info.source = cpuid_source;
    } else {
        info.hz = info.measured_hz;
        info.source = "pit";
    }
    scale = TscScale(info.hz);
    boot_tsc = rdtsc();
    return info.hz != 0;
}

const TscInfo& tsc_info() { return info; }

Time now() { return scale.ns(rdtsc() - boot_tsc); }

Duration tsc_ticks_to_ns(uint64_t ticks) { return scale.ns(ticks); }

uint64_t tsc_at(Time t) {
    uint64_t ticks = scale.ticks_ceil(t);
    return ticks > ~uint64_t{0} - boot_tsc ? ~uint64_t{0} : boot_tsc + ticks;
}

void delay_ns(Duration d) {
    Time end = now() + d;
    while (now() < end) asm volatile("pause");
}

} // namespace rthv::x86
