#!/usr/bin/env python3
"""Converts a trace with rthv-trace and checks both pictures against the scheduler's own counts.

  check_pictures.py --tool RTHV_TRACE --workdir DIR --writer TRACE_SCENARIO_WRITER
  check_pictures.py --tool RTHV_TRACE --workdir DIR --sim RTDS_SIM --scenario FILE.scn [--ms N]
                    [--trace-name run.rthvt] [--sim-pictures]

The first drives the real Scheduler (trace_scenario_writer, hv/trace text export); the second
runs the simulator (its own --trace text format, or with a .rthvt trace name the hv/trace format,
which must then also carry every dispatched VCPU's deadlines) and takes the counts from its
--json report.
With --sim-pictures the pictures checked are the ones rtds-sim wrote itself next to its trace
(TRACE.perfetto.json, TRACE.svg: one command gives the chart), not rthv-trace's.
Checks: the Perfetto JSON parses; it has one named pCPU track per pCPU; the number of "X" run
slices per VCPU equals the scheduler's dispatch count for that VCPU; the SVG is well-formed XML
with exactly one row per pCPU, one slice rect per run slice and one legend entry per VCPU.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "tools", "run"))
import trace_output  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def fail(message):
    sys.exit(f"check_pictures: FAIL: {message}")


def expected_from_writer(args, trace):
    counts_file = os.path.join(args.workdir, "expected.txt")
    subprocess.run([args.writer, trace, counts_file], check=True)
    cpus, dispatches = 0, {}
    with open(counts_file, encoding="utf-8") as f:
        for line in f:
            words = line.split()
            if words[0] == "cpus":
                cpus = int(words[1])
            elif words[0] == "dispatches":
                dispatches[words[1]] = int(words[2])
    return cpus, dispatches


def expected_from_sim(args, trace):
    report = os.path.join(args.workdir, "report.json")
    subprocess.run([args.sim, args.scenario, "--duration", str(args.ms), "--trace", trace,
                    "--json", report], check=True, stdout=subprocess.DEVNULL)
    with open(report, encoding="utf-8") as f:
        data = json.load(f)
    return data["scenario"]["pcpus"], {v["name"]: v["dispatches"] for v in data["vcpus"]}


def check_json(path, cpus, dispatches):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)  # raises (and fails the test) if it does not parse
    events = data["traceEvents"]
    tracks = {e["tid"] for e in events
              if e["ph"] == "M" and e["name"] == "thread_name" and e["pid"] == 1}
    if tracks != set(range(cpus)):
        fail(f"pCPU tracks {sorted(tracks)}, expected 0..{cpus - 1}")
    slices = collections.Counter(e["name"] for e in events if e["ph"] == "X")
    if any(e["tid"] >= cpus for e in events if e["ph"] == "X"):
        fail("a run slice on a track that is not a pCPU")
    for name, count in dispatches.items():
        if slices.get(name, 0) != count:
            fail(f"{name}: {slices.get(name, 0)} run slices in the JSON, scheduler says {count}")
    if set(slices) - set(dispatches):
        fail(f"slices of unknown VCPUs: {set(slices) - set(dispatches)}")
    return sum(slices.values())


def check_deadlines(path, dispatches):
    """hv/trace input: every VCPU that ran has deadline instants on its VCPU track."""
    with open(path, encoding="utf-8") as f:
        events = json.load(f)["traceEvents"]
    marks = collections.Counter(e["name"] for e in events if e["ph"] == "i")
    for name, count in dispatches.items():
        if count and marks.get("deadline " + name, 0) == 0:
            fail(f"{name} ran but has no deadline marker")


def check_svg(path, cpus, total_slices, vcpus):
    root = ET.parse(path).getroot()  # raises if not well-formed XML
    if root.tag != SVG + "svg":
        fail(f"root element is {root.tag}")
    rows = [g for g in root.iter(SVG + "g") if g.get("class") == "cpu-row"]
    if sorted(int(g.get("data-cpu")) for g in rows) != list(range(cpus)):
        fail(f"{len(rows)} pCPU rows, expected exactly {cpus}")
    rects = [r for r in root.iter(SVG + "rect") if r.get("class") == "slice"]
    if len(rects) != total_slices:
        fail(f"{len(rects)} slice rects, {total_slices} run slices in the JSON")
    legend = [g for g in root.iter(SVG + "g") if g.get("class") == "legend"]
    if len(legend) != 1 or len(legend[0].findall(SVG + "text")) != vcpus:
        fail("the legend does not name every VCPU once")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tool", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--writer")
    p.add_argument("--sim")
    p.add_argument("--scenario")
    p.add_argument("--ms", type=int, default=300)
    p.add_argument("--trace-name", default="run.trace")
    p.add_argument("--sim-pictures", action="store_true")
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    trace = os.path.join(args.workdir, args.trace_name)
    _, named_json, named_svg = trace_output.paths(trace)  # the rule of trace_paths.hpp
    for stale in (trace, named_json, named_svg):
        if os.path.exists(stale):
            os.remove(stale)
    cpus, dispatches = (expected_from_writer(args, trace) if args.writer
                        else expected_from_sim(args, trace))
    if not dispatches or sum(dispatches.values()) == 0:
        fail("the run dispatched nothing: nothing to compare")
    if args.sim_pictures:
        json_out, svg_out = named_json, named_svg
    else:
        json_out, svg_out = (os.path.join(args.workdir, n) for n in ("run.json", "run.svg"))
        subprocess.run([args.tool, trace, "--perfetto", json_out, "--svg", svg_out], check=True)
    total = check_json(json_out, cpus, dispatches)
    check_svg(svg_out, cpus, total, len(dispatches))
    if trace.endswith(".rthvt"):
        check_deadlines(json_out, dispatches)
    print(f"check_pictures: ok: {cpus} pCPUs, {len(dispatches)} VCPUs, {total} run slices")


if __name__ == "__main__":
    main()
