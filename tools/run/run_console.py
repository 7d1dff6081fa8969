"""The boot medium and the console of a run: the GRUB ISO holding the image and the scenario,
the emulator process with its console echoed, and the report the hypervisor prints at the end
(a JSON object between RTHV-REPORT-BEGIN and RTHV-REPORT-END, then "RTHV-EXIT pass|fail")."""
import json
import os
import shutil
import subprocess
import sys
import time

import guest_modules
import run_options
import run_stop

GRUB_MODULES = "multiboot2 normal configfile part_msdos part_gpt iso9660 biosdisk gzio"
BEGIN, END, EXIT = "RTHV-REPORT-BEGIN", "RTHV-REPORT-END", "RTHV-EXIT "


class SetupError(Exception):
    """A usage or setup problem, not a failed run."""


def build_iso(args, tmp):
    elf = args.elf or os.path.join(args.build_dir, "arch", "x86", "rthv.elf")
    if not os.path.isfile(elf):
        raise SetupError("rthv run: no hypervisor image at %s (build it, or pass --elf)" % elf)
    root = os.path.join(tmp, "iso")
    os.makedirs(os.path.join(root, "boot", "grub"))
    shutil.copy(elf, os.path.join(root, "boot", "rthv.elf"))
    if not os.path.isfile(args.config):
        raise SetupError("rthv run: no scenario file %s" % args.config)
    shutil.copy(args.config, os.path.join(root, "boot", "scenario.cfg"))
    lines = "    module2 /boot/scenario.cfg scenario\n"
    try:
        found, _ = guest_modules.modules(args.config, args.build_dir)
    except guest_modules.ModuleError as e:
        raise SetupError(str(e))
    for name, path, unzip in found:  # a Linux domain's kernel and initramfs
        target = "/boot/mod-%s" % os.path.basename(path)
        shutil.copy(path, os.path.join(root, target.lstrip("/")))
        lines += "    module2 %s%s %s\n" % ("" if unzip else "--nounzip ", target, name)
    with open(os.path.join(run_options.REPO, "boot", "grub.cfg.in")) as f:
        cfg = f.read().replace("@RTHV_CMDLINE@", run_options.kernel_cmdline(args))
        cfg = cfg.replace("@RTHV_MODULES@", lines)
    with open(os.path.join(root, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(cfg)
    iso = os.path.join(tmp, "rthv.iso")
    r = subprocess.run(["grub-mkrescue", "--install-modules=" + GRUB_MODULES, "--fonts=",
                        "--locales=", "--themes=", "-o", iso, root],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise SetupError("rthv run: grub-mkrescue failed:\n" + r.stdout)
    return iso


def echo_new(path, offset, quiet):
    """Prints console output that appeared since `offset`; returns the new offset."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read()
    except FileNotFoundError:
        return offset
    if data and not quiet:
        sys.stdout.write(data.decode("utf-8", "replace").replace("\r\n", "\n"))
        sys.stdout.flush()
    return offset + len(data)


def run_emulator(cmd, serial_path, timeout, quiet, log_path, stop, end_run, grace):
    """Runs until the emulator exits or `timeout` wall seconds pass. On a stop request
    (run_stop.StopRequest) it calls end_run() once - None: the hypervisor is ending the run, so
    wait up to `grace` seconds for it; else the reason it cannot, and the emulator is killed.
    Returns (outcome, rc): outcome "exited", "timeout" or "killed" (stopped without a report)."""
    with open(log_path, "w") as log:
        # Its own session: a terminal's Ctrl-C goes to the runner alone, which ends the run in
        # order; run_stop.die_with_parent: it never outlives the runner.
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True, preexec_fn=run_stop.die_with_parent)
    offset, deadline, exit_seen_at = 0, time.monotonic() + timeout, None
    stop_deadline, outcome = None, "exited"
    try:
        while proc.poll() is None:
            time.sleep(0.05)
            offset = echo_new(serial_path, offset, quiet)
            if stop.requested and stop_deadline is None:
                why = end_run()
                if why is not None:
                    print("\nrthv run: %s: cannot end the run in order (%s): stopping the "
                          "emulator" % (stop.name, why), file=sys.stderr)
                    outcome = "killed"
                    break
                print("\nrthv run: %s: asked the hypervisor to end the run (a second signal "
                      "stops the emulator at once)" % stop.name, file=sys.stderr)
                stop_deadline = time.monotonic() + grace
            if stop_deadline is not None and (stop.insisted or time.monotonic() > stop_deadline):
                outcome = "killed"
                break
            if exit_seen_at is None and EXIT in read_text(serial_path):
                exit_seen_at = time.monotonic()
            # The hypervisor said it is done; an emulator that does not power off is killed.
            if exit_seen_at is not None and time.monotonic() - exit_seen_at > 5:
                break
            if time.monotonic() > deadline:
                return "timeout", None
        return outcome, proc.poll()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        echo_new(serial_path, offset, quiet)


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").replace("\r\n", "\n")
    except FileNotFoundError:
        return ""


def extract_report(text):
    """The JSON object between the markers, or None; plus the RTHV-EXIT verdict or None."""
    report = None
    b, e = text.find(BEGIN), text.find(END)
    if b >= 0 and e > b:
        try:
            report = json.loads(text[b + len(BEGIN):e])
        except ValueError:
            report = None
    verdict = None
    for line in text.splitlines():
        if line.startswith(EXIT):
            verdict = line[len(EXIT):].strip()
    return report, verdict
