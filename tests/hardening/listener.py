"""A loopback TCP listener that records every connection it gets (the target of SERVICE tests)."""
from __future__ import annotations

import socket
import threading
import time

EMPTY_RESULT = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'


class Listener:
    """Accepts on 127.0.0.1:``port``; answers each request with an empty SPARQL JSON result."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self._closed = False
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str = "/sparql") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    head = conn.recv(65536)
                except OSError:
                    head = b""
                self.requests.append(head)
                try:
                    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/sparql-results+json\r\n"
                                 b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(EMPTY_RESULT),
                                                                                        EMPTY_RESULT))
                except OSError:
                    pass

    def connections_after(self, seconds: float = 0.5) -> int:
        """How many connections arrived, after waiting ``seconds`` for late ones."""
        time.sleep(seconds)
        return len(self.requests)

    def close(self) -> None:
        self._closed = True
        self.sock.close()
