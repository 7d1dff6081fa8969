// xl trace [-T SECONDS] FILE: xentrace for rthv. Starts tracing unless it is already on, reads
// every pCPU's ring over the control channel until SECONDS (host wall clock) have passed or
// Ctrl-C, stops tracing again if it started it, reads what is left, and writes FILE in the
// hv/trace text format with FILE.perfetto.json and FILE.svg next to it.
#include "hv/ctl/wire.hpp"
#include "tools/xl/options.hpp"
#include "tools/xl/trace_file.hpp"
#include "tools/xl/xl.hpp"

#include <chrono>
#include <csignal>
#include <memory>
#include <thread>

namespace rthv::xl {

using namespace rthv::ctl;

namespace {

constexpr uint64_t kMaxSecondsMs = 86'400'000;
constexpr uint32_t kReadsPerTurn = 64; // per ring and turn, so one busy ring cannot starve others
constexpr auto kIdlePoll = std::chrono::milliseconds(20);

volatile std::sig_atomic_t interrupted = 0;
void on_interrupt(int) { interrupted = 1; }

// "2", "0.25", "1.5": seconds with up to three decimals, as milliseconds; no floating point,
// so "0.1" is exactly 100 ms.
uint64_t parse_seconds(const std::string& text) {
    uint64_t ms = 0;
    size_t i = 0, decimals = 0;
    bool point = false, digits = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9' || (point && ++decimals > 3) || ms > kMaxSecondsMs)
            throw XlError("-T '" + text + "' is not a number of seconds (e.g. 2 or 0.5)");
        ms = ms * 10 + static_cast<uint64_t>(c - '0');
        digits = true;
    }
    if (!digits) throw XlError("-T '" + text + "' is not a number of seconds (e.g. 2 or 0.5)");
    for (; decimals < 3; ++decimals) ms *= 10;
    if (ms == 0 || ms > kMaxSecondsMs)
        throw XlError("-T " + text + " must be above 0 and at most 86400 seconds");
    return ms;
}

// One ring's reader: where it is, and what it has read.
struct RingReader {
    uint64_t pos = 0;
    uint64_t dropped_base = 0;
    uint64_t dropped = 0;
};

class Collector {
public:
    Collector(Client& c, uint32_t nr_cpus, bool from_boot) : c_(c), rings_(nr_cpus) {
        out_.nr_cpus = nr_cpus;
        out_.records.resize(nr_cpus);
        out_.dropped.resize(nr_cpus);
        // Where each ring's reader stands, and its drop count so far (the baseline of this
        // trace's footer unless tracing has been on since boot).
        for (uint32_t cpu = 0; cpu < nr_cpus; ++cpu) {
            c_.trace_read(cpu, kTraceFromReader, 0, *chunk_);
            rings_[cpu].pos = chunk_->first;
            rings_[cpu].dropped_base = from_boot ? 0 : chunk_->dropped;
            rings_[cpu].dropped = chunk_->dropped;
        }
    }

    // Reads what ring `cpu` holds now (bounded per call); returns the number of records.
    uint64_t drain(uint32_t cpu, uint32_t max_reads) {
        RingReader& ring = rings_[cpu];
        uint64_t got = 0;
        for (uint32_t i = 0; i < max_reads; ++i) {
            c_.trace_read(cpu, ring.pos, kMaxTraceRecords, *chunk_);
            out_.records[cpu].insert(out_.records[cpu].end(), chunk_->records,
                                     chunk_->records + chunk_->count);
            ring.pos += chunk_->count;
            ring.dropped = chunk_->dropped;
            got += chunk_->count;
            if (chunk_->pending == 0 || chunk_->count == 0) break;
        }
        return got;
    }

    uint64_t drain_all(uint32_t max_reads) {
        uint64_t got = 0;
        for (uint32_t cpu = 0; cpu < rings_.size(); ++cpu) got += drain(cpu, max_reads);
        return got;
    }

    // Frees the last records read (a read of none from the next position): the end-of-run
    // drain, or the next xl trace, starts after them.
    void release() {
        for (uint32_t cpu = 0; cpu < rings_.size(); ++cpu)
            c_.trace_read(cpu, rings_[cpu].pos, 0, *chunk_);
    }

    CollectedTrace& finish() {
        for (uint32_t cpu = 0; cpu < rings_.size(); ++cpu)
            out_.dropped[cpu] = rings_[cpu].dropped - rings_[cpu].dropped_base;
        return out_;
    }

private:
    Client& c_;
    std::vector<RingReader> rings_;
    std::unique_ptr<TraceChunk> chunk_ = std::make_unique<TraceChunk>();
    CollectedTrace out_;
};

// Ctrl-C ends the collection early (the trace is still written), for the command's duration.
class InterruptScope {
public:
    InterruptScope() : previous_(std::signal(SIGINT, on_interrupt)) { interrupted = 0; }
    ~InterruptScope() { std::signal(SIGINT, previous_); }

private:
    void (*previous_)(int);
};

} // namespace

void cmd_trace(const std::vector<std::string>& args, Session& s, Io io) {
    uint64_t ms = 1000;
    std::string path;
    for (const ParsedOption& o : parse_options(args, {{'T', "time-interval", true}})) {
        if (o.name == 'T')
            ms = parse_seconds(o.value);
        else if (path.empty())
            path = o.value;
        else
            throw XlError("unexpected argument '" + o.value + "'");
    }
    if (path.empty()) throw XlError("missing output FILE (e.g. 'xl trace -T 2 out.rthvt')");
    Client& c = s.client();
    TraceStatus status = c.trace_control(kTraceQuery);
    if (status.nr_cpus == 0) throw XlError("the hypervisor has no trace rings");
    const bool started = status.enabled == 0;
    if (started) status = c.trace_control(kTraceStart);
    bool ours_running = started; // tracing this command started and has not stopped yet
    InterruptScope scope;
    const auto begin = std::chrono::steady_clock::now();
    try {
        Collector collector(c, status.nr_cpus, !started);
        const auto end = begin + std::chrono::milliseconds(ms);
        while (interrupted == 0 && std::chrono::steady_clock::now() < end) {
            if (collector.drain_all(kReadsPerTurn) == 0) std::this_thread::sleep_for(kIdlePoll);
        }
        if (started) c.trace_control(kTraceStop);
        ours_running = false;
        collector.drain_all(~0u);
        collector.release();
        CollectedTrace& t = collector.finish();
        t.names = c.trace_names();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
        const std::vector<std::string> files = write_trace_files(path, t, "xl trace " + path);
        uint64_t records = 0, dropped = 0;
        for (const auto& ring : t.records) records += ring.size();
        for (uint64_t d : t.dropped) dropped += d;
        io.out << "xl trace: " << records << " records from " << t.nr_cpus << " pCPUs in "
               << static_cast<uint64_t>(seconds * 1000) << " ms, ";
        if (dropped == 0) {
            io.out << "none dropped\n";
        } else {
            io.out << dropped << " dropped (per pCPU";
            for (uint64_t d : t.dropped) io.out << ' ' << d;
            io.out << "): the rings overflowed\n";
        }
        for (const std::string& f : files) io.out << "xl trace: " << f << "\n";
    } catch (const XlError&) {
        // Leave the hypervisor as it was found: tracing that this command started stops.
        if (ours_running) {
            try {
                c.trace_control(kTraceStop);
            } catch (const XlError&) {
            }
        }
        throw;
    }
}

} // namespace rthv::xl
