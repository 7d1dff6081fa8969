// Usage texts, in the shape of Xen's `xl help` and `xl <command> --help`.
#include "tools/xl/xl.hpp"

namespace rthv::xl {
namespace {

struct Help {
    const char* name;
    const char* summary;
    const char* usage;
    const char* options;
};

const Help kHelp[] = {
    {"list", "List information about all/some domains", "[Domain]", ""},
    {"vcpu-list", "List the VCPUs for all/some domains", "[Domain, ...]", ""},
    {"info", "Get information about the hypervisor host", "", ""},
    {"pause", "Pause execution of a domain", "<Domain>", ""},
    {"unpause", "Unpause a paused domain", "<Domain>", ""},
    {"dmesg", "Read the hypervisor's console buffer", "", ""},
    {"console", "Attach to domain's console", "<Domain>",
     "Streams a Linux domain's serial console and sends what is typed to it;\n"
     "Ctrl-] leaves. From a pipe: ends once the input is used up and the guest is quiet.\n"},
    {"debug-keys", "Send debug keys to the hypervisor", "<Keys>",
     "Keys: 'r' dumps the RTDS run, depleted and replenishment queues to the console\n"
     "      (read them with 'xl dmesg').\n"},
    {"sched-rtds", "Get/set rtds scheduler parameters",
     "[-d <Domain> [-v[=VCPUID/all]] [-p[=PERIOD]] [-b[=BUDGET]] [-e[=EXTRATIME]] [--force]]"
     " [-c <CPUPool>]",
     "-d DOMAIN, --domain=DOMAIN     Domain to show or modify (name or id)\n"
     "-v VCPUID/all, --vcpuid=VCPUID/all\n"
     "                               VCPU to modify or output; repeat for several;\n"
     "                               '-v all' for every VCPU (with or without -d)\n"
     "-p PERIOD, --period=PERIOD     Period (us), 10..4294967295\n"
     "-b BUDGET, --budget=BUDGET     Budget (us), 10..PERIOD\n"
     "-e EXTRATIME, --extratime=EXTRATIME\n"
     "                               Extratime (1=yes, 0=no); unchanged if not given\n"
     "-c CPUPOOL, --cpupool=CPUPOOL  Show only the domains of this cpupool\n"
     "-f, --force                    Apply a change that admission control refuses\n"
     "\n"
     "Examples:\n"
     "  xl sched-rtds                                  every domain, per cpupool\n"
     "  xl sched-rtds -d vm1 -v all                    every VCPU of vm1\n"
     "  xl sched-rtds -d vm1 -p 10000 -b 4000          all VCPUs of vm1\n"
     "  xl sched-rtds -d vm1 -v 0 -p 100 -b 50 -v 3 -p 300 -b 150 -e 0 -e 1\n"
     "A domain row shows the domain's real parameters; with -v each VCPU's own.\n"},
    {"sched-rtds-stats", "Show RTDS statistics per VCPU (one shot)", "[-d <Domain>] [-c <CPUPool>]",
     "-d DOMAIN, --domain=DOMAIN     Only this domain\n"
     "-c CPUPOOL, --cpupool=CPUPOOL  Only this cpupool\n"
     "\n"
     "Reserved = budget/period; Received = CPU time received in the scheduler's statistics\n"
     "window; Misses = periods that ended with budget the VCPU was denied (it waited long\n"
     "enough to use it); LateWake = periods that ended with budget it woke too late to use\n"
     "(not the scheduler's doing); MaxLat = worst delay from becoming runnable with budget to\n"
     "running; Extra = time run on extratime.\n"},
    {"trace", "Record the schedule of the running hypervisor (like xentrace)",
     "[-T <Seconds>] <File>",
     "-T SECONDS, --time-interval=SECONDS\n"
     "                               How long to record (host wall clock; default 1,\n"
     "                               fractions allowed); Ctrl-C ends it early\n"
     "\n"
     "Starts tracing unless it is already on (kernel command line trace=1), reads every\n"
     "pCPU's trace ring while it runs, stops tracing again if it started it, and writes\n"
     "File (hv/trace/FORMAT.md), File.perfetto.json (open in ui.perfetto.dev) and File.svg\n"
     "(a Gantt chart, one row per pCPU). Records a full ring dropped are counted per pCPU\n"
     "in File's footer and reported here: never silently.\n"},
};

} // namespace

std::string command_help(const std::string& command) {
    for (const Help& h : kHelp) {
        if (command != h.name) continue;
        std::string text =
            std::string("Usage: xl ") + h.name + " " + h.usage + "\n\n" + h.summary + ".\n";
        if (h.options[0] != '\0') text += std::string("\nOptions:\n\n") + h.options;
        return text;
    }
    return "";
}

std::string overall_help() {
    std::string text = "Usage: xl <subcommand> [args]\n\nxl full list of subcommands:\n\n";
    for (const Help& h : kHelp) {
        std::string name = h.name;
        name.resize(19, ' ');
        text += " " + name + " " + h.summary + "\n";
    }
    text += "\nThe hypervisor is reached through the UNIX socket in $RTHV_CTL, default\n"
            "/tmp/rthv-<uid>/ctl.sock (created by './rthv run').\n";
    return text;
}

} // namespace rthv::xl
