// Exit handling shared by both backends, by kind: each backend decodes its exit (VMCS exit
// qualification, VMCB EXITINFO) into these calls, and the behaviour lives here once. A toy
// guest (guests/) sees the bare platform of guests/abi.hpp; a Linux guest's exits go on to its
// virtual platform (hvm/linux_vcpu.hpp).
#pragma once

#include "arch/x86/hvm/backend.hpp"

namespace rthv::x86::hvm {

enum class MsrOutcome : uint8_t { kOk, kGp };

// RDMSR / WRMSR of `msr` (ECX). kGp: the backend raises #GP(0) in the guest and does not
// advance RIP, as a CPU without that MSR would.
MsrOutcome msr_read(const Backend& b, HvmVcpu& v, uint32_t msr, uint64_t& value);
MsrOutcome msr_write(const Backend& b, HvmVcpu& v, uint32_t msr, uint64_t value);
// RDMSR (`write` false) or WRMSR as the instruction does it: ECX the MSR, EDX:EAX the value.
MsrOutcome msr_instruction(const Backend& b, HvmVcpu& v, bool write);

// HLT, RIP already past it: a toy waits for its one-shot timer; a Linux VCPU waits until an
// interrupt is pending for it (or resumes at once if one is).
RunResult halt(HvmVcpu& v);

// A guest access to `gpa` outside its RAM: emulated if a device lives there (a Linux guest's
// I/O APIC), else the domain is crashed naming the address, the access and `what` (the
// hardware's name for the exit: "EPT violation", "nested page fault").
RunResult memory_fault(const Backend& b, HvmVcpu& v, uint64_t gpa, bool write, bool fetch,
                       const char* what);

} // namespace rthv::x86::hvm
