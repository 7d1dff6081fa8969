// The guest workloads a domain can run (`kernel = "..."` in a scenario): the configuration's
// vocabulary. The guest images' ABI (guests/abi.hpp) takes its values from here, so the
// portable core needs nothing from guests/ (the layering rule: hv/ includes neither x86 nor
// guests), and a value means the same on both sides of StartInfo.
#pragma once

#include <stdint.h>

namespace rthv::config {

enum Workload : uint32_t {
    kWorkloadBusy = 0,
    kWorkloadPeriodic = 1,
    kWorkloadInteractive = 2,
    kWorkloadCliSpin = 3,
    kWorkloadExitStorm = 4,
    kWorkloadEptEscape = 5,
    kWorkloadTripleFault = 6,
    kWorkloadTasks = 7, // the domain's `tasks` under its `guest_sched` (guests/tasks.cpp)
    kWorkloadCount = 8,
};

} // namespace rthv::config
