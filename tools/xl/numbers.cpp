#include "tools/xl/numbers.hpp"

#include "tools/xl/error.hpp"

namespace rthv::xl {

uint32_t parse_number(const std::string& text, const char* what, uint32_t min, uint32_t max,
                      const char* unit) {
    const std::string name(what);
    const std::string u(unit);
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    if (i == text.size()) throw XlError(name + " '" + text + "' is not a number");
    uint64_t value = 0;
    bool overflow = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') throw XlError(name + " '" + text + "' is not a number");
        value = value * 10 + static_cast<uint64_t>(c - '0');
        if (value > UINT32_MAX) overflow = true, value = uint64_t{UINT32_MAX} + 1;
    }
    if (negative && value != 0) throw XlError(name + " " + text + " is negative");
    if (overflow)
        throw XlError(name + " " + text + " is too large (limit " + std::to_string(max) + u + ")");
    if (value == 0 && min > 0) throw XlError(name + " must not be zero");
    if (value < min)
        throw XlError(name + " " + text + u + " is below the minimum of " + std::to_string(min) +
                      u);
    if (value > max)
        throw XlError(name + " " + text + u + " is above the limit of " + std::to_string(max) + u);
    return static_cast<uint32_t>(value);
}

} // namespace rthv::xl
