#include "arch/x86/svm/svm_report.hpp"

#include "arch/x86/percpu_area.hpp"
#include "arch/x86/svm/svm_cpu.hpp"

namespace rthv::x86::svm {
namespace {

constexpr size_t kSources = 3;

// Per CPU, written only by that CPU (exits are handled where the guest ran): no atomics, and
// the report is written after every CPU has stopped running guests.
struct RipCounts {
    uint64_t by_source[kSources];
    uint64_t disagreed;
};
PerCpuArea<RipCounts> counts;

uint64_t total(size_t source) {
    uint64_t n = 0;
    for (CpuId c = 0; c < percpu_count(); ++c) n += counts.on(c).by_source[source];
    return n;
}

} // namespace

void count_rip_advance(RipSource source, bool disagreed) {
    RipCounts& c = counts.here();
    ++c.by_source[static_cast<size_t>(source)];
    if (disagreed) ++c.disagreed;
}

void write_svm_report(JsonWriter& out) {
    const Features& f = features();
    uint64_t disagreed = 0;
    for (CpuId c = 0; c < percpu_count(); ++c) disagreed += counts.on(c).disagreed;
    out.begin_object("svm");
    out.field_bool("nrips", f.nrips);
    out.field_bool("decode_assists", f.decode_assists);
    out.field_bool("flush_by_asid", f.flush_by_asid);
    out.field("asids", f.asids);
    out.field("rip_from_next_rip", total(static_cast<size_t>(RipSource::kNextRip)));
    out.field("rip_from_length", total(static_cast<size_t>(RipSource::kLength)));
    out.field("rip_from_exit_info2", total(static_cast<size_t>(RipSource::kExitInfo2)));
    out.field("next_rip_disagreed", disagreed);
    out.end_object();
}

} // namespace rthv::x86::svm
