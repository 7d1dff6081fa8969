// Strict number parsing for xl arguments. Xen's xl reads "abc" as 0 with strtol; we refuse
// anything that is not a plain decimal number in range, naming what was wrong.
#pragma once

#include <cstdint>
#include <string>

namespace rthv::xl {

// Parses `text` as a decimal integer in [min, max]. `what` names the value in the error
// ("period", "VCPU"); `unit` is appended to numbers in messages (" us" or "").
// Throws XlError: "period 'abc' is not a number", "period -5 is negative", "period 0 us is
// zero", "period 5 us is below the minimum of 10 us", "... above the limit of ...".
uint32_t parse_number(const std::string& text, const char* what, uint32_t min, uint32_t max,
                      const char* unit);

} // namespace rthv::xl
