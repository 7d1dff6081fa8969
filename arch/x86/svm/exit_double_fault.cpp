// Double fault (exception intercept 8, EXITCODE 0x48). A guest whose #DF cannot be delivered
// through its IDT is shut down by the CPU (APM Vol. 2, 8.2.9: a fault while delivering #DF is a
// triple fault), and the shutdown intercept (exit_fatal.cpp) crashes its domain. Bochs 2.7
// never takes that intercept: its third exception panics the whole emulator before it looks at
// SVM (cpu/exception.cc; its VT-x path has a triple-fault exit there, its SVM path none). So the
// backend intercepts #DF and decides itself what the CPU would do next: if the IDT cannot
// deliver vector 8 (limit too short, gate not present), the guest is crashed as by a shutdown;
// otherwise the #DF is delivered unchanged. On any other CPU this only moves the same verdict
// one exception earlier.
#include "arch/x86/svm/exits.hpp"

namespace rthv::x86::svm {
namespace {

constexpr uint8_t kDfVector = 8;
constexpr uint64_t kCr0Pe = 1u << 0, kCr0Pg = 1u << 31;
constexpr uint64_t kEferLma = 1u << 10;
constexpr uint8_t kGatePresent = 1u << 7; // byte 5 of a gate descriptor (APM Vol. 2, 4.8.3)

// Whether the gate for `vector` is reachable and present. Only what can be read without a
// guest page walk is judged: with guest paging on, the gate is assumed fine and the CPU decides.
bool idt_can_deliver(const hvm::HvmVcpu& v, const Vmcb& vmcb, uint8_t vector) {
    const VmcbSave& s = vmcb.save;
    bool protected_mode = (s.cr0 & kCr0Pe) != 0;
    uint64_t gate_size = !protected_mode ? 4 : (s.efer & kEferLma) != 0 ? 16 : 8;
    uint64_t offset = vector * gate_size;
    if (s.idtr.limit < offset + gate_size - 1) return false;
    if (!protected_mode || (s.cr0 & kCr0Pg) != 0) return true; // real mode: no present bit
    uint8_t gate[8] = {};
    uint64_t gpa = (s.idtr.base + offset) & ((s.efer & kEferLma) != 0 ? ~0ull : 0xffffffffull);
    if (!v.memory->read(gpa, gate, sizeof(gate))) return true; // a nested page fault then
    return (gate[5] & kGatePresent) != 0;
}

} // namespace

hvm::RunResult handle_double_fault(hvm::HvmVcpu& v, Vmcb& vmcb, hvm::ExitKind& kind) {
    if (idt_can_deliver(v, vmcb, kDfVector)) {
        inject_exception(vmcb, kDfVector, true, 0); // #DF's error code is always 0
        return hvm::RunResult::kResume;
    }
    kind = hvm::ExitKind::kTripleFault;
    return handle_shutdown(v, vmcb, kind);
}

} // namespace rthv::x86::svm
