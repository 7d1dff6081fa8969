#include "arch/x86/hvm/vconsole.hpp"

#include "arch/x86/console.hpp"

namespace rthv::x86::hvm {

void VirtualConsole::put(const char* domain, char c) {
    ++bytes_;
    if (c == '\r') return;
    if (c == '\n') return flush(domain);
    // Control characters would garble the host console and the report; show them as '?'.
    line_[len_++] = (c < ' ' || c > '~') ? '?' : c;
    if (len_ == kLineMax) flush(domain);
}

void VirtualConsole::flush(const char* domain) {
    if (len_ == 0) return;
    line_[len_] = '\0';
    log(LogLevel::kInfo, "[%s] %s", domain, line_);
    len_ = 0;
    ++lines_;
}

} // namespace rthv::x86::hvm
