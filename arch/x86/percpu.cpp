#include "arch/x86/percpu.hpp"

#include "arch/x86/msr.hpp"

namespace rthv::x86 {
namespace {

PerCpu blocks[kMaxArchCpus];

} // namespace

PerCpu& percpu(CpuId cpu) { return blocks[cpu]; }

CpuId cpus_started() {
    CpuId n = 0;
    while (n < kMaxArchCpus && __atomic_load_n(&blocks[n].online, __ATOMIC_ACQUIRE)) ++n;
    return n;
}

void install_percpu(PerCpu& pc) {
    pc.self = &pc;
    wrmsr(Msr::kGsBase, reinterpret_cast<uint64_t>(&pc));
}

CpuId current_cpu_id() { return rdmsr(Msr::kGsBase) == 0 ? 0 : this_cpu().cpu_id; }

} // namespace rthv::x86
