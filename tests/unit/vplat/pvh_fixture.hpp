// Test helpers for the PVH loader: a synthetic vmlinux built byte by byte (ELF64 header,
// program headers, notes, segment contents) and a sparse fake guest RAM that logs every write.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "hv/vplat/pvh_layout.hpp"

namespace rthv::vplat::test {

template <typename T>
void put(std::vector<uint8_t>& b, size_t off, T v) {
    if (b.size() < off + sizeof v) b.resize(off + sizeof v);
    std::memcpy(b.data() + off, &v, sizeof v);
}
template <typename T>
T get(const std::vector<uint8_t>& b, size_t off) {
    T v;
    std::memcpy(&v, b.data() + off, sizeof v);
    return v;
}

struct Phdr {
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz, align;
};

inline constexpr uint32_t kPtLoad = 1, kPtNote = 4;
inline constexpr size_t kPhoff = 64;
// Offsets inside a program header and the ELF header, for tests that corrupt one field.
inline constexpr size_t kPhOffset = 8, kPhPaddr = 24, kPhFilesz = 32, kPhMemsz = 40;
inline constexpr uint64_t kTextPaddr = 0x1000000, kTextOff = 0x1000, kTextSize = 0x200;
inline constexpr uint64_t kDataPaddr = 0x1200000, kDataOff = 0x1200, kDataFile = 0x100;
inline constexpr uint64_t kDataMem = 0x3000; // 0x2f00 bytes of bss
inline constexpr uint64_t kNoteOff = 0x1300;
inline constexpr uint64_t kEntry = kTextPaddr + 0x40;

// A note as the gABI lays it out, name and desc padded to 4 bytes (Linux's choice).
inline std::vector<uint8_t> note(const char* name, uint32_t type, std::vector<uint8_t> desc) {
    std::vector<uint8_t> n;
    uint32_t namesz = static_cast<uint32_t>(std::strlen(name) + 1);
    put(n, 0, namesz);
    put(n, 4, static_cast<uint32_t>(desc.size()));
    put(n, 8, type);
    n.resize(12 + ((namesz + 3) & ~3u), 0);
    std::memcpy(n.data() + 12, name, namesz);
    desc.resize((desc.size() + 3) & ~size_t{3}, 0);
    n.insert(n.end(), desc.begin(), desc.end());
    return n;
}
inline std::vector<uint8_t> le64(uint64_t v) {
    std::vector<uint8_t> d(8);
    std::memcpy(d.data(), &v, 8);
    return d;
}

// The notes of the synthetic vmlinux: a GNU build id, a Xen note of another type, then the
// PVH entry note; pvh_parse must skip the first two.
inline std::vector<uint8_t> default_notes(uint64_t entry = kEntry) {
    std::vector<uint8_t> all = note("GNU", 3, std::vector<uint8_t>(20, 0x5a));
    std::vector<uint8_t> x1 = note("Xen", 1, le64(0xffffffff81000000)); // XEN_ELFNOTE_ENTRY
    std::vector<uint8_t> x18 = note("Xen", 18, le64(entry));
    all.insert(all.end(), x1.begin(), x1.end());
    all.insert(all.end(), x18.begin(), x18.end());
    return all;
}

// Header + phdrs at kPhoff; the caller places the bytes the phdrs refer to.
inline std::vector<uint8_t> elf_with(const std::vector<Phdr>& ph) {
    std::vector<uint8_t> b(kPhoff + ph.size() * 56, 0);
    const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    std::memcpy(b.data(), ident, sizeof ident);
    put<uint16_t>(b, 16, 2);  // ET_EXEC
    put<uint16_t>(b, 18, 62); // EM_X86_64
    put<uint32_t>(b, 20, 1);
    put<uint64_t>(b, 24, 0xffffffff81000000); // e_entry: the 64-bit entry, not PVH's
    put<uint64_t>(b, 32, kPhoff);
    put<uint16_t>(b, 52, 64);
    put<uint16_t>(b, 54, 56);
    put<uint16_t>(b, 56, static_cast<uint16_t>(ph.size()));
    for (size_t i = 0; i < ph.size(); ++i) {
        size_t o = kPhoff + i * 56;
        put(b, o, ph[i].type);
        put(b, o + kPhOffset, ph[i].offset);
        put(b, o + 16, ph[i].paddr | 0xffffffff80000000); // p_vaddr: the high mapping
        put(b, o + kPhPaddr, ph[i].paddr);
        put(b, o + kPhFilesz, ph[i].filesz);
        put(b, o + kPhMemsz, ph[i].memsz);
        put(b, o + 48, ph[i].align);
    }
    return b;
}

inline uint8_t text_byte(uint64_t i) { return static_cast<uint8_t>(0x90 + i * 7); }
inline uint8_t data_byte(uint64_t i) { return static_cast<uint8_t>(0x11 + i * 3); }

// Two PT_LOADs (text; data with bss) and a PT_NOTE, like a (tiny) vmlinux.
inline std::vector<uint8_t> synthetic_vmlinux(const std::vector<uint8_t>& notes = default_notes()) {
    std::vector<uint8_t> b = elf_with({
        {kPtLoad, kTextOff, kTextPaddr, kTextSize, kTextSize, 0x200000},
        {kPtLoad, kDataOff, kDataPaddr, kDataFile, kDataMem, 0x200000},
        {kPtNote, kNoteOff, 0, notes.size(), notes.size(), 4},
    });
    b.resize(kNoteOff + notes.size(), 0);
    for (uint64_t i = 0; i < kTextSize; ++i) b[kTextOff + i] = text_byte(i);
    for (uint64_t i = 0; i < kDataFile; ++i) b[kDataOff + i] = data_byte(i);
    std::memcpy(b.data() + kNoteOff, notes.data(), notes.size());
    return b;
}
// Offset of program header i's field f.
inline size_t ph(size_t i, size_t f) { return kPhoff + i * 56 + f; }

// Sparse guest RAM [0, ram): pages appear on first write, pre-filled with 0xAA (stale data, so
// that a missing zero-fill shows). Every write is logged; fail_at makes the n-th write fail.
struct FakeGuest {
    uint64_t ram;
    std::map<uint64_t, std::vector<uint8_t>> pages;
    std::vector<std::pair<uint64_t, uint64_t>> log; // (gpa, len)
    long fail_at = -1;

