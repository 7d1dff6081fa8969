"""Command line of `rthv run`: options, the accelerator and clock chosen for them, the
hypervisor command line and the wall-clock limit they imply."""
import argparse
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Bochs: a CPU model with VMX (EPT, VPID, unrestricted guest), see docs/platform.md.
BOCHS_MODEL = "corei7_skylake_x"
DEFAULT_CONFIG = os.path.join(REPO, "hv", "config", "default.cfg")


def host_has_virtualisation():
    """True when the host CPU offers VT-x or AMD-V (flags vmx/svm in /proc/cpuinfo): rthv is a
    hypervisor, so under KVM it needs them passed through (-cpu host, nested)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = line.split(":", 1)[1].split()
                    return "vmx" in flags or "svm" in flags
    except OSError:
        pass
    return False


def kvm_usable():
    """True when /dev/kvm answers KVM_GET_API_VERSION with 12, the host CPU has VT-x or AMD-V,
    and QEMU really creates a KVM VM with -cpu host: some sandboxes offer a /dev/kvm that fails
    once QEMU sets MSRs. QEMU answers on QMP only after it has built and reset the machine, so
    an answer means KVM took the CPU state (no fixed wait: a loaded host is only slower)."""
    try:
        import fcntl
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
        try:
            if fcntl.ioctl(fd, 0xAE00) != 12:
                return False
        finally:
            os.close(fd)
    except (OSError, ImportError):
        return False
    if shutil.which("qemu-system-x86_64") is None or not host_has_virtualisation():
        return False
    probe = subprocess.Popen(["qemu-system-x86_64", "-accel", "kvm", "-cpu", "host", "-m", "16",
                              "-display", "none", "-monitor", "none", "-serial", "none",
                              "-nodefaults", "-S", "-qmp", "stdio"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    try:
        out, _ = probe.communicate('{"execute":"qmp_capabilities"}\n'
                                   '{"execute":"query-status"}\n{"execute":"quit"}\n',
                                   timeout=30)
    except subprocess.TimeoutExpired:
        probe.kill()
        probe.wait()
        return False
    return probe.returncode == 0 and '"status"' in out


def parse_args(argv, description):
    p = argparse.ArgumentParser(
        prog="rthv run", description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accel", choices=["kvm", "tcg", "bochs"],
                   help="kvm (default when /dev/kvm is usable: VT-x or AMD-V, whichever the "
                        "host offers), bochs (deterministic time; VT-x, or AMD-V with "
                        "--bochs-cpu ryzen: the default without KVM for a scenario on several "
                        "CPUs) or tcg (QEMU's emulator with AMD-V: the default without KVM on "
                        "one CPU, where -icount makes it exact)")
    p.add_argument("--smp", type=int, default=4, metavar="N", help="number of CPUs (default 4)")
    p.add_argument("--for", dest="duration", type=float, default=None, metavar="SECONDS",
                   help="run this long in the hypervisor's own (TSC) time, then report and "
                        "shut down (default 0.2)")
    p.add_argument("--json", metavar="FILE", help="write the run's JSON report here "
                   "(the hypervisor's report plus accel, smp and, for Bochs, ips)")
    p.add_argument("--cmdline", default="", metavar="EXTRA",
                   help="extra hypervisor command line, e.g. 'loglevel=3', or 'test=fault' for a "
                        "boot self-test instead of the scenario of --config")
    p.add_argument("--config", metavar="FILE", default=DEFAULT_CONFIG,
                   help="scenario file (hv/config/FORMAT.md), passed as a multiboot2 module "
                        "(default: hv/config/default.cfg)")
    p.add_argument("--elf", metavar="PATH", help="hypervisor image (default: BUILD/arch/x86/rthv.elf)")
    p.add_argument("--iso", metavar="PATH",
                   help="boot this ISO unchanged instead of building one per run "
                        "(--for and --cmdline are then ignored)")
    p.add_argument("--build-dir", metavar="DIR",
                   default=os.environ.get("RTHV_BUILD_DIR", os.path.join(REPO, "build")),
                   help="build tree holding the image (default: $RTHV_BUILD_DIR or ./build)")
    p.add_argument("--ips", type=int, default=100_000_000,
                   help="Bochs instructions per emulated second = TSC Hz there; scheduling "
                        "figures need a believable CPU, see docs (default 100000000)")
    p.add_argument("--bochs-cpu", metavar="MODEL", default=BOCHS_MODEL,
                   help="Bochs CPU model (default %s: VT-x with EPT; ryzen: AMD-V with NPT "
                        "and NRIPS)" % BOCHS_MODEL)
    p.add_argument("--qemu-cpu", metavar="MODEL",
                   help="QEMU CPU model (default: host with kvm, max with tcg, which has "
                        "AMD-V; e.g. EPYC, or qemu64,-svm for neither VT-x nor AMD-V)")
    p.add_argument("--icount", type=int, metavar="SHIFT",
                   help="QEMU TCG: deterministic instruction-counted time, 2^SHIFT ns per "
                        "instruction (-icount shift=SHIFT,sleep=off); chosen automatically "
                        "(shift 3) for scenarios on one CPU when TCG is not asked for, and "
                        "when --smp exceeds the host's cores; "
                        "-1: never (multi-threaded TCG on the wall clock)")
    p.add_argument("--memory", type=int, default=None, metavar="MB",
                   help="the emulated machine's RAM (default 128, plus each Linux domain's "
                        "memory and its boot modules)")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="wall-clock limit before the emulator is killed (default: from --for)")
    p.add_argument("--serial-log", metavar="FILE", help="also keep the raw console output here")
    p.add_argument("--trace", metavar="FILE",
                   help="record the schedule (trace=1) and write it here (hv/trace/FORMAT.md), "
                        "with FILE.perfetto.json (ui.perfetto.dev) and FILE.svg (Gantt chart)")
    p.add_argument("--quiet", action="store_true", help="do not echo the console")
    p.add_argument("--ctl", metavar="PATH", default=None,
                   help="control socket for xl (default /tmp/rthv-UID/ctl.sock; xl finds it "
                        "there, or through $RTHV_CTL)")
    args = p.parse_args(argv)
    if args.smp < 1:
        p.error("--smp must be at least 1")
    if args.memory is None:
        args.memory = memory_for(args)
    args.accel_reason = None
    if args.accel is None:
        args.accel, args.accel_reason = default_accel(args)
    return args


def memory_for(args):
    """RAM (MB) for the scenario: 128, or what its Linux domains and their modules need (a
    missing module is reported when the ISO is built, not here)."""
    import guest_modules
    try:
        return max(128, guest_modules.modules(args.config, args.build_dir)[1])
    except (OSError, guest_modules.ModuleError):
        return 128


def default_accel(args):
    """KVM where it works. Without it, the emulator whose time is faithful for what is booted:
    a scheduled scenario on several CPUs needs Bochs (every CPU advances by the same number of
    instructions per emulated second; QEMU TCG either runs its vCPUs in turn under -icount or
    on host threads on the wall clock, and both distort shares and misses, docs/platform.md);
    one CPU is exact under QEMU TCG with -icount, and boots in seconds. Returns (accel, why)."""
    if kvm_usable():
        return "kvm", "KVM is usable"
    if is_scenario(args) and args.smp > 1:
        return "bochs", ("no usable KVM; Bochs for %d CPUs, since its time is faithful for SMP "
                         "(QEMU TCG's is not; --accel tcg boots faster but distorts the "
                         "figures)" % args.smp)
    if is_scenario(args) and args.icount is None:
        args.icount = 3  # one vCPU, instruction-counted: exact time
    return "tcg", "no usable KVM; QEMU TCG, exact on one CPU with -icount"


def stop_grace(args):
    """Wall seconds the hypervisor gets to end the run and print its report after a stop
    request: one poll interval and the report over the emulated serial line."""
    return 60.0 if args.accel == "bochs" else 15.0


def is_scenario(args):
    """The scheduled scenario (what the hypervisor runs) rather than a boot self-test
    (test=... on its command line)."""
    return not any(t.startswith("test=") for t in args.cmdline.split())


def pick_tcg_clock(args):
    """Multi-threaded TCG gives each vCPU a host thread on the wall clock. With more vCPUs than
    host cores a vCPU thread is descheduled for a host time slice while its CPU holds (or is
    handed) the pool's ticket lock, and every other CPU waits (lock-holder preemption: ~88 %
    overhead measured with 4 vCPUs on 2 cores). Instruction counting runs the vCPUs in turn on
    one thread, which always makes progress and is reproducible, but each vCPU then executes
    only while the others wait, so guests see their CPU run at 1/N speed in bursts: functional,
    not a measurement (use Bochs or KVM for figures). One vCPU is exact under instruction
    counting (default_accel picks it when TCG is chosen), and on the wall clock its timing is
    meaningless: the TSC runs at the host's rate while TCG runs the guests many times slower,
    and its translations and the host's scheduler stall the vCPU for ms at a time, so jobs timed
    by the TSC overrun their budgets (measured, boot/scenarios/one-cpu.cfg for 2 s: audio 350
    deadline misses of 398 jobs and 21.8 % overhead on the wall clock; 0 misses and 6.4 % with
    -icount 3). `--accel tcg --smp 1` keeps the wall clock, which interactive runs need (with
    -icount and sleep=off, a line typed into `xl console` never reached the idle Linux shell in
    boot.linux.console), with a caveat saying so. Returns a caveat for the user or None."""
    never = args.icount is not None and args.icount < 0
    if never or args.accel != "tcg":
        args.icount = None
    if args.accel != "tcg" or not is_scenario(args):
        return None
    cores = os.cpu_count() or 1
    if args.icount is None and not never and args.smp > cores:
        args.icount = 3
    if args.smp == 1:
        if args.icount is not None:
            return None
        return ("QEMU TCG on the wall clock: the TSC runs at the host's rate while TCG runs the "
                "guest many times slower, so jobs overrun their budgets and the figures are not "
                "a measurement; add --icount 3 for exact instruction-counted time")
    if args.icount is not None:
        return ("QEMU TCG with -icount runs the %d vCPUs in turn on one host thread: SMP timing "
                "here is functional, not a measurement (shares, misses and overhead are "
                "distorted); measure with --accel bochs (deterministic, parallel CPUs) or KVM"
                % args.smp)
    return ("QEMU TCG on the wall clock: %d vCPU threads share %d host cores with everything "
            "else running; timings depend on host load; measure with --accel bochs or KVM"
            % (args.smp, cores))


FOREVER_MS = 10**12  # ~31 years: a scenario without --for runs until Ctrl-C


def runs_until_interrupted(args):
    """A scenario run without --for (and not from an ISO) runs until Ctrl-C."""
    return args.duration is None and args.iso is None and is_scenario(args)


def kernel_cmdline(args):
    parts = []
    if args.duration is not None:
        parts.append("runtime_ms=%d" % max(1, round(args.duration * 1000)))
    elif runs_until_interrupted(args):
        parts.append("runtime_ms=%d" % FOREVER_MS)
    if args.trace:
        parts.append("trace=1")
    if args.cmdline:
        parts.append(args.cmdline)
    return " ".join(parts)


def default_timeout(args):
    if runs_until_interrupted(args):
        return float("inf")
    seconds = args.duration if args.duration is not None else 0.2
    if args.accel == "bochs":
        # Bochs runs ~60-100 M instructions per wall second in total, for all CPUs.
        return 60 + 3 * seconds * args.ips * args.smp / 50e6
    return 30 + 3 * seconds
