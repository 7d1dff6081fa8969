// Xen-shaped RTDS baseline; see xen_rt_baseline.hpp for what is Xen's and what is rthv's.
#include "tests/bench/xen_rt_baseline.hpp"

namespace rthv::bench {

namespace {
bool replenishes_before(const XenVcpu& a, const XenVcpu& b) { return a.deadline < b.deadline; }
} // namespace

void XenRtBaseline::runq_insert(XenVcpu& v) {
    v.seq = next_seq_++;
    if (v.budget_left > 0) {
        v.depleted = false;
        walked_ += runq_.insert_sorted(v.q_link, xen_key_before);
    } else {
        v.depleted = true;
        depletedq_.push_front(v.q_link);
    }
}

void XenRtBaseline::replq_insert(XenVcpu& v) {
    walked_ += replq_.insert_sorted(v.replq_link, replenishes_before);
}

void XenRtBaseline::burn(XenVcpu& v, Time now) {
    Duration charged = now - v.run_start;
    v.run_start = now;
    v.budget_left = charged >= v.budget_left ? 0 : v.budget_left - charged;
    if (v.budget_left == 0 && v.extratime) {
        // Xen's extratime: drop one priority level and refill; it is a new queue entry.
        ++v.level;
        v.budget_left = v.budget;
        v.seq = next_seq_++;
    }
}

void XenRtBaseline::refill_after_deadline(XenVcpu& v, Time now) {
    uint64_t advanced = (now - v.deadline) / v.period + 1;
    v.deadline += advanced * v.period;
    v.periods += advanced;
    v.budget_left = v.budget;
    v.level = 0;
}

void XenRtBaseline::apply_wake_rule(XenVcpu& v, Time now) {
    if (v.wake_rule == XenWakeRule::Cbs) {
        using u128 = unsigned __int128;
        bool too_rich =
            now < v.deadline && u128{v.budget_left} * v.period > u128{v.deadline - now} * v.budget;
        if (now >= v.deadline || too_rich) {
            v.deadline = now + v.period;
            v.budget_left = v.budget;
            v.level = 0;
        }
        return;
    }
    if (now >= v.deadline) refill_after_deadline(v, now);
}

void XenRtBaseline::insert(XenVcpu& v) {
    Time now = platform_.now();
    v.deadline = now + v.period;
    v.budget_left = v.budget;
    v.level = 0;
    v.blocked = false;
    v.cpu = (cpus_ & v.affinity).first();
    replq_insert(v);
    runq_insert(v);
    tickle(v);
}

void XenRtBaseline::remove(XenVcpu& v) {
    if (v.q_link.linked()) v.q_link.unlink();
    if (v.replq_link.linked()) v.replq_link.unlink();
}

void XenRtBaseline::wake(XenVcpu& v) {
    bool was_blocked = v.blocked;
    v.blocked = false;
    if (!was_blocked || v.running || v.q_link.linked()) return;
    apply_wake_rule(v, platform_.now());
    replq_insert(v);
    runq_insert(v);
    if (!v.depleted) tickle(v);
}

void XenRtBaseline::block(XenVcpu& v) {
    v.blocked = true;
    if (v.running) {
        platform_.kick(v.cpu);
        return;
    }
    remove(v);
}

XenVcpu* XenRtBaseline::schedule(CpuId cpu) {
    Time now = platform_.now();
    tickled_.clear(cpu);
    XenVcpu* cur = curr_[cpu];
    if (cur != nullptr) burn(*cur, now);
    bool keep_eligible = cur != nullptr && !cur->blocked && cur->budget_left > 0;
    XenVcpu* next = runq_pick(cpu);
    if (keep_eligible && (next == nullptr || xen_key_before(*cur, *next))) {
        next = cur;
    } else {
        if (next != nullptr) {
            next->q_link.unlink();
            next->running = true;
            next->cpu = cpu;
            next->run_start = now;
        }
        curr_[cpu] = next;
        if (cur != nullptr) {
            cur->running = false;
            if (cur->blocked) {
                cur->replq_link.unlink();
            } else {
                // Xen's rt_context_saved(): once switched out, back on a queue, then look for
                // a CPU for it.
                runq_insert(*cur);
                if (!cur->depleted) tickle(*cur);
            }
        }
    }
    platform_.arm(cpu, next != nullptr ? now + next->budget_left : kTimeNever);
    return next;
}

void XenRtBaseline::replenish_due() {
    Time now = platform_.now();
    // Like Xen's repl_timer_handler(): first re-key every due VCPU, then decide tickles, so
    // each decision sees the final order.
    IntrusiveList<XenVcpu> done;
    while (XenVcpu* v = replq_.front()) {
        if (v->deadline > now) break;
        v->replq_link.unlink();
        if (v->running) burn(*v, now);
        bool queued = v->q_link.linked() && !v->depleted;
        if ((v->running || queued) && v->budget_left > 0 && v->level == 0) ++v->misses;
        refill_after_deadline(*v, now);
        v->refilled_from_depletedq = v->q_link.linked() && v->depleted;
        if (v->q_link.linked()) {
            v->q_link.unlink();
            runq_insert(*v);
        } else {
            v->seq = next_seq_++; // running: a new key, and a full budget to enforce
            if (v->running) platform_.arm(v->cpu, now + v->budget_left);
        }
        done.push_back(v->replq_link);
    }
    while (XenVcpu* v = done.front()) {
        v->replq_link.unlink();
        XenVcpu* head = runq_.front();
        if (v->running && head != nullptr && xen_key_before(*head, *v)) {
            tickle(*head);
        } else if (v->refilled_from_depletedq) {
            v->refilled_from_depletedq = false;
            tickle(*v);
        }
        replq_insert(*v);
    }
}

Time XenRtBaseline::next_replenishment() const {
    const XenVcpu* head = replq_.front();
    return head != nullptr ? head->deadline : kTimeNever;
}

CpuId XenRtBaseline::tickle(const XenVcpu& v) {
    CpuId chosen = tickle_target(v);
    if (chosen != CpuSet::kNone) {
        tickled_.set(chosen);
        platform_.kick(chosen);
    }
    return chosen;
}

CpuId XenRtBaseline::tickle_target(const XenVcpu& v) const {
    CpuSet not_tickled = candidates(v);
    const XenVcpu* lowest = nullptr;
    CpuId lowest_cpu = CpuSet::kNone;
    CpuId chosen = CpuSet::kNone;
    // Start at the CPU v last ran on (cache), then cycle through every candidate CPU.
    for (CpuId c = not_tickled.next_wrapping(v.cpu); c != CpuSet::kNone;
         c = not_tickled.next_wrapping(c)) {
        const XenVcpu* running = curr_[c];
        if (running == nullptr) {
            chosen = c;
            break;
        }
        if (lowest == nullptr || xen_key_before(*lowest, *running)) {
            lowest = running;
            lowest_cpu = c;
        }
        not_tickled.clear(c);
    }
    if (chosen == CpuSet::kNone && lowest != nullptr && xen_key_before(v, *lowest))
        chosen = lowest_cpu;
    return chosen;
}

XenVcpu* XenRtBaseline::runq_pick(CpuId cpu) {
    for (auto* it = runq_.first(); it != runq_.end(); it = it->next) {
        if (it->owner->affinity.test(cpu)) return it->owner;
        ++walked_;
    }
    return nullptr;
}

} // namespace rthv::bench
