// The real Scheduler on the scheduler tests' deterministic platform (tests/unit/sched/
// fake_platform.hpp), with the trace hook feeding rings. A fixed workload (some VCPUs busy, some
// blocking and waking, one overloaded) exercises picks, preemptions, migrations, depletion,
// replenishment and misses.
#pragma once

#include "hv/sched/rtds.hpp"
#include "hv/trace/export.hpp"
#include "hv/trace/sched_hook.hpp"
#include "tests/unit/sched/fake_platform.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rthv::trace::test {

// A std::string TextSink for the export.
class StringSink final : public TextSink {
public:
    void write(const char* text, size_t len) override { out.append(text, len); }
    std::string out;
};

// The scheduler rig of the scheduler unit tests (manual time, FIFO kicks, earliest timer first),
// with a trace ring per CPU fed by the hook.
struct SchedRig : ::rthv::test::Rig {
    static constexpr uint32_t kRingRecords = 1u << 16;

    explicit SchedRig(CpuId n, uint32_t ring_records = kRingRecords) : Rig(n), ncpus(n) {
        storage.resize(size_t{n} * ring_records);
        rings = std::make_unique<TraceRing[]>(n);
        for (CpuId c = 0; c < n; ++c)
            rings[c].init(&storage[size_t{c} * ring_records], ring_records, c);
        hook.init(rings.get(), n);
        sched->set_trace(&hook);
    }

    Vcpu& add(uint64_t period_us, uint64_t budget_us, bool extratime) {
        auto& v =
            vcpus.emplace_back(std::make_unique<Vcpu>(static_cast<uint32_t>(vcpus.size() + 1), 0u));
        Params p{period_us, budget_us, extratime, WakeRule::Deferrable};
        if (!sched->insert(*v, 0, p, CpuSet::first_n(ncpus), true).ok()) __builtin_trap();
        settle();
        return *v;
    }

    // The fixed workload: `steps` rounds of 250 µs; VCPUs with odd index block for a round
    // every third round and wake the next; the rest stay busy.
    void run_workload(uint32_t steps) {
        for (uint32_t s = 0; s < steps; ++s) {
            for (size_t i = 1; i < vcpus.size(); i += 2) {
                Vcpu& v = *vcpus[i];
                if (s % 3 == 0 && v.awake())
                    sched->block(v);
                else if (s % 3 == 1 && !v.awake())
                    sched->wake(v);
            }
            settle();
            advance_to(platform.time + 250 * 1000);
        }
    }

    std::string export_text() {
        StringSink sink;
        write_header(sink, ncpus);
        for (const auto& v : vcpus)
            write_name(sink, v->domain(), v->id(), ("vm" + std::to_string(v->domain())).c_str());
        TraceRecord scratch[64];
        drain_rings(sink, rings.get(), ncpus, scratch, 64);
        write_footer(sink, rings.get(), ncpus);
        return sink.out;
    }

    CpuId ncpus;
    std::vector<TraceRecord> storage;
    std::unique_ptr<TraceRing[]> rings;
    SchedTraceHook hook;
    std::vector<std::unique_ptr<Vcpu>> vcpus;
};

// 3 pCPUs, 6 VCPUs: 1.9 CPUs of reservations plus extratime soakers and an overloaded one.
inline void standard_workload(SchedRig& rig, uint32_t steps) {
    rig.add(1000, 400, false);
    rig.add(2000, 900, false);
    rig.add(5000, 2500, true);
    rig.add(1500, 300, false);
    rig.add(10000, 1000, true);
    rig.add(3000, 2900, false);
    rig.run_workload(steps);
}

} // namespace rthv::trace::test
