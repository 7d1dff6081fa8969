// ELF64 parsing for the PVH loader. Field offsets are those of the System V gABI (Elf64_Ehdr,
// Elf64_Phdr, note entries), read byte-wise through memcpy: the buffer has no alignment
// guarantee, and both the host tests and the hypervisor are little-endian x86-64.
#include "hv/vplat/pvh_elf.hpp"

namespace rthv::vplat {
namespace {

// gABI constants.
constexpr size_t kEhdrSize = 64;
constexpr size_t kPhdrSize = 56;
constexpr uint8_t kElfClass64 = 2;  // EI_CLASS = ELFCLASS64
constexpr uint8_t kElfData2Lsb = 1; // EI_DATA = ELFDATA2LSB
constexpr uint8_t kEvCurrent = 1;   // EI_VERSION, e_version
constexpr uint16_t kEtExec = 2;     // e_type = ET_EXEC (vmlinux is linked at fixed addresses)
constexpr uint16_t kEmX86_64 = 62;  // e_machine = EM_X86_64
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPtNote = 4;
constexpr uint64_t kNoteHeader = 12; // namesz, descsz, type: three 32-bit words

template <typename T>
T load(const uint8_t* p) {
    T v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

// [off, off + len) inside [0, size), without the sum wrapping.
bool in_file(uint64_t off, uint64_t len, size_t size) { return off <= size && len <= size - off; }

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

PvhError check_header(const uint8_t* e, size_t size) {
    if (size < kEhdrSize) return PvhError::TruncatedHeader;
    if (e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F') return PvhError::BadMagic;
    if (e[4] != kElfClass64) return PvhError::NotElf64;
    if (e[5] != kElfData2Lsb) return PvhError::NotLittleEndian;
    if (e[6] != kEvCurrent || load<uint32_t>(e + 20) != kEvCurrent) return PvhError::BadElfVersion;
    if (load<uint16_t>(e + 16) != kEtExec) return PvhError::NotExecutable;
    if (load<uint16_t>(e + 18) != kEmX86_64) return PvhError::NotX86_64;
    if (load<uint16_t>(e + 54) != kPhdrSize) return PvhError::BadPhentsize;
    uint64_t phoff = load<uint64_t>(e + 32);
    uint64_t phnum = load<uint16_t>(e + 56);
    if (!in_file(phoff, phnum * kPhdrSize, size)) return PvhError::PhdrsOutOfFile;
    return PvhError::Ok;
}

// Scans the notes of one PT_NOTE (gABI "Note Section": namesz, descsz, type as 32-bit words,
// then name and desc, each padded to 4 bytes). Always 4, whatever p_align says: Linux's ELFNOTE
// macro emits 4-byte-aligned notes in ELF64 too, and Xen's libelf (elf_note_next), the
// reference PVH loader, always steps by 4. Sets found/entry on the first "Xen"
// XEN_ELFNOTE_PHYS32_ENTRY note.
PvhError scan_notes(const uint8_t* p, uint64_t len, bool& found, uint64_t& entry) {
    constexpr uint64_t a = 4;
    while (len > 0 && !found) {
        if (len < kNoteHeader) return PvhError::NoteMalformed;
        uint64_t namesz = load<uint32_t>(p);
        uint64_t descsz = load<uint32_t>(p + 4);
        uint32_t type = load<uint32_t>(p + 8);
        uint64_t desc_off = align_up(kNoteHeader + namesz, a); // all below 2^34: no wrap
        // The last note's desc padding may be cut off by the segment's end; its bytes may not.
        if (desc_off + descsz > len) return PvhError::NoteMalformed;
        const uint8_t* name = p + kNoteHeader;
        const uint8_t* desc = p + desc_off;
        if (type == kXenElfnotePhys32Entry && namesz == 4 && name[0] == 'X' && name[1] == 'e' &&
            name[2] == 'n' && name[3] == 0) {
            if (descsz == 4)
                entry = load<uint32_t>(desc);
            else if (descsz == 8)
                entry = load<uint64_t>(desc);
            else
                return PvhError::NoteBadDescSize;
            found = true;
        }
        uint64_t step = align_up(desc_off + descsz, a);
        if (step >= len) break;
        p += step;
        len -= step;
    }
    return PvhError::Ok;
}

bool overlaps(const PvhSegment& a, const PvhSegment& b) {
    return a.paddr < b.paddr + b.memsz && b.paddr < a.paddr + a.memsz;
}

PvhError parse(const uint8_t* elf, size_t size, PvhImage& img) {
    if (elf == nullptr) return PvhError::BadArgument;
    if (PvhError e = check_header(elf, size); e != PvhError::Ok) return e;
    const uint64_t phoff = load<uint64_t>(elf + 32);
    const uint16_t phnum = load<uint16_t>(elf + 56);
    bool found = false;
    uint64_t entry = 0;
    for (uint16_t i = 0; i < phnum; ++i) {
        const uint8_t* ph = elf + phoff + uint64_t{i} * kPhdrSize;
        uint32_t type = load<uint32_t>(ph);
        uint64_t offset = load<uint64_t>(ph + 8);
        uint64_t paddr = load<uint64_t>(ph + 24);
        uint64_t filesz = load<uint64_t>(ph + 32);
        uint64_t memsz = load<uint64_t>(ph + 40);
        if (type == kPtNote) {
            if (!in_file(offset, filesz, size)) return PvhError::NoteOutOfFile;
            if (found) continue;
            PvhError e = scan_notes(elf + offset, filesz, found, entry);
            if (e != PvhError::Ok) return e;
            continue;
        }
        if (type != kPtLoad || memsz == 0) continue;
        if (img.nr_segments == kPvhMaxSegments) return PvhError::TooManySegments;
        if (!in_file(offset, filesz, size)) return PvhError::SegmentOutOfFile;
        if (filesz > memsz) return PvhError::SegmentFileAboveMem;
        if (paddr + memsz < paddr) return PvhError::SegmentAddrOverflow;
        PvhSegment s{paddr, offset, filesz, memsz};
        for (size_t j = 0; j < img.nr_segments; ++j)
            if (overlaps(s, img.segments[j])) return PvhError::SegmentsOverlap;
        img.segments[img.nr_segments++] = s;
    }
    if (img.nr_segments == 0) return PvhError::NoLoadSegment;
    if (!found) return PvhError::NoEntryNote;
    if (entry > 0xffffffffu) return PvhError::EntryAbove4G;
    // The entry must be code we copy from the file, not bss or a hole.
    bool inside = false;
    img.lowest = ~uint64_t{0};
    for (size_t j = 0; j < img.nr_segments; ++j) {
        const PvhSegment& s = img.segments[j];
        inside = inside || (entry >= s.paddr && entry - s.paddr < s.filesz);
        img.lowest = s.paddr < img.lowest ? s.paddr : img.lowest;
        img.highest = s.paddr + s.memsz > img.highest ? s.paddr + s.memsz : img.highest;
    }
    if (!inside) return PvhError::EntryOutsideImage;
    img.entry32 = static_cast<uint32_t>(entry);
    img.elf = elf;
    img.elf_size = size;
    return PvhError::Ok;
}

} // namespace

PvhError pvh_parse(const uint8_t* elf, size_t size, PvhImage& out) {
    out = PvhImage{};
    PvhImage img;
    PvhError e = parse(elf, size, img);
    if (e == PvhError::Ok) out = img;
    return e;
}

} // namespace rthv::vplat
