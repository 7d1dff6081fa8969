// The virtual machine control block (AMD APM Vol. 2, appendix B, tables B-1 and B-2): a 4 KiB
// page with the control area at 0x000 (intercepts, ASID, exit information, event injection,
// nested paging) and the guest state save area at 0x400. Unlike a VMCS it is plain memory, read
// and written directly; offsets are checked below against the APM tables.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rthv::x86::svm {

struct VmcbControl {
    uint32_t intercept_cr;         // 0x000: CR reads 15:0, CR writes 31:16
    uint32_t intercept_dr;         // 0x004
    uint32_t intercept_exceptions; // 0x008: one bit per vector
    uint32_t intercept_misc1;      // 0x00c: kIntercept1*
    uint32_t intercept_misc2;      // 0x010: kIntercept2*
    uint32_t intercept_misc3;      // 0x014
    uint8_t reserved1[0x3c - 0x18];
    uint16_t pause_filter_threshold; // 0x03c
    uint16_t pause_filter_count;     // 0x03e
    uint64_t iopm_base_pa;           // 0x040
    uint64_t msrpm_base_pa;          // 0x048
    uint64_t tsc_offset;             // 0x050
    uint32_t guest_asid;             // 0x058
    uint8_t tlb_control;             // 0x05c: kTlbFlush*
    uint8_t reserved2[3];
    uint64_t vintr;            // 0x060: V_TPR, V_IRQ, V_INTR_MASKING (bit 24), ...
    uint64_t interrupt_shadow; // 0x068
    uint64_t exit_code;        // 0x070
    uint64_t exit_info1;       // 0x078
    uint64_t exit_info2;       // 0x080
    uint64_t exit_int_info;    // 0x088: an event whose delivery the exit interrupted
    uint64_t np_control;       // 0x090: bit 0 NP_ENABLE
    uint64_t avic_apic_bar;    // 0x098
    uint64_t ghcb_pa;          // 0x0a0
    uint64_t event_inj;        // 0x0a8: event to inject at VMRUN (15.20)
    uint64_t n_cr3;            // 0x0b0: nested page table root
    uint64_t virt_ext;         // 0x0b8
    uint32_t clean_bits;       // 0x0c0
    uint32_t reserved3;
    uint64_t next_rip; // 0x0c8: with NRIPS, the RIP after the intercepted instruction
    uint8_t insn_len;  // 0x0d0
    uint8_t insn_bytes[15];
    uint8_t reserved4[0x400 - 0xe0];
};

// Segment register image: attrib packs descriptor bits 47:40 (type, S, DPL, P) into 7:0 and
// bits 55:52 (AVL, L, D/B, G) into 11:8 (APM 15.5.1, table B-2).
struct VmcbSegment {
    uint16_t selector;
    uint16_t attrib;
    uint32_t limit;
    uint64_t base;
};

struct VmcbSave {
    VmcbSegment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; // 0x000-0x09f
    uint8_t reserved1[0xcb - 0xa0];
    uint8_t cpl; // 0x0cb
    uint32_t reserved2;
    uint64_t efer; // 0x0d0
    uint8_t reserved3[0x148 - 0xd8];
    uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip; // 0x148-0x17f
    uint8_t reserved4[0x1d8 - 0x180];
    uint64_t rsp; // 0x1d8
    uint8_t reserved5[0x1f8 - 0x1e0];
    uint64_t rax;                                          // 0x1f8
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base;   // 0x200-0x227
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip, cr2; // 0x228-0x247
    uint8_t reserved6[0x268 - 0x248];
    uint64_t g_pat;  // 0x268: the guest's PAT under nested paging
    uint64_t dbgctl; // 0x270
    uint8_t reserved7[0xc00 - 0x278];
};

struct Vmcb {
    VmcbControl control;
    VmcbSave save;
};

static_assert(offsetof(VmcbControl, iopm_base_pa) == 0x40);
static_assert(offsetof(VmcbControl, guest_asid) == 0x58);
static_assert(offsetof(VmcbControl, exit_code) == 0x70);
static_assert(offsetof(VmcbControl, event_inj) == 0xa8);
static_assert(offsetof(VmcbControl, next_rip) == 0xc8);
static_assert(offsetof(Vmcb, save) == 0x400);
static_assert(offsetof(VmcbSave, cpl) == 0xcb);
static_assert(offsetof(VmcbSave, efer) == 0xd0);
static_assert(offsetof(VmcbSave, cr4) == 0x148);
static_assert(offsetof(VmcbSave, rip) == 0x178);
static_assert(offsetof(VmcbSave, rsp) == 0x1d8);
static_assert(offsetof(VmcbSave, rax) == 0x1f8);
static_assert(offsetof(VmcbSave, g_pat) == 0x268);
static_assert(sizeof(Vmcb) == 4096);

// Intercept vector 3 (offset 0x00c) and 4 (0x010) bits, APM table B-1.
inline constexpr uint32_t kIntercept1Intr = 1u << 0;
inline constexpr uint32_t kIntercept1Nmi = 1u << 1;
inline constexpr uint32_t kIntercept1Vintr = 1u << 4; // a virtual interrupt can be taken
inline constexpr uint32_t kIntercept1Cpuid = 1u << 18;
inline constexpr uint32_t kIntercept1Hlt = 1u << 24;
inline constexpr uint32_t kIntercept1Invlpga = 1u << 26;
inline constexpr uint32_t kIntercept1IoProt = 1u << 27;
inline constexpr uint32_t kIntercept1MsrProt = 1u << 28;
inline constexpr uint32_t kIntercept1Shutdown = 1u << 31;
inline constexpr uint32_t kIntercept2Vmrun = 1u << 0; // VMRUN must be intercepted (15.5.1)
inline constexpr uint32_t kIntercept2Vmmcall = 1u << 1;
inline constexpr uint32_t kIntercept2Vmload = 1u << 2;
inline constexpr uint32_t kIntercept2Vmsave = 1u << 3;
inline constexpr uint32_t kIntercept2Stgi = 1u << 4;
inline constexpr uint32_t kIntercept2Clgi = 1u << 5;
inline constexpr uint32_t kIntercept2Skinit = 1u << 6;
inline constexpr uint32_t kIntercept2Xsetbv = 1u << 13;

// TLB_CONTROL (15.16.1): 1 flushes every ASID; 3 only this guest's (needs FlushByAsid).
inline constexpr uint8_t kTlbFlushNone = 0;
inline constexpr uint8_t kTlbFlushAll = 1;
inline constexpr uint8_t kTlbFlushAsid = 3;

inline constexpr uint64_t kVintrMasking = 1ull << 24; // V_INTR_MASKING (15.21.1)
// V_IRQ (bit 8) with V_IGN_TPR (bit 20): a virtual interrupt is pending whatever the guest's
// TPR; with the VINTR intercept the guest exits the moment it could take it (15.21.4), which
// is the interrupt window rthv needs: the real vector is then injected through EVENTINJ.
inline constexpr uint64_t kVintrIrq = 1ull << 8;
inline constexpr uint64_t kVintrIgnoreTpr = 1ull << 20;
inline constexpr uint64_t kNpEnable = 1;

// EVENTINJ / EXITINTINFO format (15.20): vector 7:0, type 10:8, EV 11, V 31, error 63:32.
inline constexpr uint64_t kEventValid = 1ull << 31;
inline constexpr uint64_t kEventErrorValid = 1ull << 11;
inline constexpr uint64_t kEventTypeIntr = 0ull << 8;
inline constexpr uint64_t kEventTypeException = 3ull << 8;

} // namespace rthv::x86::svm
