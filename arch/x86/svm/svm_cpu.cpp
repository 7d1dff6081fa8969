#include "arch/x86/svm/svm_cpu.hpp"

#include "arch/x86/cpuid.hpp"
#include "arch/x86/hvm/guest_memory.hpp"
#include "arch/x86/msr.hpp"
#include "arch/x86/paging.hpp"
#include "arch/x86/percpu_area.hpp"

namespace rthv::x86::svm {
namespace {

constexpr uint32_t kMsrVmCr = 0xc0010114;      // VM_CR (APM 15.30.1)
constexpr uint32_t kMsrVmHsavePa = 0xc0010117; // VM_HSAVE_PA (15.30.4)
constexpr uint64_t kVmCrSvmDis = 1u << 4;
constexpr uint64_t kEferSvme = 1u << 12;
constexpr uint32_t kCpuidSvm = 1u << 2; // CPUID Fn8000_0001 ECX[2]
constexpr uint32_t kEdxNp = 1u << 0, kEdxNrips = 1u << 3, kEdxFlushByAsid = 1u << 6;
constexpr uint32_t kEdxDecodeAssists = 1u << 7;

// 12 KiB and 8 KiB, physically contiguous: the image is loaded contiguously (paging.hpp).
alignas(4096) uint8_t iopm[3 * 4096];
alignas(4096) uint8_t msrpm[2 * 4096];

Features feats;
bool probed = false;
// Per CPU, physical addresses: VM_HSAVE_PA's page and the VMSAVE area of the host's state.
struct CpuSvm {
    uint64_t hsave;
    uint64_t host_area; // 0 until cpu_enable succeeded here
};
PerCpuArea<CpuSvm> cpus;

uint64_t rdmsr_raw(uint32_t msr) { return rdmsr(static_cast<Msr>(msr)); }
void wrmsr_raw(uint32_t msr, uint64_t v) { wrmsr(static_cast<Msr>(msr), v); }

} // namespace

bool probe(const char*& why) {
    // CPUID Fn8000_0001 ECX[2] SVM (15.4).
    if (cpuid(0x80000000).eax < 0x8000000a || (cpuid(0x80000001).ecx & kCpuidSvm) == 0) {
        why = "CPUID.80000001H:ECX.SVM=0: this CPU (or emulator) has no AMD-V";
        return false;
    }
    // VM_CR.SVMDIS: firmware turned SVM off; EFER.SVME would #GP (15.30.1).
    if ((rdmsr_raw(kMsrVmCr) & kVmCrSvmDis) != 0) {
        why = "AMD-V is disabled by the firmware (VM_CR.SVMDIS=1)";
        return false;
    }
    CpuidResult r = cpuid(0x8000000a);
    if ((r.edx & kEdxNp) == 0) {
        why = "AMD-V without nested paging (CPUID.8000000AH:EDX.NP=0)";
        return false;
    }
    if (r.ebx < 2) {
        why = "AMD-V without guest ASIDs (CPUID.8000000AH:EBX < 2)";
        return false;
    }
    feats = {r.eax & 0xff, r.ebx, (r.edx & kEdxNrips) != 0, (r.edx & kEdxFlushByAsid) != 0,
             (r.edx & kEdxDecodeAssists) != 0};
    for (uint8_t& b : iopm) b = 0xff;
    for (uint8_t& b : msrpm) b = 0xff;
    probed = true;
    return true;
}

const Features& features() { return feats; }

bool cpu_enable(const char*& why) {
    CpuSvm& here = cpus.here();
    if (here.host_area != 0) return true;
    if (!probed) {
        why = "svm::probe() was not run";
        return false;
    }
    if (here.hsave == 0) here.hsave = hvm::alloc_frame();
    uint64_t area = hvm::alloc_frame();
    if (here.hsave == 0 || area == 0) {
        if (area != 0) hvm::free_frame(area);
        why = "out of memory for the host save area";
        return false;
    }
    // EFER.SVME enables the SVM instructions (15.4); VM_HSAVE_PA is where VMRUN keeps the
    // host state #VMEXIT restores (15.5.1, 15.30.4).
    wrmsr(Msr::kEfer, rdmsr(Msr::kEfer) | kEferSvme);
    wrmsr_raw(kMsrVmHsavePa, here.hsave);
    asm volatile("vmsave %%rax" ::"a"(area) : "memory");
    here.host_area = area;
    return true;
}

uint64_t host_state_area(CpuId cpu) { return cpu < percpu_count() ? cpus.on(cpu).host_area : 0; }

uint64_t iopm_pa() { return image_virt_to_phys(iopm); }
uint64_t msrpm_pa() { return image_virt_to_phys(msrpm); }

} // namespace rthv::x86::svm
