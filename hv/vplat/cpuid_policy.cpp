#include "hv/vplat/cpuid_policy.hpp"

namespace rthv::vplat {
namespace {

constexpr uint32_t bit(unsigned n) { return 1u << n; }

// Leaf 1 ECX: SSE3, PCLMUL, SSSE3, CX16, SSE4.1/4.2, MOVBE, POPCNT, AES, RDRAND (not FMA: AVX).
constexpr uint32_t kLeaf1EcxKeep =
    bit(0) | bit(1) | bit(9) | bit(13) | bit(19) | bit(20) | bit(22) | bit(23) | bit(25) | bit(30);
constexpr uint32_t kLeaf1EcxSet = bit(21) | bit(24) | bit(31); // x2APIC, TSC-deadline, hypervisor
// Leaf 1 EDX: FPU VME DE PSE TSC MSR PAE CX8 APIC SEP PGE CMOV PSE36 CLFLUSH MMX FXSR SSE SSE2.
constexpr uint32_t kLeaf1EdxKeep = bit(0) | bit(1) | bit(2) | bit(3) | bit(4) | bit(5) | bit(6) |
                                   bit(8) | bit(9) | bit(11) | bit(13) | bit(15) | bit(17) |
                                   bit(19) | bit(23) | bit(24) | bit(25) | bit(26);
// Leaf 7.0 EBX: FSGSBASE BMI1 SMEP BMI2 ERMS ADX SMAP CLFLUSHOPT SHA.
constexpr uint32_t kLeaf7EbxKeep =
    bit(0) | bit(3) | bit(7) | bit(8) | bit(9) | bit(19) | bit(20) | bit(23) | bit(29);
// 0x80000001 ECX: LAHF, ABM/LZCNT, SSE4A, PREFETCHW. EDX: SYSCALL, NX, 1 GiB pages, LM.
constexpr uint32_t kExt1EcxKeep = bit(0) | bit(5) | bit(6) | bit(8);
constexpr uint32_t kExt1EdxKeep = bit(11) | bit(20) | bit(26) | bit(29);

constexpr uint32_t pack(const char* s) {
    return static_cast<uint32_t>(s[0]) | static_cast<uint32_t>(s[1]) << 8 |
           static_cast<uint32_t>(s[2]) << 16 | static_cast<uint32_t>(s[3]) << 24;
}

} // namespace

CpuidRegs linux_cpuid(uint32_t leaf, uint32_t subleaf, const CpuidRegs& r, uint32_t vcpu,
                      uint32_t tsc_khz) {
    if (leaf == kCpuidHypervisorBase)
        return {kCpuidTimingLeaf, pack("KVMK"), pack("VMKV"), pack("M\0\0\0")};
    if (leaf == kCpuidTimingLeaf) return {tsc_khz, tsc_khz, 0, 0};
    if (leaf > kCpuidHypervisorBase && leaf < 0x80000000) return {0, 0, 0, 0};
    switch (leaf) {
    case 0:
        return {r.eax < 7 ? r.eax : 7, r.ebx, r.ecx, r.edx};
    case 1:
        // EBX: initial APIC ID (31:24) = the VCPU's, one logical processor per package (23:16).
        return {r.eax, (r.ebx & 0xffff) | 1u << 16 | vcpu << 24,
                (r.ecx & kLeaf1EcxKeep) | kLeaf1EcxSet, r.edx & kLeaf1EdxKeep};
    case 2:
        return r;
    case 6:
        return {bit(2), 0, 0, 0}; // ARAT
    case 7:
        return subleaf == 0 ? CpuidRegs{0, r.ebx & kLeaf7EbxKeep, 0, 0} : CpuidRegs{0, 0, 0, 0};
    case 0x80000000:
        return {r.eax < 0x80000008 ? r.eax : 0x80000008, r.ebx, r.ecx, r.edx};
    case 0x80000001:
        return {r.eax, 0, r.ecx & kExt1EcxKeep, r.edx & kExt1EdxKeep};
    case 0x80000002:
    case 0x80000003:
    case 0x80000004:
    case 0x80000005:
    case 0x80000006:
        return r;
    case 0x80000007:
        return {0, 0, 0, r.edx & bit(8)}; // invariant TSC
    case 0x80000008:
        return {r.eax, 0, 0, 0}; // address sizes; no core count, no speculation controls
    default:
        return {0, 0, 0, 0};
    }
}

} // namespace rthv::vplat
