// Guest page-table walk; see guest_walk.hpp. Section numbers are of SDM Vol. 3A ch. 4.
#include "hv/vplat/guest_walk.hpp"

namespace rthv::vplat {

namespace {

constexpr uint64_t kCr0Pg = 1ull << 31;
constexpr uint64_t kCr4Pse = 1ull << 4;
constexpr uint64_t kCr4Pae = 1ull << 5;
constexpr uint64_t kCr4La57 = 1ull << 12;
constexpr uint64_t kCr4Smep = 1ull << 20;
constexpr uint64_t kEferLma = 1ull << 10;
constexpr uint64_t kEferNxe = 1ull << 11;

constexpr uint64_t kPresent = 1ull << 0;
constexpr uint64_t kPs = 1ull << 7; // PS: this entry maps a page (PDE, PDPTE), not a table
constexpr uint64_t kXd = 1ull << 63;
constexpr uint64_t kPageMask = 0xfff;

// MAXPHYADDR as the entry layouts use it: at least 32 (every CPU has 36 or more), at most 52.
unsigned phys_bits(const GuestMmu& mmu) {
    return mmu.maxphyaddr < 32 ? 32u : mmu.maxphyaddr > 52 ? 52u : mmu.maxphyaddr;
}

constexpr uint64_t bits(unsigned hi, unsigned lo) { // bits hi:lo set, hi <= 63
    return ((hi == 63 ? 0 : 1ull << (hi + 1)) - 1) & ~((1ull << lo) - 1);
}

// Entries are little-endian, 4 bytes (32-bit paging) or 8 bytes (PAE, 4/5-level).
bool read_entry(const GuestMmu& mmu, uint64_t gpa, size_t width, uint64_t* out) {
    uint8_t b[8] = {};
    if (!mmu.read_gpa(mmu.ctx, gpa, b, width)) return false;
    uint64_t v = 0;
    for (size_t i = width; i-- > 0;) v = v << 8 | b[i];
    *out = v;
    return true;
}

WalkResult fail(WalkStatus s, uint64_t entry_gpa, uint8_t level) {
    WalkResult r;
    r.status = s;
    r.entry_gpa = entry_gpa;
    r.level = level;
    if (s == WalkStatus::Reserved) r.pf_error = kPfPresent | kPfReserved;
    return r;
}

WalkResult ok(uint64_t gpa, uint64_t page_size) {
    WalkResult r;
    r.gpa = gpa;
    r.page_size = page_size;
    return r;
}

// 32-bit paging (4.3): a 1024-entry PD of 4-byte PDEs, then a PT or, with CR4.PSE and PDE.PS,
// a 4 MiB page whose address bits 39:32 come from PDE bits 20:13 (PSE-36).
WalkResult walk_32bit(const GuestMmu& mmu, uint64_t lin) {
    uint64_t pde_gpa = (mmu.cr3 & bits(31, 12)) + ((lin >> 22) & 0x3ff) * 4;
    uint64_t pde = 0;
    if (!read_entry(mmu, pde_gpa, 4, &pde)) return fail(WalkStatus::ReadFailed, pde_gpa, 2);
    if (!(pde & kPresent)) return fail(WalkStatus::NotPresent, pde_gpa, 2);
    if ((pde & kPs) && (mmu.cr4 & kCr4Pse)) {
        // Table 4-4: bit 21 is reserved, and so are bits 20:(M-19) when MAXPHYADDR M < 40.
        unsigned m = phys_bits(mmu) < 40 ? phys_bits(mmu) : 40;
        uint64_t rsvd = 1ull << 21;
        if (m < 40) rsvd |= bits(20, m - 32 + 13);
        if (pde & rsvd) return fail(WalkStatus::Reserved, pde_gpa, 2);
        uint64_t base = (pde & bits(31, 22)) | ((pde >> 13) & 0xff) << 32;
        return ok(base | (lin & bits(21, 0)), 4ull << 20);
    }
    uint64_t pte_gpa = (pde & bits(31, 12)) + ((lin >> 12) & 0x3ff) * 4;
    uint64_t pte = 0;
    if (!read_entry(mmu, pte_gpa, 4, &pte)) return fail(WalkStatus::ReadFailed, pte_gpa, 1);
    if (!(pte & kPresent)) return fail(WalkStatus::NotPresent, pte_gpa, 1);
    return ok((pte & bits(31, 12)) | (lin & kPageMask), 4096);
}

// PAE and 4/5-level paging (4.4, 4.5): 512-entry tables of 8-byte entries, each level taking 9
// bits of the address. `top` is the level of the table at `table`.
WalkResult walk_64bit_entries(const GuestMmu& mmu, uint64_t lin, uint64_t table, unsigned top) {
    unsigned m = phys_bits(mmu);
    uint64_t addr_mask = bits(m - 1, 12);
    // Bits 51:M are reserved in every entry, bit 63 (XD) unless EFER.NXE (4.4.2, 4.5.4).
    uint64_t rsvd = bits(51, m) | ((mmu.efer & kEferNxe) ? 0 : kXd);
    for (unsigned level = top; level >= 1; --level) {
        unsigned shift = 12 + 9 * (level - 1);
        uint64_t entry_gpa = table + ((lin >> shift) & 0x1ff) * 8;
        uint64_t e = 0;
        auto lvl = static_cast<uint8_t>(level);
        if (!read_entry(mmu, entry_gpa, 8, &e)) return fail(WalkStatus::ReadFailed, entry_gpa, lvl);
        if (!(e & kPresent)) return fail(WalkStatus::NotPresent, entry_gpa, lvl);
        if (e & rsvd) return fail(WalkStatus::Reserved, entry_gpa, lvl);
        bool leaf = level == 1;
        if (level >= 4 && (e & kPs)) return fail(WalkStatus::Reserved, entry_gpa, lvl); // PML4E/5E
        if ((level == 2 || level == 3) && (e & kPs)) {
            // A 2 MiB / 1 GiB page: bit 12 is PAT, bits shift-1:13 are reserved (the tables of
            // 4.5 for a PDE mapping 2 MiB and a PDPTE mapping 1 GiB; 1 GiB pages are assumed
            // enumerated, as Linux checks CPUID.80000001H:EDX[26] before making them). A PAE
            // PDPTE never gets here: walk_pae() checks it separately.
            if (e & bits(shift - 1, 13)) return fail(WalkStatus::Reserved, entry_gpa, lvl);
            leaf = true;
        }
        if (leaf) {
            uint64_t size = 1ull << shift;
            return ok((e & addr_mask & ~(size - 1)) | (lin & (size - 1)), size);
        }
        table = e & addr_mask;
    }
    return fail(WalkStatus::ReadFailed, table, 0); // not reached: level 1 is always a leaf
}

// PAE paging (4.4): CR3 points at 4 PDPTEs (32-byte aligned), whose layout differs from the
// other levels: bits 2:1, 8:5 and 63 are reserved (Table 4-8), there are no 1 GiB pages.
WalkResult walk_pae(const GuestMmu& mmu, uint64_t lin) {
    unsigned m = phys_bits(mmu);
    uint64_t pdpte_gpa = (mmu.cr3 & bits(31, 5)) + ((lin >> 30) & 3) * 8;
    uint64_t pdpte = 0;
    if (!read_entry(mmu, pdpte_gpa, 8, &pdpte)) return fail(WalkStatus::ReadFailed, pdpte_gpa, 3);
    if (!(pdpte & kPresent)) return fail(WalkStatus::NotPresent, pdpte_gpa, 3);
    if (pdpte & (bits(2, 1) | bits(8, 5) | bits(63, m)))
        return fail(WalkStatus::Reserved, pdpte_gpa, 3);
    return walk_64bit_entries(mmu, lin, pdpte & bits(m - 1, 12), 2);
}

} // namespace

WalkResult walk_guest(const GuestMmu& mmu, uint64_t linear) {
    bool long_mode = (mmu.efer & kEferLma) != 0;
    if (!long_mode) linear &= 0xffffffffull;
    if (!(mmu.cr0 & kCr0Pg)) return ok(linear, 4096); // linear = physical (4.1.1)
    if (!(mmu.cr4 & kCr4Pae)) return walk_32bit(mmu, linear);
    if (!long_mode) return walk_pae(mmu, linear);
    // 4-level paging translates 48 bits, 5-level 57; the rest must repeat the top bit (4.5).
    unsigned levels = (mmu.cr4 & kCr4La57) ? 5 : 4;
    unsigned width = 12 + 9 * levels;
    uint64_t upper = linear >> (width - 1);
    if (upper != 0 && upper != (~0ull >> (width - 1))) {
        WalkResult r;
        r.status = WalkStatus::NonCanonical;
        return r;
    }
    unsigned m = phys_bits(mmu);
    return walk_64bit_entries(mmu, linear, mmu.cr3 & bits(m - 1, 12), levels);
}

FetchResult fetch_guest_bytes(const GuestMmu& mmu, uint64_t linear, void* dst, size_t len) {
    FetchResult r;
    auto* out = static_cast<uint8_t*>(dst);
    bool long_mode = (mmu.efer & kEferLma) != 0;
    // 4.7: I/D is set for a fetch only with CR4.SMEP, or with CR4.PAE and EFER.NXE (where the
    // paging structures can forbid fetches); otherwise the CPU leaves it 0.
    bool report_fetch = (mmu.cr4 & kCr4Smep) ||
                        ((mmu.cr0 & kCr0Pg) && (mmu.cr4 & kCr4Pae) && (mmu.efer & kEferNxe));
    while (r.fetched < len) {
        uint64_t lin = long_mode ? linear : linear & 0xffffffffull;
        WalkResult w = walk_guest(mmu, lin);
        if (w.status == WalkStatus::Ok) {
            size_t in_page = static_cast<size_t>(4096 - (w.gpa & kPageMask));
            size_t chunk = len - r.fetched < in_page ? len - r.fetched : in_page;
            if (mmu.read_gpa(mmu.ctx, w.gpa, out + r.fetched, chunk)) {
                r.fetched += chunk;
                linear = lin + chunk;
                continue;
            }
            w = fail(WalkStatus::ReadFailed, w.gpa, 0);
        }
        if (report_fetch &&
            (w.status == WalkStatus::NotPresent || w.status == WalkStatus::Reserved))
            w.pf_error |= kPfFetch;
        r.fault = w;
        r.fault_linear = lin;
        return r;
    }
    return r;
}

} // namespace rthv::vplat
