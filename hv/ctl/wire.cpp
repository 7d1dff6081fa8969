// Bounds-checked little-endian encoding for the control protocol.
#include "hv/ctl/wire.hpp"

namespace rthv::ctl {

const char* error_name(Error e) {
    switch (e) {
    case Error::Ok:
        return "ok";
    case Error::BadChecksum:
        return "bad checksum";
    case Error::BadVersion:
        return "unsupported protocol version";
    case Error::UnknownType:
        return "unknown request type";
    case Error::BadLength:
        return "bad length";
    case Error::BadField:
        return "bad field";
    case Error::NoSuchDomain:
        return "no such domain";
    case Error::NoSuchVcpu:
        return "no such VCPU";
    case Error::DuplicateVcpu:
        return "VCPU given twice";
    case Error::BadPeriod:
        return "period out of range";
    case Error::BadBudget:
        return "budget out of range";
    case Error::BudgetOverPeriod:
        return "budget greater than period";
    case Error::BadExtratime:
        return "extratime must be 0 or 1";
    case Error::AdmissionRefused:
        return "refused by admission control";
    case Error::BadKey:
        return "unsupported debug key";
    case Error::BadState:
        return "domain in wrong state";
    case Error::Internal:
        return "internal error";
    case Error::NoSuchCpu:
        return "no such physical CPU";
    }
    return "unknown error";
}

void Writer::put(uint64_t v, size_t n) {
    if (!fits(n)) {
        ok_ = false;
        return;
    }
    for (size_t i = 0; i < n; ++i) buf_[len_++] = static_cast<uint8_t>(v >> (8 * i));
}

void Writer::bytes(const uint8_t* p, size_t n) {
    if (!fits(n)) {
        ok_ = false;
        return;
    }
    for (size_t i = 0; i < n; ++i) buf_[len_++] = p[i];
}

void Writer::str(const char* s, size_t len) {
    if (len > 255 || !fits(1 + len)) {
        ok_ = false;
        return;
    }
    u8(static_cast<uint8_t>(len));
    for (size_t i = 0; i < len; ++i) buf_[len_++] = static_cast<uint8_t>(s[i]);
}

uint64_t Reader::get(size_t n) {
    if (!ok_ || n > len_ - pos_) {
        ok_ = false;
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= uint64_t{buf_[pos_ + i]} << (8 * i);
    pos_ += n;
    return v;
}

const uint8_t* Reader::take(size_t n) {
    if (!ok_ || n > len_ - pos_) {
        ok_ = false;
        return nullptr;
    }
    const uint8_t* p = buf_ + pos_;
    pos_ += n;
    return p;
}

bool Reader::str(char* out, size_t max) {
    out[0] = '\0';
    size_t n = u8();
    if (!ok_) return false;
    if (n > max) {
        ok_ = false;
        return false;
    }
    const uint8_t* p = take(n);
    if (p == nullptr) return false;
    for (size_t i = 0; i < n; ++i) {
        if (p[i] < 0x20 || p[i] > 0x7E) {
            ok_ = false;
            out[0] = '\0';
            return false;
        }
        out[i] = static_cast<char>(p[i]);
    }
    out[n] = '\0';
    return true;
}

} // namespace rthv::ctl
