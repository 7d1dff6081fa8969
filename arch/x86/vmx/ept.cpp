#include "arch/x86/vmx/ept.hpp"

#include "arch/x86/hvm/nested_paging.hpp"

namespace rthv::x86::vmx {
namespace {

// EPT entry bits (SDM 29.3.2, tables 29-1..29-6). An entry is present when any of R/W/X is
// set; the tables grant everything and the leaves decide the permissions.
constexpr uint64_t kRead = 1u << 0;
constexpr uint64_t kWrite = 1u << 1;
constexpr uint64_t kExecute = 1u << 2;
constexpr uint64_t kMemTypeWb = 6u << 3; // leaf: memory type in bits 5:3
constexpr uint64_t kIgnorePat = 1u << 6;
constexpr uint64_t kRwx = kRead | kWrite | kExecute;

constexpr hvm::NestedFormat kEptFormat = {
    .present = kRwx,
    .table = kRwx,
    .leaf = kRwx | kMemTypeWb | kIgnorePat,
};

} // namespace

uint64_t ept_build(const hvm::GuestMemory& memory) { return hvm::nested_build(memory, kEptFormat); }

void ept_destroy(uint64_t pml4) { hvm::nested_destroy(pml4, kEptFormat); }

uint64_t ept_translate(uint64_t pml4, uint64_t gpa) {
    return hvm::nested_translate(pml4, gpa, kEptFormat);
}

} // namespace rthv::x86::vmx
