// Control protocol vocabulary shared by the hypervisor (server) and the host toolstack (xl):
// limits, message types, error codes and a bounds-checked little-endian reader/writer.
// Freestanding: no heap, no libc, no floating point (see hv/ctl/PROTOCOL.md).
#pragma once

#include "hv/sched/params.hpp"
#include <stddef.h>
#include <stdint.h>

namespace rthv::ctl {

inline constexpr uint8_t kMagic0 = 'R';
inline constexpr uint8_t kMagic1 = 'H';
inline constexpr uint8_t kVersion = 1;

// Header: magic[2] version type seq(u32) length(u16); the CRC-32 trailer follows the payload.
inline constexpr size_t kHeaderSize = 10;
inline constexpr size_t kTrailerSize = 4;
inline constexpr size_t kMaxPayload = 2048;
inline constexpr size_t kMaxFrame = kHeaderSize + kMaxPayload + kTrailerSize;
// COBS adds one byte per 254 plus one; two delimiters surround every frame on the wire.
inline constexpr size_t kMaxEncoded = kMaxFrame + kMaxFrame / 254 + 1 + 2;

inline constexpr size_t kMaxName = 63;          // domain and pool names
inline constexpr size_t kMaxMessage = 160;      // error text
inline constexpr uint32_t kMaxSetEntries = 256; // VCPUs changed by one sched-rtds set
inline constexpr uint32_t kMaxDebugKeys = 16;
inline constexpr uint32_t kMaxConsoleChunk = 1024;
inline constexpr uint32_t kNoCpu = 0xFFFFFFFFu;   // VCPU not running anywhere
inline constexpr uint32_t kNoIndex = 0xFFFFFFFFu; // error not tied to one entry
inline constexpr uint32_t kCpuMaskBytes = 32;     // 256 physical CPUs
// Trace records one TraceRead may ask for; the reply holds as many of them as fit its frame
// (compact encoding, PROTOCOL.md: typically 8-12 bytes a record, so about 200).
inline constexpr uint32_t kMaxTraceRecords = 255;
inline constexpr uint64_t kTraceFromReader = ~uint64_t{0}; // TraceRead: from the ring's reader

// RTDS parameter bounds at the interface, in µs: the scheduler's own limits (hv/sched/params.hpp),
// so the control channel accepts exactly what Scheduler::set_params accepts. The one exception
// is the scheduler's maximum 2^32 itself, which the u32 wire field cannot carry: the largest
// period the channel can express is 2^32 - 1 us (about 71.6 minutes).
inline constexpr uint32_t kMinPeriodUs = static_cast<uint32_t>(rthv::kMinParamUs);
inline constexpr uint32_t kMinBudgetUs = static_cast<uint32_t>(rthv::kMinParamUs);
inline constexpr uint32_t kMaxPeriodUs =
    rthv::kMaxPeriodUs < 0xFFFFFFFFu ? static_cast<uint32_t>(rthv::kMaxPeriodUs) : 0xFFFFFFFFu;

enum class MsgType : uint8_t {
    Info = 0x01,
    ListDomains = 0x02,
    ListVcpus = 0x03,
    ListPools = 0x04,
    RtdsGet = 0x05,
    RtdsSet = 0x06,
    Pause = 0x07,
    Unpause = 0x08,
    Dmesg = 0x09,
    DebugKeys = 0x0A,
    RtdsStats = 0x0B,
    TraceControl = 0x0C,
    TraceRead = 0x0D,
    TraceNames = 0x0E,
    EndRun = 0x0F,
    Console = 0x10,
};
inline constexpr uint8_t kFirstRequest = 0x01;
inline constexpr uint8_t kLastRequest = 0x10;
inline constexpr uint8_t kReplyBit = 0x80; // a successful reply carries request type | 0x80
inline constexpr uint8_t kErrorType = 0xFF;

enum class Error : uint16_t {
    Ok = 0,
    BadChecksum = 1,
    BadVersion = 2,
    UnknownType = 3,
    BadLength = 4, // payload length disagrees with the header or the message layout
    BadField = 5,  // a field outside its encoding (flag bits, string bytes, counts)
    NoSuchDomain = 6,
    NoSuchVcpu = 7,
    DuplicateVcpu = 8,
    BadPeriod = 9,
    BadBudget = 10,
    BudgetOverPeriod = 11,
    BadExtratime = 12,
    AdmissionRefused = 13,
    BadKey = 14,
    BadState = 15, // e.g. unpause of a domain that is not paused
    Internal = 16,
    NoSuchCpu = 17, // a physical CPU (trace ring) the hypervisor does not have
};
inline constexpr uint16_t kLastError = 17;

const char* error_name(Error e);

// Bounds-checked little-endian writer over caller storage. Once an operation does not fit,
// the writer stays failed, so callers check ok() once at the end.
class Writer {
public:
    Writer(uint8_t* buf, size_t cap) : buf_(buf), cap_(cap) {}
    void u8(uint8_t v) { put(v, 1); }
    void u16(uint16_t v) { put(v, 2); }
    void u32(uint32_t v) { put(v, 4); }
    void u64(uint64_t v) { put(v, 8); }
    void bytes(const uint8_t* p, size_t n);
    void str(const char* s, size_t len); // u8 length + bytes; len must be <= 255
    bool fits(size_t n) const { return ok_ && n <= cap_ - len_; }
    bool ok() const { return ok_; }
    size_t size() const { return len_; }
    uint8_t* at(size_t off) { return buf_ + off; }
    // Undo everything written since mark(): lets a paged reply drop an entry that did not fit.
    size_t mark() const { return len_; }
    void rollback(size_t mark) {
        len_ = mark;
        ok_ = true;
    }

private:
    void put(uint64_t v, size_t n);
    uint8_t* buf_;
    size_t cap_;
    size_t len_ = 0;
    bool ok_ = true;
};

// Bounds-checked reader: reads past the end yield zero and mark the reader failed.
class Reader {
public:
    Reader(const uint8_t* buf, size_t len) : buf_(buf), len_(len) {}
    uint8_t u8() { return static_cast<uint8_t>(get(1)); }
    uint16_t u16() { return static_cast<uint16_t>(get(2)); }
    uint32_t u32() { return static_cast<uint32_t>(get(4)); }
    uint64_t u64() { return get(8); }
    // Copies a length-prefixed string into out (NUL-terminated); fails if longer than max or
    // not printable ASCII.
    bool str(char* out, size_t max);
    const uint8_t* take(size_t n); // nullptr (and failed) if fewer than n bytes remain
    size_t remaining() const { return len_ - pos_; }
    bool ok() const { return ok_; }
    bool done() const { return ok_ && pos_ == len_; } // consumed exactly everything

private:
    uint64_t get(size_t n);
    const uint8_t* buf_;
    size_t len_;
    size_t pos_ = 0;
    bool ok_ = true;
};

} // namespace rthv::ctl
