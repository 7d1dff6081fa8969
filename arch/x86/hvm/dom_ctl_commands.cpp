// Control-channel commands that change the running system (dom_ctl.hpp). The server has
// range-checked every field already; what is left is the state: admission control for the
// whole change at once, and the pause state.
#include "arch/x86/console.hpp"
#include "arch/x86/hvm/dom_ctl.hpp"
#include "arch/x86/hvm/linux_vcpu.hpp"
#include "arch/x86/tsc.hpp"
#include "arch/x86/x86_platform.hpp"
#include "hv/sched/text.hpp"

namespace rthv::x86::hvm {
namespace {

uint32_t clamp_ppm(uint64_t ppm) {
    return ppm > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(ppm);
}

Params params_of(const Params& old, const ctl::RtdsParams& e) {
    Params p = old; // the wake rule stays what the configuration chose
    p.period_us = e.period_us;
    p.budget_us = e.budget_us;
    p.extratime = e.extratime != 0;
    return p;
}

char dump_text[12 * 1024];

} // namespace

// All-or-nothing: the pool's utilisation after the whole change is checked first (the
// scheduler's rule, DESIGN.md "Admission": refuse a rise above capacity unless forced; a change
// that does not raise the total is always admitted), then every entry is applied with the
// check already done. Entries were validated by the server with the scheduler's own limits and
// are validated again here, before anything changes.
ctl::Error DomCtl::rtds_set(uint32_t domid, const ctl::RtdsParams* entries, uint32_t count,
                            bool force, ctl::AdmissionReport& report) {
    if (count == 0 || domain(domid) == nullptr) return ctl::Error::NoSuchDomain;
    DomVcpu* first = vcpu(domid, entries[0].vcpu);
    if (first == nullptr) return ctl::Error::NoSuchVcpu;
    const PoolId pool = first->sched.pool_id();
    const rthv::AdmissionReport before = s_.sched.admission(pool);
    uint64_t total = before.total_ppm;
    for (uint32_t i = 0; i < count; ++i) {
        DomVcpu* v = vcpu(domid, entries[i].vcpu);
        if (v == nullptr) return ctl::Error::NoSuchVcpu;
        const Params p = params_of(v->sched.params(), entries[i]);
        if (validate(p) != ParamError::Ok) return ctl::Error::BadPeriod;
        total = total - utilisation_ppm(v->sched.params()) + utilisation_ppm(p);
    }
    report.pool = pool;
    report.current_ppm = clamp_ppm(before.total_ppm);
    report.requested_ppm = clamp_ppm(total);
    report.capacity_ppm = clamp_ppm(before.capacity_ppm);
    if (!force && total > before.capacity_ppm && total > before.total_ppm)
        return ctl::Error::AdmissionRefused;
    for (uint32_t i = 0; i < count; ++i) {
        DomVcpu* v = vcpu(domid, entries[i].vcpu);
        const Params p = params_of(v->sched.params(), entries[i]);
        const Status st = s_.sched.set_params(v->sched, p, true);
        if (!st.ok()) {
            log(LogLevel::kError, "ctl: set_params of %s failed after validation", v->hvm.name);
            return ctl::Error::Internal;
        }
        v->reservation.change(now(), utilisation_ppm(p)); // set_params applies at once
    }
    log(LogLevel::kInfo, "ctl: sched-rtds changed %u VCPU(s) of domain %u%s", count, domid,
        force ? " (forced)" : "");
    return ctl::Error::Ok;
}

// Pausing marks every VCPU; a running one leaves its CPU at that CPU's next decision (the
// scheduler kicks it). A crashed domain stays paused: its state is not the user's to change.
ctl::Error DomCtl::pause(uint32_t domid) {
    ctl::DomainInfo info;
    if (!find_domain(domid, info)) return ctl::Error::NoSuchDomain;
    if ((info.state & (ctl::kDomPaused | ctl::kDomCrashed)) != 0) return ctl::Error::BadState;
    Domain* d = domain(domid);
    for (uint32_t k = 0; k < d->spec->vcpus; ++k)
        if (DomVcpu* v = vcpu(domid, k)) s_.sched.pause(v->sched);
    return ctl::Error::Ok;
}

ctl::Error DomCtl::unpause(uint32_t domid) {
    ctl::DomainInfo info;
    if (!find_domain(domid, info)) return ctl::Error::NoSuchDomain;
    if ((info.state & ctl::kDomPaused) == 0 || (info.state & ctl::kDomCrashed) != 0)
        return ctl::Error::BadState;
    Domain* d = domain(domid);
    for (uint32_t k = 0; k < d->spec->vcpus; ++k)
        if (DomVcpu* v = vcpu(domid, k)) s_.sched.unpause(v->sched);
    return ctl::Error::Ok;
}

// `./rthv run` asks for this on Ctrl-C, SIGTERM and SIGHUP: every CPU leaves its loop as when
// the run's end timer fires (CPU 0, which serves the channel, at once; the others at the kick),
// and CPU 0 takes the statistics and prints the end-of-run report.
ctl::Error DomCtl::end_run() {
    if (s_.ending) return ctl::Error::BadState;
    s_.ending = true;
    log(LogLevel::kInfo, "ctl: the run ends now, as requested");
    for (CpuId c = 0; c < s_.ncpus; ++c) s_.cpu[c].request_stop();
    for (CpuId c = 1; c < s_.ncpus; ++c) platform().kick(c);
    return ctl::Error::Ok;
}

void DomCtl::console_read(uint64_t from, ctl::ConsoleChunk& chunk) {
    chunk.length = static_cast<uint16_t>(console_history(
        from, reinterpret_cast<char*>(chunk.data), sizeof chunk.data, chunk.start, chunk.end));
}

// A Linux domain's UART (hvm/linux_vcpu.hpp): typed bytes into its receive FIFO (what does not
// fit is dropped, as a full FIFO overruns), its console ring out from `from`.
ctl::Error DomCtl::guest_console(uint32_t domid, const uint8_t* input, uint16_t input_len,
                                 uint64_t from, ctl::ConsoleChunk& chunk) {
    LinuxDomain* d = linux_domain(domid);
    if (d == nullptr) return ctl::Error::BadState;
    linux_console_input(*d, input, input_len);
    vplat::ConsoleRing::Cursor c{from};
    uint64_t lost = 0;
    chunk.end = d->console.total_written();
    if (c.pos > chunk.end) c.pos = chunk.end;
    const uint64_t start = c.pos;
    chunk.length = static_cast<uint16_t>(d->console.read(c, chunk.data, sizeof chunk.data, lost));
    chunk.start = start + lost;
    return ctl::Error::Ok;
}

bool DomCtl::has_debug_key(char key) { return key == 'r'; }

// Xen's 'r': the RTDS queues, written to the console line by line (so `xl dmesg` shows it).
void DomCtl::debug_key(char key) {
    if (key != 'r') return;
    BufferSink sink(dump_text, sizeof dump_text);
    s_.sched.dump(sink);
    const char* line = dump_text;
    for (const char* p = dump_text;; ++p) {
        if (*p != '\n' && *p != '\0') continue;
        if (p > line) log(LogLevel::kInfo, "%.*s", static_cast<int>(p - line), line);
        if (*p == '\0') break;
        line = p + 1;
    }
}

} // namespace rthv::x86::hvm
