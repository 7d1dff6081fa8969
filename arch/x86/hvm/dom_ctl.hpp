// The control channel of a running scenario: `xl` on the host talks hv/ctl's protocol over
// COM2 (ctl_port.hpp). DomCtl answers it from the real domain table and the RTDS Scheduler;
// dom_ctl_poll.cpp feeds COM2's bytes to a ctl::Endpoint from CPU 0's run loop when COM2's
// receive interrupt (or a fallback timer) marks a poll due, so requests are served while guests
// run (the work is hypervisor overhead, reported to the scheduler as stolen time like every
// other exit).
//   dom_ctl.cpp           queries: host, domains, VCPUs, pools, RTDS parameters and statistics
//   dom_ctl_commands.cpp  changes: sched-rtds set (all-or-nothing), pause/unpause, dmesg, keys,
//                         ending the run (EndRun)
//   dom_trace.cpp         xl trace: start/stop and reading the per-pCPU trace rings
#pragma once

#include "arch/x86/hvm/dom.hpp"
#include "hv/ctl/dispatcher.hpp"

namespace rthv::x86::hvm {

inline constexpr Duration kCtlPollNs = 1'000'000;       // polling: no IRQ, or bytes pending
inline constexpr Duration kCtlIdlePollNs = 100'000'000; // safety net behind the receive IRQ

class DomCtl final : public ctl::Dispatcher {
public:
    explicit DomCtl(DomState& s) : s_(s) {}

    void host_info(ctl::HostInfo& out) override;
    uint32_t domain_count() override;
    bool domain_at(uint32_t index, ctl::DomainInfo& out) override;
    bool find_domain(uint32_t domid, ctl::DomainInfo& out) override;
    uint32_t pool_count() override;
    bool pool_at(uint32_t index, ctl::PoolInfo& out) override;
    bool vcpu_info(uint32_t domid, uint32_t vcpu, ctl::VcpuInfo& out) override;
    bool rtds_params(uint32_t domid, uint32_t vcpu, ctl::RtdsParams& out) override;
    bool rtds_stats(uint32_t domid, uint32_t vcpu, ctl::RtdsStats& out) override;
    ctl::Error rtds_set(uint32_t domid, const ctl::RtdsParams* entries, uint32_t count, bool force,
                        ctl::AdmissionReport& report) override;
    ctl::Error pause(uint32_t domid) override;
    ctl::Error unpause(uint32_t domid) override;
    ctl::Error end_run() override;
    void console_read(uint64_t from, ctl::ConsoleChunk& chunk) override;
    ctl::Error guest_console(uint32_t domid, const uint8_t* input, uint16_t input_len,
                             uint64_t from, ctl::ConsoleChunk& chunk) override;
    bool has_debug_key(char key) override;
    void debug_key(char key) override;
    // Tracing: defined in dom_trace.cpp, next to the rings.
    void trace_status(ctl::TraceStatus& out) override;
    void trace_enable(bool on) override;
    ctl::Error trace_read(uint32_t cpu, uint64_t from, uint16_t max, ctl::TraceChunk& out) override;
    uint32_t trace_name_count() override;
    bool trace_name_at(uint32_t index, ctl::TraceName& out) override;

    // nullptr unless domid names a domain; its VCPU `vcpu` likewise (inserted ones only).
    Domain* domain(uint32_t domid);
    DomVcpu* vcpu(uint32_t domid, uint32_t vcpu);

private:
    DomState& s_;
};

// dom_ctl_poll.cpp: called once before the CPUs start, then by CPU 0's loop on every pass;
// ctl_poll returns whether a poll was due (it served the channel).
void ctl_start(DomState& s);
bool ctl_poll(DomState& s);
void ctl_report(JsonWriter& out); // the report's "ctl" section: mode, interrupts, polls

} // namespace rthv::x86::hvm
