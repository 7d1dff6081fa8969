#include "arch/x86/svm/asid.hpp"

#include "arch/x86/percpu_area.hpp"
#include "arch/x86/svm/svm_cpu.hpp"

namespace rthv::x86::svm {
namespace {

// rthv needs one ASID per domain; 63 is plenty and keeps the table small. Domains beyond
// share ASIDs, which the last-user rule keeps correct.
constexpr uint32_t kAsidsUsed = 63;

// Per CPU and ASID: the VMCB (physical address) that last ran with it there, 0 for none.
struct LastUsers {
    uint64_t by_asid[kAsidsUsed + 1];
};
PerCpuArea<LastUsers> last_user;

uint32_t usable_asids() {
    uint32_t n = features().asids - 1; // ASIDs 1 .. NASID-1
    return n < kAsidsUsed ? n : kAsidsUsed;
}

} // namespace

uint32_t asid_for_domain(uint32_t domain_id) { return 1 + domain_id % usable_asids(); }

void asid_prepare_entry(const hvm::HvmVcpu& v, VmcbControl& control) {
    CpuId cpu = this_cpu().cpu_id;
    uint64_t& last = last_user.here().by_asid[control.guest_asid];
    bool stale = last != v.control_block || v.cpu != cpu;
    if (stale) control.tlb_control = features().flush_by_asid ? kTlbFlushAsid : kTlbFlushAll;
    __atomic_store_n(&last, v.control_block, __ATOMIC_RELAXED);
}

void asid_forget_here(const hvm::HvmVcpu& v) {
    uint64_t* row = last_user.here().by_asid;
    for (uint32_t a = 0; a <= kAsidsUsed; ++a)
        if (row[a] == v.control_block) row[a] = 0;
}

void asid_forget_everywhere(const hvm::HvmVcpu& v) {
    for (CpuId c = 0; c < percpu_count(); ++c)
        for (uint64_t& last : last_user.on(c).by_asid) {
            uint64_t expected = v.control_block;
            __atomic_compare_exchange_n(&last, &expected, 0, false, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED);
        }
}

} // namespace rthv::x86::svm
