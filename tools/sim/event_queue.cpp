// The future-event list as one time per slot; the earliest slot is cached between changes.
#include "tools/sim/event_queue.hpp"

namespace rthv::sim {

EventQueue::EventQueue(uint32_t cpus, uint32_t vcpus)
    : cpus_(cpus), times_(2 * size_t{cpus} + vcpus + 1, kTimeNever) {}

void EventQueue::set(EventKind kind, uint32_t index, Time time) {
    const size_t i = slot(kind, index);
    times_[i] = time;
    if (!best_valid_) return;
    if (i == best_)
        best_valid_ = false; // it may have moved later
    else if (time < times_[best_] || (time == times_[best_] && i < best_))
        best_ = i;
}

void EventQueue::find_earliest() {
    best_ = 0;
    for (size_t i = 1; i < times_.size(); ++i)
        if (times_[i] < times_[best_]) best_ = i;
    best_valid_ = true;
}

Time EventQueue::next_time() {
    if (times_.empty()) return kTimeNever;
    if (!best_valid_) find_earliest();
    return times_[best_];
}

Event EventQueue::pop() {
    next_time();
    const size_t i = best_;
    Event e;
    e.time = times_[i];
    if (i < cpus_)
        e = {e.time, EventKind::Completion, static_cast<uint32_t>(i)};
    else if (i < 2 * size_t{cpus_})
        e = {e.time, EventKind::Timer, static_cast<uint32_t>(i - cpus_)};
    else if (i + 1 < times_.size())
        e = {e.time, EventKind::Arrival, static_cast<uint32_t>(i - 2 * size_t{cpus_})};
    else
        e = {e.time, EventKind::Control, 0};
    times_[i] = kTimeNever;
    best_valid_ = false;
    return e;
}

} // namespace rthv::sim
