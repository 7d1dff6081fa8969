// A subsystem's per-CPU state, kept in every CPU's block (percpu.hpp) after the core. The
// subsystem declares its own state type and one PerCpuArea<T> at namespace scope in the file
// that owns it; the core never sees the type. Such objects register during static
// initialisation (boot_main runs the constructors first), which fixes the block size before
// percpu_allocate builds the blocks and constructs a T in each of them.
//
// The domain layer's per-CPU run states (hv/dom CpuRun) are not here: its loop indexes them as
// one array by CPU, so they are one array of as many as CPUs run (hvm/dom_main.cpp).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <new>

#include "arch/x86/percpu.hpp"

namespace rthv::x86 {

using PerCpuConstruct = void (*)(void* where);

// Reserves `size` bytes aligned to `align` (at most a frame) in every block; returns their
// offset from the block's start. Static initialisation only.
size_t percpu_reserve(size_t size, size_t align, PerCpuConstruct construct);

template <typename T>
class PerCpuArea {
    static_assert(alignof(T) <= kFrameSize, "blocks are frame aligned");

public:
    PerCpuArea() : offset_(percpu_reserve(sizeof(T), alignof(T), [](void* p) { new (p) T(); })) {}
    PerCpuArea(const PerCpuArea&) = delete;
    PerCpuArea& operator=(const PerCpuArea&) = delete;

    // The calling CPU's T. Not before percpu_allocate: the BSP's boot block has no areas.
    T& here() const { return at(this_cpu()); }
    // CPU `cpu`'s T, for cpu < percpu_count().
    T& on(CpuId cpu) const { return at(percpu(cpu)); }

private:
    T& at(PerCpu& pc) const {
        return *std::launder(reinterpret_cast<T*>(reinterpret_cast<uint8_t*>(&pc) + offset_));
    }

    size_t offset_;
};

} // namespace rthv::x86
