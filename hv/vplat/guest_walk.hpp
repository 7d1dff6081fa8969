// Guest-linear to guest-physical translation, done in software for the MMIO emulators: an EPT
// violation / NPT fault reports the guest-physical address of the access but, on our exits, not
// the instruction bytes, so the instruction has to be fetched from guest memory at CS.base + RIP
// through the guest's own page tables (SDM Vol. 3A ch. 4).
//
// Supported: paging off, 32-bit paging (4 KiB pages and, with CR4.PSE, 4 MiB pages incl. PSE-36),
// PAE paging (4 KiB / 2 MiB), 4-level and 5-level paging (4 KiB / 2 MiB / 1 GiB). Not modelled:
// access rights (U/S, R/W, XD, SMEP, SMAP, protection keys), accessed/dirty bit updates and the
// TLB. That is sound for this use: the hardware has just executed the instruction, so its fetch
// already passed the access checks and set the A bits; we only repeat the address computation.
// PAE PDPTEs are re-read from memory at CR3 (the CPU caches them at MOV CR3; Vol. 3A 4.4.1).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::vplat {

// Reads `len` bytes of guest-physical memory at `gpa` into `dst`. Returns false when the range is
// not guest RAM (an MMIO page, a hole): the walker then reports ReadFailed.
using ReadGpaFn = bool (*)(void* ctx, uint64_t gpa, void* dst, size_t len);

// What the walker needs of a VCPU: its paging registers, the width of its physical addresses and
// a way to read its memory. `maxphyaddr` is the guest's CPUID.80000008H:EAX[7:0]; physical
// address bits at and above it are reserved in the paging entries (Vol. 3A 4.1.4).
struct GuestMmu {
    uint64_t cr0 = 0;
    uint64_t cr3 = 0;
    uint64_t cr4 = 0;
    uint64_t efer = 0; // LMA (bit 10) selects 4/5-level paging, NXE (bit 11) frees bit 63
    uint8_t maxphyaddr = 52;
    ReadGpaFn read_gpa = nullptr;
    void* ctx = nullptr;
};

enum class WalkStatus : uint8_t {
    Ok,
    NotPresent,   // an entry with P = 0: #PF, error code P = 0
    Reserved,     // a reserved bit set in a present entry: #PF, error code P = 1 and RSVD = 1
    NonCanonical, // 4/5-level paging and the address is not canonical: #GP(0), not #PF
    ReadFailed,   // a paging entry or the data itself is not in guest RAM: crash the guest
};

// #PF error code bits (Vol. 3A 4.7).
inline constexpr uint32_t kPfPresent = 1u << 0;
inline constexpr uint32_t kPfUser = 1u << 2;
inline constexpr uint32_t kPfReserved = 1u << 3;
inline constexpr uint32_t kPfFetch = 1u << 4;

struct WalkResult {
    WalkStatus status = WalkStatus::Ok;
    uint64_t gpa = 0;       // Ok: the guest-physical address of the linear address
    uint64_t page_size = 0; // Ok: 4 KiB, 2 MiB, 4 MiB or 1 GiB
    uint64_t entry_gpa = 0; // NotPresent/Reserved/ReadFailed: the entry's (or data's) address
    uint8_t level = 0;      // NotPresent/Reserved: 1 = PTE, 2 = PDE, 3 = PDPTE, 4, 5
    uint32_t pf_error = 0;  // NotPresent/Reserved: #PF error code without U/S, W/R and I/D
};

// Translates `linear`. Outside long mode only bits 31:0 of `linear` are used.
WalkResult walk_guest(const GuestMmu& mmu, uint64_t linear);

struct FetchResult {
    size_t fetched = 0;        // bytes copied to dst, from the start, before any failure
    WalkResult fault;          // status Ok when all `len` bytes were copied
    uint64_t fault_linear = 0; // the first linear address that failed: CR2 for an injected #PF
};

// Copies `len` bytes of guest memory at `linear` (CS.base + RIP for an instruction fetch) into
// `dst`, translating each page separately, so a range that crosses into a page mapped elsewhere,
// or not mapped at all, is handled; in 32-bit modes the address wraps at 4 GiB as the CPU's does.
// A fault's pf_error gets I/D set when the CPU would set it for a fetch (Vol. 3A 4.7: PAE or
// 4/5-level paging with EFER.NXE, or CR4.SMEP); the caller adds U/S (kPfUser) when CPL = 3.
//
// For an instruction fetch, ask for 15 bytes and hand `fetched` of them to the decoder: an
// instruction that ends before an unmapped next page decodes fine. Only when the decoder says it
// needs more bytes (Truncated) has the fetch really failed; then inject what the CPU would have
// raised: NotPresent/Reserved -> #PF with CR2 = fault_linear and the given error code (as KVM's
// emulator does; Linux reports the oops itself), NonCanonical -> #GP(0), ReadFailed -> crash the
// guest (it executes from, or keeps page tables in, something that is not RAM).
FetchResult fetch_guest_bytes(const GuestMmu& mmu, uint64_t linear, void* dst, size_t len);

} // namespace rthv::vplat
