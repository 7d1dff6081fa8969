// The AMD-V implementation of the hvm backend table (arch/x86/hvm/backend.hpp).
#pragma once

#include "arch/x86/hvm/backend.hpp"

namespace rthv::x86::svm {

const hvm::Backend& backend();

} // namespace rthv::x86::svm
