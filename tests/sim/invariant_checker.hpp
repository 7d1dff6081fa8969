// Checks, after every instant of a simulation, the scheduling invariants of the property tests:
// - no VCPU is current on two pCPUs;
// - no pCPU idles while an eligible VCPU (budget or extratime left) that may run there waits;
// - in pools where every VCPU may run on every CPU, the running VCPUs are exactly the
//   min(m, eligible) most urgent ones by key (level, deadline, seq);
// - without extratime, no VCPU runs more than its budget within one of its periods (plus one
//   timer lateness when Scenario::timers makes interrupts late);
// - the core's own structural self-check (verify()).
#pragma once

#include "tools/sim/engine.hpp"

#include <string>
#include <vector>

namespace rthv::simtest {

class InvariantChecker {
public:
    // verify_every: run the core's verify() at every n-th instant (it is the costly part).
    explicit InvariantChecker(const sim::Scenario& s, uint64_t verify_every = 8);

    // Install as EngineOptions::after_instant (holds a pointer to this checker).
    sim::InstantHook hook();

    const std::vector<std::string>& failures() const { return failures_; }
    uint64_t instants_checked() const { return instants_; }

private:
    void check(const sim::Engine& e, Time now);
    void check_running_set(const sim::Engine& e, Time now, size_t pool);
    void account_budget(const sim::Engine& e, Time now);
    void fail(Time now, const std::string& what);

    const sim::Scenario& s_;
    uint64_t verify_every_;
    std::vector<bool> full_affinity_pool_;
    // Per VCPU (without extratime): time run in the period ending at `deadline`.
    struct PeriodUse {
        Time deadline = 0;
        Duration used = 0;
    };
    std::vector<PeriodUse> period_use_;
    std::vector<Time> deadline_at_last_instant_;
    std::vector<bool> was_running_;
    Time last_instant_ = 0;
    uint64_t instants_ = 0;
    std::vector<std::string> failures_;
};

} // namespace rthv::simtest
