// A domain layer on a manual clock for host tests: the real hv/dom run loop, scheduler and timer
// core, with a scripted guest backend (each VCPU runs the steps its test gives it) and a machine
// whose every step costs a fixed time, so overhead, guest and idle time are exact.
#pragma once

#include "hv/dom/domain.hpp"
#include "tests/unit/dom/script_guests.hpp"
#include "tests/unit/sched/fake_platform.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace rthv::test {

// Interrupts: a due timer of this CPU is expired, a kick of it sets its resched flag. Idle
// moves the clock to this CPU's next timer deadline (the only CPU driving time in a test).
class StepMachine final : public dom::Machine {
public:
    StepMachine(FakePlatform& p, TimerCore& t) : p_(p), t_(t) {}
    Time now() override { return p_.time; }
    uint64_t interrupts_taken(CpuId cpu) override { return taken[cpu]; }
    void interrupt_window(CpuId cpu) override {
        p_.time += kWindowCost;
        deliver(cpu);
    }
    void idle(CpuId cpu) override {
        ++idles;
        const Time next = p_.armed[cpu] == kTimeNever ? kTimeNever : p_.armed[cpu] + timer_delay;
        if (!pending_kick(cpu) && next != kTimeNever && next > p_.time) p_.time = next;
        deliver(cpu);
    }
    void before_entry(CpuId) override {}
    bool serve_control(CpuId cpu) override {
        ++control_polls[cpu];
        return serve_next;
    }

    void deliver(CpuId cpu) {
        if (p_.armed[cpu] != kTimeNever && p_.armed[cpu] + timer_delay <= p_.time) {
            p_.armed[cpu] = kTimeNever;
            ++taken[cpu];
            t_.expire(cpu, p_.time);
        }
        for (auto it = p_.kicks.begin(); it != p_.kicks.end();) {
            if (*it != cpu) {
                ++it;
                continue;
            }
            it = p_.kicks.erase(it);
            ++taken[cpu];
            system->cpus[cpu].request_resched();
        }
    }
    bool pending_kick(CpuId cpu) const {
        for (CpuId k : p_.kicks)
            if (k == cpu) return true;
        return false;
    }

    dom::System* system = nullptr;
    uint64_t taken[kMaxCpus] = {};
    int idles = 0;
    int control_polls[kMaxCpus] = {};
    bool serve_next = false;
    // The timer interrupt comes this late (Bochs delivers the local APIC's at times after the
    // VMX-preemption timer's exit for the same deadline).
    Duration timer_delay = 0;

private:
    FakePlatform& p_;
    TimerCore& t_;
};

// Domains of `ScriptVcpu`s on `ncpus` CPUs, all in Pool-0.
class DomRig {
public:
    explicit DomRig(CpuId ncpus) : guests(platform), machine(platform, timers) {
        timers.init(platform, ncpus);
        sched.init(platform, timers, ncpus);
        cpus = std::make_unique<dom::CpuRun[]>(ncpus);
        sys.platform = &platform;
        sys.sched = &sched;
        sys.timers = &timers;
        sys.guests = &guests;
        sys.machine = &machine;
        sys.cpus = cpus.get();
        sys.ncpus = ncpus;
        machine.system = &sys;
    }

    // A domain of `n` VCPUs with (period, budget) in µs; returns its index.
    size_t add_domain(uint32_t n, uint64_t period_us, uint64_t budget_us, bool extratime = false,
                      CpuSet affinity = CpuSet::first_n(kMaxCpus)) {
        auto spec = std::make_unique<config::DomainSpec>();
        spec->vcpus = n;
        auto d = std::make_unique<dom::Domain>();
        d->spec = spec.get();
        d->id = static_cast<uint32_t>(domains.size() + 1);
        d->first_vcpu = static_cast<uint32_t>(vcpus.size());
        for (uint32_t k = 0; k < n; ++k) {
            auto v = std::make_unique<ScriptVcpu>();
            new (&v->sched) Vcpu(d->id, k, v.get());
            v->domain = d.get();
            v->vcpu_id = k;
            v->index = static_cast<uint32_t>(vcpus.size());
            dom::attach(sys, *v);
            ptrs.push_back(v.get());
            vcpus.push_back(std::move(v));
            params.push_back(Params{period_us, budget_us, extratime, WakeRule::Deferrable});
            affinities.push_back(affinity);
        }
        specs.push_back(std::move(spec));
        domains.push_back(std::move(d));
        return domains.size() - 1;
    }

    // Every VCPU into the scheduler, the run ends at `end`.
    void start(Time end) {
        sys.vcpus = ptrs.data();
        sys.vcpu_count = static_cast<uint32_t>(ptrs.size());
        for (size_t i = 0; i < vcpus.size(); ++i)
            if (!sched.insert(vcpus[i]->sched, 0, params[i], affinities[i], true).ok())
                throw std::runtime_error("insert refused");
        dom::start(sys, end);
    }

    ScriptVcpu& v(size_t i) { return *vcpus[i]; }
    dom::CpuRun& run(CpuId cpu) { return cpus[cpu]; }
    Time now() const { return platform.time; }

    FakePlatform platform;
    TimerCore timers;
    Scheduler sched;
    ScriptGuests guests;
    StepMachine machine;
    dom::System sys;
    std::unique_ptr<dom::CpuRun[]> cpus;
    std::vector<std::unique_ptr<config::DomainSpec>> specs;
    std::vector<std::unique_ptr<dom::Domain>> domains;
    std::vector<std::unique_ptr<ScriptVcpu>> vcpus;
    std::vector<dom::DomVcpu*> ptrs;
    std::vector<Params> params;
    std::vector<CpuSet> affinities;
};

} // namespace rthv::test
