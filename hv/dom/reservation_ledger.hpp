// The reservation a VCPU held over a run, weighted by time: `xl sched-rtds` may change a VCPU's
// (period, budget) while it runs, and the share it received over the run can only be compared
// with what it was reserved over the same run. The ledger integrates the reserved utilisation
// (parts per million of one pCPU) over time in ppm x µs, which holds 1e6 ppm for ~580 years
// without overflow; below a µs the integral is exact to within one ppm-µs per change.
#pragma once

#include "hv/lib/types.hpp"

namespace rthv::dom {

class ReservationLedger {
public:
    // The run (or the VCPU's first period) starts at `t` with utilisation `ppm`.
    void start(Time t, uint64_t ppm) {
        origin_ = since_ = t;
        ppm_ = first_ppm_ = ppm;
        integral_ = 0;
        changes_ = 0;
    }

    // New parameters in force from `t` (a change at or before the last one counts from there).
    void change(Time t, uint64_t ppm) {
        if (t > since_) {
            integral_ += ppm_ * ((t - since_) / 1000);
            since_ = t;
        }
        ppm_ = ppm;
        ++changes_;
    }

    // Time-weighted utilisation over [start, end] in ppm; the current one for an empty window.
    uint64_t average_ppm(Time end) const {
        if (end <= origin_ || (end - origin_) / 1000 == 0) return ppm_;
        uint64_t total = integral_;
        if (end > since_) total += ppm_ * ((end - since_) / 1000);
        return total / ((end - origin_) / 1000);
    }

    uint64_t current_ppm() const { return ppm_; }
    uint64_t first_ppm() const { return first_ppm_; }
    uint32_t changes() const { return changes_; }

private:
    Time origin_ = 0, since_ = 0;
    uint64_t ppm_ = 0, first_ppm_ = 0;
    uint64_t integral_ = 0; // ppm x µs before since_
    uint32_t changes_ = 0;
};

} // namespace rthv::dom
