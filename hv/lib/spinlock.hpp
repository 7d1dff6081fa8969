// Ticket spinlock on __atomic builtins: the same code runs in the hypervisor and under
// ThreadSanitizer in host tests with real threads. FIFO hand-off keeps worst-case wait bounded
// (a waiter is overtaken by at most N-1 others), which a real-time system needs more than speed.
//
// Interrupts: hypervisor code runs with interrupts disabled (they are taken only in guest mode
// or in the idle HLT), so a lock is never re-entered from an interrupt on the same CPU.
#pragma once

#include <stdint.h>

namespace rthv {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

class Spinlock {
public:
    void lock() {
        uint32_t ticket = __atomic_fetch_add(&next_, 1u, __ATOMIC_RELAXED);
        while (__atomic_load_n(&owner_, __ATOMIC_ACQUIRE) != ticket) cpu_relax();
    }
    bool try_lock() {
        uint32_t owner = __atomic_load_n(&owner_, __ATOMIC_ACQUIRE);
        uint32_t expected = owner;
        return __atomic_compare_exchange_n(&next_, &expected, owner + 1u, false, __ATOMIC_ACQUIRE,
                                           __ATOMIC_RELAXED);
    }
    void unlock() {
        __atomic_store_n(&owner_, __atomic_load_n(&owner_, __ATOMIC_RELAXED) + 1u,
                         __ATOMIC_RELEASE);
    }
    // Acquisitions so far (mod 2^32): every unlock serves the next ticket, so the owner ticket
    // counts them at no cost. For reports (pool-lock traffic per VM exit), not for logic.
    uint32_t acquisitions() const { return __atomic_load_n(&owner_, __ATOMIC_RELAXED); }
    bool is_locked() const {
        return __atomic_load_n(&owner_, __ATOMIC_RELAXED) !=
               __atomic_load_n(&next_, __ATOMIC_RELAXED);
    }

private:
    uint32_t next_ = 0;  // next ticket to hand out
    uint32_t owner_ = 0; // ticket now being served
};

class LockGuard {
public:
    explicit LockGuard(Spinlock& l) : lock_(l) { lock_.lock(); }
    ~LockGuard() { lock_.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

private:
    Spinlock& lock_;
};

} // namespace rthv
