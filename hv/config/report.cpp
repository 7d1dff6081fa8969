// Names of the guest workloads and the one-line summary for the run report.
#include "hv/config/config.hpp"
#include "hv/lib/format.hpp"

namespace rthv::config {
namespace {

constexpr const char* kWorkloadNames[kWorkloadCount] = {
    "busy",       "periodic",   "interactive",  "cli-spin",
    "exit-storm", "ept-escape", "triple-fault", "tasks",
};

// Appends to buf like format() but keeps counting past the end, so the total length is exact.
class Appender {
public:
    Appender(char* buf, size_t size) : buf_(buf), size_(size) {
        if (size_ > 0) buf_[0] = '\0';
    }
    template <typename... Args>
    void add(const char* fmt, Args... args) {
        size_t room = len_ < size_ ? size_ - len_ : 0;
        len_ += format(room > 0 ? buf_ + len_ : nullptr, room, fmt, args...);
    }
    size_t length() const { return len_; }

private:
    char* buf_;
    size_t size_;
    size_t len_ = 0;
};

// "; planned: vm 393/1388 us (tasks 0.275 CPU)" for each accepted domain planned from tasks.
void add_planned(Appender& out, const Config& cfg) {
    const char* sep = "; planned: ";
    for (uint32_t i = 0; i < cfg.domain_count; ++i) {
        const DomainSpec& d = cfg.domains[i];
        if (d.rejected || !d.planned.active) continue;
        out.add("%s%s %llu/%llu us (tasks %llu.%03llu CPU)", sep, d.name,
                static_cast<unsigned long long>(d.params.budget_us),
                static_cast<unsigned long long>(d.params.period_us),
                static_cast<unsigned long long>(d.planned.task_ppm / 1000000),
                static_cast<unsigned long long>(d.planned.task_ppm % 1000000 / 1000));
        sep = ", ";
    }
}

} // namespace

const char* workload_name(Workload w) { return w < kWorkloadCount ? kWorkloadNames[w] : "?"; }

size_t format_summary(const Config& cfg, char* buf, size_t size) {
    Appender out(buf, size);
    uint32_t accepted = cfg.accepted_domains();
    if (cfg.total_errors() == 0) {
        out.add("config: ok, %u domain%s", accepted, accepted == 1 ? "" : "s");
        add_planned(out, cfg);
        return out.length();
    }
    out.add("config: %u error%s, %u domain%s accepted", cfg.total_errors(),
            cfg.total_errors() == 1 ? "" : "s", accepted, accepted == 1 ? "" : "s");
    const char* sep = "; rejected domains: ";
    for (uint32_t i = 0; i < cfg.domain_count; ++i) {
        const DomainSpec& d = cfg.domains[i];
        if (!d.rejected) continue;
        out.add("%s%s (line %u)", sep, d.name[0] != '\0' ? d.name : "<unnamed>", d.line);
        sep = ", ";
    }
    sep = "; rejected pools: ";
    for (uint32_t j = 1; j < cfg.pool_count; ++j) {
        const PoolSpec& p = cfg.pools[j];
        if (!p.rejected) continue;
        out.add("%s%s (line %u)", sep, p.name[0] != '\0' ? p.name : "<unnamed>", p.line);
        sep = ", ";
    }
    add_planned(out, cfg);
    return out.length();
}

} // namespace rthv::config
