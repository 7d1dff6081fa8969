// One key at a time: type and range checks, then the value goes into the spec. Checks that need
// several keys (budget <= period, job_us <= job_period_us, ...) wait for finish.cpp.
#include "hv/config/parser.hpp"
#include "hv/lib/format.hpp"

namespace rthv::config::detail {
namespace {

constexpr const char* kKeyNames[kKeyCount] = {
    "name",
    "vcpus",
    "memory",
    "kernel",
    "job_us",
    "job_period_us",
    "release_offset_us",
    "burst_us",
    "sleep_us",
    "period",
    "budget",
    "extratime",
    "wake",
    "cpus",
    "pool",
    "tasks",
    "guest_sched",
    "plan_overhead_us",
    "image",
    "ramdisk",
    "cmdline",
};

using ull = unsigned long long;

constexpr WakeRule kWakeRules[] = {WakeRule::Deferrable, WakeRule::Cbs};

} // namespace

const char* key_name(Key k) { return k < Key::Count ? kKeyNames[static_cast<uint32_t>(k)] : "?"; }

Key find_key(Text name) {
    for (uint32_t i = 0; i < kKeyCount; ++i)
        if (name.equals(kKeyNames[i])) return static_cast<Key>(i);
    return Key::Count;
}

bool Parser::key_error(const Statement& st, const char* fmt, ...) {
    char key[kMaxKeyLength + 1];
    format(key, sizeof key, "%.*s", static_cast<int>(st.name.len), st.name.ptr);
    char message[sizeof ConfigError{}.text];
    FormatArgs args;
    __builtin_va_start(args, fmt);
    vformat(message, sizeof message, fmt, args);
    __builtin_va_end(args);
    if (kind_ == SectionKind::Pool) cfg_.pools[index_].rejected = true;
    error(st.line, key, kind_ == SectionKind::Domain ? index_ : kMaxDomains, "%s", message);
    return false;
}

bool Parser::number(const Statement& st, uint64_t min, uint64_t max, uint64_t& out) {
    if (st.is_list) return key_error(st, "expects a number, not a list");
    if (st.atom.is_string) return key_error(st, "expects a number, not a string");
    if (st.atom.number < min || st.atom.number > max)
        return key_error(st, "must be between %llu and %llu", ull{min}, ull{max});
    out = st.atom.number;
    return true;
}

bool Parser::string(const Statement& st, Text& out) {
    if (st.is_list) return key_error(st, "expects a quoted string, not a list");
    if (!st.atom.is_string) return key_error(st, "expects a quoted string, not a number");
    out = st.atom.text;
    return true;
}

bool Parser::name(const Statement& st, char* out, uint32_t max_length) {
    Text t;
    if (!string(st, t)) return false;
    Problem why;
    if (!check_name(t, max_length, why)) return key_error(st, "%s", why.text);
    format(out, max_length + 1, "%.*s", static_cast<int>(t.len), t.ptr);
    return true;
}

// A boot module's name as the runner gives it to GRUB (`module2 FILE NAME`): one word.
bool Parser::module_name(const Statement& st, char (&out)[kMaxModuleNameLength + 1],
                         bool may_be_empty) {
    Text t;
    if (!string(st, t)) return false;
    if ((t.len == 0 && !may_be_empty) || t.len > kMaxModuleNameLength)
        return key_error(st, "must be %u-%u characters", may_be_empty ? 0 : 1,
                         kMaxModuleNameLength);
    for (size_t i = 0; i < t.len; ++i)
        if (t.ptr[i] == ' ' || t.ptr[i] == '"' || t.ptr[i] == '\\' || t.ptr[i] == ';')
            return key_error(st, "a module name is one word (no spaces, quotes, ';' or '\\')");
    format(out, sizeof out, "%.*s", static_cast<int>(t.len), t.ptr);
    return true;
}

// The guest kernel's command line, copied as written (the loader appends what the platform
// needs, e.g. the TSC frequency).
bool Parser::guest_cmdline(const Statement& st, char (&out)[kMaxGuestCmdlineLength + 1]) {
    Text t;
    if (!string(st, t)) return false;
    if (t.len > kMaxGuestCmdlineLength)
        return key_error(st, "is %u characters; at most %u fit", t.len, kMaxGuestCmdlineLength);
    format(out, sizeof out, "%.*s", static_cast<int>(t.len), t.ptr);
    return true;
}

// One CPU list: a string in xl's syntax, or a bare number naming a single CPU.
bool Parser::cpus(const Atom& a, const Statement& st, CpuSet& out) {
    Problem why;
    if (a.is_string) {
        if (parse_cpu_list(a.text, ncpus_, out, why)) return true;
        return key_error(st, "%s", why.text);
    }
    if (a.number >= ncpus_)
        return key_error(st, "CPU %llu does not exist (CPUs are 0-%u)", ull{a.number}, ncpus_ - 1);
    out = CpuSet::single(static_cast<CpuId>(a.number));
    return true;
}

// As xl: one list for every VCPU, or a list of lists where item i is VCPU i's (VCPUs beyond the
// end of the list may run anywhere).
bool Parser::domain_cpus(const Statement& st, DomainSpec& d) {
    if (!st.is_list) {
        CpuSet all;
        if (!cpus(st.atom, st, all)) return false;
        for (CpuSet& a : d.affinity) a = all;
        return true;
    }
    if (st.item_count == 0) return key_error(st, "empty list");
    for (uint32_t i = 0; i < st.item_count; ++i)
        if (!cpus(st.items[i], st, d.affinity[i])) return false;
    cpus_items_ = st.item_count;
    return true;
}

void Parser::domain_key(Key k, const Statement& st, DomainSpec& d) {
    WorkloadSpec& w = d.workload;
    uint64_t n = 0;
    Text t;
    switch (k) {
    case Key::Name:
        name(st, d.name, kMaxDomainNameLength);
        break;
    case Key::Vcpus:
        if (number(st, 1, kMaxVcpusPerDomain, n)) d.vcpus = static_cast<uint32_t>(n);
        break;
    case Key::Memory:
        number(st, 1, kMaxMemoryMiB, d.memory_mib);
        break;
    case Key::Kernel:
        if (!string(st, t)) break;
        if (t.equals(kLinuxKernel)) return static_cast<void>(d.guest = GuestKind::Linux);
        if (t.equals(kPvhKernel)) return static_cast<void>(d.guest = GuestKind::Pvh);
        d.guest = GuestKind::Toy;
        for (uint32_t i = 0; i < kWorkloadCount; ++i)
            if (t.equals(workload_name(static_cast<Workload>(i))))
                return static_cast<void>(w.kind = static_cast<Workload>(i));
        key_error(st, "unknown kernel (linux, pvh, busy, periodic, interactive, cli-spin, "
                      "exit-storm, ept-escape, triple-fault, tasks)");
        break;
    case Key::JobUs:
        number(st, 1, kMaxPeriodUs, w.job_us);
        break;
    case Key::JobPeriodUs:
        number(st, kMinParamUs, kMaxPeriodUs, w.job_period_us);
        break;
    case Key::ReleaseOffsetUs:
        number(st, 0, kMaxPeriodUs, w.release_offset_us);
        break;
    case Key::BurstUs:
        number(st, 1, kMaxPeriodUs, w.burst_us);
        break;
    case Key::SleepUs:
        number(st, kMinParamUs, kMaxPeriodUs, w.sleep_us);
        break;
    // Any number here: the limits are the scheduler's, checked by validate() in finish_domain.
    case Key::Period:
        number(st, 0, ~uint64_t{0}, d.params.period_us);
        break;
    case Key::Budget:
        number(st, 0, ~uint64_t{0}, d.params.budget_us);
        break;
    case Key::Extratime:
        if (number(st, 0, 1, n)) d.params.extratime = n == 1;
        break;
    case Key::Wake:
        if (!string(st, t)) break;
        for (WakeRule r : kWakeRules)
            if (t.equals(describe(r))) return static_cast<void>(d.params.wake_rule = r);
        key_error(st, "unknown wake rule (deferrable, cbs)");
        break;
    case Key::Cpus:
        domain_cpus(st, d);
        break;
    case Key::Pool:
        if (name(st, domain_pool_[index_], kMaxPoolNameLength)) domain_pool_line_[index_] = st.line;
        break;
    case Key::Tasks:
        tasks_key(st);
        break;
    case Key::GuestSched:
        guest_sched_key(st);
        break;
    case Key::PlanOverheadUs:
        number(st, 0, kMaxPeriodUs, cfg_.plan_request.overhead_us);
        break;
    case Key::Image:
        module_name(st, d.linux_boot.image);
        break;
    case Key::Ramdisk:
        module_name(st, d.linux_boot.ramdisk, true); // "": boot without one
        break;
    case Key::Cmdline:
        guest_cmdline(st, d.linux_boot.cmdline);
        break;
    case Key::Count:
        break;
    }
    if (k == Key::Cpus) domain_cpus_line_[index_] = st.line;
}

void Parser::pool_key(Key k, const Statement& st, PoolSpec& p) {
    switch (k) {
    case Key::Name: {
        Text t;
        if (!string(st, t)) break;
        if (t.equals(kDefaultPoolName))
            key_error(st, "Pool-0 is implicit: it holds every CPU no [pool] takes");
        else
            name(st, p.name, kMaxPoolNameLength);
        break;
    }
    case Key::Cpus:
        if (!st.is_list) {
            cpus(st.atom, st, p.cpus);
            break;
        }
        for (uint32_t i = 0; i < st.item_count; ++i) {
            CpuSet item;
            if (!cpus(st.items[i], st, item)) break;
            p.cpus = p.cpus | item;
        }
        if (st.item_count == 0) key_error(st, "empty list");
        break;
    default:
        key_error(st, "unknown key in a [pool] section (keys: name, cpus)");
        break;
    }
}

} // namespace rthv::config::detail
