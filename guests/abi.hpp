// The contract between rthv and its guest images, shared by both sides: the hypervisor includes
// it in 64-bit code, the guests in -m32 code, so it uses fixed-width types only.
//
// Hypercalls: VMCALL with EAX = number and arguments in EBX, ECX, EDX; the result comes back in
// EAX (0 = ok, ~0 = refused). Console output goes to the virtual COM1 (port 0x3f8) byte by
// byte, or in one VMCALL (kHcConsole). Time is the TSC, which guests read with RDTSC: the
// hypervisor runs them without TSC offsetting, so guest and host agree on every timestamp.
#pragma once

#include <stdint.h>

#include "hv/config/workload.hpp"

namespace rthv::guest_abi {

enum Hypercall : uint32_t {
    kHcReport = 1,   // EBX = ReportKey, ECX:EDX = value (low, high)
    kHcSetTimer = 2, // ECX:EDX = absolute TSC deadline (low, high); 0 cancels. One-shot.
    kHcBlock = 3,    // sleep until the one-shot timer fires (returns at once if it already did)
    kHcYield = 4,    // give the CPU away, stay runnable
    kHcConsole = 5,  // EBX = guest-physical address, ECX = length: console text
};

inline constexpr uint32_t kHcOk = 0;
inline constexpr uint32_t kHcRefused = ~0u;

// Values a guest reports; the hypervisor keeps the last value of each (or the maximum, for
// the worst_* keys) and puts them in its report. Times are in TSC ticks.
enum ReportKey : uint32_t {
    kReportWork = 0,          // busy / cli-spin: loop iterations done
    kReportJobs = 1,          // periodic: jobs completed
    kReportMisses = 2,        // periodic: jobs that finished after their deadline
    kReportWorstResponse = 3, // periodic: worst release-to-finish time
    kReportWakeups = 4,       // interactive: timer wake-ups seen
    kReportWorstLatency = 5,  // interactive: worst timer-deadline-to-running time
    kReportExitsCaused = 6,   // exit-storm: CPUID/IO instructions executed
    kReportCount = 7,
};

// The workloads are the configuration's (hv/config/workload.hpp): one list for both sides.
using config::kWorkloadBusy;
using config::kWorkloadCliSpin;
using config::kWorkloadCount;
using config::kWorkloadEptEscape;
using config::kWorkloadExitStorm;
using config::kWorkloadInteractive;
using config::kWorkloadPeriodic;
using config::kWorkloadTasks;
using config::kWorkloadTripleFault;
using config::Workload;

// Guest-physical layout of every guest (32-bit protected mode, paging off).
inline constexpr uint32_t kStartInfoGpa = 0x1000;     // StartInfo, written before the first entry
inline constexpr uint32_t kImageGpa = 0x10000;        // the image (guests/guest.ld links it here)
inline constexpr uint32_t kGuestMemory = 0x40000;     // 256 KiB of RAM at GPA 0; stack at the top
inline constexpr uint32_t kUnmappedGpa = 0x800000;    // first GPA outside every guest's EPT
inline constexpr uint16_t kConsolePort = 0x3f8;       // virtual COM1 data register
inline constexpr uint16_t kConsoleStatusPort = 0x3fd; // line status: reads 0x60 (THR empty)

inline constexpr uint32_t kStartInfoMagic = 0x52544856; // "RTHV"

inline constexpr uint32_t kMaxGuestTasks = 32; // as hv/plan's kMaxTasks
enum GuestScheduler : uint32_t { kGuestEdf = 0, kGuestRm = 1 };

struct GuestTask {
    uint64_t period_ticks;   // T
    uint64_t wcet_ticks;     // C
    uint64_t deadline_ticks; // D, relative, <= T
};

// What the hypervisor tells the guest before its first instruction.
struct StartInfo {
    uint32_t magic;
    uint32_t workload; // Workload
    uint32_t domain_id;
    uint32_t cpu;          // physical CPU it was started on (informational)
    uint64_t tsc_hz;       // TSC ticks per second
    uint64_t grid_origin;  // periodic: TSC of the first period start (aligned releases)
    uint64_t period_ticks; // periodic: T; interactive: mean sleep between bursts
    uint64_t job_ticks;    // periodic: C (CPU time per job); interactive: burst length
    char name[16];         // domain name, NUL-terminated
    // kernel "tasks": the domain's task set (hv/plan/FORMAT.md) in TSC ticks, scheduled by the
    // guest itself under `guest_sched` (guests/tasks.cpp).
    uint32_t guest_sched; // GuestScheduler
    uint32_t task_count;  // at most kMaxGuestTasks
    GuestTask tasks[kMaxGuestTasks];
};
// The layout both sides agree on, whatever -m32 does to 64-bit members' alignment.
static_assert(sizeof(StartInfo) == 72 + 24 * kMaxGuestTasks, "StartInfo layout");
static_assert(__builtin_offsetof(StartInfo, tasks) == 72, "StartInfo layout");

} // namespace rthv::guest_abi