    explicit FakeGuest(uint64_t r) : ram(r) {}
    static bool write(void* ctx, uint64_t gpa, const void* src, size_t len) {
        auto* g = static_cast<FakeGuest*>(ctx);
        if (g->fail_at >= 0 && static_cast<long>(g->log.size()) == g->fail_at) return false;
        g->log.emplace_back(gpa, len);
        if (gpa > g->ram || len > g->ram - gpa) return false;
        for (size_t i = 0; i < len; ++i) {
            auto& page = g->pages[(gpa + i) >> 12];
            if (page.empty()) page.assign(4096, 0xAA);
            page[(gpa + i) & 0xfff] = src ? static_cast<const uint8_t*>(src)[i] : 0;
        }
        return true;
    }
    uint8_t byte(uint64_t gpa) const {
        auto it = pages.find(gpa >> 12);
        return it == pages.end() ? 0xAA : it->second[gpa & 0xfff];
    }
    template <typename T>
    T read(uint64_t gpa) const {
        uint8_t tmp[sizeof(T)];
        for (size_t i = 0; i < sizeof(T); ++i) tmp[i] = byte(gpa + i);
        T v;
        std::memcpy(&v, tmp, sizeof v);
        return v;
    }
    std::string read_string(uint64_t gpa) const {
        std::string s;
        for (uint8_t c; (c = byte(gpa + s.size())) != 0 && s.size() < 8192;)
            s.push_back(static_cast<char>(c));
        return s;
    }
};

inline constexpr uint64_t kMiB = uint64_t{1} << 20;

// The synthetic vmlinux, parsed (the parse is tested in pvh_elf_test.cpp).
struct Loaded {
    std::vector<uint8_t> elf = synthetic_vmlinux();
    PvhImage img;
    PvhError parsed = pvh_parse(elf.data(), elf.size(), img); // a failure fails pvh_load
};

inline PvhError load(const PvhImage& img, const PvhBoot& boot, FakeGuest& g, PvhPlacement& p) {
    return pvh_load(img, boot, &FakeGuest::write, &g, p);
}

} // namespace rthv::vplat::test
