// Text and JSON renderings of a Plan. Fractions of a CPU are printed from ppm with integer
// maths, so the output is exact and the same on every host.
#include "tools/plan/output.hpp"

#include <cstdio>
#include <string>

namespace rthv::plan_tool {
namespace {

std::string cpus(uint64_t ppm) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llu.%06llu", static_cast<unsigned long long>(ppm / 1000000),
                  static_cast<unsigned long long>(ppm % 1000000));
    return buf;
}

std::string cfg_lines(const Options& o, const plan::Plan& p) {
    return "vcpus = " + std::to_string(p.vcpus) + "\nperiod = " + std::to_string(p.period_us) +
           "\nbudget = " + std::to_string(p.budget_us) + "\nwake = \"" +
           plan::server_name(o.request.server) + "\"\n";
}

std::string xl_line(const Options& o, const plan::Plan& p) {
    return "xl sched-rtds -d " + o.domain + " -v all -p " + std::to_string(p.period_us) + " -b " +
           std::to_string(p.budget_us);
}

std::string json_string(const std::string& s) {
    std::string r = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') r += '\\';
        if (c == '\n') {
            r += "\\n";
            continue;
        }
        r += c;
    }
    return r + "\"";
}

} // namespace

const char* guarantee(plan::ServerRule r) {
    if (r == plan::ServerRule::Cbs)
        return "cbs: each VCPU supplies at least the periodic-resource bound sbf(P, B) of Shin & "
               "Lee (blackout 2(P-B)), provided its pool passes GFB and every VCPU in the pool "
               "uses wake = \"cbs\" or never blocks (hv/plan/SERVERS.md)";
    return "deferrable: the budget of the period a VCPU wakes into is not counted (it can be "
           "lost to back-to-back neighbours), so the bound used is sbf(P, B) delayed by B "
           "(blackout 2P-B); a deferring VCPU still harms its neighbours, so the pool's other "
           "VCPUs must use wake = \"cbs\" or never block (hv/plan/SERVERS.md)";
}

void print_text(std::ostream& out, const Options& o, const plan::Plan& p) {
    const plan::Request& r = o.request;
    out << "task set: " << r.tasks.count << " tasks, utilisation " << cpus(p.task_ppm) << "; guest "
        << plan::guest_name(r.guest) << " on " << r.vcpus << " VCPU" << (r.vcpus > 1 ? "s" : "")
        << ", server " << plan::server_name(r.server) << ", overhead " << r.overhead_us
        << " us per period\n";
    out << "   period    budget  bandwidth (CPUs)\n";
    for (uint32_t i = 0; i < p.candidate_count; ++i) {
        const plan::Candidate& c = p.candidates[i];
        char line[96];
        if (c.budget_us == 0)
            std::snprintf(line, sizeof line, "%9llu         -  not schedulable\n",
                          static_cast<unsigned long long>(c.period_us));
        else
            std::snprintf(line, sizeof line, "%9llu %9llu  %s\n",
                          static_cast<unsigned long long>(c.period_us),
                          static_cast<unsigned long long>(c.budget_us),
                          cpus(c.bandwidth_ppm).c_str());
        out << line;
    }
    if (!p.ok) {
        out << "no plan: " << p.why << "\n";
        return;
    }
    out << "plan: period " << p.period_us << " us, budget " << p.budget_us << " us on each of "
        << p.vcpus << " VCPU" << (p.vcpus > 1 ? "s" : "") << " (analysis " << p.analysed_us
        << " + overhead " << r.overhead_us << "), bandwidth " << cpus(p.bandwidth_ppm) << " CPUs\n";
    if (r.guest == plan::GuestSched::Rm && r.vcpus > 1) {
        out << "partitioned RM (pin each task to its VCPU):";
        for (uint32_t i = 0; i < r.tasks.count; ++i)
            out << " task" << i << "->vcpu" << +p.vcpu_of[i];
        out << "\n";
    }
    if (p.mpr_budget_us != 0) {
        const uint64_t base = p.mpr_budget_us / p.vcpus, extra = p.mpr_budget_us % p.vcpus;
        out << "for comparison, the MPR interface (Easwaran-Shin-Lee) at this period: (P="
            << p.period_us << ", Theta=" << p.mpr_budget_us << ", m'=" << p.vcpus
            << "); the paper's transformation: " << extra << " x (" << p.period_us << ", "
            << base + 1 << ") + " << p.vcpus - extra << " x (" << p.period_us << ", " << base
            << "), valid only with the VCPUs' periods aligned\n";
    }
    out << "guarantee: " << guarantee(r.server) << "\n";
    out << "hv/config (the domain's section):\n" << cfg_lines(o, p);
    out << "xl:\n" << xl_line(o, p) << "\n";
}

void print_json(std::ostream& out, const Options& o, const plan::Plan& p) {
    const plan::Request& r = o.request;
    out << "{\"tasks\": [";
    for (uint32_t i = 0; i < r.tasks.count; ++i) {
        const plan::Task& t = r.tasks.tasks[i];
        out << (i ? ", " : "") << "{\"wcet_us\": " << t.wcet_us
            << ", \"period_us\": " << t.period_us << ", \"deadline_us\": " << t.deadline_us << "}";
    }
    out << "], \"utilisation_ppm\": " << p.task_ppm << ", \"guest\": \""
        << plan::guest_name(r.guest) << "\", \"server\": \"" << plan::server_name(r.server)
        << "\", \"vcpus\": " << r.vcpus << ", \"overhead_us\": " << r.overhead_us
        << ", \"ok\": " << (p.ok ? "true" : "false") << ", \"candidates\": [";
    for (uint32_t i = 0; i < p.candidate_count; ++i) {
        const plan::Candidate& c = p.candidates[i];
        out << (i ? ", " : "") << "{\"period_us\": " << c.period_us
            << ", \"budget_us\": " << c.budget_us << ", \"bandwidth_ppm\": " << c.bandwidth_ppm
            << "}";
    }
    out << "]";
    if (!p.ok) {
        out << ", \"why\": " << json_string(p.why) << "}\n";
        return;
    }
    out << ", \"period_us\": " << p.period_us << ", \"budget_us\": " << p.budget_us
        << ", \"analysed_us\": " << p.analysed_us << ", \"bandwidth_ppm\": " << p.bandwidth_ppm
        << ", \"vcpu_need_us\": [";
    for (uint32_t v = 0; v < p.vcpus; ++v) out << (v ? ", " : "") << p.need_us[v];
    out << "]";
    if (r.guest == plan::GuestSched::Rm && r.vcpus > 1) {
        out << ", \"task_vcpu\": [";
        for (uint32_t i = 0; i < r.tasks.count; ++i) out << (i ? ", " : "") << +p.vcpu_of[i];
        out << "]";
    }
    if (p.mpr_budget_us != 0) {
        const uint64_t base = p.mpr_budget_us / p.vcpus, extra = p.mpr_budget_us % p.vcpus;
        out << ", \"mpr\": {\"theta_us\": " << p.mpr_budget_us << ", \"servers_budget_us\": [";
        for (uint32_t v = 0; v < p.vcpus; ++v) out << (v ? ", " : "") << base + (v < extra ? 1 : 0);
        out << "]}";
    }
    out << ", \"guarantee\": " << json_string(guarantee(r.server))
        << ", \"cfg\": " << json_string(cfg_lines(o, p))
        << ", \"xl\": " << json_string(xl_line(o, p)) << "}\n";
}

} // namespace rthv::plan_tool
