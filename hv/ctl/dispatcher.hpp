// What the hypervisor implements for the control server (hv/ctl/server.hpp). The server has
// already decoded and range-checked every request field before it calls in here: domain ids
// exist (find_domain said so), VCPU ids are < nr_vcpus and distinct, RTDS values are within
// [kMin*, kMaxPeriodUs] with budget <= period and extratime 0/1. Implementations still own the
// state-dependent checks (admission control, pause state, supported debug keys).
#pragma once

#include "hv/ctl/messages.hpp"

namespace rthv::ctl {

class Dispatcher {
public:
    virtual void host_info(HostInfo& out) = 0;

    // Dense enumeration: index in [0, domain_count()). Returns false if the index vanished.
    virtual uint32_t domain_count() = 0;
    virtual bool domain_at(uint32_t index, DomainInfo& out) = 0;
    virtual bool find_domain(uint32_t domid, DomainInfo& out) = 0;

    virtual uint32_t pool_count() = 0;
    virtual bool pool_at(uint32_t index, PoolInfo& out) = 0;

    virtual bool vcpu_info(uint32_t domid, uint32_t vcpu, VcpuInfo& out) = 0;
    virtual bool rtds_params(uint32_t domid, uint32_t vcpu, RtdsParams& out) = 0;
    virtual bool rtds_stats(uint32_t domid, uint32_t vcpu, RtdsStats& out) = 0;

    // Applies every entry or none. Fills report (pool, utilisation before/after, capacity) in
    // both outcomes; returns AdmissionRefused if the pool would be overloaded and !force.
    virtual Error rtds_set(uint32_t domid, const RtdsParams* entries, uint32_t count, bool force,
                           AdmissionReport& report) = 0;

    virtual Error pause(uint32_t domid) = 0;
    virtual Error unpause(uint32_t domid) = 0;

    // Ends the run now, as if its duration had elapsed: the end-of-run statistics are taken and
    // the report printed (`./rthv run` asks for it on Ctrl-C, SIGTERM and SIGHUP). BadState when
    // the run is already ending; nothing else changes.
    virtual Error end_run() = 0;

    // Copies console bytes from absolute offset `from` (clamped up to the oldest byte still
    // held) into chunk.data, at most kMaxConsoleChunk bytes; sets chunk.start/end/length.
    virtual void console_read(uint64_t from, ConsoleChunk& chunk) = 0;

    // A domain's own console (its virtual UART, `xl console`): first hands `input` (what was
    // typed) to the guest, then copies console bytes from absolute offset `from` (clamped up to
    // the oldest byte still held) as console_read does. BadState: the domain has no console
    // device (a toy guest's lines go to the hypervisor's log).
    virtual Error guest_console(uint32_t domid, const uint8_t* input, uint16_t input_len,
                                uint64_t from, ConsoleChunk& chunk) = 0;

    // Debug keys (Xen's `xl debug-keys`): the server checks every key of a request with
    // has_debug_key() before running any, so an unsupported key runs nothing.
    virtual bool has_debug_key(char key) = 0;
    virtual void debug_key(char key) = 0;

    // Tracing (xl trace, PROTOCOL.md). The server checks the operation against trace_status()
    // first (start only when off, stop only when on, cpu < nr_cpus, max <= kMaxTraceRecords).
    virtual void trace_status(TraceStatus& out) = 0;
    virtual void trace_enable(bool on) = 0;
    // Frees the records of ring `cpu` before `from` and copies up to `max` from there
    // (kTraceFromReader: from the oldest held, freeing nothing). A `from` outside the records
    // held returns BadField and changes nothing; out.first and out.pending then give the
    // positions that are held, for the error message.
    virtual Error trace_read(uint32_t cpu, uint64_t from, uint16_t max, TraceChunk& out) = 0;
    // Dense enumeration of the VCPUs' display names, index in [0, trace_name_count()).
    virtual uint32_t trace_name_count() = 0;
    virtual bool trace_name_at(uint32_t index, TraceName& out) = 0;

protected:
    ~Dispatcher() = default;
};

} // namespace rthv::ctl
