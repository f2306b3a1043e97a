"""Requests written by hand on a socket, for tests of what a server does with bytes no HTTP client would send."""

from __future__ import annotations

import socket

END_OF_HEAD = b"\r\n\r\n"


def exchange(base_url: str, request: bytes, timeout: float = 30) -> bytes:
    """Send `request` as is on a new connection; the answer, whole (its head and the body it declares), or what
    came before the server closed the connection."""
    host, port = base_url.removeprefix("http://").split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        got = b""
        while END_OF_HEAD not in got or len(got.partition(END_OF_HEAD)[2]) < declared_length(got):
            chunk = sock.recv(65536)
            if not chunk:
                break
            got += chunk
        return got


def declared_length(answer: bytes) -> int:
    """The Content-Length in the head of `answer` (0 when there is none)."""
    for line in answer.partition(END_OF_HEAD)[0].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def parts(answer: bytes) -> tuple[int, bytes, bytes]:
    """The status, the Content-Type and the body of an answer."""
    head, _, body = answer.partition(END_OF_HEAD)
    lines = head.split(b"\r\n")
    content_type = next(
        (line.partition(b":")[2].strip() for line in lines if line.lower().startswith(b"content-type")), b""
    )
    return int(lines[0].split()[1]), content_type, body
