// The xAPIC MMIO view of the local APIC (SDM Vol. 3A 11.4.1, table 11-1): register i at offset
// i * 16, the same register as x2APIC MSR 0x800 + i (SDM 11.12.1.2) but for the ID, LDR/DFR and
// the two halves of the ICR, which the two modes lay out differently.
#include "hv/vplat/vlapic.hpp"

namespace rthv::vplat {
namespace {

constexpr uint32_t kId = 0x20, kLdr = 0xd0, kDfr = 0xe0, kIcrLow = 0x300, kIcrHigh = 0x310;

bool valid_offset(uint32_t offset) { return offset < 0x400 && offset % 16 == 0; }

} // namespace

MsrAccess VirtualLapic::mmio_read(uint32_t offset, uint32_t& value, uint64_t now_tsc) {
    value = 0;
    settle(now_tsc);
    if (!hw_enabled() || x2apic_mode() || !valid_offset(offset)) return MsrAccess::Gp;
    switch (offset) {
    case kId:
        value = id_ << 24;
        return MsrAccess::Ok;
    case kLdr:
        value = xapic_ldr_;
        return MsrAccess::Ok;
    case kDfr:
        value = xapic_dfr_;
        return MsrAccess::Ok;
    case kIcrLow:
        value = static_cast<uint32_t>(icr_);
        return MsrAccess::Ok;
    case kIcrHigh:
        value = xapic_icr_high_;
        return MsrAccess::Ok;
    default: {
        uint64_t v = 0;
        MsrAccess r = read_reg(kMsrX2apicFirst + offset / 16, v, now_tsc);
        value = static_cast<uint32_t>(v);
        return r;
    }
    }
}

MsrAccess VirtualLapic::mmio_write(uint32_t offset, uint32_t value, uint64_t now_tsc,
                                   LapicEffects& fx) {
    fx = LapicEffects{};
    const uint64_t armed_before = timer_deadline_;
    settle(now_tsc);
    if (!hw_enabled() || x2apic_mode() || !valid_offset(offset)) return MsrAccess::Gp;
    MsrAccess r = MsrAccess::Ok;
    switch (offset) {
    case kId: // read-only here: the platform assigns IDs
        break;
    case kLdr:
        xapic_ldr_ = value & 0xff000000u;
        break;
    case kDfr:
        xapic_dfr_ = value | 0x0fffffffu;
        break;
    case kIcrHigh:
        xapic_icr_high_ = value & 0xff000000u;
        break;
    case kIcrLow: // sends, to the 8-bit destination of ICR bits 63:56 (x2APIC: 63:32)
        r = write_icr(uint64_t{xapic_icr_high_ >> 24} << 32 | value, fx);
        break;
    default:
        r = write_reg(kMsrX2apicFirst + offset / 16, value, now_tsc, fx);
        break;
    }
    fx.timer_deadline_tsc = timer_deadline_;
    fx.timer_changed = timer_deadline_ != armed_before;
    return r;
}

} // namespace rthv::vplat
