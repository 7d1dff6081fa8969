// Preparing a toy domain's memory before its VCPU is created: RAM frames and the embedded guest
// image (guests/guest_image.S) at kImageGpa. The StartInfo page telling the guest its workload,
// name and time base (guests/abi.hpp) follows once the scheduler has given the VCPU its period
// grid (dom_setup.cpp).
#pragma once

#include <stdint.h>

#include "arch/x86/hvm/vcpu.hpp"
#include "hv/config/config.hpp"

namespace rthv::x86::hvm {

struct WorkloadParams {
    guest_abi::Workload workload;
    Duration period; // periodic: T; interactive: mean sleep
    Duration job;    // periodic: C; interactive: burst
};

// Names as used in config files and in the report ("busy", "periodic", ...): one table,
// hv/config's.
using config::workload_name;

// Allocates the VCPU's memory and copies the guest image into it; false (with nothing
// allocated) when memory runs out or the image does not fit.
bool load_guest_image(HvmVcpu& v);

inline constexpr uint32_t kGuestEntry = guest_abi::kImageGpa;
inline constexpr uint32_t kGuestStackTop = guest_abi::kGuestMemory;

} // namespace rthv::x86::hvm
