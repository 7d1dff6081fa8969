#include "arch/x86/lapic.hpp"

#include "arch/x86/paging.hpp"

namespace rthv::x86::lapic {
namespace {

// Register offsets (SDM Vol. 3A table 10-1).
enum Reg : uint32_t {
    kId = 0x020,
    kTpr = 0x080,
    kEoi = 0x0b0,
    kSvr = 0x0f0,
    kIcrLow = 0x300,
    kIcrHigh = 0x310,
    kLvtTimer = 0x320,
    kLvtLint0 = 0x350,
    kLvtLint1 = 0x360,
    kLvtError = 0x370,
    kTimerInitial = 0x380,
    kTimerCurrent = 0x390,
    kTimerDivide = 0x3e0,
};

constexpr uint32_t kMasked = 1u << 16;
constexpr uint32_t kSvrEnable = 1u << 8;
constexpr uint32_t kIcrPending = 1u << 12;
constexpr uint32_t kIcrAssert = 1u << 14;
constexpr uint32_t kIcrInit = 5u << 8;
constexpr uint32_t kIcrStartup = 6u << 8;
constexpr uint32_t kTimerModeTscDeadline = 2u << 17;
constexpr uint32_t kDivideBy1 = 0xb;
constexpr uint8_t kSpuriousVector = 0xff;

volatile uint32_t* base = nullptr;

uint32_t read(Reg r) { return base[r / 4]; }
void write(Reg r, uint32_t v) { base[r / 4] = v; }

void send_icr(uint32_t apic_id, uint32_t low) {
    while ((read(kIcrLow) & kIcrPending) != 0) {
    }
    write(kIcrHigh, apic_id << 24);
    write(kIcrLow, low);
}

} // namespace

void set_base(uint64_t phys) { base = phys_to_virt<volatile uint32_t>(phys); }

void init_cpu() {
    write(kTpr, 0);
    write(kLvtTimer, kMasked);
    write(kLvtLint0, kMasked); // the 8259 path (ExtINT) is unused
    write(kLvtError, kMasked);
    write(kTimerDivide, kDivideBy1);
    write(kSvr, kSvrEnable | kSpuriousVector);
}

uint32_t id() { return read(kId) >> 24; }
void eoi() { write(kEoi, 0); }

void send_fixed_ipi(uint32_t apic_id, uint8_t vector) { send_icr(apic_id, kIcrAssert | vector); }
void send_init(uint32_t apic_id) { send_icr(apic_id, kIcrAssert | kIcrInit); }
void send_startup(uint32_t apic_id, uint8_t page) {
    send_icr(apic_id, kIcrAssert | kIcrStartup | page);
}

void timer_oneshot(uint8_t vector, uint32_t count) {
    write(kLvtTimer, vector); // one-shot mode (bits 17-18 = 0), unmasked
    write(kTimerInitial, count);
}

void timer_tsc_deadline_mode(uint8_t vector) {
    write(kLvtTimer, kTimerModeTscDeadline | vector);
    // SDM 10.5.4.1: the LVT write must be ordered before the first IA32_TSC_DEADLINE write.
    asm volatile("mfence" ::: "memory");
}

void timer_stop() {
    write(kTimerInitial, 0);
    write(kLvtTimer, kMasked);
}

uint32_t timer_current_count() { return read(kTimerCurrent); }

} // namespace rthv::x86::lapic
