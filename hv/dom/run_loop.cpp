// The run loop over the abstract interfaces, for users without a machine type of their own
// (the host tests, the threaded test): dom::Machine and dom::Guests by virtual call.
#include "hv/dom/run_loop.hpp"

namespace rthv::dom {

template bool run_pass<Machine, Guests>(System&, Machine&, Guests&, CpuId, Time&);
template bool run_cpu<Machine, Guests>(System&, Machine&, Guests&, CpuId);

bool run_cpu(System& s, CpuId cpu) { return run_cpu(s, *s.machine, *s.guests, cpu); }
bool run_pass(System& s, CpuId cpu, Time& mark) {
    return run_pass(s, *s.machine, *s.guests, cpu, mark);
}

} // namespace rthv::dom
