// xl reports every failure as one line on stderr and exit status 1; XlError carries that line.
#pragma once

#include <stdexcept>
#include <string>

namespace rthv::xl {

class XlError : public std::runtime_error {
public:
    explicit XlError(const std::string& what) : std::runtime_error(what) {}
};

} // namespace rthv::xl
