// A host-side stand-in for the hypervisor: an in-memory domain table behind the real
// ctl::Dispatcher interface, served by the real ctl::Endpoint on a UNIX socket, so tests drive
// the real xl client code end to end without VT-x.
#pragma once

#include "hv/ctl/server.hpp"
#include "hv/trace/ring.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rthv::test {

struct FakeVcpu {
    ctl::RtdsParams params;
    ctl::RtdsStats stats;
    uint32_t pcpu = ctl::kNoCpu;
    uint64_t cpu_time_ns = 0;
};

struct FakeDomain {
    ctl::DomainInfo info;
    std::vector<FakeVcpu> vcpus;
};

class FakeDispatcher : public ctl::Dispatcher {
public:
    FakeDispatcher(); // the default scenario used by the golden tests (see .cpp)
    virtual ~FakeDispatcher() = default;

    void host_info(ctl::HostInfo& out) override;
    uint32_t domain_count() override;
    bool domain_at(uint32_t index, ctl::DomainInfo& out) override;
    bool find_domain(uint32_t domid, ctl::DomainInfo& out) override;
    uint32_t pool_count() override;
    bool pool_at(uint32_t index, ctl::PoolInfo& out) override;
    bool vcpu_info(uint32_t domid, uint32_t vcpu, ctl::VcpuInfo& out) override;
    bool rtds_params(uint32_t domid, uint32_t vcpu, ctl::RtdsParams& out) override;
    bool rtds_stats(uint32_t domid, uint32_t vcpu, ctl::RtdsStats& out) override;
    ctl::Error rtds_set(uint32_t domid, const ctl::RtdsParams* entries, uint32_t count, bool force,
                        ctl::AdmissionReport& report) override;
    ctl::Error pause(uint32_t domid) override;
    ctl::Error unpause(uint32_t domid) override;
    ctl::Error end_run() override;
    void console_read(uint64_t from, ctl::ConsoleChunk& chunk) override;
    ctl::Error guest_console(uint32_t domid, const uint8_t* input, uint16_t input_len,
                             uint64_t from, ctl::ConsoleChunk& chunk) override;
    bool has_debug_key(char key) override;
    void debug_key(char key) override;
    void trace_status(ctl::TraceStatus& out) override;
    void trace_enable(bool on) override;
    ctl::Error trace_read(uint32_t cpu, uint64_t from, uint16_t max, ctl::TraceChunk& out) override;
    uint32_t trace_name_count() override;
    bool trace_name_at(uint32_t index, ctl::TraceName& out) override;

    // Trace rings (fake_trace.cpp): two pCPUs of 1024 records by default, tracing off. Tests
    // push records as the hypervisor's CPUs would; the server reads them like DomCtl does.
    void trace_setup(uint32_t nr_cpus, uint32_t capacity);
    bool trace_push(uint32_t cpu, const trace::TraceRecord& r);
    std::vector<trace::TraceRecord> trace_storage;
    std::vector<trace::TraceRing> trace_rings;
    std::atomic<bool> trace_on{false};
    std::atomic<uint32_t> trace_toggles{0}; // start/stop calls that reached the dispatcher
    uint64_t trace_freed = 0;               // records released through TraceRead

    // Everything a test may inspect or arrange.
    std::vector<FakeDomain> domains;
    std::vector<ctl::PoolInfo> pools;
    std::string console;
    uint64_t console_dropped = 0; // bytes before console[0] that were overwritten
    // Guest consoles (xl console): a domain listed here has one; what was typed is echoed into
    // its output, as a shell on a serial line does.
    std::map<uint32_t, std::string> guest_consoles;
    std::string typed;
    uint32_t capacity_percent = 100; // admission limit per CPU of a pool
    uint64_t mutations = 0;          // calls that changed state
    bool run_ending = false;         // EndRun was accepted
    std::vector<char> keys_run;

    FakeDomain* domain(uint32_t domid);
    uint32_t pool_utilisation_ppm(uint32_t pool) const;
};

// Serves a Dispatcher on a UNIX socket in a fresh temporary directory, one client at a time.
class FakeHypervisor {
public:
    explicit FakeHypervisor(ctl::Dispatcher& dispatcher);
    ~FakeHypervisor();
    FakeHypervisor(const FakeHypervisor&) = delete;
    FakeHypervisor& operator=(const FakeHypervisor&) = delete;
    const std::string& path() const { return path_; }
    uint64_t bytes_received() const { return bytes_received_.load(); }

private:
    void serve();
    ctl::Dispatcher& dispatcher_;
    std::string dir_;
    std::string path_;
    int listen_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> bytes_received_{0};
    std::thread thread_;
};

} // namespace rthv::test
