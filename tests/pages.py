"""A real HTTP server on 127.0.0.1 with the pages the fetch tests need, good and bad.

Started by a test in a thread of its own (ThreadingHTTPServer from the standard library), on
a port the system picks; it never reaches outside the machine. Every request's path is
recorded, so a test can tell a fetch from a cache hit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTINE_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Evening Unwind | Example Stretch Site</title></head>
<body>
<nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
<main>
<p>Two slow stretches to end the day. Breathe out as you sink into each one.</p>
<h2>1. Seated Reach</h2>
<p>Sit tall and reach both arms high above your head. Hold for 3 seconds.</p>
<h2>2. Folded Leaf</h2>
<p>Kneel, sit back on your heels and lay your chest on your thighs. Hold for 4 seconds.</p>
</main>
<footer>Copyright the example site</footer>
</body></html>
"""

# Windows-1252 bytes with the charset named only in the page: é is 0xE9, ü is 0xFC.
LATIN_HTML = (
    "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
    "<title>Routine for the caf\u00e9 crowd</title></head><body>"
    "<h2>1. Gr\u00fc\u00dfe Reach</h2><p>Reach up tall. Hold for 5 seconds.</p>"
    "<h2>2. Caf\u00e9 Fold</h2><p>Fold forward slowly. Hold for 6 seconds.</p>"
    "</body></html>"
).encode("cp1252")

ROUTINE_TEXT = (
    "Desk break\n\n1. Neck Tilt\nTilt your ear toward your shoulder. Hold 3 seconds.\n\n"
    "2. Wrist Circle\nDraw slow circles with both hands. Hold 4 seconds.\n"
)
ROUTINE_MD = (
    "# Morning Wake Up\n\n## 1. Tall Reach\n\nStand and reach both arms high. Hold 3 seconds."
    "\n\n## 2. Calf Press\n\nPress one heel back toward the floor. Hold 4 seconds.\n"
)

HUGE_SIZE = 64 * 1024 * 1024
"""What /huge would send if nobody stopped reading."""


@dataclass
class Served:
    base: str
    requests: list[str] = field(default_factory=list)
    huge_sent: list[int] = field(default_factory=list)
    """Bytes /huge managed to write before the client hung up."""

    def url(self, path: str) -> str:
        return self.base + path


class _Handler(BaseHTTPRequestHandler):
    served: Served
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.served.requests.append(self.path)
        path = self.path
        if path == "/routine.html":
            self._send(200, ROUTINE_HTML.encode(), "text/html; charset=utf-8")
        elif path == "/latin.html":
            self._send(200, LATIN_HTML, "text/html")  # the charset is in the page only
        elif path == "/latin-header.html":
            # The header wins over the page's own (wrong) meta.
            body = LATIN_HTML.replace(b"charset=windows-1252", b"charset=utf-8")
            self._send(200, body, "text/html; charset=ISO-8859-1")
        elif path == "/desk.txt":
            self._send(200, ROUTINE_TEXT.encode(), "text/plain; charset=utf-8")
        elif path == "/morning.md":
            self._send(200, ROUTINE_MD.encode(), "text/markdown")
        elif path == "/doc.pdf":
            self._send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf")
        elif path == "/disguised-pdf":
            self._send(200, b"%PDF-1.4\n1 0 obj\n<<>>\n", "text/html")
        elif path == "/photo.png":
            self._send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif path == "/missing":
            self._send(404, b"<h1>Not here</h1>", "text/html")
        elif path == "/broken":
            self._send(500, b"oops", "text/plain")
        elif path == "/slow":
            time.sleep(3)  # longer than the tests' read timeout; headers come late
            self._send(200, ROUTINE_HTML.encode(), "text/html")
        elif path == "/drip":
            self._drip()
        elif path == "/loop-a":
            self._redirect("/loop-b")
        elif path == "/loop-b":
            self._redirect("/loop-a")
        elif path.startswith("/hops/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect(f"/hops/{left - 1}" if left > 0 else "/routine.html")
        elif path == "/to-ftp":
            self._redirect("ftp://127.0.0.1/routine.txt")
        elif path == "/huge":
            self._huge()
        elif path == "/declared-huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(HUGE_SIZE))
            self.end_headers()
            self.wfile.write(b"<html>")  # and no more: the client must not wait for it
        elif path == "/about.html":
            self._send(200, b"<html><head><title>About us</title></head><body><p>We sell "
                       b"yoga mats and nothing else.</p></body></html>", "text/html")
        elif path == "/empty":
            self._send(200, b"  \n", "text/plain")
        else:
            self._send(404, b"no such page", "text/plain")

    def _drip(self) -> None:
        """A byte every 0.2 s for 20 s: never silent long enough for a read timeout."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "100")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def _huge(self) -> None:
        """64 MB of HTML with no Content-Length: only the client's limit stops it early."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>" + b"stretch " * 8190 + b"</p>\n"
        sent = 0
        try:
            while sent < HUGE_SIZE:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass
        self.served.huge_sent.append(sent)
        self.close_connection = True


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up early (as narrator does on a refused page) is fine


@contextmanager
def serve_pages() -> Iterator[Served]:
    served = Served(base="")
    handler = type("Handler", (_Handler,), {"served": served})
    server = _QuietServer(("127.0.0.1", 0), handler)
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
