// What the AMD-V backend found and did, for the end-of-run report: the SVM features CPUID
// Fn8000_000A announced (APM Vol. 3, E.4.10) and how guest RIPs were moved past intercepted
// instructions. With NRIPS (15.7.1) the CPU saves the next RIP on every instruction intercept
// and the backend must take it from there; without it (QEMU TCG) the backend adds the length it
// knows. Boot tests assert on these counts, so a backend that silently fell back to its own
// lengths on an NRIPS CPU, or a CPU whose NEXT_RIP disagreed with the instruction, is caught.
#pragma once

#include <stdint.h>

#include "arch/x86/json_writer.hpp"

namespace rthv::x86::svm {

enum class RipSource : uint8_t {
    kNextRip,   // NEXT_RIP (VMCB 0xc8), NRIPS
    kLength,    // RIP + the instruction's length, no NRIPS
    kExitInfo2, // IOIO: EXITINFO2 is the next RIP on every CPU (15.10.2)
};

// Counts one RIP advance on the calling CPU. `disagreed`: NRIPS was available and NEXT_RIP was
// not the RIP the backend's own knowledge gives (RIP + length, or IOIO's EXITINFO2).
void count_rip_advance(RipSource source, bool disagreed);

// The "svm" object: {"nrips", "decode_assists", "flush_by_asid", "asids", "rip_from_next_rip",
// "rip_from_length", "rip_from_exit_info2", "next_rip_disagreed"}.
void write_svm_report(JsonWriter& out);

} // namespace rthv::x86::svm
