// `interactive`: mostly blocked; wakes on its one-shot timer after a varying sleep (between
// T/2 and 3T/2), runs a short burst, and records the wake-up latency: how long after the timer
// deadline it actually got to run.
#include "guests/runtime.hpp"

namespace rthv::guest {

void run_interactive() {
    const StartInfo& si = start_info();
    uint32_t seed = 0x9e3779b9u ^ si.domain_id;
    uint64_t wakeups = 0, worst = 0;
    for (;;) {
        seed = seed * 1664525u + 1013904223u; // LCG (Numerical Recipes)
        uint64_t half = si.period_ticks / 2;
        uint64_t sleep = half + (seed >> 8) % (si.period_ticks + 1);
        uint64_t wake_at = rdtsc() + sleep;
        set_timer(wake_at);
        uint64_t t;
        while ((t = rdtsc()) < wake_at) block();
        uint64_t latency = t - wake_at;
        if (latency > worst) worst = latency;
        ++wakeups;
        consume(si.job_ticks);
        report(kReportWakeups, wakeups);
        report(kReportWorstLatency, worst);
    }
}

} // namespace rthv::guest
