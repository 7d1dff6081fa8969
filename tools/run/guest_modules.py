"""The boot modules a scenario's Linux and PVH domains name (hv/config/FORMAT.md: kernel =
"linux" or "pvh", image, ramdisk), found as files, and the emulator RAM they need.

A module name is looked up as a file beside the scenario, then as given (relative to the current
directory), then among the images the build makes (guests/linux/README.md): "vmlinux" is
BUILD/guests/linux/vmlinux.gz, which GRUB unpacks while loading it; "initramfs" is
BUILD/guests/linux/initramfs.cpio.gz, passed packed (--nounzip) since Linux unpacks it itself.
"timerlat" is BUILD/guests/timerlat/timerlat.elf (guests/timerlat). The hypervisor finds each
module by its name on the module2 line."""
import os
import re

BUILT = {"vmlinux": ("linux/vmlinux.gz", True), "initramfs": ("linux/initramfs.cpio.gz", False),
         "timerlat": ("timerlat/timerlat.elf", False)}
DEFAULT_MEMORY_MB = {"linux": 128, "pvh": 64}
HYPERVISOR_RAM_MB = 128  # what a toy scenario boots in (the runner's historical default)


class ModuleError(Exception):
    """A module the scenario names cannot be found."""


def linux_domains(config_text):
    """[(image, ramdisk, memory_mb)] for every kernel = "linux" or "pvh" section, with the
    defaults (a PVH domain has no ramdisk unless it names one)."""
    out = []
    for section in re.split(r"^\s*\[(?:domain|pool)\]\s*$", config_text, flags=re.M):
        keys = dict(re.findall(r"^\s*(\w+)\s*=\s*(\"[^\"]*\"|'[^']*'|\S+)", section, flags=re.M))
        value = {k: v.strip("\"'") for k, v in keys.items()}
        kind = value.get("kernel")
        if kind not in DEFAULT_MEMORY_MB:
            continue
        memory = int(value["memory"]) if value.get("memory", "").isdigit() else \
            DEFAULT_MEMORY_MB[kind]
        linux = kind == "linux"
        out.append((value.get("image", "vmlinux" if linux else ""),
                    value.get("ramdisk", "initramfs" if linux else ""), memory))
    return out


def resolve(name, config_path, build_dir):
    """(path, unzip) of module `name`; unzip False passes it to the guest as it is."""
    for base in (os.path.dirname(os.path.abspath(config_path)), os.getcwd()):
        path = os.path.join(base, name)
        if os.path.isfile(path):
            return path, name.endswith(".gz") and "vmlinux" in os.path.basename(name)
    if name in BUILT:
        file, unzip = BUILT[name]
        path = os.path.join(build_dir, "guests", file)
        if os.path.isfile(path):
            return path, unzip
        raise ModuleError("rthv run: module \"%s\" is built as %s, which is missing (build it: "
                          "./rthv build)" % (name, path))
    raise ModuleError("rthv run: the scenario names module \"%s\": no such file beside it or "
                      "here" % name)


def modules(config_path, build_dir):
    """[(name, path, unzip)] once per distinct name, and the emulator RAM (MB) they need."""
    with open(config_path, errors="replace") as f:
        domains = linux_domains(f.read())
    seen, out, guest_mb = set(), [], 0
    for image, ramdisk, memory in domains:
        guest_mb += memory
        for name in (image, ramdisk):
            if name and name not in seen:
                seen.add(name)
                path, unzip = resolve(name, config_path, build_dir)
                out.append((name, path, unzip))
    # GRUB keeps every module in RAM (vmlinux unpacked: ~53 MB) beside the guests' own RAM.
    module_mb = sum(53 if unzip else os.path.getsize(p) >> 20 for _, p, unzip in out)
    return out, HYPERVISOR_RAM_MB + guest_mb + module_mb + (16 if out else 0)
