// switch_to over the abstract guest backend (switch.hpp has the rule and the code).
#include "hv/dom/switch.hpp"

namespace rthv::dom {

void switch_to(System& s, CpuId cpu, DomVcpu* next) { switch_to(s, *s.guests, cpu, next); }

} // namespace rthv::dom
