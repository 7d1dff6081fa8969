"""The schedule trace of a run (`rthv run --trace FILE`, issue 6).

The hypervisor (kernel command line trace=1) drains its per-pCPU trace rings at the end of the
run in the hv/trace text format (hv/trace/FORMAT.md) to the debug console port 0xE9, not COM1:
the emulated UART paces every byte (~87 us of emulated time per byte under Bochs), port 0xE9
does not. QEMU writes that port to a file (-debugcon file:PATH); Bochs (port_e9_hack) to its
stdout, which the runner keeps in the emulator log. Either way the trace is the text from the
"# rthv-trace 1" line through the "end" line; rthv-trace then draws the pictures.
"""
import os
import subprocess

HEADER = "# rthv-trace 1\n"
FOOTER = "\nend\n"


def extract(text):
    """The trace inside `text` (header through 'end' line), or None if it is absent or cut."""
    b = text.find(HEADER)
    if b < 0:
        return None
    e = text.find(FOOTER, b)
    if e < 0:
        return None
    return text[b:e + len(FOOTER)]


def dropped(trace):
    """Per-ring drop totals from the footer's 'dropped CPU COUNT' lines."""
    out = {}
    for line in trace.splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == "dropped":
            out[int(words[1])] = int(words[2])
    return [out[c] for c in sorted(out)]


def paths(named):
    """(trace, perfetto, svg) for the name a user gave: the named file holds what its extension
    says (.json/.perfetto.json: Perfetto JSON, .svg: the chart, else the trace text), the others
    share its stem. The same rule as tools/trace/trace_paths.hpp (xl trace, rtds-sim)."""
    for suffix in (".perfetto.json", ".json"):
        stem = named[:-len(suffix)]
        if named.endswith(suffix) and stem and not stem.endswith("/"):
            return stem + ".rthvt", named, stem + ".svg"
    stem = named[:-len(".svg")]
    if named.endswith(".svg") and stem and not stem.endswith("/"):
        return stem + ".rthvt", stem + ".perfetto.json", named
    stem = named[:-len(".rthvt")]
    if not (named.endswith(".rthvt") and stem and not stem.endswith("/")):
        stem = named
    return named, stem + ".perfetto.json", stem + ".svg"


def tool_path(build_dir):
    return os.path.join(build_dir, "tools", "trace", "rthv-trace")


def write(named, raw_text, build_dir, title):
    """Writes the trace and its pictures under the names paths(named) gives; returns the
    report's "trace_files" object: the files written, drops, and an error if one is missing."""
    info = {"trace": None, "perfetto": None, "svg": None}
    path, perfetto, svg = paths(named)
    trace = extract(raw_text)
    if trace is None:
        info["error"] = "no complete trace on port 0xe9 (hypervisor without trace=1 support?)"
        return info
    with open(path, "w") as f:
        f.write(trace)
    info["trace"] = os.path.abspath(path)
    info["records"] = sum(1 for line in trace.splitlines() if line[:1].isdigit())
    info["dropped"] = dropped(trace)
    tool = tool_path(build_dir)
    if not os.path.isfile(tool):
        info["error"] = "no %s: build the rthv-trace target for the pictures" % tool
        return info
    r = subprocess.run([tool, path, "--perfetto", perfetto, "--svg", svg, "--title", title],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        info["error"] = "rthv-trace failed: " + r.stdout.strip()[-500:]
        return info
    info["perfetto"], info["svg"] = os.path.abspath(perfetto), os.path.abspath(svg)
    return info


def describe(info):
    """One line per file for the run's summary, plus drops (never silent)."""
    lines = ["trace: %s" % info[k] for k in ("trace", "perfetto", "svg") if info.get(k)]
    if info.get("dropped") is not None:
        total = sum(info["dropped"])
        lines.append("trace: %d records, %s" % (info.get("records", 0),
                     "%d dropped (per pCPU %s)" % (total, info["dropped"]) if total
                     else "none dropped"))
    if info.get("error"):
        lines.append("trace: ERROR " + info["error"])
    return lines
