"""The control channel's host end: the hypervisor's COM2 (hv/ctl/PROTOCOL.md) on a UNIX socket
that `xl` finds at /tmp/rthv-<uid>/ctl.sock (or $RTHV_CTL, or `./rthv run --ctl PATH`).

QEMU listens on the UNIX socket itself (second -serial, server=on,wait=off: the guest runs
whether or not a client is connected). Bochs' com2 socket mode is TCP only, so the runner
listens on the UNIX socket and bridges each client to Bochs' TCP server in a thread."""
import fcntl
import os
import socket
import threading
import time


def default_path():
    return os.path.join("/tmp", "rthv-%d" % os.getuid(), "ctl.sock")


def in_use(path):
    """True if another run is serving `path` (a socket that accepts a connection)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        try:
            s.connect(path)
            return True
        except OSError:
            return False


def prepare(path):
    """Creates the socket's directory (mode 0700 when it is ours), takes `path`.lock for this
    run and removes a stale socket. Returns the lock (keep it open for the run; closing it
    releases the path), or None, touching nothing, when another run holds the path. The lock
    makes the choice atomic: two runs started together (tests run in parallel) could both see
    no socket and then both bind it."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, mode=0o700, exist_ok=True)
    if directory == os.path.dirname(default_path()):
        os.chmod(directory, 0o700)  # only this user may talk to its hypervisor
    lock = open(path + ".lock", "a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        return None
    if os.path.exists(path):
        if in_use(path):  # a run from before the lock existed
            lock.close()
            return None
        os.unlink(path)
    return lock


def qemu_args(path):
    return ["-serial", "unix:%s,server=on,wait=off" % path]


def free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bochs_line(port):
    return "com2: enabled=1, mode=socket-server, dev=localhost:%d" % port


class TcpBridge:
    """UNIX socket at `path` <-> Bochs' TCP server on `port`. Bochs keeps one TCP connection
    for the whole run, so the bridge holds it and hands it to one UNIX client at a time."""

    def __init__(self, path, port):
        self.path, self.port = path, port
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(4)
        self.tcp, self.client, self.closed = None, None, False
        self.connected = threading.Event()
        # Bochs' socket-server com2 waits at start-up until a client connects, so the bridge
        # connects at once (retrying until Bochs listens) rather than when xl first arrives.
        threading.Thread(target=self._connect_bochs, daemon=True).start()
        threading.Thread(target=self._serve, daemon=True).start()

    def _connect_bochs(self):
        while not self.closed:
            try:
                self.tcp = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            except OSError:
                time.sleep(0.05)
                continue
            self.tcp.settimeout(None)
            self.connected.set()
            self._from_bochs()
            return

    def _from_bochs(self):
        while True:
            try:
                data = self.tcp.recv(4096)
            except OSError:
                return
            if not data:
                return
            client = self.client
            if client is not None:  # replies nobody waits for any more are dropped
                try:
                    client.sendall(data)
                except OSError:
                    pass

    def _serve(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.connected.wait(timeout=10):
                client.close()  # Bochs never listened: the run is failing anyway
                continue
            self.client = client
            try:
                while True:
                    data = client.recv(4096)
                    if not data:
                        break
                    self.tcp.sendall(data)
            except OSError:
                pass
            self.client = None
            client.close()

    def close(self):
        self.closed = True
        self.server.close()
        if os.path.exists(self.path):
            os.unlink(self.path)
