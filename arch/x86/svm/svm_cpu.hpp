// AMD-V availability and SVM operation per physical CPU (AMD APM Vol. 2, 15.4 "Enabling SVM",
// 15.30.4 VM_HSAVE_PA): the capability checks (CPUID 8000_0001h and 8000_000Ah, VM_CR.SVMDIS),
// EFER.SVME and a host save area per CPU, and the permission maps every VMCB shares.
#pragma once

#include <stdint.h>

#include "hv/lib/types.hpp"

namespace rthv::x86::svm {

// What CPUID Fn8000_000A reports (APM Vol. 3, appendix E.4.10).
struct Features {
    uint32_t revision;
    uint32_t asids;      // number of ASIDs (EBX), ASID 0 is the host's
    bool nrips;          // EDX[3]: next RIP saved on intercepts
    bool flush_by_asid;  // EDX[6]: TLB_CONTROL 3/7
    bool decode_assists; // EDX[7]
};

// Checks the calling CPU: SVM, not disabled by firmware, nested paging. False + reason if any
// is missing. Must run before cpu_enable() on any CPU.
bool probe(const char*& why);
const Features& features();

// On the calling CPU: EFER.SVME, VM_HSAVE_PA with its own host save area, and a second page
// VMSAVE fills with the host's FS/GS/TR/LDTR and syscall MSRs (restored by VMLOAD after every
// #VMEXIT: 15.5.2, VMRUN does not switch them). Idempotent.
bool cpu_enable(const char*& why);
uint64_t host_state_area(CpuId cpu); // physical address, 0 before cpu_enable

// The I/O and MSR permission maps (15.10.1, 15.11): every bit set, so every port access and
// every RDMSR/WRMSR of a guest exits. Physical addresses, contiguous as the CPU requires.
uint64_t iopm_pa();
uint64_t msrpm_pa();

} // namespace rthv::x86::svm
