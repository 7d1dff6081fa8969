"""The hv/ctl wire format (hv/ctl/PROTOCOL.md) in Python, for the runner's own requests (EndRun
on Ctrl-C, SIGTERM and SIGHUP) and the boot tests' raw client: COBS framing, the 'RH' header,
CRC-32 (IEEE), and one request/reply exchange over the control socket."""
import os
import socket
import struct
import zlib

END_RUN = 0x0F
ERROR_TYPE = 0xFF


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


def encode(msg_type, seq, payload=b""):
    """One frame on the wire, with the leading delimiter that ends whatever an earlier client
    left half-sent."""
    frame = b"RH" + struct.pack("<BBIH", 1, msg_type, seq, len(payload)) + payload
    frame += struct.pack("<I", zlib.crc32(frame))
    return b"\0" + cobs_encode(frame) + b"\0"


def session_seq():
    """A sequence number no earlier client is likely to have used (as xl does: replies to an
    earlier session's resent requests must never match this one's)."""
    return struct.unpack("<I", os.urandom(4))[0]


def request(path, msg_type, payload=b"", seq=None, timeout=5.0):
    """Sends one request; returns (reply type, reply payload) of the reply with its seq. Raises
    OSError (socket) or TimeoutError (no reply in time)."""
    seq = session_seq() if seq is None else seq
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        s.sendall(encode(msg_type, seq, payload))
        buf = b""
        while True:
            try:
                chunk = s.recv(4096)
            except socket.timeout:
                raise TimeoutError("no reply within %.1f s" % timeout)
            if not chunk:
                raise OSError("control socket closed")
            buf += chunk
            parts = buf.split(b"\0")
            buf = parts[-1]
            for part in parts[:-1]:
                f = cobs_decode(part) if part else b""
                if len(f) < 14 or f[:2] != b"RH":
                    continue
                rtype, rseq = f[3], struct.unpack_from("<I", f, 4)[0]
                length = struct.unpack_from("<H", f, 8)[0]
                if rseq == seq:
                    return rtype, f[10:10 + length]
