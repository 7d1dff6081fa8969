#include "hv/vplat/report_device.hpp"

namespace rthv::vplat {
namespace {

bool name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

bool same(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
}

// A signed decimal integer that fits in int64_t, nothing else (no spaces, no '+').
bool parse_value(const char* s, int64_t& out) {
    bool negative = *s == '-';
    if (negative) ++s;
    if (*s == '\0') return false;
    uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1, v = 0;
    for (; *s != '\0'; ++s) {
        if (*s < '0' || *s > '9') return false;
        uint64_t digit = static_cast<uint64_t>(*s - '0');
        if (v > (limit - digit) / 10) return false;
        v = v * 10 + digit;
    }
    out = negative ? static_cast<int64_t>(~v + 1) : static_cast<int64_t>(v);
    return true;
}

} // namespace

void ReportDevice::put(uint8_t byte) {
    if (byte == '\n') return end_line();
    if (len_ == kMaxLine) {
        overlong_ = true;
        return;
    }
    line_[len_++] = static_cast<char>(byte);
}

void ReportDevice::end_line() {
    line_[len_] = '\0';
    size_t eq = 0;
    while (eq < len_ && name_char(line_[eq])) ++eq;
    int64_t value = 0;
    bool ok = !overlong_ && eq >= 1 && eq < sizeof(Figure{}.name) && eq < len_ &&
              line_[eq] == '=' && parse_value(line_ + eq + 1, value);
    len_ = 0;
    overlong_ = false;
    if (!ok) {
        ++malformed_;
        return;
    }
    line_[eq] = '\0';
    Figure* f = const_cast<Figure*>(find(line_));
    if (f == nullptr) {
        if (count_ == kMaxFigures) {
            ++dropped_;
            return;
        }
        f = &figures_[count_++];
        for (size_t i = 0; i <= eq; ++i) f->name[i] = line_[i];
    }
    f->value = value;
    ++f->updates;
}

const Figure* ReportDevice::find(const char* name) const {
    for (size_t i = 0; i < count_; ++i)
        if (same(figures_[i].name, name)) return &figures_[i];
    return nullptr;
}

} // namespace rthv::vplat
