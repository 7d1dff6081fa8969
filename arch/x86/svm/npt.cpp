#include "arch/x86/svm/npt.hpp"

#include "arch/x86/hvm/nested_paging.hpp"

namespace rthv::x86::svm {
namespace {

// Long-mode paging entry bits (APM Vol. 2, 5.3.3). Nested walks are user-level accesses
// (15.25.5), so U/S must be set at every level or the guest faults on its own RAM.
constexpr uint64_t kPresent = 1u << 0;
constexpr uint64_t kWrite = 1u << 1;
constexpr uint64_t kUser = 1u << 2;

// Leaves: PAT/PCD/PWT = 0 selects host PAT entry 0 (write-back), combined with G_PAT.
constexpr hvm::NestedFormat kNptFormat = {
    .present = kPresent,
    .table = kPresent | kWrite | kUser,
    .leaf = kPresent | kWrite | kUser,
};

} // namespace

uint64_t npt_build(const hvm::GuestMemory& memory) { return hvm::nested_build(memory, kNptFormat); }

void npt_destroy(uint64_t pml4) { hvm::nested_destroy(pml4, kNptFormat); }

uint64_t npt_translate(uint64_t pml4, uint64_t gpa) {
    return hvm::nested_translate(pml4, gpa, kNptFormat);
}

} // namespace rthv::x86::svm
