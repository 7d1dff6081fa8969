// X86Machine's control channel (dom.hpp has the rest, inline): CPU 0 polls COM2 between passes.
#include "arch/x86/hvm/dom.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"

namespace rthv::x86::hvm {

bool X86Machine::serve_control(CpuId) { return ctl_poll(dom_state()); }

} // namespace rthv::x86::hvm
