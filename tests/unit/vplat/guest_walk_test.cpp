// The guest page-table walker over hand-built tables in a fake guest memory: each paging mode,
// its large pages, not-present and reserved entries, and fetches that cross a page boundary.
#include "hv/vplat/guest_walk.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <map>

using namespace rthv::vplat;

namespace {

constexpr uint64_t kCr0Pg = 1ull << 31, kCr0Pe = 1;
constexpr uint64_t kCr4Pse = 1ull << 4, kCr4Pae = 1ull << 5, kCr4La57 = 1ull << 12;
constexpr uint64_t kEferLme = 1ull << 8, kEferLma = 1ull << 10, kEferNxe = 1ull << 11;
constexpr uint64_t kP = 1, kRw = 2, kPs = 1ull << 7; // entry flags

// Sparse guest RAM: 4 KiB pages that exist once written; reading anything else fails.
struct FakeMemory {
    std::map<uint64_t, std::array<uint8_t, 4096>> pages;
    int reads = 0;

    void write(uint64_t gpa, const void* src, size_t len) {
        for (size_t i = 0; i < len; ++i, ++gpa)
            pages[gpa & ~0xfffull][gpa & 0xfff] = static_cast<const uint8_t*>(src)[i];
    }
    void put32(uint64_t gpa, uint32_t v) { write(gpa, &v, 4); }
    void put64(uint64_t gpa, uint64_t v) { write(gpa, &v, 8); }

    static bool read(void* ctx, uint64_t gpa, void* dst, size_t len) {
        auto* self = static_cast<FakeMemory*>(ctx);
        ++self->reads;
        for (size_t i = 0; i < len; ++i, ++gpa) {
            auto it = self->pages.find(gpa & ~0xfffull);
            if (it == self->pages.end()) return false;
            static_cast<uint8_t*>(dst)[i] = it->second[gpa & 0xfff];
        }
        return true;
    }

