// pvh_parse: the synthetic vmlinux parses to its segments and PVH entry; every malformed
// variant is refused with its own error and leaves an image pvh_load refuses.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "pvh_fixture.hpp"

namespace rthv::vplat {
namespace {

using namespace test;

PvhError parse(const std::vector<uint8_t>& b, PvhImage& img) {
    return pvh_parse(b.data(), b.size(), img);
}
PvhError parse(const std::vector<uint8_t>& b) {
    PvhImage img;
    PvhError e = parse(b, img);
    if (e != PvhError::Ok) {
        EXPECT_EQ(img.nr_segments, 0u) << "a refused image must be reset";
    }
    return e;
}

TEST(PvhElf, ParsesSyntheticVmlinux) {
    std::vector<uint8_t> b = synthetic_vmlinux();
    PvhImage img;
    ASSERT_EQ(parse(b, img), PvhError::Ok);
    EXPECT_EQ(img.entry32, kEntry);
    ASSERT_EQ(img.nr_segments, 2u);
    EXPECT_EQ(img.segments[0].paddr, kTextPaddr);
    EXPECT_EQ(img.segments[0].offset, kTextOff);
    EXPECT_EQ(img.segments[0].filesz, kTextSize);
    EXPECT_EQ(img.segments[1].paddr, kDataPaddr);
    EXPECT_EQ(img.segments[1].filesz, kDataFile);
    EXPECT_EQ(img.segments[1].memsz, kDataMem);
    EXPECT_EQ(img.lowest, kTextPaddr);
    EXPECT_EQ(img.highest, kDataPaddr + kDataMem);
    EXPECT_EQ(img.elf, b.data());
    EXPECT_EQ(img.elf_size, b.size());
}

TEST(PvhElf, AcceptsFourByteEntryNote) {
    std::vector<uint8_t> d(4);
    uint32_t e = kEntry + 4;
    std::memcpy(d.data(), &e, 4);
    PvhImage img;
    ASSERT_EQ(parse(synthetic_vmlinux(note("Xen", 18, d)), img), PvhError::Ok);
    EXPECT_EQ(img.entry32, kEntry + 4);
}

TEST(PvhElf, NotesAreFourByteAlignedWhateverPAlignSays) {
    // A "Linux" note (namesz 6: desc at 12 + 8 = 20, next note at 24), then the entry note. With
    // 8-byte note alignment the desc would be read at 24 and the next note at 32: the parse
    // would fail. Xen's libelf steps by 4 always, and so must we.
    std::vector<uint8_t> notes = note("Linux", 1, {1, 2, 3, 4});
    std::vector<uint8_t> x = note("Xen", 18, le64(kEntry));
    notes.insert(notes.end(), x.begin(), x.end());
    ASSERT_EQ(notes.size(), 24u + 24u);
    std::vector<uint8_t> b = synthetic_vmlinux(notes);
    put<uint64_t>(b, ph(2, 48), 8);
    PvhImage img;
    ASSERT_EQ(parse(b, img), PvhError::Ok);
    EXPECT_EQ(img.entry32, kEntry);
}

TEST(PvhElf, RefusesTruncatedHeader) {
    std::vector<uint8_t> b = synthetic_vmlinux();
    PvhImage img;
    EXPECT_EQ(pvh_parse(b.data(), 63, img), PvhError::TruncatedHeader);
    EXPECT_EQ(pvh_parse(b.data(), 0, img), PvhError::TruncatedHeader);
    EXPECT_EQ(pvh_parse(nullptr, 0, img), PvhError::BadArgument);
}

TEST(PvhElf, RefusesWrongIdentOrHeader) {
    struct Case {
        size_t off;
        uint8_t value;
        PvhError want;
    } cases[] = {
        {0, 0x1f, PvhError::BadMagic},    {1, 'M', PvhError::BadMagic},
        {4, 1, PvhError::NotElf64},       {5, 2, PvhError::NotLittleEndian},
        {6, 0, PvhError::BadElfVersion},  {20, 2, PvhError::BadElfVersion},
        {16, 3, PvhError::NotExecutable}, {18, 3, PvhError::NotX86_64},
        {54, 64, PvhError::BadPhentsize},
    };
    for (const Case& c : cases) {
        std::vector<uint8_t> b = synthetic_vmlinux();
        b[c.off] = c.value;
        EXPECT_EQ(parse(b), c.want) << "byte " << c.off;
    }
}

TEST(PvhElf, BadMagicAndMissingNoteExplainThemselves) {
    EXPECT_NE(std::string(describe(PvhError::BadMagic)).find("bzImage"), std::string::npos);
    EXPECT_NE(std::string(describe(PvhError::NoEntryNote)).find("XEN_ELFNOTE_PHYS32_ENTRY"),
              std::string::npos);
    for (int e = 1; e <= static_cast<int>(PvhError::WriteFailed); ++e)
        EXPECT_STRNE(describe(static_cast<PvhError>(e)), "unknown PVH error") << e;
}

TEST(PvhElf, RefusesPhdrTableOutOfFile) {
    std::vector<uint8_t> b = synthetic_vmlinux();
    put<uint64_t>(b, 32, b.size() - 56); // 3 phdrs need 168 bytes
    EXPECT_EQ(parse(b), PvhError::PhdrsOutOfFile);
    put<uint64_t>(b, 32, ~uint64_t{0} - 8); // phoff + phnum * 56 wraps
    EXPECT_EQ(parse(b), PvhError::PhdrsOutOfFile);
    b = synthetic_vmlinux();
    put<uint16_t>(b, 56, 0xffff); // PN_XNUM: 3.6 MB of phdrs in a 5 KB file
    EXPECT_EQ(parse(b), PvhError::PhdrsOutOfFile);
}

TEST(PvhElf, RefusesSegmentOutOfFile) {
    std::vector<uint8_t> b = synthetic_vmlinux();
    put<uint64_t>(b, ph(1, kPhOffset), b.size() - kDataFile + 1);
    EXPECT_EQ(parse(b), PvhError::SegmentOutOfFile);
    b = synthetic_vmlinux();
    put<uint64_t>(b, ph(1, kPhOffset), b.size() + 1);
    put<uint64_t>(b, ph(1, kPhFilesz), 0);
    EXPECT_EQ(parse(b), PvhError::SegmentOutOfFile);
    b = synthetic_vmlinux();
    put<uint64_t>(b, ph(0, kPhFilesz), ~uint64_t{0} - 0xfff); // offset + filesz wraps
    put<uint64_t>(b, ph(0, kPhMemsz), ~uint64_t{0});
    EXPECT_EQ(parse(b), PvhError::SegmentOutOfFile);
}

TEST(PvhElf, RefusesFileszAboveMemsz) {
    std::vector<uint8_t> b = synthetic_vmlinux();
    put<uint64_t>(b, ph(1, kPhMemsz), kDataFile - 1);
    EXPECT_EQ(parse(b), PvhError::SegmentFileAboveMem);
}

TEST(PvhElf, RefusesAddressOverflow) {
    std::vector<uint8_t> b = synthetic_vmlinux();
    put<uint64_t>(b, ph(1, kPhPaddr), ~uint64_t{0} - 0xfff); // + memsz 0x3000 wraps
    EXPECT_EQ(parse(b), PvhError::SegmentAddrOverflow);
}

TEST(PvhElf, RefusesOverlappingSegments) {
    std::vector<uint8_t> b = synthetic_vmlinux();
    put<uint64_t>(b, ph(1, kPhPaddr), kTextPaddr + kTextSize - 1);
    EXPECT_EQ(parse(b), PvhError::SegmentsOverlap);
    put<uint64_t>(b, ph(1, kPhPaddr), kTextPaddr + kTextSize); // adjacent is fine
    EXPECT_EQ(parse(b), PvhError::Ok);
}

TEST(PvhElf, RefusesNoOrTooManyLoadSegments) {
    std::vector<uint8_t> notes = default_notes();
    std::vector<uint8_t> b = elf_with({{kPtNote, 0x400, 0, notes.size(), notes.size(), 4}});
    b.resize(0x400);
    b.insert(b.end(), notes.begin(), notes.end());
    EXPECT_EQ(parse(b), PvhError::NoLoadSegment);

    std::vector<Phdr> many;
    for (uint64_t i = 0; i <= kPvhMaxSegments; ++i)
        many.push_back({kPtLoad, 0, kTextPaddr + i * 0x1000, 0x10, 0x10, 0x1000});
    EXPECT_EQ(parse(elf_with(many)), PvhError::TooManySegments);
    many.pop_back();
    EXPECT_EQ(parse(elf_with(many)), PvhError::NoEntryNote); // 8 are fine
}

TEST(PvhElf, RefusesMissingEntryNote) {
    std::vector<uint8_t> notes = note("GNU", 18, le64(kEntry)); // type 18, wrong name
    std::vector<uint8_t> x = note("Xen", 17, le64(kEntry));     // right name, wrong type
    notes.insert(notes.end(), x.begin(), x.end());
    EXPECT_EQ(parse(synthetic_vmlinux(notes)), PvhError::NoEntryNote);
    std::vector<uint8_t> b = synthetic_vmlinux();
    put<uint32_t>(b, ph(2, 0), 6); // PT_PHDR: the notes are no longer looked at
    EXPECT_EQ(parse(b), PvhError::NoEntryNote);
}

TEST(PvhElf, RefusesOddDescSize) {
    std::vector<uint8_t> d(6, 0);
    EXPECT_EQ(parse(synthetic_vmlinux(note("Xen", 18, d))), PvhError::NoteBadDescSize);
    EXPECT_EQ(parse(synthetic_vmlinux(note("Xen", 18, {}))), PvhError::NoteBadDescSize);
}

TEST(PvhElf, RefusesMalformedNotes) {
    std::vector<uint8_t> b = synthetic_vmlinux();
    put<uint32_t>(b, kNoteOff, 0xffffffff); // first note's namesz runs off the segment
    EXPECT_EQ(parse(b), PvhError::NoteMalformed);
    b = synthetic_vmlinux();
    put<uint32_t>(b, kNoteOff + 4, 0xfffffff0); // its descsz too
    EXPECT_EQ(parse(b), PvhError::NoteMalformed);
    b = synthetic_vmlinux(note("Xen", 18, le64(kEntry)));
    put<uint64_t>(b, ph(2, kPhFilesz), 11); // shorter than a note header
    EXPECT_EQ(parse(b), PvhError::NoteMalformed);
    b = synthetic_vmlinux();
    put<uint64_t>(b, ph(2, kPhFilesz), b.size()); // offset + size beyond the file
    EXPECT_EQ(parse(b), PvhError::NoteOutOfFile);
}

TEST(PvhElf, RefusesEntryOutsideCode) {
    EXPECT_EQ(parse(synthetic_vmlinux(default_notes(uint64_t{1} << 32 | kEntry))),
              PvhError::EntryAbove4G);
    // In the data segment's bss: memory, but nothing is copied there.
    EXPECT_EQ(parse(synthetic_vmlinux(default_notes(kDataPaddr + kDataFile))),
              PvhError::EntryOutsideImage);
    EXPECT_EQ(parse(synthetic_vmlinux(default_notes(0x100000))), PvhError::EntryOutsideImage);
    EXPECT_EQ(parse(synthetic_vmlinux(default_notes(kDataPaddr + kDataFile - 1))), PvhError::Ok);
}

#ifdef RTHV_VMLINUX
// The real Debian vmlinux the build makes (guests/linux, a dependency of this test binary when
// the Linux guest images are built at all): it must parse, at Linux's physical start.
TEST(PvhElf, ParsesTheBuiltDebianVmlinux) {
    std::vector<uint8_t> b;
    if (FILE* f = std::fopen(RTHV_VMLINUX, "rb")) {
        uint8_t buf[1 << 16];
        for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
            b.insert(b.end(), buf, buf + n);
        std::fclose(f);
    }
    ASSERT_FALSE(b.empty()) << "cannot read " << RTHV_VMLINUX;
    PvhImage img;
    ASSERT_EQ(parse(b, img), PvhError::Ok);
    EXPECT_EQ(img.lowest, 0x1000000u); // CONFIG_PHYSICAL_START
    EXPECT_GT(img.entry32, img.lowest);
}
#endif

} // namespace
} // namespace rthv::vplat
