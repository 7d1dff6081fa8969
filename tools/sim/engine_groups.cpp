// Guest groups: several VCPUs of one VM sharing a task set and the guest's global scheduler
// (workload=tasks with group=NAME). The guest runs its highest-priority jobs on whichever of
// its VCPUs the hypervisor is running (the model behind `rthv plan --vcpus N`), keeps
// min(pending jobs, VCPUs) of them runnable and lets the others block, as an idle guest VCPU
// halts. The group's releases ride on its first member's arrival events; its next job end rides
// on one running member's completion event.
#include "tools/sim/engine.hpp"

#include <algorithm>
#include <map>

namespace rthv::sim {

void Engine::build_groups() {
    group_of_.assign(vcpus_.size(), -1);
    std::map<std::string, size_t> index;
    for (uint32_t v = 0; v < vcpus_.size(); ++v) {
        const VcpuSpec& spec = s_.vcpus[v];
        if (spec.workload.kind != WorkloadKind::Tasks || spec.workload.group.empty()) continue;
        auto [it, fresh] = index.emplace(spec.workload.group, groups_.size());
        if (fresh)
            groups_.push_back(
                {Workload(spec.workload, from_us(spec.period_us), mix_seed(s_.seed, v)), {}});
        groups_[it->second].members.push_back(v);
        group_of_[v] = static_cast<int32_t>(it->second);
        // The member's own workload stays empty: all of its progress goes to the group's.
        vcpus_[v].workload = Workload(WorkloadSpec{}, from_us(spec.period_us), 0);
    }
}

// Credits every running member with its progress up to now, jointly: which job each unit of
// progress went to depends on how many members ran at the same time.
void Engine::account_group(size_t g) {
    std::vector<Time> from;
    for (uint32_t m : groups_[g].members) {
        VcpuState& vs = vcpus_[m];
        if (vs.running_on < 0) continue;
        CpuState& cs = cpus_[static_cast<CpuId>(vs.running_on)];
        if (now() <= cs.progress_from) continue;
        from.push_back(cs.progress_from);
        vs.received += now() - cs.progress_from;
        cs.progress_from = now();
    }
    if (!from.empty()) groups_[g].work.consume_parallel(from, now());
}

// The group's next change (a job ends, or a running member has no job) on one running
// member's completion event; the other members' events are cleared.
void Engine::plan_group(size_t g) {
    std::vector<CpuId> running;
    Time start = now();
    for (uint32_t m : groups_[g].members) {
        if (vcpus_[m].running_on < 0) continue;
        const CpuId c = static_cast<CpuId>(vcpus_[m].running_on);
        running.push_back(c);
        start = std::max(start, cpus_[c].progress_from);
        queue_.set(EventKind::Completion, c, kTimeNever);
    }
    if (running.empty()) return;
    const Duration d = groups_[g].work.next_change(running.size());
    queue_.set(EventKind::Completion, running.front(), d == kTimeNever ? kTimeNever : start + d);
}

// Keeps min(pending jobs, members) members runnable: extra ones block (those waiting for a CPU
// first, as they hold no job), missing ones wake.
void Engine::settle_group(size_t g) {
    const Group& gr = groups_[g];
    const size_t target = std::min(gr.work.pending(), gr.members.size());
    size_t runnable = 0;
    for (uint32_t m : gr.members) runnable += vcpus_[m].blocked ? 0 : 1;
    for (int pass = 0; pass < 2 && runnable > target; ++pass)
        for (uint32_t m : gr.members) {
            VcpuState& vs = vcpus_[m];
            if (runnable == target) break;
            if (vs.blocked || (pass == 0) != (vs.running_on < 0)) continue;
            vs.blocked = true;
            --runnable;
            const CpuId cpu = vs.running_on >= 0 ? static_cast<CpuId>(vs.running_on) : kNoCpu;
            record(TraceKind::Block, cpu, static_cast<int32_t>(m));
            port_->block(m);
            if (cpu != kNoCpu) platform_.request_schedule(cpu);
        }
    for (uint32_t m : gr.members) {
        VcpuState& vs = vcpus_[m];
        if (runnable >= target) break;
        if (!vs.blocked) continue;
        vs.blocked = false;
        ++runnable;
        record(TraceKind::Wake, kNoCpu, static_cast<int32_t>(m));
        port_->wake(m);
    }
    plan_group(g);
}

} // namespace rthv::sim
