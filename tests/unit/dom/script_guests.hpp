// A scripted guest backend for the domain layer's host tests: each VCPU runs the steps its test
// gives it, every stint costs fixed times on the fake platform's clock (dom_rig.hpp).
#pragma once

#include "hv/dom/domain.hpp"
#include "tests/unit/sched/fake_platform.hpp"

#include <deque>
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

} // namespace rthv::test
