"""Human tables for a scenario run's report (the "vcpus" and "pcpus" sections written by
arch/x86/hvm/dom_report.cpp): one line per VCPU and per physical CPU.

period, budget and util% are the parameters in force at the end of the run (xl sched-rtds may
have changed them); resv% is the reservation weighted by time over the run, what share% is to be
compared with. job_miss counts the jobs a periodic or tasks guest saw finish late; srv_miss
the scheduler's server misses, late the periods whose budget the VCPU woke too late to use
(hv/sched/DESIGN.md "Misses")."""

VCPU_COLUMNS = [
    # header, width, value
    ("domain", 10, lambda v: v["domain"]),
    ("vcpu", 4, lambda v: v["vcpu"]),
    ("kernel", 12, lambda v: v["workload"]),
    ("period", 7, lambda v: v["period_us"]),
    ("budget", 7, lambda v: v["budget_us"]),
    ("extra", 5, lambda v: "yes" if v["extratime"] else "no"),
    ("util%", 6, lambda v: "%.2f" % (100 * float(v["utilisation"]))),
    ("resv%", 6, lambda v: "%.2f" % (100 * float(v.get("reserved", v["utilisation"])))),
    ("share%", 7, lambda v: "%.2f" % (100 * float(v["share"]))),
    ("periods", 7, lambda v: v["periods"]),
    ("job_miss", 8, lambda v: v["misses"] if v["workload"] in ("periodic", "tasks") else "-"),
    ("srv_miss", 8, lambda v: v.get("server_misses", "-")),
    # late wakes: periods ending with budget the VCPU woke too late to use (hv/sched/DESIGN.md
    # "Misses"): not misses, counted apart.
    ("late", 5, lambda v: v.get("late_wakes", "-")),
    ("worst_us", 8, lambda v: v["worst_latency_us"]),
    ("(kind)", 8, lambda v: v["latency_kind"]),
    ("extra_us", 8, lambda v: v["extratime_us"]),
    ("state", 8, lambda v: v["state"]),
]

PCPU_COLUMNS = [
    ("cpu", 3, lambda p: p["cpu"]),
    ("busy%", 8, lambda p: "%.2f" % float(p["busy_pct"])),
    ("idle%", 8, lambda p: "%.2f" % float(p["idle_pct"])),
    ("overhead%", 9, lambda p: "%.2f" % float(p["overhead_pct"])),
    ("elapsed_us", 10, lambda p: p["elapsed_ns"] // 1000),
    ("switches", 8, lambda p: p["switches"]),
    ("migrations", 10, lambda p: p["migrations"]),
]


def table(rows, columns):
    lines = ["  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w, _) in enumerate(columns))]
    for r in rows:
        cells = [str(f(r)) for _, _, f in columns]
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w)
                               for i, (c, (_, w, _)) in enumerate(zip(cells, columns))))
    return "\n".join(lines)


def print_tables(report, out):
    """Prints nothing for reports without a scenario (other tests)."""
    if "vcpus" not in report:
        return
    sc = report.get("scenario", {})
    ips = report.get("ips")
    out.write("\nscenario %s (%s), %.1f ms emulated%s\n"
              % (sc.get("config", "?"), sc.get("config_summary", ""),
                 sc.get("run_ns", 0) / 1e6, ", ips %d" % ips if ips else ""))
    out.write(table(report["vcpus"], VCPU_COLUMNS) + "\n\n")
    out.write(table(report.get("pcpus", []), PCPU_COLUMNS) + "\n")
    changed = [v for v in report["vcpus"] if v.get("param_changes", 0)]
    for v in changed:
        out.write("%s vcpu %s: parameters changed %d time(s) during the run (configured %s/%s "
                  "us, %s/%s us at the end)\n" % (v["domain"], v["vcpu"], v["param_changes"],
                                                  v["configured_budget_us"],
                                                  v["configured_period_us"], v["budget_us"],
                                                  v["period_us"]))
    crashed = report.get("domains_crashed", [])
    out.write("domains crashed: %s\n" % (", ".join(crashed) if crashed else "none"))
    print_linux(report.get("linux", []), out)


LINUX_COLUMNS = [
    ("linux", 12, lambda d: d["domain"]),
    ("vcpus", 5, lambda d: d["vcpus"]),
    ("MiB", 5, lambda d: d["memory_bytes"] >> 20),
    ("ready_s", 8, lambda d: "%.3f" % (d["ready_at_ns"] / 1e9) if d["ready_at_ns"] else "-"),
    ("cpus_on", 7, lambda d: d["reported"].get("online_cpus", "-")),
    ("share%_since_ready", 18,
     lambda d: "/".join("%.2f" % (100 * float(s)) for s in d["share_since_ready"])
     if d["ready_at_ns"] else "-"),
    ("irqs", 7, lambda d: d["interrupts_injected"]),
    ("msr_gp", 6, lambda d: d["msr_refused"]),
]


def print_linux(domains, out):
    """Linux domains: readiness and CPUs as the guest reported them, the share of each VCPU
    after that, and every other figure the guest reported (guests/linux/REPORT.md), e.g.
    cyclictest's latencies."""
    if not domains:
        return
    out.write("\n" + table(domains, LINUX_COLUMNS) + "\n")
    for d in domains:
        extra = {k: v for k, v in d["reported"].items() if k not in ("ready", "online_cpus")}
        if extra:
            out.write("%s reported: %s\n" % (d["domain"], ", ".join(
                "%s=%s" % kv for kv in sorted(extra.items()))))
