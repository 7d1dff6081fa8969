// VMCS field encodings (SDM Vol. 3D appendix B), grouped by width as the appendix does, and the
// control bits rthv uses (SDM Vol. 3C 25.6 execution, 25.7 exit, 25.8 entry controls).
#pragma once

#include <stdint.h>

namespace rthv::x86::vmx {

enum class Field : uint32_t {
    // 16-bit guest state (B.1.2) and host state (B.1.3).
    kGuestEsSel = 0x0800,
    kGuestCsSel = 0x0802,
    kGuestSsSel = 0x0804,
    kGuestDsSel = 0x0806,
    kGuestFsSel = 0x0808,
    kGuestGsSel = 0x080a,
    kGuestLdtrSel = 0x080c,
    kGuestTrSel = 0x080e,
    kHostEsSel = 0x0c00,
    kHostCsSel = 0x0c02,
    kHostSsSel = 0x0c04,
    kHostDsSel = 0x0c06,
    kHostFsSel = 0x0c08,
    kHostGsSel = 0x0c0a,
    kHostTrSel = 0x0c0c,
    // 64-bit control (B.2.1), read-only (B.2.2), guest (B.2.3) and host (B.2.4) fields.
    kEptPointer = 0x201a,
    kGuestPhysicalAddress = 0x2400,
    kVmcsLinkPointer = 0x2800,
    kGuestDebugCtl = 0x2802,
    kGuestEfer = 0x2806,
    kHostEfer = 0x2c02,
    // 32-bit control (B.3.1), read-only (B.3.2) and guest (B.3.3) fields.
    kPinControls = 0x4000,
    kProcControls = 0x4002,
    kExceptionBitmap = 0x4004,
    kCr3TargetCount = 0x400a,
    kExitControls = 0x400c,
    kExitMsrStoreCount = 0x400e,
    kExitMsrLoadCount = 0x4010,
    kEntryControls = 0x4012,
    kEntryMsrLoadCount = 0x4014,
    kEntryInterruptionInfo = 0x4016,
    kEntryExceptionErrorCode = 0x4018,
    kEntryInstructionLength = 0x401a,
    kProcControls2 = 0x401e,
    kVmInstructionError = 0x4400,
    kExitReason = 0x4402,
    kExitInterruptionInfo = 0x4404,
    kIdtVectoringInfo = 0x4408,
    kIdtVectoringErrorCode = 0x440a,
    kExitInstructionLength = 0x440c,
    kGuestEsLimit = 0x4800,
    kGuestCsLimit = 0x4802,
    kGuestSsLimit = 0x4804,
    kGuestDsLimit = 0x4806,
    kGuestFsLimit = 0x4808,
    kGuestGsLimit = 0x480a,
    kGuestLdtrLimit = 0x480c,
    kGuestTrLimit = 0x480e,
    kGuestGdtrLimit = 0x4810,
    kGuestIdtrLimit = 0x4812,
    kGuestEsAccess = 0x4814,
    kGuestCsAccess = 0x4816,
    kGuestSsAccess = 0x4818,
    kGuestDsAccess = 0x481a,
    kGuestFsAccess = 0x481c,
    kGuestGsAccess = 0x481e,
    kGuestLdtrAccess = 0x4820,
    kGuestTrAccess = 0x4822,
    kGuestInterruptibility = 0x4824,
    kGuestActivityState = 0x4826,
    kGuestSysenterCs = 0x482a,
    kGuestPreemptionTimer = 0x482e,
    kHostSysenterCs = 0x4c00,
    // Natural-width control (B.4.1), read-only (B.4.2), guest (B.4.3) and host (B.4.4) fields.
    kCr0GuestHostMask = 0x6000,
    kCr4GuestHostMask = 0x6002,
    kCr0ReadShadow = 0x6004,
    kCr4ReadShadow = 0x6006,
    kExitQualification = 0x6400,
    kGuestLinearAddress = 0x640a,
    kGuestCr0 = 0x6800,
    kGuestCr3 = 0x6802,
    kGuestCr4 = 0x6804,
    kGuestEsBase = 0x6806,
    kGuestCsBase = 0x6808,
    kGuestSsBase = 0x680a,
    kGuestDsBase = 0x680c,
    kGuestFsBase = 0x680e,
    kGuestGsBase = 0x6810,
    kGuestLdtrBase = 0x6812,
    kGuestTrBase = 0x6814,
    kGuestGdtrBase = 0x6816,
    kGuestIdtrBase = 0x6818,
    kGuestDr7 = 0x681a,
    kGuestRsp = 0x681c,
    kGuestRip = 0x681e,
    kGuestRflags = 0x6820,
    kGuestPendingDebug = 0x6822,
    kGuestSysenterEsp = 0x6824,
    kGuestSysenterEip = 0x6826,
    kHostCr0 = 0x6c00,
    kHostCr3 = 0x6c02,
    kHostCr4 = 0x6c04,
    kHostFsBase = 0x6c06,
    kHostGsBase = 0x6c08,
    kHostTrBase = 0x6c0a,
    kHostGdtrBase = 0x6c0c,
    kHostIdtrBase = 0x6c0e,
    kHostSysenterEsp = 0x6c10,
    kHostSysenterEip = 0x6c12,
    kHostRsp = 0x6c14,
    kHostRip = 0x6c16,
};

// Pin-based controls (SDM 25.6.1, table 25-5).
inline constexpr uint32_t kPinExternalInterruptExiting = 1u << 0;
inline constexpr uint32_t kPinNmiExiting = 1u << 3;
inline constexpr uint32_t kPinPreemptionTimer = 1u << 6;
// Primary processor-based controls (25.6.2, table 25-6).
inline constexpr uint32_t kProcInterruptWindowExiting = 1u << 2;
inline constexpr uint32_t kProcHltExiting = 1u << 7;
inline constexpr uint32_t kProcUnconditionalIoExiting = 1u << 24;
inline constexpr uint32_t kProcActivateSecondary = 1u << 31;
// Secondary processor-based controls (25.6.2, table 25-7).
inline constexpr uint32_t kProc2EnableEpt = 1u << 1;
inline constexpr uint32_t kProc2UnrestrictedGuest = 1u << 7;
// VM-exit controls (25.7.1, table 25-13).
inline constexpr uint32_t kExitHostAddressSpaceSize = 1u << 9;
inline constexpr uint32_t kExitAckInterruptOnExit = 1u << 15;
inline constexpr uint32_t kExitSaveEfer = 1u << 20;
inline constexpr uint32_t kExitLoadEfer = 1u << 21;
// VM-entry controls (25.8.1, table 25-15).
inline constexpr uint32_t kEntryIa32eGuest = 1u << 9;
inline constexpr uint32_t kEntryLoadEfer = 1u << 15;

} // namespace rthv::x86::vmx
