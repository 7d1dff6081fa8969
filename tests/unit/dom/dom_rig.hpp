// A domain layer on a manual clock for host tests: the real hv/dom run loop, scheduler and timer
// core, with a scripted guest backend (each VCPU runs the steps its test gives it) and a machine
// whose every step costs a fixed time, so overhead, guest and idle time are exact.
#pragma once

#include "hv/dom/domain.hpp"
#include "tests/unit/sched/fake_platform.hpp"

#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace rthv::test {

// Costs of the fake machine (ns): what the hypervisor spends on each step.
inline constexpr Duration kWindowCost = 200;
inline constexpr Duration kEntryCost = 500; // before the guest's first instruction
inline constexpr Duration kExitCost = 700;  // from the exit to the backend's return
// The entry and exit instructions themselves, inside the backend's stamps: guest time even for
// a stint that ends at once (as a VM entry whose deadline has passed does).
inline constexpr Duration kTransition = 300;

// One guest step: run `length` ns of guest time, then exit this way.
struct Step {
    Duration length = 0;
    dom::ExitAction action = dom::ExitAction::kResume;
    bool guest_caused = true;     // false: a host interrupt ended it
    Time timer = kTimeNever;      // the guest's one-shot timer from this exit on
    bool set_timer = false;       // whether the step changes it
    bool raise_interrupt = false; // the guest's virtual platform has an interrupt pending
};

struct ScriptVcpu : dom::DomVcpu {
    std::deque<Step> steps; // run in order; when empty the guest computes until its deadline
    Step partial;           // the unfinished rest of a step cut short by a deadline
    bool in_partial = false;
    Time timer = kTimeNever;
    bool interrupt = false;     // pending for the guest (a virtual platform's)
    bool virtual_timer = false; // its timer raises an interrupt (a Linux-like guest)
    bool dead = false;
    Duration timer_period = 0;    // a virtual timer that re-arms itself this much later
    std::vector<Duration> stints; // guest time of every stint
    std::vector<Time> entries;    // when each stint began
    int timer_firings = 0;
    int loads = 0, unloads = 0;
};

class ScriptGuests final : public dom::Guests {
public:
    explicit ScriptGuests(FakePlatform& p) : p_(p) {}
    bool cpu_enable(CpuId cpu, const char*& why) override {
        if (cpu == refuse_cpu) {
            why = "refused by the test";
            return false;
        }
        return true;
    }
    void load(dom::DomVcpu& v, CpuId cpu) override {
        ++sv(v).loads;
        log.push_back("load " + std::to_string(v.index) + "@" + std::to_string(cpu));
    }
    void unload(dom::DomVcpu& v) override {
        ++sv(v).unloads;
        log.push_back("unload " + std::to_string(v.index));
    }
    void prepare(dom::DomVcpu&) override {}
    dom::Stint run(dom::DomVcpu& dv, CpuId, Time deadline) override {
        ScriptVcpu& v = sv(dv);
        dom::Stint st;
        p_.time += kEntryCost;
        st.entered = true;
        st.entered_at = p_.time;
        v.entries.push_back(st.entered_at);
        Step step;
        if (v.in_partial) {
            step = v.partial;
        } else if (!v.steps.empty()) {
            step = v.steps.front();
            v.steps.pop_front();
        } else {
            step.length = kTimeNever / 4; // computes until the deadline
        }
        v.in_partial = false;
        if (deadline != kTimeNever && st.entered_at + step.length > deadline) {
            // The entry's deadline ends the stint first; the rest of the step comes next time.
            const Duration ran = deadline > st.entered_at ? deadline - st.entered_at : 0;
            v.partial = step;
            v.partial.length = step.length - ran;
            v.in_partial = true;
            p_.time = st.entered_at + ran + kTransition;
            st.exited_at = p_.time;
            st.guest_caused = false;
            st.deadline_reached = true;
        } else {
            p_.time += step.length + kTransition;
            st.exited_at = p_.time;
            st.guest_caused = step.guest_caused;
            st.action = step.action;
            if (step.set_timer) v.timer = step.timer;
            if (step.raise_interrupt) v.interrupt = true;
            if (step.action == dom::ExitAction::kCrash) v.dead = true;
        }
        v.stints.push_back(st.exited_at - st.entered_at);
        p_.time += kExitCost;
        log.push_back("run " + std::to_string(v.index));
        return st;
    }
    Time timer_deadline(dom::DomVcpu& v) override { return sv(v).timer; }
    bool interrupt_pending(dom::DomVcpu& v) override { return sv(v).interrupt; }
    void halt_over(dom::DomVcpu& v) override {
        ++halts_over;
        if (sv(v).virtual_timer) sv(v).interrupt = false; // it takes the interrupt
    }
    bool timer_is_interrupt(dom::DomVcpu& v) override { return sv(v).virtual_timer; }
    Time timer_fired(dom::DomVcpu& v) override {
        ScriptVcpu& x = sv(v);
        ++x.timer_firings;
        x.interrupt = true;
        x.timer = x.timer_period == 0 ? kTimeNever : p_.time + x.timer_period;
        return x.timer;
    }
    bool crashed(dom::DomVcpu& v) override { return sv(v).dead; }

    static ScriptVcpu& sv(dom::DomVcpu& v) { return static_cast<ScriptVcpu&>(v); }

    CpuId refuse_cpu = kMaxCpus;
    int halts_over = 0;
    std::vector<std::string> log;

private:
    FakePlatform& p_;
};

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
