// The simulator's future-event list. Each (kind, index) slot holds at most one pending event;
// setting it again replaces the old one (lazy deletion by generation). Ties at equal times are
// broken by (kind, index), never by insertion order, so the order is a documented function of
// the state: job completions first (a job that ends at t is done before t's timers look at its
// VCPU), then timer interrupts by CPU, then workload arrivals by VCPU.
#pragma once

#include "hv/lib/types.hpp"

#include <cstdint>
#include <vector>

namespace rthv::sim {

// Control: a random pause/unpause/yield/set_params operation (tests only, Scenario::control_gap).
enum class EventKind : uint8_t { Completion = 0, Timer = 1, Arrival = 2, Control = 3 };

struct Event {
    Time time;
    EventKind kind;
    uint32_t index; // CPU for Completion/Timer, VCPU for Arrival, 0 for Control
};

class EventQueue {
public:
    EventQueue(uint32_t cpus, uint32_t vcpus);

    // Schedules (or, with kTimeNever, cancels) the one event of slot (kind, index).
    void set(EventKind kind, uint32_t index, Time time);
    Time pending(EventKind kind, uint32_t index) const { return times_[slot(kind, index)]; }

    bool empty() { return next_time() == kTimeNever; }
    Time next_time(); // kTimeNever when empty
    Event pop();      // precondition: !empty()

private:
    // Slots are laid out completion[cpus], timer[cpus], arrival[vcpus], control, so the slot is
    // exactly the (kind, index) tie-break order.
    size_t slot(EventKind kind, uint32_t index) const {
        if (kind == EventKind::Control) return times_.size() - 1;
        return kind == EventKind::Arrival ? 2 * size_t{cpus_} + index
                                          : static_cast<size_t>(kind) * cpus_ + index;
    }
    void find_earliest();

    uint32_t cpus_;
    std::vector<Time> times_;
    // Earliest slot, valid while best_valid_. A linear scan over 2m + n slots beats a heap with
    // lazy deletion at simulator sizes, and allocates nothing.
    size_t best_ = 0;
    bool best_valid_ = false;
};

} // namespace rthv::sim
