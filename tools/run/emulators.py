"""Command lines for the emulators rthv runs on (facts measured in docs/platform.md)."""
import os
import shutil

BOCHS_BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGA_BIOS = "/usr/share/vgabios/vgabios.bin"


def qemu_command(accel, iso, smp, memory_mb, serial_path, cpu=None, icount=None,
                 debugcon_path=None):
    """QEMU with isa-debug-exit (port 0xf4) so the hypervisor can end the run itself. `cpu`
    overrides the CPU model; `icount` (TCG only) gives instruction-counted virtual time,
    2^icount ns per instruction, with idle time skipped: reproducible timings."""
    cmd = ["qemu-system-x86_64", "-accel", accel, "-smp", str(smp), "-m", str(memory_mb),
           "-cdrom", iso, "-boot", "d", "-display", "none", "-monitor", "none",
           "-serial", "file:" + serial_path, "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    # KVM: expose the host CPU (nested VT-x/AMD-V); TCG: the richest model it emulates.
    cmd += ["-cpu", cpu or ("host" if accel == "kvm" else "max")]
    if icount is not None:
        cmd += ["-icount", "shift=%d,sleep=off" % icount]
    if debugcon_path is not None:  # port 0xE9 (the trace channel) into a file
        cmd += ["-debugcon", "file:" + debugcon_path]
    return cmd


def bochs_config(tmp, iso, smp, memory_mb, ips, model, serial_path, debugcon=False):
    """Writes bochsrc and the debugger rc file into tmp; returns the command. `debugcon`:
    bytes written to port 0xE9 appear on Bochs' stdout (port_e9_hack)."""
    rc = os.path.join(tmp, "bochs.rc")
    with open(rc, "w") as f:
        f.write("c\n")  # the built-in debugger would otherwise stop at a prompt
    conf = os.path.join(tmp, "bochsrc")
    lines = [
        "megs: %d" % memory_mb,
        "romimage: file=%s" % BOCHS_BIOS,
        "vgaromimage: file=%s" % VGA_BIOS,
        "cpu: model=%s, count=%d, ips=%d, reset_on_triple_fault=0" % (model, smp, ips),
        # Deterministic time: the TSC advances exactly one per instruction, i.e. at `ips` Hz.
        "clock: sync=none",
        "ata0-master: type=cdrom, path=\"%s\", status=inserted" % iso,
        "boot: cdrom",
        "com1: enabled=1, mode=file, dev=\"%s\"" % serial_path,
        "speaker: enabled=0",
        # Without dummy drivers the ALSA sound plugin aborts ("buffer overflow detected").
        "sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy",
        # No GUI: rfb that does not wait for a viewer (Debian's bochs has no 'nogui').
        "display_library: rfb, options=\"timeout=0\"",
        "log: \"%s\"" % os.path.join(tmp, "bochs.log"),
        "panic: action=fatal",
        "error: action=report",
        "info: action=ignore",
        "debug: action=ignore",
    ]
    if debugcon:
        lines.append("port_e9_hack: enabled=1")
    with open(conf, "w") as f:
        f.write("\n".join(lines) + "\n")
    return ["bochs", "-q", "-f", conf, "-rc", rc]


def missing_tools(accel):
    need = ["grub-mkrescue", "xorriso"]
    need.append("bochs" if accel == "bochs" else "qemu-system-x86_64")
    return [t for t in need if shutil.which(t) is None]
