#include "arch/x86/hvm/hypercall.hpp"

#include "arch/x86/hvm/blocking.hpp"

namespace rthv::x86::hvm {
namespace {

using namespace guest_abi;

uint64_t pair(uint64_t lo, uint64_t hi) { return (lo & 0xffffffff) | (hi & 0xffffffff) << 32; }

void record(HvmVcpu& v, uint32_t key, uint64_t value) {
    uint64_t& slot = v.stats.reports[key];
    bool keep_max = key == kReportWorstResponse || key == kReportWorstLatency;
    slot = keep_max && slot > value ? slot : value;
}

uint32_t console(HvmVcpu& v, uint64_t gpa, uint64_t len) {
    constexpr uint64_t kMax = 256;
    char buf[kMax];
    if (len > kMax || !v.memory->read(gpa, buf, len)) return kHcRefused;
    for (uint64_t i = 0; i < len; ++i) v.console.put(v.name, buf[i]);
    return kHcOk;
}

} // namespace

RunResult hypercall(HvmVcpu& v) {
    GuestRegs& r = v.regs;
    auto nr = static_cast<uint32_t>(r.rax);
    uint32_t result = kHcOk;
    RunResult next = RunResult::kResume;
    switch (nr) {
    case kHcReport:
        if (static_cast<uint32_t>(r.rbx) < kReportCount)
            record(v, static_cast<uint32_t>(r.rbx), pair(r.rcx, r.rdx));
        else
            result = kHcRefused;
        break;
    case kHcSetTimer: {
        uint64_t tsc = pair(r.rcx, r.rdx);
        set_timer(v, tsc == 0 ? kTimeNever : guest_tsc_to_ns(tsc));
        break;
    }
    case kHcBlock:
        next = block(v);
        break;
    case kHcYield:
        next = RunResult::kYield;
        break;
    case kHcConsole:
        result = console(v, r.rbx & 0xffffffff, r.rcx & 0xffffffff);
        break;
    default:
        result = kHcRefused;
        break;
    }
    r.rax = result;
    return next;
}

} // namespace rthv::x86::hvm
