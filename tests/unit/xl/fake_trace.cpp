// The fake hypervisor's trace rings: real hv/trace rings read through the same
// ctl::read_trace_ring the hypervisor's dispatcher uses, names from the domain table.
#include "fake_hypervisor.hpp"
#include "hv/ctl/trace_read.hpp"

#include <cstring>

namespace rthv::test {

using namespace rthv::ctl;

void FakeDispatcher::trace_setup(uint32_t nr_cpus, uint32_t capacity) {
    trace_storage.assign(static_cast<size_t>(nr_cpus) * capacity, trace::TraceRecord{});
    trace_rings = std::vector<trace::TraceRing>(nr_cpus);
    for (uint32_t c = 0; c < nr_cpus; ++c)
        trace_rings[c].init(trace_storage.data() + static_cast<size_t>(c) * capacity, capacity, c);
}

bool FakeDispatcher::trace_push(uint32_t cpu, const trace::TraceRecord& r) {
    return trace_rings.at(cpu).push(r);
}

void FakeDispatcher::trace_status(TraceStatus& out) {
    out.enabled = trace_on ? 1 : 0;
    out.nr_cpus = static_cast<uint32_t>(trace_rings.size());
    out.ring_capacity = trace_rings.empty() ? 0 : trace_rings[0].capacity();
}

void FakeDispatcher::trace_enable(bool on) {
    trace_on = on;
    ++trace_toggles;
    ++mutations;
}

Error FakeDispatcher::trace_read(uint32_t cpu, uint64_t from, uint16_t max, TraceChunk& out) {
    return read_trace_ring(trace_rings.at(cpu), from, max, out, trace_freed);
}

// One name per VCPU, as the hypervisor gives them: the domain's name, ".N" with several VCPUs.
uint32_t FakeDispatcher::trace_name_count() {
    uint32_t n = 0;
    for (const FakeDomain& d : domains) n += static_cast<uint32_t>(d.vcpus.size());
    return n;
}

bool FakeDispatcher::trace_name_at(uint32_t index, TraceName& out) {
    for (const FakeDomain& d : domains) {
        if (index >= d.vcpus.size()) {
            index -= static_cast<uint32_t>(d.vcpus.size());
            continue;
        }
        out.domain = d.info.id;
        out.vcpu = index;
        std::string name = d.info.name;
        if (d.vcpus.size() > 1) name += "." + std::to_string(index);
        std::strncpy(out.name, name.c_str(), kMaxName);
        out.name[kMaxName] = '\0';
        return true;
    }
    return false;
}

} // namespace rthv::test
