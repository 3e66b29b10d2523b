"""A local HTTP server on 127.0.0.1 whose routes misbehave on purpose: status codes, delays, bombs, loops."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # sleep before answering, to provoke read timeouts
    truncate_to: int | None = None  # send only this many bytes of the body, then close


Route = Callable[[dict], Reply]  # gets the request headers (and the hit number under "_hit")


class FaultServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route | list[Reply] | Reply] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict]] = []
        self.posts: list[tuple[str, bytes]] = []
        self.timeline: list[tuple[str, str, float, float]] = []  # (host header, path, start, end)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                server.hits[self.path] += 1
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append((self.path, headers))
                reply = server._reply(self.path, headers)
                started = time.monotonic()
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                body = reply.body
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in reply.headers:
                    self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    self.wfile.write(body if reply.truncate_to is None else body[:reply.truncate_to])
                except (BrokenPipeError, ConnectionResetError):
                    pass
                server.timeline.append((headers.get("host", ""), self.path, started, time.monotonic()))
                self.close_connection = True

            def do_POST(self) -> None:  # noqa: N802 - a webhook receiver: record the body, answer 200
                length = int(self.headers.get("Content-Length") or 0)
                server.posts.append((self.path, self.rfile.read(length)))
                server.hits[self.path] += 1
                reply = server._reply(self.path, {}) if self.path in server.routes else Reply(200, b"ok")
                self.send_response(reply.status)
                self.send_header("Content-Length", str(len(reply.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(reply.body)
                self.close_connection = True

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def _reply(self, path: str, headers: dict) -> Reply:
        route = self.routes.get(path)
        if route is None:
            route = self.routes.get(path.split("?")[0])
        if route is None:
            return Reply(404, b"not found")
        if isinstance(route, Reply):
            return route
        if isinstance(route, list):  # a script: one reply per hit, the last one repeats
            return route[min(self.hits[path] - 1, len(route) - 1)]
        return route({**headers, "_hit": self.hits[path]})

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
