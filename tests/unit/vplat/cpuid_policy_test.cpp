// The CPUID a Linux guest sees: what must be hidden (it would use what rthv does not switch or
// emulate), what must be there (x2APIC, TSC-deadline, ARAT, the KVM signature Linux needs to
// keep x2APIC), and the VCPU's own APIC ID.
#include <gtest/gtest.h>

#include <cstring>

#include "hv/vplat/cpuid_policy.hpp"

namespace rthv::vplat {
namespace {

constexpr CpuidRegs kAllOnes{~0u, ~0u, ~0u, ~0u};

TEST(CpuidPolicy, KvmSignatureWithoutFeaturesAndTheTscLeaf) {
    CpuidRegs r = linux_cpuid(0x40000000, 0, kAllOnes, 0, 2'000'000);
    char sig[13] = {};
    std::memcpy(sig, &r.ebx, 4);
    std::memcpy(sig + 4, &r.ecx, 4);
    std::memcpy(sig + 8, &r.edx, 4);
    EXPECT_STREQ(sig, "KVMKVMKVM");
    EXPECT_EQ(r.eax, kCpuidTimingLeaf);
    CpuidRegs f = linux_cpuid(0x40000001, 0, kAllOnes, 0, 2'000'000);
    EXPECT_EQ(f.eax | f.ebx | f.ecx | f.edx, 0u); // no KVM paravirtual feature
    EXPECT_EQ(linux_cpuid(kCpuidTimingLeaf, 0, kAllOnes, 0, 2'000'000).eax, 2'000'000u);
    EXPECT_EQ(linux_cpuid(0x40000100, 0, kAllOnes, 0, 1).ebx, 0u); // no second signature
}

TEST(CpuidPolicy, Leaf1HidesWhatIsNotSwitchedAndShowsTheLocalApic) {
    CpuidRegs r = linux_cpuid(1, 0, kAllOnes, 3, 1);
    for (unsigned b : {3u, 5u, 6u, 12u, 17u, 26u, 27u, 28u, 29u}) // MONITOR VMX SMX FMA PCID XSAVE
        EXPECT_EQ(r.ecx & (1u << b), 0u) << "ECX bit " << b;      // OSXSAVE AVX F16C
    for (unsigned b : {21u, 24u, 31u}) EXPECT_NE(r.ecx & (1u << b), 0u) << "ECX bit " << b;
    for (unsigned b : {7u, 12u, 14u, 16u, 21u, 22u, 29u}) // MCE MTRR MCA PAT DS ACPI TM
        EXPECT_EQ(r.edx & (1u << b), 0u) << "EDX bit " << b;
    EXPECT_EQ(r.ebx >> 24, 3u); // initial APIC ID = the VCPU's
    EXPECT_EQ((r.ebx >> 16) & 0xff, 1u);
}

TEST(CpuidPolicy, Leaf7HidesAvx2Avx512La57PkuAndTheSpeculationControls) {
    CpuidRegs r = linux_cpuid(7, 0, kAllOnes, 0, 1);
    EXPECT_EQ(r.ebx & (1u << 5), 0u);  // AVX2
    EXPECT_EQ(r.ebx & (1u << 10), 0u); // INVPCID
    EXPECT_EQ(r.ebx & (1u << 16), 0u); // AVX-512F
    EXPECT_NE(r.ebx & (1u << 7), 0u);  // SMEP stays
    EXPECT_EQ(r.ecx, 0u);              // LA57, PKU, ...
    EXPECT_EQ(r.edx, 0u);              // ARCH_CAPABILITIES, SPEC_CTRL, ...
    EXPECT_EQ(linux_cpuid(7, 1, kAllOnes, 0, 1).ebx, 0u);
}

TEST(CpuidPolicy, AratOnlyAndNoTopologyOrXsaveLeaves) {
    EXPECT_EQ(linux_cpuid(6, 0, kAllOnes, 0, 1).eax, 1u << 2);
    for (uint32_t leaf : {0xau, 0xbu, 0xdu, 0x1fu, 0x8000001fu})
        EXPECT_EQ(linux_cpuid(leaf, 0, kAllOnes, 0, 1).eax, 0u) << std::hex << leaf;
    EXPECT_EQ(linux_cpuid(0, 0, {0x16, 1, 2, 3}, 0, 1).eax, 7u);
}

TEST(CpuidPolicy, ExtendedLeavesHideSvmRdtscpAndTopology) {
    CpuidRegs r = linux_cpuid(0x80000001, 0, kAllOnes, 0, 1);
    EXPECT_EQ(r.ecx & (1u << 2), 0u);                                   // SVM
    EXPECT_EQ(r.ecx & (1u << 22), 0u);                                  // TOPOEXT
    EXPECT_EQ(r.edx & (1u << 27), 0u);                                  // RDTSCP
    EXPECT_NE(r.edx & (1u << 29), 0u);                                  // long mode
    EXPECT_EQ(linux_cpuid(0x80000007, 0, kAllOnes, 0, 1).edx, 1u << 8); // invariant TSC
    EXPECT_EQ(linux_cpuid(0x80000008, 0, kAllOnes, 0, 1).ecx, 0u);
}

} // namespace
} // namespace rthv::vplat