    GuestMmu mmu(uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer) {
        GuestMmu m;
        m.cr0 = cr0;
        m.cr3 = cr3;
        m.cr4 = cr4;
        m.efer = efer;
        m.read_gpa = &FakeMemory::read;
        m.ctx = this;
        return m;
    }
};

void expect_ok(const WalkResult& r, uint64_t gpa, uint64_t page_size) {
    EXPECT_EQ(r.status, WalkStatus::Ok);
    EXPECT_EQ(r.gpa, gpa);
    EXPECT_EQ(r.page_size, page_size);
}

void expect_fault(const WalkResult& r, WalkStatus s, uint64_t entry_gpa, uint8_t level) {
    EXPECT_EQ(r.status, s);
    EXPECT_EQ(r.entry_gpa, entry_gpa);
    EXPECT_EQ(r.level, level);
    EXPECT_EQ(r.pf_error, s == WalkStatus::Reserved ? kPfPresent | kPfReserved : 0u);
}

TEST(GuestWalk, PagingOffIsIdentityWithoutReads) {
    FakeMemory mem;
    GuestMmu m = mem.mmu(kCr0Pe, 0x1000, 0, 0);
    expect_ok(walk_guest(m, 0xfec00020), 0xfec00020, 4096);
    expect_ok(walk_guest(m, 0x1'0000'1234), 0x1234, 4096); // 32-bit linear addresses
    EXPECT_EQ(mem.reads, 0);
}

// 32-bit paging: PD at 0x1000, PT at 0x2000. 0x00403123 is PDE 1, PTE 3, offset 0x123.
TEST(GuestWalk, Bits32FourKiB) {
    FakeMemory mem;
    mem.put32(0x1000 + 1 * 4, 0x2000 | kP | kRw);
    mem.put32(0x2000 + 3 * 4, 0x7000 | kP);
    GuestMmu m = mem.mmu(kCr0Pg | kCr0Pe, 0x1000, 0, 0);
    expect_ok(walk_guest(m, 0x00403123), 0x7123, 4096);
    expect_fault(walk_guest(m, 0x00404000), WalkStatus::NotPresent, 0x2000 + 4 * 4, 1);
    expect_fault(walk_guest(m, 0x00800000), WalkStatus::NotPresent, 0x1000 + 2 * 4, 2);
}

TEST(GuestWalk, Bits32FourMiBNeedsPse) {
    FakeMemory mem;
    // PDE 0x3fb (0xfec00000) maps a 4 MiB page at 0x3'fec00000: bits 39:32 from PDE bits 20:13.
    mem.put32(0x1000 + 0x3fb * 4, 0xfec00000u | (3u << 13) | kPs | kP);
    GuestMmu m = mem.mmu(kCr0Pg | kCr0Pe, 0x1000, kCr4Pse, 0);
    expect_ok(walk_guest(m, 0xfec12345), 0x3'fec12345, 4ull << 20);
    // Without CR4.PSE the PS bit is ignored and the PDE points at a page table (not in RAM).
    m.cr4 = 0;
    EXPECT_EQ(walk_guest(m, 0xfec12345).status, WalkStatus::ReadFailed);
    // With MAXPHYADDR 36, PSE-36 has 4 address bits (16:13); bits 20:17 are reserved.
    m.cr4 = kCr4Pse;
    m.maxphyaddr = 36;
    expect_ok(walk_guest(m, 0xfec12345), 0x3'fec12345, 4ull << 20);
    mem.put32(0x1000 + 0x3fb * 4, 0xfec00000u | (1u << 17) | kPs | kP);
    expect_fault(walk_guest(m, 0xfec12345), WalkStatus::Reserved, 0x1000 + 0x3fb * 4, 2);
    m.maxphyaddr = 52;
    // Bit 21 of a 4 MiB PDE is reserved.
    mem.put32(0x1000 + 0x3fb * 4, 0xfec00000u | (1u << 21) | kPs | kP);
    expect_fault(walk_guest(m, 0xfec12345), WalkStatus::Reserved, 0x1000 + 0x3fb * 4, 2);
}

// PAE: PDPT at 0x1020 (32-byte aligned), PD at 0x2000, PT at 0x3000.
// 0xc0a01234 is PDPTE 3, PDE 5, PTE 1, offset 0x234.
TEST(GuestWalk, PaeFourKiBAndTwoMiB) {
    FakeMemory mem;
    mem.put64(0x1020 + 3 * 8, 0x2000 | kP);
    mem.put64(0x2000 + 5 * 8, 0x3000 | kP | kRw);
    mem.put64(0x3000 + 1 * 8, 0x1'2345'6000 | kP);
    mem.put64(0x2000 + 6 * 8, 0x8'0000'0000ull | kPs | kP); // 0xc0c00000: a 2 MiB page
    GuestMmu m = mem.mmu(kCr0Pg | kCr0Pe, 0x1020, kCr4Pae, 0);
    expect_ok(walk_guest(m, 0xc0a01234), 0x1'2345'6234, 4096);
    expect_ok(walk_guest(m, 0xc0cabcde), 0x8'000abcde, 2ull << 20);
    expect_fault(walk_guest(m, 0x00000000), WalkStatus::NotPresent, 0x1020, 3);
    expect_fault(walk_guest(m, 0xc0e00000), WalkStatus::NotPresent, 0x2000 + 7 * 8, 2);
}

TEST(GuestWalk, PaeReservedBits) {
    FakeMemory mem;
    mem.put64(0x1000, 0x2000 | kP | kRw); // R/W is reserved in a PAE PDPTE
    mem.put64(0x1008, 0x3000 | kP);
    mem.put64(0x3000, 0x4000 | kP | (1ull << 63)); // XD: reserved unless EFER.NXE
    mem.put64(0x4000, 0x5000 | kP);
    GuestMmu m = mem.mmu(kCr0Pg | kCr0Pe, 0x1000, kCr4Pae, 0);
    expect_fault(walk_guest(m, 0x0), WalkStatus::Reserved, 0x1000, 3);
    expect_fault(walk_guest(m, 0x40000000), WalkStatus::Reserved, 0x3000, 2);
    m.efer = kEferNxe;
    expect_ok(walk_guest(m, 0x40000010), 0x5010, 4096);
}

// 4-level paging with Linux's kernel-text address: 0xffffffff81234567 is PML4E 511, PDPTE 510,
// PDE 9, PTE 52, offset 0x567. PML4 at 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000.
struct LongMode : testing::Test {
    FakeMemory mem;
    GuestMmu m = mem.mmu(kCr0Pg | kCr0Pe, 0x1000, kCr4Pae, kEferLme | kEferLma | kEferNxe);
    void SetUp() override {
        mem.put64(0x1000 + 511 * 8, 0x2000 | kP | kRw);
        mem.put64(0x2000 + 510 * 8, 0x3000 | kP | kRw);
        mem.put64(0x3000 + 9 * 8, 0x4000 | kP | kRw);
        mem.put64(0x4000 + 52 * 8, 0x0123'4567'8000ull | kP | (1ull << 63));
    }
};

TEST_F(LongMode, FourKiB) {
    expect_ok(walk_guest(m, 0xffffffff81234567), 0x0123'4567'8567, 4096);
    expect_fault(walk_guest(m, 0xffffffff81235000), WalkStatus::NotPresent, 0x4000 + 53 * 8, 1);
    expect_fault(walk_guest(m, 0x0000000081234567), WalkStatus::NotPresent, 0x1000, 4);
}

TEST_F(LongMode, TwoMiBAndOneGiB) {
    mem.put64(0x3000 + 10 * 8, 0x4000'0000ull | kPs | kP | (1ull << 12)); // bit 12 = PAT
    expect_ok(walk_guest(m, 0xffffffff81456789), 0x4005'6789, 2ull << 20);
    mem.put64(0x2000 + 511 * 8, 0x80'0000'0000ull | kPs | kP);
    expect_ok(walk_guest(m, 0xffffffffc1234567), 0x80'0123'4567, 1ull << 30);
    // Bits 29:13 of a 1 GiB PDPTE, 20:13 of a 2 MiB PDE are reserved.
    mem.put64(0x2000 + 511 * 8, 0x80'0000'0000ull | (1ull << 21) | kPs | kP);
    expect_fault(walk_guest(m, 0xffffffffc0000000), WalkStatus::Reserved, 0x2000 + 511 * 8, 3);
    mem.put64(0x3000 + 10 * 8, 0x4000'0000ull | (1ull << 13) | kPs | kP);
    expect_fault(walk_guest(m, 0xffffffff81400000), WalkStatus::Reserved, 0x3000 + 10 * 8, 2);
}

TEST_F(LongMode, ReservedAndNonCanonical) {
    m.maxphyaddr = 36; // the PTE's frame 0x0123'4567'8000 has bits above 35
    expect_fault(walk_guest(m, 0xffffffff81234567), WalkStatus::Reserved, 0x4000 + 52 * 8, 1);
    m.maxphyaddr = 52;
    m.efer &= ~kEferNxe; // the PTE's XD bit becomes reserved
    expect_fault(walk_guest(m, 0xffffffff81234567), WalkStatus::Reserved, 0x4000 + 52 * 8, 1);
    m.efer |= kEferNxe;
    mem.put64(0x1000 + 511 * 8, 0x2000 | kP | kPs); // PS is reserved in a PML4E
    expect_fault(walk_guest(m, 0xffffffff81234567), WalkStatus::Reserved, 0x1000 + 511 * 8, 4);
    EXPECT_EQ(walk_guest(m, 0xffff7fff81234567).status, WalkStatus::NonCanonical);
    EXPECT_EQ(walk_guest(m, 0x0000800000000000).status, WalkStatus::NonCanonical);
}

TEST_F(LongMode, TableOutsideRamIsReadFailed) {
    mem.put64(0x3000 + 9 * 8, 0xfec00000 | kP); // a "page table" on the I/O APIC page
    WalkResult r = walk_guest(m, 0xffffffff81234567);
    EXPECT_EQ(r.status, WalkStatus::ReadFailed);
    EXPECT_EQ(r.entry_gpa, 0xfec00000u + 52 * 8);
}

// 5-level: 0xff12345678abcdef is PML5E 274, PML4E 104, PDPTE 345, PDE 453, PTE 188.
TEST(GuestWalk, FiveLevel) {
    FakeMemory mem;
    mem.put64(0x1000 + 274 * 8, 0x2000 | kP);
    mem.put64(0x2000 + 104 * 8, 0x3000 | kP);
    mem.put64(0x3000 + 345 * 8, 0x4000 | kP);
    mem.put64(0x4000 + 453 * 8, 0x5000 | kP);
    mem.put64(0x5000 + 188 * 8, 0x9000 | kP);
    GuestMmu m = mem.mmu(kCr0Pg | kCr0Pe, 0x1000, kCr4Pae | kCr4La57, kEferLme | kEferLma);
    expect_ok(walk_guest(m, 0xff12345678abcdef), 0x9def, 4096);
    // Canonical for 5-level is bits 63:56 equal to bit 56; this one is not.
    EXPECT_EQ(walk_guest(m, 0xfe12345678abcdef).status, WalkStatus::NonCanonical);
}

// A fetch across a page boundary where the two linear pages map to unrelated frames.
TEST_F(LongMode, FetchCrossesPages) {
    mem.put64(0x4000 + 53 * 8, 0x9000 | kP); // 0xffffffff81235000 -> 0x9000
    const uint8_t head[3] = {0x48, 0x8b, 0x05}, tail[4] = {0x78, 0x56, 0x34, 0x12};
    mem.write(0x0123'4567'8ffd, head, 3);
    mem.write(0x9000, tail, 4);
    uint8_t buf[7] = {};
    FetchResult r = fetch_guest_bytes(m, 0xffffffff81234ffd, buf, sizeof buf);
    EXPECT_EQ(r.fault.status, WalkStatus::Ok);
    ASSERT_EQ(r.fetched, 7u);
    const uint8_t want[7] = {0x48, 0x8b, 0x05, 0x78, 0x56, 0x34, 0x12};
    EXPECT_EQ(memcmp(buf, want, 7), 0);
}

TEST_F(LongMode, FetchStopsAtAnUnmappedPage) {
    mem.write(0x0123'4567'8ffe, "\x8b\x07", 2);
    uint8_t buf[15] = {};
    FetchResult r = fetch_guest_bytes(m, 0xffffffff81234ffe, buf, sizeof buf);
    EXPECT_EQ(r.fetched, 2u); // enough for "8b 07": the decoder decides whether it matters
    EXPECT_EQ(buf[0], 0x8b);
    EXPECT_EQ(buf[1], 0x07);
    EXPECT_EQ(r.fault.status, WalkStatus::NotPresent);
    EXPECT_EQ(r.fault_linear, 0xffffffff81235000u);
    EXPECT_EQ(r.fault.pf_error, kPfFetch); // I/D with PAE paging and NXE; P = 0
}

// 32-bit paging wraps at 4 GiB, and reports no I/D without PAE.
TEST(GuestWalk, FetchWrapsAt4GiBOutsideLongMode) {
    FakeMemory mem;
    mem.put32(0x1000 + 0x3ff * 4, 0x2000 | kP);
    mem.put32(0x2000 + 0x3ff * 4, 0x5000 | kP);
    mem.put32(0x1000, 0x3000 | kP);
    mem.put32(0x3000, 0x6000 | kP);
    mem.write(0x5fff, "\xaa", 1);
    mem.write(0x6000, "\xbb", 1);
    GuestMmu m = mem.mmu(kCr0Pg | kCr0Pe, 0x1000, 0, 0);
    uint8_t buf[2] = {};
    FetchResult r = fetch_guest_bytes(m, 0xffffffff, buf, 2);
    ASSERT_EQ(r.fetched, 2u);
    EXPECT_EQ(buf[0], 0xaa);
    EXPECT_EQ(buf[1], 0xbb);
    r = fetch_guest_bytes(m, 0x1000, buf, 2); // PTE 1 is not present
    EXPECT_EQ(r.fault.status, WalkStatus::NotPresent);
    EXPECT_EQ(r.fault.pf_error, 0u);
}

} // namespace
