"""HTTP for the remote store: one client with Basic and Digest authentication (standard library).

:class:`Client` sends a request, answers one ``401`` challenge (RFC 7617 Basic sent up front, or
RFC 7616 Digest with MD5 or SHA-256, ``qop=auth``, the nonce reused with a counter) and turns error
answers into :class:`HTTPError` with the useful part of the server's page.

>>> with_param("http://h/store", "graph", "http://g/1")
'http://h/store?graph=http%3A%2F%2Fg%2F1'
>>> server_message(400, "Bad Request", "<html><b>Parse error</b> at 1:3</html>")
'HTTP 400 Bad Request: Parse error at 1:3'
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

from ..errors import StoreError

__all__ = ["Client", "HTTPError", "looks_like_syntax", "server_message", "with_param"]


# -- authentication -----------------------------------------------------------------------------------


class _Auth:
    """HTTP Basic (pre-emptive) and Digest (RFC 7616, ``qop=auth``) credentials for one store."""

    def __init__(self, user: str, password: str, scheme: str) -> None:
        if scheme not in ("auto", "basic", "digest"):
            raise StoreError(f"unknown HTTP authentication {scheme!r} (auto, basic or digest)")
        self.user, self.password, self.scheme = user, password, scheme
        self._digest: dict[str, str] | None = None
        self._count = 0
        self._basic = scheme == "basic"

    def header(self, method: str, url: str) -> str | None:
        if self._digest is not None:
            return self._digest_header(method, url)
        if self._basic:
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return f"Basic {token}"
        return None

    def challenge(self, headers: Message) -> bool:
        """Take a 401's challenge; ``True`` when a retry can answer it."""
        for value in headers.get_all("WWW-Authenticate") or []:
            scheme, _, rest = value.strip().partition(" ")
            scheme = scheme.lower()
            if scheme == "digest" and self.scheme in ("auto", "digest"):
                params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
                stale = params.get("stale", "").lower() == "true"
                fresh = self._digest is None or params.get("nonce") != self._digest.get("nonce")
                if not (stale or fresh):
                    return False  # the same nonce was refused: wrong credentials
                self._digest, self._count = params, 0
                return True
            if scheme == "basic" and self.scheme in ("auto", "basic") and not self._basic:
                self._basic = True
                return True
        return False

    def _digest_header(self, method: str, url: str) -> str:
        c = self._digest
        assert c is not None
        algorithm = c.get("algorithm", "MD5")
        name = algorithm.upper().removesuffix("-SESS")
        if name not in ("MD5", "SHA-256"):
            raise StoreError(f"unsupported HTTP Digest algorithm {algorithm!r}")

        def h(text: str) -> str:
            return hashlib.new(name.replace("-", "").lower(), text.encode()).hexdigest()

        parts = urllib.parse.urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        self._count += 1
        nc, cnonce = f"{self._count:08x}", secrets.token_hex(8)
        realm, nonce = c.get("realm", ""), c.get("nonce", "")
        ha1 = h(f"{self.user}:{realm}:{self.password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in c.get("qop", "").split(",") if q.strip()]
        fields = {
            "username": self.user,
            "realm": realm,
            "nonce": nonce,
            "uri": uri,
            "algorithm": algorithm,
        }
        if "auth" in qops:
            fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            out = ", ".join(f'{k}="{v}"' for k, v in fields.items() if k != "algorithm")
            out += f', algorithm={algorithm}, qop=auth, nc={nc}, cnonce="{cnonce}"'
        elif qops:
            raise StoreError(f"unsupported HTTP Digest qop {c.get('qop')!r}")
        else:
            fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
            out = ", ".join(f'{k}="{v}"' for k, v in fields.items() if k != "algorithm")
            out += f", algorithm={algorithm}"
        if "opaque" in c:
            out += f', opaque="{c["opaque"]}"'
        return "Digest " + out


class HTTPError(Exception):
    """An HTTP error answer (``status`` 0: no answer in time), with the server's message.

    >>> HTTPError(404, "HTTP 404 Not Found").status
    404"""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


# -- the client -----------------------------------------------------------------------------------


class Client:
    """Requests to one server with optional credentials (``user`` ``None``: no authentication).

    >>> Client(None, "", "auto", timeout=5.0).timeout
    5.0
    """

    def __init__(self, user: str | None, password: str, scheme: str, *, timeout: float) -> None:
        self._auth = _Auth(user, password, scheme.lower()) if user else None
        self.timeout = timeout
        self._opener = urllib.request.build_opener()

    def send(
        self,
        url: str,
        *,
        method: str = "POST",
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> tuple[bytes, Message]:
        """One request; answers a 401 challenge once; errors as :class:`HTTPError`."""
        for attempt in range(3):
            request = urllib.request.Request(url, data=data, method=method)
            for k, v in (headers or {}).items():
                request.add_header(k, v)
            if self._auth is not None:
                value = self._auth.header(method, url)
                if value:
                    request.add_header("Authorization", value)
            try:
                with self._opener.open(request, timeout=timeout or self.timeout) as response:
                    return response.read(), response.headers
            except urllib.error.HTTPError as e:
                body = e.read().decode("utf-8", "replace")
                if (
                    e.code == 401
                    and self._auth is not None
                    and attempt < 2
                    and self._auth.challenge(e.headers)
                ):
                    continue
                raise HTTPError(e.code, server_message(e.code, e.reason, body)) from None
            except TimeoutError:
                waited = timeout or self.timeout
                raise HTTPError(0, f"no answer from {url} within {waited:g} s") from None
            except urllib.error.URLError as e:
                if isinstance(e.reason, TimeoutError):
                    waited = timeout or self.timeout
                    raise HTTPError(0, f"no answer from {url} within {waited:g} s") from None
                raise StoreError(f"cannot reach {url}: {e.reason}") from None
            except OSError as e:
                raise StoreError(f"cannot reach {url}: {e}") from None
        raise HTTPError(401, f"{url}: the server refused the credentials")  # pragma: no cover

    def form(self, url: str, fields: list[tuple[str, str]], **kw) -> tuple[bytes, Message]:
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}
        headers.update(kw.pop("headers", {}))
        return self.send(url, data=body, headers=headers, **kw)


# -- helpers --------------------------------------------------------------------------------------


def with_param(url: str, name: str, value: str) -> str:
    """``url`` with one more query parameter.

    >>> with_param("http://h/crud?x=1", "graph", "urn:g")
    'http://h/crud?x=1&graph=urn%3Ag'
    """
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{sep}{urllib.parse.urlencode({name: value})}"


def server_message(status: int, reason: str, body: str) -> str:
    """The useful part of an error page: Virtuoso echoes the query after the message; HTML goes.

    >>> server_message(500, "Error", "SR171: bad" + chr(10) * 2 + "SPARQL query: …")
    'HTTP 500 Error: SR171: bad'
    """
    text = body.split("\n\nSPARQL query:", 1)[0].strip()
    if text.lstrip().startswith("<"):
        text = re.sub(r"<[^>]+>", " ", text)
        text = re.sub(r"\s+", " ", text).strip()
    if len(text) > 2000:
        text = text[:2000] + " …"
    return f"HTTP {status} {reason}: {text}" if text else f"HTTP {status} {reason}"


def looks_like_syntax(message: str) -> bool:
    """Whether a server's message is about the query's syntax (rather than the server).

    >>> looks_like_syntax("Parser error at 1:3"), looks_like_syntax("out of memory")
    (True, False)
    """
    return bool(re.search(r"syntax|parse|error at \d+:\d+|expected|unexpected", message, re.I))
