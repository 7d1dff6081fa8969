// `periodic`: a job of C ticks of CPU time released every T ticks on the grid the hypervisor
// gives (StartInfo.grid_origin + k*T, its VCPU's period grid when the releases are aligned).
// Each release is a one-shot timer followed by HLT, which blocks the VCPU like Xen's
// set-singleshot-timer + block. Deadline = next release; a job that finishes later is a miss.
#include "guests/runtime.hpp"

namespace rthv::guest {

void run_periodic() {
    const StartInfo& si = start_info();
    const uint64_t period = si.period_ticks;
    const uint64_t job = si.job_ticks;
    uint64_t release = si.grid_origin;
    // The grid may have started before this guest did: begin at its next point.
    for (uint64_t t = rdtsc(); release < t;) release += period;
    uint64_t jobs = 0, misses = 0, worst = 0;
    for (;;) {
        set_timer(release);
        while (rdtsc() < release) halt();
        consume(job);
        uint64_t finish = rdtsc();
        uint64_t response = finish - release;
        if (response > period) ++misses;
        if (response > worst) worst = response;
        ++jobs;
        report(kReportJobs, jobs);
        report(kReportMisses, misses);
        report(kReportWorstResponse, worst);
        release += period;
    }
}

} // namespace rthv::guest
