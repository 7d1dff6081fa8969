#include "arch/x86/pic.hpp"

#include "arch/x86/io.hpp"

namespace rthv::x86 {

void pic_disable() {
    constexpr uint16_t kMasterCmd = 0x20, kMasterData = 0x21, kSlaveCmd = 0xa0, kSlaveData = 0xa1;
    // Remap first: a spurious IRQ 7/15 raised by a masked PIC would otherwise land on
    // exception vectors 0x0f and 0x17... here on 0x37/0x3f, which the dispatcher ignores.
    outb(kMasterCmd, 0x11); // ICW1: init, ICW4 follows
    outb(kSlaveCmd, 0x11);
    outb(kMasterData, 0x30); // ICW2: vector base
    outb(kSlaveData, 0x38);
    outb(kMasterData, 0x04); // ICW3: slave on IRQ2
    outb(kSlaveData, 0x02);
    outb(kMasterData, 0x01); // ICW4: 8086 mode
    outb(kSlaveData, 0x01);
    outb(kMasterData, 0xff); // mask everything
    outb(kSlaveData, 0xff);
}

} // namespace rthv::x86
