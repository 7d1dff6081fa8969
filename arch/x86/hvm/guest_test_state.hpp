// State of the one-guest-per-CPU boot test, shared by guest_test.cpp (the run) and
// guest_report.cpp (the JSON section and the verdict).
#pragma once

#include "arch/x86/hvm/backend.hpp"
#include "arch/x86/hvm/run_loop.hpp"
#include "arch/x86/percpu.hpp"

namespace rthv::x86::hvm {

struct CpuGuest {
    HvmVcpu vcpu;
    bool loaded = false;  // memory and image in place
    bool created = false; // VT-x on and VCPU created on its CPU
    const char* error = nullptr;
    CpuAccounting account;
    volatile bool done = false;
};

struct GuestTestState {
    const char* selector = "";
    const Backend* backend = nullptr;
    const char* refusal = nullptr;
    CpuId guests = 0;
    Time start = 0, end = 0;
    Duration slice = 0; // the run loop's preemption tick while a guest runs
    CpuGuest cpu[kMaxArchCpus];
};

GuestTestState& guest_test_state();

// Workloads that must end in a crash of their own domain, and the exit that must cause it.
bool expected_to_crash(guest_abi::Workload w, ExitKind& cause);

// The hypervisor's own verdict: every guest ran, made progress, and crashed iff it should.
bool guest_test_passed();

} // namespace rthv::x86::hvm
