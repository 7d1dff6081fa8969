// VirtualLapic's interrupt command register (SDM Vol. 3A 11.6.1, x2APIC form 11.12.9) and the
// x2APIC destination rules the caller routes IPIs with.
#include "hv/vplat/vlapic.hpp"

namespace rthv::vplat {

namespace {

// x2APIC ICR (SDM 11.12.9): destination 63:32; bits 31:20, 17:16 and 13 are reserved.
// Bit 12 (delivery status) is read-only in xAPIC mode and is accepted and dropped here, as KVM
// does: a send completes at once, so it always reads 0.
constexpr uint64_t kIcrReserved = 0xFFF00000ull | (3ull << 16) | (1ull << 13);
constexpr uint64_t kIcrDeliveryStatus = 1ull << 12;
constexpr uint32_t kIcrLevelAssert = 1u << 14;
constexpr uint32_t kIcrTriggerLevel = 1u << 15;

} // namespace

MsrAccess VirtualLapic::write_icr(uint64_t value, LapicEffects& fx) {
    if (value & kIcrReserved) return MsrAccess::Gp;
    icr_ = value & ~kIcrDeliveryStatus;
    const auto low = static_cast<uint32_t>(value);
    const uint32_t mode = (low >> 8) & 7u;
    IpiRequest req;
    req.mode = static_cast<DeliveryMode>(mode);
    req.dest_mode = (low & (1u << 11)) ? DestMode::Logical : DestMode::Physical;
    req.shorthand = static_cast<Shorthand>((low >> 18) & 3u);
    req.vector = static_cast<uint8_t>(low & 0xFFu);
    req.level = (low & kIcrTriggerLevel) != 0;
    req.dest = static_cast<uint32_t>(value >> 32);
    switch (req.mode) {
    case DeliveryMode::Fixed:
    case DeliveryMode::LowestPriority:
        // Vectors 0-15 are not sent: "send illegal vector" (SDM 11.5.3).
        if (req.vector < 16) {
            raise_error(kEsrSendIllegal);
            return MsrAccess::Ok;
        }
        break;
    case DeliveryMode::Init:
        // INIT level de-assert (level 0, trigger level) only synchronised arbitration IDs on
        // old processors and does nothing since the Pentium 4 (SDM 11.6.1).
        if (!(low & kIcrLevelAssert) && req.level) return MsrAccess::Ok;
        break;
    case DeliveryMode::Smi:
    case DeliveryMode::Nmi:
    case DeliveryMode::StartUp:
        break;
    default:
        return MsrAccess::Ok; // 011b and ExtINT are not valid ICR delivery modes: no send
    }
    // Only fixed interrupts may use the self shorthand (SDM 11.6.1, table "Valid Combinations
    // for the Pentium 4 and Intel Xeon Processors' Local xAPIC Interrupt Command Register").
    if (req.shorthand == Shorthand::Self && req.mode != DeliveryMode::Fixed) return MsrAccess::Ok;
    fx.has_ipi = true;
    fx.ipi = req;
    return MsrAccess::Ok;
}

bool ipi_targets(const IpiRequest& req, uint32_t sender_id, uint32_t target_id) {
    switch (req.shorthand) {
    case Shorthand::Self:
        return target_id == sender_id;
    case Shorthand::AllIncludingSelf:
        return true;
    case Shorthand::AllExcludingSelf:
        return target_id != sender_id;
    case Shorthand::None:
        break;
    }
    if (req.dest == 0xFFFFFFFFu) return true; // broadcast in both destination modes
    if (req.dest_mode == DestMode::Physical) return req.dest == target_id;
    const uint32_t ldr = x2apic_ldr(target_id);
    return (req.dest >> 16) == (ldr >> 16) && (req.dest & ldr & 0xFFFFu) != 0;
}

} // namespace rthv::vplat
