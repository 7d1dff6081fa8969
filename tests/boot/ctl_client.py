"""A minimal client of the hv/ctl protocol (hv/ctl/PROTOCOL.md), independent of xl's C++ code,
for the end-to-end test to read raw RTDS statistics (cumulative ns) that xl only shows as
percentages."""
import os
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools",
                                "run"))
import ctl_frame  # noqa: E402


def request(path, msg_type, payload, seq=None, timeout=5.0):
    """Sends one request; returns the reply payload (raises on an error reply)."""
    rtype, reply = ctl_frame.request(path, msg_type, payload, seq=seq, timeout=timeout)
    if rtype == ctl_frame.ERROR_TYPE:
        raise RuntimeError("error reply code %d" % struct.unpack_from("<H", reply, 0))
    return reply


def rtds_stats(path, domid):
    """[(vcpu, window_ns, received_ns, periods, misses, worst_latency_ns, extratime_ns,
    late_wakes)]"""
    p = request(path, 0x0B, struct.pack("<II", domid, 0))
    _, total, first, count = struct.unpack_from("<IIIB", p, 0)
    return [struct.unpack_from("<I7Q", p, 13 + 60 * i) for i in range(count)]


def wait_emulated(path, window_ns, limit, domid=1):
    """Waits until `window_ns` of emulated time has passed (the statistics window of domain
    `domid`'s first VCPU grew by that much), at most `limit` wall seconds; True if it did."""
    try:
        first = rtds_stats(path, domid)[0][1]
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if rtds_stats(path, domid)[0][1] - first >= window_ns:
                return True
    except (OSError, RuntimeError):
        pass
    return False
