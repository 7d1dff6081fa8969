// Preparing a domain's memory before its VCPU is created: RAM frames, the embedded guest image
// (guests/guest_image.S) at kImageGpa and the StartInfo page telling the guest its workload,
// name and time base (guests/abi.hpp).
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/vcpu.hpp"
#include "hv/config/config.hpp"

namespace rthv::x86::hvm {

struct WorkloadParams {
    guest_abi::Workload workload;
    Time grid_origin; // periodic: first release (ns); the guest gets it as a TSC value
    Duration period;  // periodic: T; interactive: mean sleep
    Duration job;     // periodic: C; interactive: burst
};

// Names as used in config files, on the command line and in the report ("busy", "periodic",
// ...): one table, hv/config's.
using config::workload_name;
bool workload_from_name(const char* name, size_t len, guest_abi::Workload& out);

// Allocates and fills the domain's memory and identity; false (with nothing allocated) when
// memory runs out or the image does not fit.
bool load_guest(HvmVcpu& v, uint32_t domain_id, CpuId cpu, const WorkloadParams& p);

inline constexpr uint32_t kGuestEntry = guest_abi::kImageGpa;
inline constexpr uint32_t kGuestStackTop = guest_abi::kGuestMemory;

} // namespace rthv::x86::hvm
