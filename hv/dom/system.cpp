// The run's frame: when every CPU's loop ends.
#include "hv/dom/domain.hpp"

namespace rthv::dom {
namespace {

void on_run_end(void* context, Time) { static_cast<CpuRun*>(context)->request_stop(); }

} // namespace

void start(System& s, Time end) {
    for (CpuId c = 0; c < s.ncpus; ++c) {
        s.cpus[c].end_timer.bind(on_run_end, &s.cpus[c]);
        s.timers->add(c, s.cpus[c].end_timer, end);
    }
}

} // namespace rthv::dom
