// CPUID as a Linux guest sees it (the policy behind hvm/cpuid_linux.cpp): the host's identity
// and instruction set, less everything this platform does not virtualise, plus what it does
// provide. A pure function of the host's answer, so the host tests check every bit.
// - Leaf 0x40000000: KVM's signature ("KVMKVMKVM") and no KVM features (0x40000001 = 0): Linux
//   then trusts the x2APIC without interrupt remapping (x86_init.hyper.x2apic_available) and
//   uses nothing else of KVM's (kvmclock, PV EOI, steal time all need feature bits).
// - Leaf 0x40000010 (the timing leaf hypervisors share): EAX the TSC frequency in kHz, EBX the
//   local APIC timer's input clock in kHz (the TSC here: vlapic.hpp, tsc_per_tick 1).
// - x2APIC, TSC-deadline timer, hypervisor present (1:ECX 21, 24, 31); ARAT (6:EAX 2), without
//   which Linux keeps its periodic tick (no broadcast timer for deep idle).
// - Hidden: VMX/SVM, MONITOR/MWAIT (HLT is the idle), XSAVE/OSXSAVE and AVX* (rthv switches the
//   FXSAVE state only), MCE/MCA, MTRR, PAT, DS/ACPI thermal, perfmon (their MSRs #GP here),
//   PCID/INVPCID, PKU, LA57 (Linux would turn 5-level paging on), TSX, RDTSCP (TSC_AUX), the
//   speculation-control MSRs, and the topology leaves (the guest's topology is its VCPUs,
//   from the MADT). Leaves not listed read as zero.
// Bit positions: SDM Vol. 2A CPUID tables 3-8/3-10/3-11, APM Vol. 3 appendix E.
#pragma once

#include <stdint.h>

namespace rthv::vplat {

struct CpuidRegs {
    uint32_t eax, ebx, ecx, edx;
};

inline constexpr uint32_t kCpuidHypervisorBase = 0x40000000;
inline constexpr uint32_t kCpuidTimingLeaf = 0x40000010;

// `host` is what the CPU answered for (leaf, subleaf); `vcpu` the guest VCPU's index (its APIC
// ID); `tsc_khz` the TSC frequency the guest may rely on.
CpuidRegs linux_cpuid(uint32_t leaf, uint32_t subleaf, const CpuidRegs& host, uint32_t vcpu,
                      uint32_t tsc_khz);

} // namespace rthv::vplat
