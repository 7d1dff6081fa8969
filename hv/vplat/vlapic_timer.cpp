// VirtualLapic's timer (SDM Vol. 3A 11.5.4): one-shot and periodic count modes, and TSC-deadline
// mode (11.5.4.1). The model keeps one absolute TSC, timer_deadline_, at which the count reaches
// zero or the deadline passes; the current count is derived from it on demand, so nothing ticks
// and the caller only needs a host timer at timer_deadline().
#include "hv/vplat/vlapic.hpp"

namespace rthv::vplat {

// TSC cycles per count: tsc_per_tick times the divisor of the divide configuration register,
// whose bits 3, 1, 0 encode 2, 4, ..., 128 and 111b = 1 (SDM 11.5.4). At most
// 0xFFFF * 128, so an initial count times it stays below 2^55.
uint64_t VirtualLapic::tick_tsc() const {
    const uint32_t code = ((timer_divide_ >> 1) & 4u) | (timer_divide_ & 3u);
    const uint64_t divisor = code == 7 ? 1 : 2ull << code;
    return tsc_per_tick_ * divisor;
}

// The current count register: it counts down one per tick from the initial count and reads 0
// once a one-shot count ended; a periodic count reloads (SDM 11.5.4). 0 in TSC-deadline mode.
uint32_t VirtualLapic::current_count(uint64_t now_tsc) const {
    if (timer_mode() == TimerMode::TscDeadline || timer_deadline_ == 0) return 0;
    const uint64_t tick = tick_tsc();
    uint64_t left = 0;
    if (now_tsc < timer_deadline_) {
        left = timer_deadline_ - now_tsc;
    } else if (timer_mode() == TimerMode::Periodic) {
        // The caller has not called timer_expired() yet: where the reloaded count is now.
        const uint64_t period = timer_initial_ * tick;
        left = period - (now_tsc - timer_deadline_) % period;
    }
    return static_cast<uint32_t>((left + tick - 1) / tick);
}

void VirtualLapic::settle(uint64_t now_tsc) {
    if (timer_deadline_ != 0 && now_tsc >= timer_deadline_) fire(now_tsc);
}

// Expiry: the LVT timer vector is pended unless masked (the count still runs while masked,
// SDM 11.5.1). Periodic mode reloads on the original phase, skipping the periods the caller
// was late for (they coalesce into the one IRR bit, as on hardware). One-shot and TSC-deadline
// disarm; the latter also clears IA32_TSC_DEADLINE (SDM 11.5.4.1).
void VirtualLapic::fire(uint64_t now_tsc) {
    if (timer_mode() == TimerMode::Periodic) {
        const uint64_t period = timer_initial_ * tick_tsc();
        timer_deadline_ += period * ((now_tsc - timer_deadline_) / period + 1);
    } else {
        timer_deadline_ = 0;
    }
    if (!(lvt_[0] & kLvtMasked)) set_irr(static_cast<uint8_t>(lvt_[0] & kLvtVectorMask), false);
}

void VirtualLapic::timer_expired(uint64_t now_tsc, LapicEffects& fx) {
    fx = LapicEffects{};
    const uint64_t armed_before = timer_deadline_;
    settle(now_tsc);
    fx.timer_deadline_tsc = timer_deadline_;
    fx.timer_changed = timer_deadline_ != armed_before;
}

// Switching between TSC-deadline and a count mode disarms the timer (SDM 11.5.4.1) and, as in
// KVM, clears the initial count; one-shot <-> periodic keeps the running count.
void VirtualLapic::timer_mode_changed(TimerMode old_mode) {
    if ((old_mode == TimerMode::TscDeadline) != (timer_mode() == TimerMode::TscDeadline)) {
        timer_deadline_ = 0;
        timer_initial_ = 0;
    }
}

// Writing the initial count (re)starts the count; 0 stops it. Ignored in TSC-deadline mode
// (SDM 11.5.4.1).
void VirtualLapic::write_initial_count(uint32_t count, uint64_t now_tsc) {
    if (timer_mode() == TimerMode::TscDeadline) return;
    timer_initial_ = count;
    timer_deadline_ = count == 0 ? 0 : now_tsc + count * tick_tsc();
}

// A new divisor applies from now on: the remaining count is kept and runs at the new rate.
void VirtualLapic::write_divide(uint32_t value, uint64_t now_tsc) {
    const uint32_t left = current_count(now_tsc);
    timer_divide_ = value;
    if (timer_deadline_ != 0 && timer_mode() != TimerMode::TscDeadline) {
        timer_deadline_ = now_tsc + left * tick_tsc();
    }
}

// IA32_TSC_DEADLINE (SDM 11.5.4.1): ignored outside TSC-deadline mode; 0 disarms; a deadline
// already passed fires at once.
void VirtualLapic::write_tsc_deadline(uint64_t deadline, uint64_t now_tsc) {
    if (timer_mode() != TimerMode::TscDeadline) return;
    timer_deadline_ = deadline;
    settle(now_tsc);
}

} // namespace rthv::vplat
