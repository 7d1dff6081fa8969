// Constants shared by the assembly files and C++ (this header is included by both, so it holds
// only #defines). C++ code re-checks every per-CPU offset with static_assert in percpu.hpp.
#pragma once

// Virtual layout: kernel image in the top 2 GiB (-mcmodel=kernel), all RAM at PHYS_MAP_BASE.
#define KERNEL_VMA 0xffffffff80000000
#define PHYS_MAP_BASE 0xffff800000000000
#define PML4_INDEX_PHYS_MAP 256

// Control and model-specific register bits (SDM Vol. 3A 2.5, Vol. 4 table 2-2).
#define CR0_PE 0x1
#define CR0_MP 0x2
#define CR0_EM 0x4
#define CR0_TS 0x8
#define CR0_NE 0x20
#define CR0_WP 0x10000
#define CR0_NW 0x20000000
#define CR0_CD 0x40000000
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define CR4_PGE 0x80
/* FXSAVE/FXRSTOR move the SSE state too (SDM Vol. 3A 2.5): guests' FPU state is switched. */
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define EFER_NXE 0x800

// GDT selectors (arch/x86/gdt.hpp builds the table in this order).
#define SEL_KERNEL_CODE 0x08
#define SEL_KERNEL_DATA 0x10
#define SEL_TSS 0x18

// Per-CPU block reached through GS (arch/x86/percpu.hpp).
#define PERCPU_SELF 0
#define PERCPU_CPU_ID 8

// AP start-up: the trampoline is copied to this page below 1 MiB (SIPI vector = page number).
#define TRAMPOLINE_PHYS 0x8000
// Parameters the BSP writes into the trampoline page for each AP, at these offsets.
#define TRAMPOLINE_PARAM_CR3 0xf00
#define TRAMPOLINE_PARAM_STACK 0xf08
#define TRAMPOLINE_PARAM_ENTRY 0xf10
#define TRAMPOLINE_PARAM_PERCPU 0xf18

// Interrupt vectors: 0-31 exceptions, then the hypervisor's own.
#define VECTOR_TIMER 0x20
#define VECTOR_RESCHEDULE 0x21
#define VECTOR_TIMER_REARM 0x22
#define VECTOR_CTL_UART 0x23 /* COM2 receive (ISA IRQ 3 via the IOAPIC), CPU 0 */
#define VECTOR_SPURIOUS 0xff
