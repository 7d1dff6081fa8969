// SCHED_DEADLINE-shaped baseline with rthv's rules; see dl_baseline.hpp.
#include "tests/bench/dl_baseline.hpp"

#include "hv/sched/server_math.hpp"

namespace rthv::bench {

namespace {
constexpr uint32_t kNotInHeap = ~0u;

bool key_before(const DlVcpu& a, const DlVcpu& b) {
    if (a.level != b.level) return a.level < b.level;
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    return a.seq < b.seq;
}
} // namespace

DlVcpu* DlBaseline::of_rq(RbNode* n) {
    return reinterpret_cast<DlVcpu*>(reinterpret_cast<char*>(n) - offsetof(DlVcpu, rq_node));
}
DlTimer* DlBaseline::of_timer(RbNode* n) {
    return reinterpret_cast<DlTimer*>(reinterpret_cast<char*>(n) - offsetof(DlTimer, node));
}
bool DlBaseline::KeyLess::operator()(const RbNode* a, const RbNode* b) const {
    return key_before(*of_rq(const_cast<RbNode*>(a)), *of_rq(const_cast<RbNode*>(b)));
}
bool DlBaseline::TimerLess::operator()(const RbNode* a, const RbNode* b) const {
    const DlTimer& x = *of_timer(const_cast<RbNode*>(a));
    const DlTimer& y = *of_timer(const_cast<RbNode*>(b));
    return x.deadline != y.deadline ? x.deadline < y.deadline : x.order < y.order;
}

DlBaseline::DlBaseline(Platform& platform, CpuId ncpus) : platform_(platform), ncpus_(ncpus) {
    idle_ = CpuSet::first_n(ncpus);
    for (CpuId c = 0; c < kMaxCpus; ++c) {
        programmed_[c] = kTimeNever;
        heap_index_[c] = kNotInHeap;
        budget_timer_[c].budget_of = c;
    }
}

// ---- timers: one rbtree per CPU (hrtimer's timerqueue), head programs the platform ----

void DlBaseline::timer_add(CpuId cpu, DlTimer& t, Time deadline) {
    if (t.node.linked) timers_[t.cpu].erase(&t.node);
    CpuId old = t.cpu;
    t.deadline = deadline;
    t.order = timer_order_[cpu]++;
    t.cpu = cpu;
    timers_[cpu].insert(&t.node);
    if (old != kMaxCpus && old != cpu) program(old);
    program(cpu);
}

void DlBaseline::timer_cancel(DlTimer& t) {
    if (!t.node.linked) return;
    timers_[t.cpu].erase(&t.node);
    program(t.cpu);
    t.cpu = kMaxCpus;
}

void DlBaseline::program(CpuId cpu) {
    RbNode* head = timers_[cpu].first();
    Time want = head ? of_timer(head)->deadline : kTimeNever;
    if (want == programmed_[cpu]) return;
    programmed_[cpu] = want;
    platform_.arm(cpu, want);
}

void DlBaseline::expire(CpuId cpu, Time now) {
    while (RbNode* head = timers_[cpu].first()) {
        DlTimer& t = *of_timer(head);
        if (t.deadline > now) break;
        timers_[cpu].erase(head);
        t.cpu = kMaxCpus;
        if (t.vcpu) {
            replenish(*t.vcpu, now);
            send_kicks();
        } else {
            platform_.kick(t.budget_of);
        }
    }
    if (programmed_[cpu] != kTimeNever && programmed_[cpu] <= now) programmed_[cpu] = kTimeNever;
    program(cpu);
}

void DlBaseline::arm_budget(CpuId cpu) {
    DlTimer& t = budget_timer_[cpu];
    const DlVcpu* v = curr_[cpu];
    if (!v) {
        timer_cancel(t);
        return;
    }
    Time end = v->run_start + v->stolen + v->budget_left;
    if (t.node.linked && t.cpu == cpu && t.deadline == end) return;
    timer_add(cpu, t, end);
}

// ---- cpudl: max-heap of running, untickled CPUs (kernel/sched/cpudeadline.c) ----

bool DlBaseline::cpu_after(CpuId a, CpuId b) const { return key_before(*curr_[b], *curr_[a]); }

void DlBaseline::heap_swap(uint32_t i, uint32_t j) {
    CpuId a = heap_[i], b = heap_[j];
    heap_[i] = b;
    heap_[j] = a;
    heap_index_[b] = i;
    heap_index_[a] = j;
}
void DlBaseline::heap_up(uint32_t i) {
    while (i > 0 && cpu_after(heap_[i], heap_[(i - 1) / 2])) {
        heap_swap(i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}
void DlBaseline::heap_down(uint32_t i) {
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, best = i;
        if (l < heap_size_ && cpu_after(heap_[l], heap_[best])) best = l;
        if (r < heap_size_ && cpu_after(heap_[r], heap_[best])) best = r;
        if (best == i) return;
        heap_swap(i, best);
        i = best;
    }
}
void DlBaseline::heap_fix(CpuId cpu) {
    uint32_t i = heap_index_[cpu];
    if (i == kNotInHeap) return;
    heap_up(i);
    heap_down(heap_index_[cpu]);
}
void DlBaseline::heap_set(CpuId cpu, bool member) {
    uint32_t i = heap_index_[cpu];
    if (member && i == kNotInHeap) {
        heap_[heap_size_] = cpu;
        heap_index_[cpu] = heap_size_++;
        heap_up(heap_size_ - 1);
    } else if (member) {
        heap_fix(cpu);
    } else if (i != kNotInHeap) {
        heap_swap(i, --heap_size_);
        heap_index_[cpu] = kNotInHeap;
        if (i < heap_size_) {
            heap_up(i);
            heap_down(heap_index_[heap_[i]]);
        }
    }
}

// ---- server rules and decisions (DESIGN.md) ----

void DlBaseline::burn(DlVcpu& v, Time now) {
    Duration charged = charged_time(v.run_start, now, v.stolen);
    v.run_ns += charged;
    v.budget_left -= charged < v.budget_left ? charged : v.budget_left;
    v.run_start = now;
    v.stolen = 0;
}

void DlBaseline::enqueue(DlVcpu& v, Time) {
    if (v.budget_left > 0) {
        runq_.insert(&v.rq_node);
        v.place = DlVcpu::Place::Runq;
    } else {
        v.place = DlVcpu::Place::Depleted; // throttled: only its replenishment timer knows it
    }
}

void DlBaseline::dequeue(DlVcpu& v) {
    if (v.place == DlVcpu::Place::Runq) runq_.erase(&v.rq_node);
    if (v.place == DlVcpu::Place::Runq || v.place == DlVcpu::Place::Depleted)
        v.place = DlVcpu::Place::Blocked;
}

void DlBaseline::mark_tickled(CpuId cpu) {
    if (tickled_.test(cpu)) return;
    tickled_.set(cpu);
    kicks_.set(cpu);
    heap_set(cpu, false);
}

CpuId DlBaseline::tickle_target(const DlVcpu& v) const {
    CpuSet idle = idle_ & ~tickled_;
    if (!idle.empty()) return idle.next_wrapping(v.last_cpu);
    if (heap_size_ > 0 && key_before(v, *curr_[heap_[0]])) return heap_[0];
    return kMaxCpus;
}

void DlBaseline::tickle(const DlVcpu& v) {
    CpuId target = tickle_target(v);
    if (target != kMaxCpus) mark_tickled(target);
}

void DlBaseline::tickle_top() {
    if (RbNode* top = runq_.first()) tickle(*of_rq(top));
}

void DlBaseline::send_kicks() {
    CpuSet k = kicks_;
    kicks_ = CpuSet{};
    for (CpuId c = k.first(); c != CpuSet::kNone;
         c = c + 1 < kMaxCpus ? k.next(c + 1) : CpuSet::kNone)
        platform_.kick(c);
}

void DlBaseline::set_current(CpuId cpu, DlVcpu* v) {
    curr_[cpu] = v;
    if (v)
        idle_.clear(cpu);
    else
        idle_.set(cpu);
    heap_set(cpu, v != nullptr && !tickled_.test(cpu));
}

void DlBaseline::insert(DlVcpu& v) {
    Time now = platform_.now();
    v.awake = true;
    v.last_cpu = 0;
    v.stolen = 0;
    v.deadline = now + v.period;
    v.budget_left = v.budget;
    v.level = 0;
    v.seq = take_seq();
    v.periods = 1;
    v.repl.vcpu = &v;
    timer_add(v.last_cpu, v.repl, v.deadline);
    enqueue(v, now);
    tickle(v);
    send_kicks();
}

void DlBaseline::make_eligible(DlVcpu& v, Time now) {
    bool fresh = false;
    if (v.cbs && cbs_needs_fresh_period(v.budget_left, v.deadline, now, v.budget, v.period)) {
        v.deadline = now + v.period;
        fresh = true;
    } else if (now >= v.deadline) {
        v.deadline = grid_next_after(v.deadline, v.period, now).deadline;
        fresh = true;
    }
    if (fresh) {
        v.budget_left = v.budget;
        v.level = 0;
        ++v.periods;
    }
    v.seq = take_seq();
    timer_add(v.last_cpu, v.repl, v.deadline);
    enqueue(v, now);
    if (v.place == DlVcpu::Place::Runq) tickle(v);
}

void DlBaseline::wake(DlVcpu& v) {
    if (v.awake) return;
    v.awake = true;
    if (v.place == DlVcpu::Place::Blocked) make_eligible(v, platform_.now());
    send_kicks();
}

void DlBaseline::block(DlVcpu& v) {
    if (!v.awake) return;
    v.awake = false;
    if (v.place == DlVcpu::Place::Running) {
        mark_tickled(v.running_on);
    } else if (v.place == DlVcpu::Place::Runq || v.place == DlVcpu::Place::Depleted) {
        dequeue(v);
        timer_cancel(v.repl);
    }
    send_kicks();
}

void DlBaseline::steal(CpuId cpu, Duration ns) {
    DlVcpu* cur = curr_[cpu];
    if (!cur) return;
    cur->stolen += ns;
    arm_budget(cpu);
}

void DlBaseline::replenish(DlVcpu& v, Time now) {
    DlVcpu::Place place = v.place;
    CpuId cpu = v.running_on;
    if (place == DlVcpu::Place::Running) burn(v, now);
    if (place == DlVcpu::Place::Runq || place == DlVcpu::Place::Depleted) dequeue(v);
    GridStep step = grid_next_after(v.deadline, v.period, now);
    v.deadline = step.deadline;
    v.periods += step.periods;
    v.budget_left = v.budget;
    v.level = 0;
    v.seq = take_seq();
    timer_add(v.last_cpu, v.repl, v.deadline);
    if (place == DlVcpu::Place::Runq || place == DlVcpu::Place::Depleted) {
        enqueue(v, now);
    } else if (place == DlVcpu::Place::Running) {
        heap_fix(cpu);
        arm_budget(cpu);
    }
    tickle_top();
}

DlVcpu* DlBaseline::schedule(CpuId cpu) {
    Time now = platform_.now();
    tickled_.clear(cpu);
    DlVcpu* cur = curr_[cpu];
    bool may_continue = false;
    if (cur) {
        burn(*cur, now);
        if (cur->budget_left == 0 && cur->extratime) {
            ++cur->level;
            cur->budget_left = cur->budget;
            cur->seq = take_seq();
        }
        may_continue = cur->awake && cur->budget_left > 0;
    }
    RbNode* top = runq_.first();
    DlVcpu* cand = top ? of_rq(top) : nullptr;
    DlVcpu* next = cur;
    if (!(may_continue && (!cand || key_before(*cur, *cand)))) {
        if (cur) {
            cur->running_on = kMaxCpus;
            if (cur->awake) {
                if (cur->budget_left > 0) cur->seq = take_seq();
                enqueue(*cur, now);
            } else {
                cur->place = DlVcpu::Place::Blocked;
                timer_cancel(cur->repl);
            }
        }
        if (cand) {
            runq_.erase(&cand->rq_node);
            ++cand->dispatches;
            cand->place = DlVcpu::Place::Running;
            cand->running_on = cpu;
            cand->last_cpu = cpu;
            cand->run_start = now;
            cand->stolen = 0;
        }
        next = cand;
    }
    set_current(cpu, next);
    arm_budget(cpu);
    tickle_top();
    send_kicks();
    return next;
}

uint64_t DlBaseline::charged_now(const DlVcpu& v) const {
    if (v.place != DlVcpu::Place::Running) return v.run_ns;
    return v.run_ns + charged_time(v.run_start, platform_.now(), v.stolen);
}

const char* DlBaseline::verify() const {
    if (!runq_.valid()) return "runq: red-black tree broken";
    for (CpuId c = 0; c < ncpus_; ++c)
        if (!timers_[c].valid()) return "timer tree broken";
    for (uint32_t i = 1; i < heap_size_; ++i)
        if (cpu_after(heap_[i], heap_[(i - 1) / 2])) return "cpudl heap order broken";
    return nullptr;
}

} // namespace rthv::bench
