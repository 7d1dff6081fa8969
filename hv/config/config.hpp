// The boot-time scenario: pools, domains and their VCPUs, read from a configuration file in the
// style of Xen's xl.cfg (one file, several [domain] sections; see hv/config/FORMAT.md).
//
// Runs inside the hypervisor on the bytes of a multiboot2 module, so it is freestanding: no heap
// (the caller owns a Config, about 75 KiB: keep it static), no floating point, no exceptions.
#pragma once

#include "hv/config/workload.hpp"
#include "hv/lib/cpu_set.hpp"
#include "hv/plan/plan.hpp"
#include "hv/sched/params.hpp"

namespace rthv::config {

// Capacities of a Config. A file that needs more gets an error, never a silent truncation.
inline constexpr uint32_t kMaxDomains = 32;
inline constexpr uint32_t kMaxVcpusPerDomain = 64;
inline constexpr uint32_t kMaxPools = 8; // including the implicit Pool-0 (as the scheduler)
// Names: a domain's as long as the control protocol carries (ctl::kMaxName, as Xen allows long
// names); a pool's as the scheduler keeps it (kMaxPoolName - 1); a key or [section] word quoted
// in an error message at most kMaxKeyLength.
inline constexpr uint32_t kMaxDomainNameLength = 63;
inline constexpr uint32_t kMaxPoolNameLength = 31;
inline constexpr uint32_t kMaxKeyLength = 31;
inline constexpr uint32_t kMaxErrors = 32;          // more are counted in Config::errors_dropped
inline constexpr uint32_t kMaxFileBytes = 1u << 20; // a scenario is a few KiB; refuse nonsense
inline constexpr uint64_t kMaxMemoryMiB = uint64_t{1} << 20; // 1 TiB
inline constexpr uint64_t kDefaultMemoryMiB = 16;
inline constexpr uint64_t kDefaultBurstUs = 100;  // interactive
inline constexpr uint64_t kDefaultSleepUs = 5000; // interactive
inline constexpr const char* kDefaultPoolName = "Pool-0";
// Linux domains (`kernel = "linux"`): boot modules named by `image` and `ramdisk`, a command line.
inline constexpr const char* kLinuxKernel = "linux";
// Any other PVH-entry ELF on the same virtual PC platform (`kernel = "pvh"`, `image` required):
// small bare-metal guests that use the platform's devices directly (guests/timerlat).
inline constexpr const char* kPvhKernel = "pvh";
inline constexpr uint32_t kMaxModuleNameLength = 31;
inline constexpr uint32_t kMaxGuestCmdlineLength = 255;
inline constexpr uint64_t kMinLinuxMemoryMiB = 64;      // the kernel alone needs ~54 MiB to run
inline constexpr uint64_t kDefaultLinuxMemoryMiB = 128; // when `memory` is not given
inline constexpr uint64_t kMaxLinuxMemoryMiB = 1024;    // what the loader maps (guest_memory)
inline constexpr const char* kDefaultLinuxImage = "vmlinux";
inline constexpr const char* kDefaultLinuxRamdisk = "initramfs";

// What the guest image runs and with which numbers (the guests read them from StartInfo).
struct WorkloadSpec {
    Workload kind = kWorkloadBusy;
    uint64_t job_us = 0;            // periodic: CPU time per job C (defaults to budget)
    uint64_t job_period_us = 0;     // periodic: release period T (defaults to period)
    uint64_t release_offset_us = 0; // periodic: releases this long after the VCPU's period grid
    uint64_t burst_us = kDefaultBurstUs; // interactive: CPU time per wake-up
    uint64_t sleep_us = kDefaultSleepUs; // interactive: sleep between bursts
};

// A domain whose reservation was planned from its `tasks` (hv/plan) rather than given.
struct PlannedFrom {
    bool active = false;
    plan::GuestSched guest = plan::GuestSched::Edf;
    uint32_t tasks = 0;
    uint64_t task_ppm = 0;      // the task set's utilisation
    uint64_t bandwidth_ppm = 0; // vcpus · budget / period of the planned reservation
    uint64_t overhead_us = 0;   // `plan_overhead_us`: folded into the budget
    plan::TaskSet set;          // what kernel "tasks" runs (guests/tasks.cpp)
};

// What runs in a domain: one of the toy workloads in guests/, an unmodified Linux kernel, or
// another PVH image; the last two run on the virtual PC platform (hv/vplat).
enum class GuestKind : uint8_t { Toy, Linux, Pvh };
inline bool on_pc_platform(GuestKind k) { return k != GuestKind::Toy; }

// How a Linux domain boots (PVH entry, hv/vplat/PVH.md): the modules the runner loads beside
// the scenario, found by their GRUB names, and the kernel command line.
struct LinuxBoot {
    char image[kMaxModuleNameLength + 1] = {};   // uncompressed vmlinux with the PVH note
    char ramdisk[kMaxModuleNameLength + 1] = {}; // initramfs; empty: none
    char cmdline[kMaxGuestCmdlineLength + 1] = {};
};

struct DomainSpec {
    char name[kMaxDomainNameLength + 1] = {};
    uint32_t line = 0; // where its section starts
    uint32_t vcpus = 1;
    uint64_t memory_mib = kDefaultMemoryMiB;
    GuestKind guest = GuestKind::Toy;
    WorkloadSpec workload; // Toy only
    LinuxBoot linux_boot;  // Linux and PVH only
    Params params;         // period, budget, extratime, wake rule: Xen's defaults (or planned)
    PlannedFrom planned;
    uint32_t pool = 0; // index into Config::pools (0 = Pool-0)
    // Hard affinity of VCPU i (all CPUs unless `cpus` says otherwise); only [0, vcpus) matter.
    CpuSet affinity[kMaxVcpusPerDomain];
    bool rejected = false; // some error names this domain: it must not be started
};

struct PoolSpec {
    char name[kMaxPoolNameLength + 1] = {};
    uint32_t line = 0; // 0 for the implicit Pool-0
    CpuSet cpus;       // Pool-0: every CPU no accepted [pool] took
    bool rejected = false;
};

struct ConfigError {
    uint32_t line = 0;
    char key[kMaxKeyLength + 1] = {}; // the key or "[section]" the error is about
    char text[160] = {};              // the whole message: `line 7, key "budget": ...`
    uint32_t domain = kMaxDomains;    // the domain it rejected, kMaxDomains if none
};

struct Config {
    CpuId ncpus = 0;
    PoolSpec pools[kMaxPools];
    uint32_t pool_count = 0;
    DomainSpec domains[kMaxDomains]; // file order, rejected ones included
    uint32_t domain_count = 0;
    ConfigError errors[kMaxErrors];
    uint32_t error_count = 0; // stored in errors[]
    uint32_t errors_dropped = 0;
    // Scratch of the planner for the domain being parsed: about 3.5 KiB that the 16 KiB boot
    // stack should not hold (a Config is static).
    plan::Request plan_request;
    plan::Plan plan_scratch;

    uint32_t total_errors() const { return error_count + errors_dropped; }
    uint32_t accepted_domains() const {
        uint32_t n = 0;
        for (uint32_t i = 0; i < domain_count; ++i) n += domains[i].rejected ? 0 : 1;
        return n;
    }
};

// Parses `len` bytes (any bytes: a module is not trusted to be text) for a machine with `ncpus`
// physical CPUs (1..kMaxCpus). Resets `out` first. Every problem becomes a ConfigError; a domain
// named by one is marked rejected and the others stay startable (FORMAT.md, "Errors").
// Returns true when the file had no error at all.
bool parse(const char* text, size_t len, CpuId ncpus, Config& out);

// One line for the run report: "config: 2 errors; rejected domains: bad (line 30), ..." or
// "config: ok, 5 domains". snprintf semantics (returns the full length).
size_t format_summary(const Config& cfg, char* buf, size_t size);

const char* workload_name(Workload w);

} // namespace rthv::config
