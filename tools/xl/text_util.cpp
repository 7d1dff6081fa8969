#include "tools/xl/text_util.hpp"

#include "tools/xl/format.hpp"

namespace rthv::xl {

std::string ppm_percent(uint32_t ppm) { return percent(ppm, 1'000'000); }

void check_vcpu(const ctl::DomainInfo& d, uint32_t vcpu) {
    if (vcpu < d.nr_vcpus) return;
    std::string range = d.nr_vcpus == 0 ? "none" : "0-" + std::to_string(d.nr_vcpus - 1);
    throw XlError("VCPU " + std::to_string(vcpu) + " out of range: domain '" + d.name + "' has " +
                  std::to_string(d.nr_vcpus) + " VCPU" + (d.nr_vcpus == 1 ? "" : "s") + " (" +
                  range + ")");
}

} // namespace rthv::xl
