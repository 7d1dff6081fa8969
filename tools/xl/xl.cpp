// Command dispatch and the lookups every command shares.
#include "tools/xl/xl.hpp"

#include <cstdint>

namespace rthv::xl {
namespace {

using Command = void (*)(const std::vector<std::string>&, Session&, Io);

struct Entry {
    const char* name;
    Command run;
};

const Entry kCommands[] = {
    {"list", cmd_list},
    {"vcpu-list", cmd_vcpu_list},
    {"info", cmd_info},
    {"pause", cmd_pause},
    {"unpause", cmd_unpause},
    {"dmesg", cmd_dmesg},
    {"console", cmd_console},
    {"debug-keys", cmd_debug_keys},
    {"sched-rtds", cmd_sched_rtds},
    {"sched-rtds-stats", cmd_sched_rtds_stats},
    {"trace", cmd_trace},
};

bool is_help_flag(const std::string& a) { return a == "-h" || a == "--help"; }

bool all_digits(const std::string& s) {
    if (s.empty() || s.size() > 9) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

} // namespace

Client& Session::client() {
    if (!client_) {
        transport_ = std::make_unique<UnixTransport>(path_);
        client_ = std::make_unique<Client>(*transport_, timeout_ms_);
    }
    return *client_;
}

int run_xl(const std::vector<std::string>& args, Session& session, Io io) {
    if (args.empty()) {
        io.err << overall_help();
        return 1;
    }
    const std::string& name = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (name == "help" || is_help_flag(name)) {
        if (rest.empty()) {
            io.out << overall_help();
            return 0;
        }
        const std::string text = command_help(rest[0]);
        if (text.empty()) {
            io.err << "xl help: unknown command '" << rest[0] << "'; see 'xl help'\n";
            return 1;
        }
        io.out << text;
        return 0;
    }
    for (const Entry& e : kCommands) {
        if (name != e.name) continue;
        if (rest.size() == 1 && is_help_flag(rest[0])) {
            io.out << command_help(name);
            return 0;
        }
        try {
            e.run(rest, session, io);
            io.out.flush();
            return 0;
        } catch (const XlError& x) {
            io.out.flush();
            io.err << "xl " << name << ": " << x.what() << "\n";
            return 1;
        }
    }
    io.err << "xl: unknown command '" << name << "'; see 'xl help'\n";
    return 1;
}

ctl::DomainInfo find_domain(const std::vector<ctl::DomainInfo>& domains, const std::string& spec) {
    for (const ctl::DomainInfo& d : domains)
        if (spec == d.name) return d;
    if (all_digits(spec)) {
        const auto id = static_cast<uint32_t>(std::stoul(spec));
        for (const ctl::DomainInfo& d : domains)
            if (d.id == id) return d;
    }
    throw XlError("unknown domain '" + spec + "' (see 'xl list')");
}

ctl::PoolInfo find_pool(const std::vector<ctl::PoolInfo>& pools, const std::string& spec) {
    for (const ctl::PoolInfo& p : pools)
        if (spec == p.name) return p;
    if (all_digits(spec)) {
        const auto id = static_cast<uint32_t>(std::stoul(spec));
        for (const ctl::PoolInfo& p : pools)
            if (p.id == id) return p;
    }
    throw XlError("unknown cpupool '" + spec + "'");
}

std::string pool_name(const std::vector<ctl::PoolInfo>& pools, uint32_t id) {
    for (const ctl::PoolInfo& p : pools)
        if (p.id == id) return p.name;
    return "Pool-" + std::to_string(id);
}

} // namespace rthv::xl
