// Domain-level commands with Xen's output: list, vcpu-list, info, pause, unpause, dmesg,
// debug-keys. Arguments are checked before the first request goes out.
#include "hv/ctl/wire.hpp"
#include "tools/xl/format.hpp"
#include "tools/xl/xl.hpp"

namespace rthv::xl {

using namespace rthv::ctl;

namespace {

void no_options(const std::vector<std::string>& args) {
    for (const std::string& a : args)
        if (a.size() > 1 && a[0] == '-') throw XlError("unknown option '" + a + "'");
}

const std::string& one_domain(const std::vector<std::string>& args) {
    no_options(args);
    if (args.empty()) throw XlError("missing domain (name or id)");
    if (args.size() > 1) throw XlError("unexpected argument '" + args[1] + "'");
    return args[0];
}

} // namespace

void cmd_list(const std::vector<std::string>& args, Session& s, Io io) {
    no_options(args);
    if (args.size() > 1) throw XlError("unexpected argument '" + args[1] + "'");
    std::vector<DomainInfo> domains = s.client().domains();
    if (!args.empty()) domains = {find_domain(domains, args[0])};
    io.out << list_header();
    for (const DomainInfo& d : domains) io.out << list_row(d);
}

void cmd_vcpu_list(const std::vector<std::string>& args, Session& s, Io io) {
    no_options(args);
    Client& c = s.client();
    std::vector<DomainInfo> domains = c.domains();
    if (!args.empty()) {
        std::vector<DomainInfo> chosen;
        for (const std::string& a : args) chosen.push_back(find_domain(domains, a));
        domains = chosen;
    }
    const uint32_t nr_cpus = c.info().nr_cpus;
    io.out << vcpu_list_header();
    for (const DomainInfo& d : domains)
        for (const VcpuInfo& v : c.vcpus(d.id)) io.out << vcpu_list_row(d, v, nr_cpus);
}

void cmd_info(const std::vector<std::string>& args, Session& s, Io io) {
    no_options(args);
    if (!args.empty()) throw XlError("unexpected argument '" + args[0] + "'");
    io.out << info_text(s.client().info());
}

void cmd_pause(const std::vector<std::string>& args, Session& s, Io) {
    const std::string& spec = one_domain(args);
    Client& c = s.client();
    c.pause(find_domain(c.domains(), spec).id);
}

void cmd_unpause(const std::vector<std::string>& args, Session& s, Io) {
    const std::string& spec = one_domain(args);
    Client& c = s.client();
    c.unpause(find_domain(c.domains(), spec).id);
}

void cmd_dmesg(const std::vector<std::string>& args, Session& s, Io io) {
    no_options(args);
    if (!args.empty()) throw XlError("unexpected argument '" + args[0] + "'");
    io.out << s.client().dmesg();
}

void cmd_debug_keys(const std::vector<std::string>& args, Session& s, Io) {
    if (args.empty()) throw XlError("missing keys (e.g. 'xl debug-keys r')");
    if (args.size() > 1) throw XlError("unexpected argument '" + args[1] + "'");
    const std::string& keys = args[0];
    if (keys.size() > kMaxDebugKeys)
        throw XlError("at most " + std::to_string(kMaxDebugKeys) + " keys at once");
    for (char k : keys)
        if (k < 0x21 || k > 0x7E) throw XlError("debug keys must be printable characters");
    s.client().debug_keys(keys);
}

} // namespace rthv::xl
