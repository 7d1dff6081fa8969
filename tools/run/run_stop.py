"""Stopping a run on request: Ctrl-C (SIGINT), SIGTERM and SIGHUP (a closed terminal).

The emulator runs in its own session, so a terminal's Ctrl-C reaches only the runner, and it
dies with the runner even if the runner is killed outright (PR_SET_PDEATHSIG). On the first
signal the runner asks the hypervisor over the control channel to end the run (EndRun,
hv/ctl/PROTOCOL.md): it takes its statistics and prints the end-of-run report as if --for had
elapsed, and the emulator powers off. If the hypervisor cannot be asked (no control channel, a
self-test) or does not finish within the grace time, or a second signal arrives, the emulator
is killed and the run has no report. Either way nothing is left running and the temporary
directory is removed."""
import ctypes
import signal

import ctl_frame

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PR_SET_PDEATHSIG = 1


class StopRequest:
    """Signals received so far (set from the handlers; read by the emulator's poll loop)."""

    def __init__(self):
        self.signals = []
        self.previous = {}

    def install(self):
        for s in SIGNALS:
            self.previous[s] = signal.signal(s, self._on_signal)

    def restore(self):
        for s, h in self.previous.items():
            signal.signal(s, h)

    def _on_signal(self, signum, _frame):
        self.signals.append(signum)

    @property
    def requested(self):
        return bool(self.signals)

    @property
    def insisted(self):
        """A second signal: stop now, without waiting for the report."""
        return len(self.signals) > 1

    @property
    def name(self):
        return signal.Signals(self.signals[0]).name if self.signals else None


def die_with_parent():
    """preexec_fn of the emulator: SIGKILL when the runner dies, whatever kills it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def ask_end_run(ctl_path, timeout=2.0):
    """Sends EndRun; returns None when the hypervisor accepted it, else why not. No reply in
    time is not fatal: the request stays queued in COM2 until the hypervisor polls it."""
    if ctl_path is None:
        return "no control channel"
    try:
        rtype, _ = ctl_frame.request(ctl_path, ctl_frame.END_RUN, timeout=timeout)
    except TimeoutError:
        return None
    except OSError as e:
        return "control channel: %s" % e
    if rtype == ctl_frame.ERROR_TYPE:
        return "the hypervisor refused EndRun (already ending)"
    return None
