#!/usr/bin/env python3
"""Boot test for reservations planned from a guest's task set (issue 16 item 4): boot a scenario
whose domains give `tasks` instead of a budget and run kernel "tasks" (guests/tasks.cpp: the
guest schedules exactly that task set itself, EDF or RM, and counts every job that misses its
deadline), under Bochs (deterministic time), and judge it from the hypervisor's JSON report.

For every planned domain:
  - the boot planned what `rthv plan` plans for the same task set, guest scheduler, wake rule
    and overhead (period and budget equal; the CLI is run here as the independent oracle), and
    the report's "planned" object gives the task set's utilisation and the bandwidth;
  - admission took it (the VCPU ran) and, without extratime, it received at most its
    reservation (share <= bandwidth + 0.2 points);
  - the guest completed its jobs (at least the releases in the run, less the reports not yet
    sent) and, unless --expect-misses, none missed its deadline; the scheduler counted no server
    miss.
With --expect-misses DOMAIN: that domain's guest did see missed jobs (the scenario plans it
without the hypervisor's overhead): the check can fail, and the overhead parameter matters.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guest_check  # noqa: E402

def planned_domains(path):
    """{name: {key: value}} for each [domain] of the scenario that gives `tasks`."""
    doms, cur = {}, None
    for raw in open(path):
        for line in raw.split("#", 1)[0].split(";"):
            line = line.strip()
            if line.startswith("["):  # a [domain] starts one; any other section ends it
                cur = {} if line == "[domain]" else None
                continue
            m = re.match(r'(\w+)\s*=\s*"?([^"]*)"?$', line)
            if m and cur is not None:
                cur[m.group(1)] = m.group(2)
                if m.group(1) == "name":
                    doms[m.group(2)] = cur
    return {n: d for n, d in doms.items() if "tasks" in d}


def plan(a, d, tmp):
    """The planner's answer for domain spec `d` (rthv-plan --json)."""
    tasks = os.path.join(tmp, "tasks")
    with open(tasks, "w") as f:
        f.write(d["tasks"] + "\n")
    cmd = [a.plan, tasks, "--json", "--guest", d.get("guest_sched", "edf"),
           "--server", d.get("wake", "deferrable"), "--overhead", d.get("plan_overhead_us", "0")]
    if "period" in d:
        cmd += ["--period", d["period"]]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def releases(tasks, duration_s):
    """Jobs released in the run: every task at 0, then every T (µs)."""
    total = 0
    for item in re.split(r"[,\s]+", tasks.strip()):
        period_us = int(item.split("/")[1])
        total += int(duration_s * 1e6) // period_us + 1
    return total


def check(a, r, text, doms, plans):
    failures = guest_check.bochs_run_failures(a, r, text)

    def c(ok, message):
        if not ok:
            failures.append(message)

    summary = r.get("scenario", {}).get("config_summary", "")
    vcpus = {v["domain"]: v for v in r.get("vcpus", [])}
    for name, d in doms.items():
        v, p = vcpus.get(name), plans[name]
        if v is None:
            failures.append("%s: not in the report (not admitted?)" % name)
            continue
        c("%s %d/%d us" % (name, p["budget_us"], p["period_us"]) in summary,
          "%s: the summary %r does not give the plan" % (name, summary))
        c((v["period_us"], v["budget_us"]) == (p["period_us"], p["budget_us"]),
          "%s: runs %d/%d us, rthv plan says %d/%d us" % (name, v["budget_us"], v["period_us"],
                                                          p["budget_us"], p["period_us"]))
        pl = v.get("planned") or {}
        c(pl.get("guest_sched") == d.get("guest_sched", "edf") and pl.get("tasks") ==
          len(re.split(r"[,\s]+", d["tasks"].strip())), "%s: planned %r" % (name, pl))
        c(abs(float(pl.get("task_utilisation", -1)) - p["utilisation_ppm"] / 1e6) < 1e-5,
          "%s: task utilisation %r, plan %r ppm" % (name, pl.get("task_utilisation"),
                                                    p["utilisation_ppm"]))
        c(float(v["share"]) <= float(pl.get("bandwidth", 0)) + 0.002,
          "%s: share %s above its planned bandwidth %s" % (name, v["share"], pl.get("bandwidth")))
        want = releases(d["tasks"], a.duration) - 16 - 3 * len(d["tasks"].split(","))
        c(v["jobs"] >= want, "%s: %d jobs reported, expected at least %d" % (name, v["jobs"],
                                                                             want))
        c(v["server_misses"] == 0, "%s: %d server misses" % (name, v["server_misses"]))
        if name in a.expect_misses:
            c(v["misses"] > 0, "%s: no job missed, though planned without overhead" % name)
        else:
            c(v["misses"] == 0, "%s: %d jobs missed their deadline" % (name, v["misses"]))
        print("%s: %s %d tasks U=%s planned %d/%d us (bandwidth %s), share %s, jobs %d, "
              "missed %d, worst response %d us" % (
                  name, pl.get("guest_sched"), pl.get("tasks", 0), pl.get("task_utilisation"),
                  v["budget_us"], v["period_us"], pl.get("bandwidth"), v["share"], v["jobs"],
                  v["misses"], v["worst_latency_us"]))
    return failures


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--elf", required=True)
    p.add_argument("--plan", required=True, help="the rthv-plan binary")
    p.add_argument("--config", required=True)
    p.add_argument("--backend", choices=sorted(guest_check.BOCHS_CPU), required=True)
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--for", dest="duration", type=float, default=1.0)
    p.add_argument("--ips", type=int, default=100_000_000)
    p.add_argument("--expect-misses", action="append", default=[], metavar="DOMAIN")
    a = p.parse_args()
    doms = planned_domains(a.config)
    if not doms:
        print("FAIL: %s has no domain with tasks" % a.config)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        plans = {n: plan(a, d, tmp) for n, d in doms.items()}
        rc, r, text = guest_check.run_bochs(a, tmp)
    failures = check(a, r, text, doms, plans)
    if rc != 0:
        failures.append("the runner exited with %d" % rc)
    return guest_check.exit_status(failures)


if __name__ == "__main__":
    sys.exit(main())
