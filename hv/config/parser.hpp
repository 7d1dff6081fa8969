// The parser's state while it walks the statements of one file. Internal to hv/config:
// parser.cpp drives sections, keys.cpp applies single keys, values.cpp checks names and CPU
// lists, finish.cpp checks what needs several keys or several sections.
#pragma once

#include "hv/config/lexer.hpp"

namespace rthv::config::detail {

// Why a value was refused, as a sentence for the error message.
struct Problem {
    char text[112] = {};
};

// 1..max_length characters from [A-Za-z0-9_.-]: names appear unquoted in tables, JSON keys
// and the guest console prefix, so nothing there may need escaping.
bool check_name(Text name, uint32_t max_length, Problem& why);

// xl's CPU list syntax: "all", or comma-separated items "N", "N-M", "^N", "^N-M" (^ excludes).
// A list of only exclusions starts from all CPUs ("^0" = every CPU but 0). Every CPU named must
// exist (below ncpus) and the result must not be empty.
bool parse_cpu_list(Text spec, CpuId ncpus, CpuSet& out, Problem& why);

enum class Key : uint8_t {
    Name,
    Vcpus,
    Memory,
    Kernel,
    JobUs,
    JobPeriodUs,
    ReleaseOffsetUs,
    BurstUs,
    SleepUs,
    Period,
    Budget,
    Extratime,
    Wake,
    Cpus,
    Pool,
    Tasks,
    GuestSched,
    PlanOverheadUs,
    Image,
    Ramdisk,
    Cmdline,
    Count,
};
inline constexpr uint32_t kKeyCount = static_cast<uint32_t>(Key::Count);

const char* key_name(Key k);
// Key::Count when `name` is not a key of any section.
Key find_key(Text name);

enum class SectionKind : uint8_t {
    None,    // before the first key or header
    Domain,  // a [domain], or the keys before any header (a plain one-domain xl.cfg)
    Pool,    // a [pool]
    Skipped, // a bad header: its keys are ignored up to the next header
};

class Parser {
public:
    Parser(Config& cfg, CpuId ncpus) : cfg_(cfg), ncpus_(ncpus) {}
    void run(const char* text, size_t len);

    // Records an error; `domain` (an index, or kMaxDomains) is marked rejected.
    void error(uint32_t line, const char* key, uint32_t domain, const char* fmt, ...)
        __attribute__((format(printf, 5, 6)));

private:
    void statement(const Statement& st);
    void open(SectionKind kind, uint32_t line);
    void close();
    void assign(const Statement& st);

    // keys.cpp
    void domain_key(Key k, const Statement& st, DomainSpec& d);
    void pool_key(Key k, const Statement& st, PoolSpec& p);
    bool number(const Statement& st, uint64_t min, uint64_t max, uint64_t& out);
    bool string(const Statement& st, Text& out);
    bool name(const Statement& st, char* out, uint32_t max_length); // out: max_length + 1 bytes
    bool module_name(const Statement& st, char (&out)[kMaxModuleNameLength + 1],
                     bool may_be_empty = false);
    bool guest_cmdline(const Statement& st, char (&out)[kMaxGuestCmdlineLength + 1]);
    bool cpus(const Atom& a, const Statement& st, CpuSet& out);
    bool domain_cpus(const Statement& st, DomainSpec& d);
    // Records an error about st's key in the open section; always false, for `return key_error()`.
    bool key_error(const Statement& st, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

    // finish.cpp
    void finish_domain(DomainSpec& d);
    void finish_workload(DomainSpec& d);
    void finish_pc_guest(DomainSpec& d);
    void finish_pool(PoolSpec& p);
    // plan_key.cpp
    void tasks_key(const Statement& st);
    void guest_sched_key(const Statement& st);
    bool plan_domain(DomainSpec& d);
    void finish_tasks_workload(const DomainSpec& d);
    void resolve_pools();
    uint32_t key_line(Key k) const { return key_line_[static_cast<uint32_t>(k)]; }
    uint32_t line_of(Key k) const { return key_line(k) ? key_line(k) : section_line_; }

    Config& cfg_;
    CpuId ncpus_;
    SectionKind kind_ = SectionKind::None;
    uint32_t index_ = 0;        // of the open domain or pool
    uint32_t section_line_ = 0; // where it started
    uint32_t key_line_[kKeyCount] = {};
    uint32_t domain_pool_line_[kMaxDomains] = {}; // the `pool` key of each domain, 0 if default
    uint32_t domain_cpus_line_[kMaxDomains] = {}; // the `cpus` key of each domain, 0 if default
    char domain_pool_[kMaxDomains][kMaxPoolNameLength + 1] = {};
    uint32_t cpus_items_ = 0; // `cpus` given as a list: its length (checked against vcpus)
    Statement st_;            // scratch for the lexer
};

} // namespace rthv::config::detail
