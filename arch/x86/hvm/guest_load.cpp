#include "arch/x86/hvm/guest_load.hpp"

#include "arch/x86/hvm/blocking.hpp"
#include "arch/x86/tsc.hpp"
#include "hv/lib/format.hpp"

extern "C" const uint8_t guest_image_start[], guest_image_end[];

namespace rthv::x86::hvm {
namespace {

using namespace guest_abi;

constexpr uint32_t kStackReserve = 16 * 1024; // the image must leave this much for the stack

uint64_t ns_to_ticks(Duration d) { return ns_to_guest_tsc(d) - ns_to_guest_tsc(0); }

} // namespace

bool workload_from_name(const char* name, size_t len, Workload& out) {
    for (uint32_t i = 0; i < kWorkloadCount; ++i) {
        const char* n = workload_name(static_cast<Workload>(i));
        size_t k = 0;
        while (k < len && n[k] != '\0' && n[k] == name[k]) ++k;
        if (k == len && n[k] == '\0') {
            out = static_cast<Workload>(i);
            return true;
        }
    }
    return false;
}

bool load_guest(HvmVcpu& v, uint32_t domain_id, CpuId cpu, const WorkloadParams& p) {
    auto size = static_cast<size_t>(guest_image_end - guest_image_start);
    if (kImageGpa + size + kStackReserve > kGuestMemory) return false;
    if (!v.memory->allocate()) return false;
    v.domain_id = domain_id;
    v.cpu = cpu;
    v.workload = p.workload;
    format(v.name, sizeof(v.name), "%s-%u", workload_name(p.workload), cpu);

    StartInfo si{};
    si.magic = kStartInfoMagic;
    si.workload = p.workload;
    si.domain_id = domain_id;
    si.cpu = cpu;
    si.tsc_hz = tsc_info().hz;
    si.grid_origin = ns_to_guest_tsc(p.grid_origin);
    si.period_ticks = ns_to_ticks(p.period);
    si.job_ticks = ns_to_ticks(p.job);
    for (size_t i = 0; i + 1 < sizeof(si.name) && v.name[i] != '\0'; ++i) si.name[i] = v.name[i];
    if (!v.memory->write(kImageGpa, guest_image_start, size) ||
        !v.memory->write(kStartInfoGpa, &si, sizeof(si))) {
        v.memory->release();
        return false;
    }
    return true;
}

} // namespace rthv::x86::hvm
