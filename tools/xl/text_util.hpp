// Small helpers shared by xl commands.
#pragma once

#include "hv/ctl/messages.hpp"
#include "tools/xl/error.hpp"

#include <string>

namespace rthv::xl {

// Parts per million of one CPU as "195.00%".
std::string ppm_percent(uint32_t ppm);

// Throws "VCPU 4 out of range: domain 'vm1' has 2 VCPUs (0-1)".
void check_vcpu(const ctl::DomainInfo& d, uint32_t vcpu);

} // namespace rthv::xl
