// Control operations of the reference model: yield, pause/unpause, parameter changes.
#include "tests/sim/reference_model.hpp"

namespace rthv::simtest {

void ReferenceModel::yield(uint32_t i) {
    V& v = vcpus_[i];
    if (v.place != Place::Running) return;
    v.yield_pending = true; // new seq at that CPU's schedule(): back of its (level, deadline)
    CpuSet kicks;
    mark_tickled(v.running_on, kicks);
    send(kicks);
}

void ReferenceModel::pause(uint32_t i) {
    V& v = vcpus_[i];
    if (v.paused) return;
    v.paused = true;
    if (v.awake) end_eligible(v);
    CpuSet kicks;
    if (v.place == Place::Running) {
        mark_tickled(v.running_on, kicks);
    } else if (v.place == Place::Runq || v.place == Place::Depleted) {
        v.place = Place::Blocked;
        timers_.cancel(i);
    }
    send(kicks);
}

void ReferenceModel::unpause(uint32_t i) {
    V& v = vcpus_[i];
    if (!v.paused) return;
    v.paused = false;
    if (v.awake && v.place == Place::Blocked)
        make_eligible(i);
    else if (v.awake)
        v.elig_from = now();
}

// Applies at once: the stint so far is charged at the old parameters, then a fresh period
// starts now (and counts as a period). A blocked (or paused) VCPU keeps the new grid for its
// wake-up, which counts the period.
void ReferenceModel::set_params(uint32_t i, uint64_t period_us, uint64_t budget_us, bool extratime,
                                bool cbs) {
    V& v = vcpus_[i];
    const Place place = v.place;
    if (place == Place::Running) burn(v);
    v.period = from_us(period_us);
    v.budget = from_us(budget_us);
    v.extratime = extratime;
    v.cbs = cbs;
    v.deadline = now() + v.period;
    start_period(v, now(), 1);
    new_seq(v);
    if (place == Place::Blocked) {
        v.period_uncounted = true; // the wake counts it, whichever period it wakes into
        return;
    }
    ++v.st.periods;
    arm_replenishment(i);
    if (place == Place::Running) {
        arm_budget(v.running_on);
    } else {
        to_runq(v);
    }
    CpuSet kicks;
    tickle_all_classes(v.pool, kicks);
    send(kicks);
}

} // namespace rthv::simtest
