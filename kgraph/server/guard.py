"""The guard every response passes through: the Host check (no DNS rebinding), the security
headers, CORS when asked for, header names as clients expect them.

>>> _canonical(b"x-content-type-options")
b'X-Content-Type-Options'
"""

from __future__ import annotations

from .replies import text

__all__ = ["Guard"]

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Guard:
    """ASGI middleware: requests for a foreign host name on a loopback server get **421** (no DNS
    rebinding); every response gets ``nosniff``, ``no-referrer`` and ``no-store``; non-HTML
    responses get the CORS headers when ``cors_origin`` is set.

    >>> from pathlib import Path
    >>> from kgraph.server import ServerConfig
    >>> guard = Guard(None, ServerConfig(store=Path("s")))
    >>> guard._host_ok({"headers": [(b"host", b"localhost:8000")]})
    True
    >>> guard._host_ok({"headers": [(b"host", b"evil.example")]})
    False"""

    def __init__(self, app, config) -> None:
        self.app, self.config = app, config

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._host_ok(scope):
            response = text(421, "this server answers requests for 127.0.0.1 or localhost only")
            response.headers["Connection"] = "close"
            await response(scope, receive, self._wrap(send))
            return
        await self.app(scope, receive, self._wrap(send))

    def _host_ok(self, scope) -> bool:
        if self.config.host not in _LOOPBACK:
            return True
        host = ""
        for key, value in scope["headers"]:
            if key == b"host":
                host = value.decode("latin-1").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.strip("[]") in _LOOPBACK

    def _wrap(self, send):
        origin = self.config.cors_origin

        async def guarded(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += _SECURITY_HEADERS
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                html = any(
                    k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers
                )
                if origin and not html:
                    headers += [
                        (b"access-control-allow-origin", origin.encode("latin-1")),
                        (b"access-control-expose-headers", b"X-KGraph-Rows"),
                        (b"vary", b"Origin"),
                    ]
                message = {**message, "headers": [(_canonical(k), v) for k, v in headers]}
            await send(message)

        return guarded


_SPELLING = {b"x-kgraph-rows": b"X-KGraph-Rows", b"www-authenticate": b"WWW-Authenticate"}


def _canonical(name: bytes) -> bytes:
    """Header names as HTTP/1.1 clients are used to seeing them (``Content-Type``); Starlette
    writes them lower-case, which strict clients with case-sensitive lookups trip over."""
    low = name.lower()
    return _SPELLING.get(low) or b"-".join(part.capitalize() for part in low.split(b"-"))
