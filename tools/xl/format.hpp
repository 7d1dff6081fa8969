// Xen's xl output layouts, byte for byte (printf formats from xl_sched.c, xl_info.c and
// xl_vcpu.c as documented in shared/docs/rtds-reference.md), plus our statistics view.
// Pure functions from data to text so the tests compare them with golden strings.
#pragma once

#include "hv/ctl/messages.hpp"

#include <string>

namespace rthv::xl {

std::string rtds_pool_line(const std::string& pool);
std::string rtds_domain_header();
std::string rtds_domain_row(const std::string& name, uint32_t domid, const ctl::RtdsParams& p);
std::string rtds_vcpu_header();
std::string rtds_vcpu_row(const std::string& name, uint32_t domid, const ctl::RtdsParams& p);

std::string list_header();
std::string list_row(const ctl::DomainInfo& d);

std::string vcpu_list_header();
std::string vcpu_list_row(const ctl::DomainInfo& d, const ctl::VcpuInfo& v, uint32_t nr_cpus);
// Xen's print_bitmap: "all", "none" or ranges like "0-2,5".
std::string cpu_bitmap(const uint8_t* mask, uint32_t nr_cpus);

std::string info_text(const ctl::HostInfo& h);

std::string stats_header();
std::string stats_row(const std::string& name, uint32_t domid, const ctl::RtdsParams& p,
                      const ctl::RtdsStats& s);
// Basis points as "12.34%"; "-" when the denominator is zero.
std::string percent(uint64_t num, uint64_t den);

} // namespace rthv::xl
