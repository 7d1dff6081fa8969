#include "arch/x86/hvm/guest_load.hpp"

extern "C" const uint8_t guest_image_start[], guest_image_end[];

namespace rthv::x86::hvm {
namespace {

constexpr uint32_t kStackReserve = 16 * 1024; // the image must leave this much for the stack

} // namespace

bool load_guest_image(HvmVcpu& v) {
    auto size = static_cast<size_t>(guest_image_end - guest_image_start);
    if (guest_abi::kImageGpa + size + kStackReserve > guest_abi::kGuestMemory) return false;
    if (!v.memory->allocate()) return false;
    if (!v.memory->write(guest_abi::kImageGpa, guest_image_start, size)) {
        v.memory->release();
        return false;
    }
    return true;
}

} // namespace rthv::x86::hvm
