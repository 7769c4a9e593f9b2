"""Helpers for the server tests: ``kgraph serve`` as a subprocess, raw HTTP requests."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from kgraph.cli import main


def _build(store: Path, corpus: Path | None = None) -> None:
    args = ["build", "-q", "--store", str(store)] + ([str(corpus)] if corpus else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


class Server:
    """``kgraph serve`` in a subprocess; ``url`` is its base URL."""

    def __init__(self, store: Path, *args: str) -> None:
        cmd = [sys.executable, "-m", "kgraph", "serve", "--store", str(store), "--port", "0"]
        self.process = subprocess.Popen(
            [*cmd, *args], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        )
        line = self.process.stderr.readline()
        m = re.search(r"(http://[\d.]+:\d+)/", line)
        if not m:
            self.process.kill()
            rest = self.process.stderr.read()
            raise RuntimeError(f"kgraph serve did not start: {line}{rest}")
        self.url = m.group(1)
        self.host, self.port = (
            urllib.parse.urlsplit(self.url).hostname,
            int(self.url.rsplit(":")[-1]),
        )
        # drain the request log so the pipe never fills
        threading.Thread(target=self.process.stderr.read, daemon=True).start()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def get(self, path: str, headers: dict | None = None):
        return request(self.url + path, headers=headers)

    def sparql(self, query: str, accept: str | None = None, **extra):
        qs = urllib.parse.urlencode({"query": query, **extra})
        return self.get(f"/sparql?{qs}", {"Accept": accept} if accept else None)

    def post(self, path: str, body: bytes, content_type: str, headers: dict | None = None):
        h = {"Content-Type": content_type, **(headers or {})}
        return request(self.url + path, data=body, headers=h)


def request(url: str, data: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def raw_get(server: Server, target: str) -> int:
    """The status of a GET for ``target`` sent byte for byte (no client-side normalisation)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.putrequest("GET", target, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it is offered (and what they
    send first): a server that must never call out is pointed at it."""

    def __init__(self) -> None:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(200) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def store_of(path: Path, nquads: list[str]) -> Path:
    """An on-disk kgraph store at ``path`` holding the N-Quads ``nquads`` lines."""
    from kgraph.store.oxigraph import OxigraphStore

    OxigraphStore(path).replace(nquads)
    return path
