// Little-endian byte buffers for building firmware tables in tests, with ACPI checksum fix-up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

class Bytes {
public:
    Bytes& u8(uint8_t v) {
        b_.push_back(v);
        return *this;
    }
    Bytes& u16(uint16_t v) { return u8(static_cast<uint8_t>(v)).u8(static_cast<uint8_t>(v >> 8)); }
    Bytes& u32(uint32_t v) {
        return u16(static_cast<uint16_t>(v)).u16(static_cast<uint16_t>(v >> 16));
    }
    Bytes& u64(uint64_t v) {
        return u32(static_cast<uint32_t>(v)).u32(static_cast<uint32_t>(v >> 32));
    }
    Bytes& str(const std::string& s, bool nul = true) {
        for (char c : s) u8(static_cast<uint8_t>(c));
        if (nul) u8(0);
        return *this;
    }
    Bytes& pad_to(size_t align) {
        while (b_.size() % align != 0) u8(0);
        return *this;
    }
    void put32(size_t at, uint32_t v) {
        for (int i = 0; i < 4; ++i)
            b_[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
    }
    // Sets byte `at` so that bytes [0, len) sum to 0 mod 256.
    void fix_checksum(size_t at, size_t len) {
        b_[at] = 0;
        uint8_t sum = 0;
        for (size_t i = 0; i < len; ++i) sum = static_cast<uint8_t>(sum + b_[i]);
        b_[at] = static_cast<uint8_t>(0x100 - sum);
    }
    size_t size() const { return b_.size(); }
    uint8_t* data() { return b_.data(); }
    uint8_t& operator[](size_t i) { return b_[i]; }
    void resize(size_t n) { b_.resize(n); }

private:
    std::vector<uint8_t> b_;
};

// An ACPI system description table header (ACPI 6.5 table 5.4) with length patched later.
inline Bytes sdt_header(const char* sig, uint8_t revision) {
    Bytes t;
    t.str(sig, false).u32(0).u8(revision).u8(0).str("BOCHS ", false).str("BXPC    ", false);
    t.u32(1).str("BXPC", false).u32(1);
    return t;
}

inline void finish_sdt(Bytes& t) {
    t.put32(4, static_cast<uint32_t>(t.size()));
    t.fix_checksum(9, t.size());
}
