"""A minimal client of the hv/ctl protocol (hv/ctl/PROTOCOL.md), independent of xl's C++ code,
for the end-to-end test to read raw RTDS statistics (cumulative ns) that xl only shows as
percentages."""
import socket
import struct
import zlib


def cobs_encode(data):
    out, block = bytearray(), bytearray()
    for b in data:
        if b == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out += b"\xff" + block
                block = bytearray()
    return bytes(out + bytes([len(block) + 1]) + block)


def cobs_decode(data):
    out, i = bytearray(), 0
    while i < len(data):
        code = data[i]
        out += data[i + 1:i + code]
        i += code
        if code < 255 and i < len(data):
            out.append(0)
    return bytes(out)


def request(path, msg_type, payload, seq=1, timeout=5.0):
    """Sends one request; returns the reply payload (raises on an error reply)."""
    frame = b"RH" + struct.pack("<BBIH", 1, msg_type, seq, len(payload)) + payload
    frame += struct.pack("<I", zlib.crc32(frame))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        s.sendall(b"\0" + cobs_encode(frame) + b"\0")
        buf = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                raise RuntimeError("control socket closed")
            buf += chunk
            for part in buf.split(b"\0")[:-1]:
                if not part:
                    continue
                f = cobs_decode(part)
                rtype, rseq, length = f[3], struct.unpack_from("<I", f, 4)[0], struct.unpack_from(
                    "<H", f, 8)[0]
                if rseq != seq:
                    continue
                if rtype == 0xFF:
                    raise RuntimeError("error reply code %d" % struct.unpack_from("<H", f, 10))
                return f[10:10 + length]


def rtds_stats(path, domid):
    """[(vcpu, window_ns, received_ns, periods, misses, worst_latency_ns, extratime_ns)]"""
    p = request(path, 0x0B, struct.pack("<II", domid, 0))
    _, total, first, count = struct.unpack_from("<IIIB", p, 0)
    return [struct.unpack_from("<I6Q", p, 13 + 52 * i) for i in range(count)]
