"""What every request goes through: the token, the body limit, CSRF, the security headers.

One ASGI middleware, :class:`Guard`, so that no route can forget it:

- **Token.** When the workspace has a token (always, off loopback), a request must carry it as
  ``Authorization: Bearer <token>`` or in the ``zopa_token`` cookie; the link the server prints
  carries it once as ``?token=``, which is exchanged for the cookie and removed from the address
  by a redirect. It is compared in constant time (:func:`hmac.compare_digest`) and never logged.
  Anything else gets 401.
- **Body limit.** Request bodies above :attr:`zopa.web.settings.Limits.upload_bytes` get 413,
  whether or not they declare their length.
- **CSRF.** Every client gets a random ``zopa_csrf`` cookie (``SameSite=Strict``); a request
  that changes state is a POST that must echo it in the ``X-CSRF-Token`` header or a
  ``csrf_token`` form field (the double-submit pattern, OWASP CSRF Prevention Cheat Sheet), and
  a cross-origin ``Origin`` header is refused outright (:func:`check_csrf`).
- **Headers.** A Content-Security-Policy allowing scripts only from the app itself (plus
  ``'unsafe-eval'``, which Vega's expression compiler needs: the CSP-safe interpreter is not
  part of the bundle vl-convert generates), no framing, no plugins; ``X-Content-Type-Options:
  nosniff``; ``Referrer-Policy: no-referrer``.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "zopa_token"
CSRF_COOKIE = "zopa_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"

CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def same_secret(given: str | None, expected: str) -> bool:
    """Compare a secret with the expected one in constant time (no early exit on a mismatch)."""
    if not given:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header counts as no cookie
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cookie(name: str, value: str, *, http_only: bool) -> bytes:
    flags = "; HttpOnly" if http_only else ""
    return f"{name}={value}; Path=/; SameSite=Strict{flags}".encode()


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]]) -> None:
    body = text.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The ASGI middleware that enforces the token, the body limit and the headers.

    Parameters
    ----------
    app
        The application it protects.
    token
        The access token, or None when the workspace is open to this machine's users.
    body_limit
        Largest request body in bytes.
    """

    def __init__(self, app: ASGIApp, *, token: str | None, body_limit: int) -> None:
        self.app = app
        self.token = token
        self.body_limit = body_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the request, then pass it on with the headers added to the response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        if self.token is not None:
            query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            offered = next((v for k, v in query if k == "token"), None)
            if offered is not None:
                await self._exchange(scope, send, query, offered)
                return
            bearer = _header(scope, b"authorization") or ""
            given = (
                bearer[7:] if bearer.lower().startswith("bearer ") else cookies.get(TOKEN_COOKIE)
            )
            if not same_secret(given, self.token):
                await _plain(send, 401, "401: this workspace needs its access token.\n", [])
                return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.body_limit):
            await _plain(send, 413, self._too_large(), [])
            return
        body, fits = await self._read_body(receive) if scope["method"] != "GET" else (b"", True)
        if not fits:
            await _plain(send, 413, self._too_large(), [])
            return
        csrf = cookies.get(CSRF_COOKIE)
        fresh = csrf is None or len(csrf) != 43
        if fresh:
            csrf = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = csrf

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name for name, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                if fresh:
                    headers.append((b"set-cookie", _cookie(CSRF_COOKIE, str(csrf), http_only=True)))
                message["headers"] = headers
            await send(message)

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay if scope["method"] != "GET" else receive, send_with_headers)

    def _too_large(self) -> str:
        return f"413: the request is larger than the limit of {self.body_limit // 1024:,} KiB.\n"

    async def _read_body(self, receive: Receive) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks), True
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.body_limit:
                return b"", False
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), True

    async def _exchange(
        self, scope: Scope, send: Send, query: list[tuple[str, str]], offered: str
    ) -> None:
        """Trade a ``?token=`` in the address for the cookie, and drop it from the address."""
        if not same_secret(offered, str(self.token)):
            await _plain(send, 401, "401: this workspace needs its access token.\n", [])
            return
        rest = urlencode([(k, v) for k, v in query if k != "token"])
        location = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
        cookie = _cookie(TOKEN_COOKIE, str(self.token), http_only=True)
        await _plain(
            send,
            303,
            "303: signed in.\n",
            [(b"location", location.encode()), (b"set-cookie", cookie)],
        )


def check_csrf(
    scope_state: dict[str, Any],
    method: str,
    origin: str | None,
    host: str | None,
    supplied: str | None,
) -> str | None:
    """Return why a request must be refused as a possible forgery, or None when it may go on.

    Parameters
    ----------
    scope_state
        The request's state, holding the client's CSRF cookie value under ``csrf``.
    method
        The HTTP method; only POST changes state (other methods are not routed to actions).
    origin, host
        The ``Origin`` and ``Host`` headers.
    supplied
        The token the request echoes (header or form field).
    """
    if method != "POST":
        return None
    if origin is not None and origin != "null":
        origin_host = origin.split("://", 1)[-1]
        if host is None or origin_host != host:
            return "cross-origin request refused"
    if not same_secret(supplied, str(scope_state.get("csrf", ""))):
        return "missing or wrong CSRF token (reload the page and try again)"
    return None
