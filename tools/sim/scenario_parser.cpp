// Line-oriented parser for the scenario format (SCENARIO.md). Every error names its line.
#include "tools/sim/parse_util.hpp"

#include <sstream>

namespace rthv::sim {
namespace {

using parse::Failure;

bool same_tasks(const WorkloadSpec& a, const WorkloadSpec& b) {
    if (a.guest_rm != b.guest_rm || a.tasks.size() != b.tasks.size()) return false;
    for (size_t i = 0; i < a.tasks.size(); ++i)
        if (a.tasks[i].wcet != b.tasks[i].wcet || a.tasks[i].period != b.tasks[i].period ||
            a.tasks[i].deadline != b.tasks[i].deadline)
            return false;
    return true;
}

class Parser {
public:
    Scenario run(const std::string& text);
    int line = 0;

private:
    void statement(const std::vector<std::string>& w);
    void pool(const std::vector<std::string>& w);
    void finish();

    Scenario s_;
    bool have_pcpus_ = false;
    std::map<std::string, size_t> pool_index_;
    std::map<std::string, int> vcpu_lines_;
};

Scenario Parser::run(const std::string& text) {
    s_.pools.push_back({"Pool-0", CpuSet{}});
    pool_index_["Pool-0"] = 0;
    std::istringstream in(text);
    for (std::string raw; std::getline(in, raw);) {
        ++line;
        auto words = parse::split_words(raw.substr(0, raw.find('#')));
        if (!words.empty()) statement(words);
    }
    finish();
    return s_;
}

void Parser::statement(const std::vector<std::string>& w) {
    const std::string& kw = w[0];
    if (kw == "pcpus") {
        if (have_pcpus_) throw Failure{"'pcpus' given twice"};
        if (w.size() != 2) throw Failure{"usage: pcpus N"};
        uint64_t n = parse::to_u64("pcpus", w[1]);
        if (n < 1 || n > kMaxCpus)
            throw Failure{"pcpus must be 1.." + std::to_string(kMaxCpus) + ", got " + w[1]};
        s_.pcpus = static_cast<CpuId>(n);
        have_pcpus_ = true;
    } else if (kw == "duration" || kw == "seed") {
        if (w.size() != 2) throw Failure{"usage: " + kw + " N"};
        uint64_t n = parse::to_u64(kw, w[1]);
        if (kw == "seed") {
            s_.seed = n;
        } else {
            if (n == 0 || n > 1'000'000'000) throw Failure{"duration must be 1..1e9 ms"};
            s_.duration = from_us(n * 1000);
        }
    } else if (kw == "overhead") {
        auto kv = parse::to_pairs(w, 1, {"schedule", "timer"});
        if (kv.count("schedule"))
            s_.overhead.per_schedule = parse::to_u64("schedule", kv["schedule"]);
        if (kv.count("timer")) s_.overhead.per_timer = parse::to_u64("timer", kv["timer"]);
    } else if (kw == "timers") {
        auto kv = parse::to_pairs(w, 1, {"late", "jitter"});
        if (kv.count("late")) s_.timers.late = parse::to_u64("late", kv["late"]);
        if (kv.count("jitter")) s_.timers.jitter = parse::to_u64("jitter", kv["jitter"]);
        if (s_.timers.late > 1'000'000'000 || s_.timers.jitter > 1'000'000'000)
            throw Failure{"timer lateness above 1 s"};
    } else if (kw == "pool" || kw == "vcpu") {
        if (!have_pcpus_) throw Failure{"'" + kw + "' before 'pcpus': declare the CPUs first"};
        if (kw == "pool") {
            pool(w);
            return;
        }
        VcpuSpec v = parse::vcpu_line(w, pool_index_, s_.pcpus);
        if (!vcpu_lines_.emplace(v.name, line).second)
            throw Failure{"vcpu '" + v.name + "' already declared on line " +
                          std::to_string(vcpu_lines_[v.name])};
        v.line = line;
        for (const VcpuSpec& o : s_.vcpus)
            if (!v.workload.group.empty() && o.workload.group == v.workload.group &&
                (!same_tasks(o.workload, v.workload) || o.pool != v.pool))
                throw Failure{"group '" + v.workload.group +
                              "' has another task set, policy or pool on line " +
                              std::to_string(o.line)};
        s_.vcpus.push_back(v);
    } else {
        throw Failure{"unknown statement '" + kw +
                      "' (expected pcpus, duration, seed, overhead, timers, pool or vcpu)"};
    }
}

void Parser::pool(const std::vector<std::string>& w) {
    if (!s_.vcpus.empty()) throw Failure{"pools must be declared before the first vcpu"};
    if (w.size() < 2 || w[1].find('=') != std::string::npos)
        throw Failure{"usage: pool NAME cpus=LIST"};
    if (pool_index_.count(w[1])) throw Failure{"pool '" + w[1] + "' declared twice"};
    auto kv = parse::to_pairs(w, 2, {"cpus"});
    if (!kv.count("cpus")) throw Failure{"pool '" + w[1] + "' needs cpus=LIST"};
    auto cpus = parse_cpu_list(kv["cpus"], s_.pcpus);
    if (!cpus)
        throw Failure{"bad cpu list '" + kv["cpus"] + "' (CPUs are 0.." +
                      std::to_string(s_.pcpus - 1) + ")"};
    for (const auto& p : s_.pools)
        if (!(p.cpus & *cpus).empty())
            throw Failure{"pool '" + w[1] + "' overlaps pool '" + p.name + "'"};
    pool_index_[w[1]] = s_.pools.size();
    s_.pools.push_back({w[1], *cpus});
}

// Pool-0 gets every CPU no other pool claimed; each VCPU must be able to run somewhere.
void Parser::finish() {
    if (!have_pcpus_) {
        line = 0;
        throw Failure{"missing 'pcpus N'"};
    }
    CpuSet claimed;
    for (size_t i = 1; i < s_.pools.size(); ++i) claimed = claimed | s_.pools[i].cpus;
    s_.pools[0].cpus = CpuSet::first_n(s_.pcpus) & ~claimed;
    for (const auto& v : s_.vcpus) {
        line = v.line;
        if (s_.pools[v.pool].cpus.empty())
            throw Failure{"pool '" + s_.pools[v.pool].name + "' has no CPUs left"};
        if (s_.effective_affinity(v).empty())
            throw Failure{"affinity of '" + v.name + "' has no CPU in pool '" +
                          s_.pools[v.pool].name + "'"};
    }
    if (s_.vcpus.empty()) {
        line = 0;
        throw Failure{"no vcpu declared"};
    }
}

} // namespace

ParseResult parse_scenario(const std::string& text) {
    Parser p;
    try {
        return {p.run(text), std::nullopt};
    } catch (const Failure& f) {
        return {std::nullopt, ParseError{p.line, f.message}};
    }
}

} // namespace rthv::sim
