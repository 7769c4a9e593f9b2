"""Real SPARQL servers for the store tests, started on free loopback ports and stopped afterwards.

- ``oxigraph_server``: the PyPI ``oxigraph`` CLI, ``oxigraph serve --location DIR --bind
  127.0.0.1:PORT``; kgraph uses ``http://127.0.0.1:PORT/query`` (update and store URLs derived).
- ``virtuoso_server``: Debian's ``virtuoso-t`` with a private ini (:func:`virtuoso_ini`): both ports on
  127.0.0.1, every file in the test's folder, and kgraph writing through ``/sparql-auth`` with HTTP
  Digest as the built-in ``dba`` account.
- ``basic_auth_proxy``: a small HTTP proxy in front of the Oxigraph server that wants HTTP Basic.

Without a binary the tests skip and say why; with ``KGRAPH_REQUIRE_INTEGRATION`` set they fail.
"""

from __future__ import annotations

import base64
import importlib.util
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

_spec = importlib.util.spec_from_file_location(
    "_kgraph_root_conftest", Path(__file__).resolve().parents[1] / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)
require = _root.require

VIRTUOSO_USER = ("dba", "dba")  # the account a fresh Virtuoso database is created with


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running server: what kgraph's ``--store`` should name, and where its files and log are."""

    name: str
    url: str
    process: subprocess.Popen
    folder: Path
    log: Path
    port: int

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _wait_http(url: str, process: subprocess.Popen, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _start(name: str, argv, folder: Path, probe: str, url: str, port: int, wait: float) -> Server:
    log = folder / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            argv, cwd=folder, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = Server(name, url, process, folder, log, port)
    if not _wait_http(probe, process, time.monotonic() + wait):
        _stop(process)
        raise RuntimeError(f"{name} did not start:\n{server.log_tail()}")
    return server


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def start_oxigraph(folder: Path) -> Server:
    binary = oxigraph_binary()
    assert binary is not None
    folder.mkdir(parents=True, exist_ok=True)
    error = RuntimeError("oxigraph did not start")
    for _ in range(3):  # a free port can be taken between the probe and the bind: try again
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        argv = [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
        try:
            return _start(
                "oxigraph", argv, folder, f"{base}/query?query=ASK%7B%7D", f"{base}/query", port, 30
            )
        except RuntimeError as e:
            error = e
    raise error


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t") or (
        "/usr/bin/virtuoso-t" if Path("/usr/bin/virtuoso-t").exists() else None
    )


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    """A private Virtuoso configuration: loopback only, all files under ``folder``.

    ``ResultSetMaxRows`` is raised from Debian's 10,000 so that whole-graph answers are not cut.
    """
    vsp = Path("/var/lib/virtuoso-opensource-7/vsp")
    return f"""\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 60
DirsAllowed        = ., {folder}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000

[HTTPServer]
ServerPort    = 127.0.0.1:{http_port}
ServerRoot    = {vsp if vsp.is_dir() else folder}
ServerThreads = 10
Charset       = UTF-8

[SPARQL]
ResultSetMaxRows      = 1000000
MaxQueryExecutionTime = 120
"""


def start_virtuoso(folder: Path) -> Server:
    binary = virtuoso_binary()
    assert binary is not None
    folder.mkdir(parents=True, exist_ok=True)
    error = RuntimeError("virtuoso did not start")
    for _ in range(3):
        sql_port, http_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(virtuoso_ini(folder, sql_port, http_port))
        base = f"http://127.0.0.1:{http_port}"
        argv = [binary, "+foreground", "+configfile", str(ini)]
        try:
            return _start(
                "virtuoso",
                argv,
                folder,
                f"{base}/sparql?query=ASK%7B%7D",
                f"http://{VIRTUOSO_USER[0]}:{VIRTUOSO_USER[1]}@127.0.0.1:{http_port}/sparql-auth",
                http_port,
                90,
            )
        except RuntimeError as e:
            error = e
            for f in folder.glob("virtuoso*"):
                if f.suffix != ".log":
                    f.unlink()
    raise error


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require("the Oxigraph server", oxigraph_binary() is not None, "pip install oxigraph")
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    _stop(server.process)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require(
        "Virtuoso",
        virtuoso_binary() is not None,
        "apt-get install virtuoso-opensource-7 (Debian) provides /usr/bin/virtuoso-t",
    )
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    _stop(server.process)


class _Proxy(BaseHTTPRequestHandler):
    """Forwards to ``upstream`` what carries the right HTTP Basic credentials; 401 otherwise."""

    upstream = ""
    expected = ""
    seen: ClassVar[list[str]] = []

    def _handle(self) -> None:
        got = self.headers.get("Authorization", "")
        self.seen.append(got.split(" ", 1)[0])
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if got != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kgraph test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        request = urllib.request.Request(self.upstream + self.path, data=body, method=self.command)
        for name in ("Content-Type", "Accept"):
            if self.headers.get(name):
                request.add_header(name, self.headers[name])
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                status, headers, data = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, data = e.code, e.headers, e.read()
        self.send_response(status)
        if headers.get("Content-Type"):
            self.send_header("Content-Type", headers["Content-Type"])
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


@pytest.fixture(scope="session")
def basic_auth_proxy(oxigraph_server: Server) -> Iterator[tuple[str, list[str]]]:
    """(base URL with ``kg:secret`` credentials, the auth schemes the proxy saw per request)."""
    token = base64.b64encode(b"kg:secret").decode()
    handler = type(
        "Proxy",
        (_Proxy,),
        {
            "upstream": f"http://127.0.0.1:{oxigraph_server.port}",
            "expected": f"Basic {token}",
            "seen": [],
        },
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.seen
    httpd.shutdown()
    httpd.server_close()


def _backend(request: pytest.FixtureRequest, name: str, tmp_path: Path):
    from kgraph.store import open_store

    if name == "memory":
        return open_store("memory:")
    if name == "oxigraph-disk":
        return open_store(tmp_path / "store")
    if name == "oxigraph-server":
        return open_store(request.getfixturevalue("oxigraph_server").url)
    if name == "virtuoso":
        return open_store(request.getfixturevalue("virtuoso_server").url)
    raise ValueError(name)


BACKENDS = [
    "memory",
    "oxigraph-disk",
    pytest.param("oxigraph-server", marks=pytest.mark.server),
    pytest.param("virtuoso", marks=pytest.mark.server),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path):
    """Each store backend in turn (the server ones share one server per session)."""
    store = _backend(request, request.param, tmp_path)
    yield store
    store.close()
