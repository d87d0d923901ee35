"""`Idempotency-Key` on writes: the first reply is kept durably and replayed for the same request."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.middleware import MAX_BODY, read_body, replaying
from api.http.problems import problem
from application.idempotency import IdempotencyStore, Reply
from application.keys import KeyRing

KEPT_HEADERS = frozenset({"content-type", "location", "etag", "x-hotline-position"})
MAX_KEY_LENGTH = 255
# Only what was recorded is kept: a refused command leaves no trace, not even its key, so a retry after
# the client fixed the cause (reached the caller, corrected a field, re-read the ticket) is decided afresh.
LAST_KEPT_STATUS = 399


class Idempotency:
    def __init__(
        self, app: ASGIApp, store: IdempotencyStore, clock: Callable[[], datetime], keys: KeyRing
    ) -> None:
        self.app, self.store, self.clock, self.keys = app, store, clock, keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else Headers()
        key = headers.get("idempotency-key")
        if key is None or scope["method"] != "POST" or not await self._known(headers):
            await self.app(scope, receive, send)  # an unknown or revoked API key is answered 401 there
            return
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            await problem(422, "invalid_idempotency_key", "Idempotency-Key must be 1-255 characters.")(
                scope, receive, send
            )
            return
        body = await read_body(receive, MAX_BODY) or b""
        owner = hashlib.sha256(
            headers.get("authorization", "").encode("utf-8", "surrogateescape")
        ).hexdigest()
        fingerprint = _fingerprint(scope, body)
        claim = await run_in_threadpool(self.store.claim, owner, key, fingerprint, self.clock())
        if claim is None:
            await self._first(scope, replaying(body, receive), send, owner, key)
        elif claim.fingerprint != fingerprint:
            detail = "This Idempotency-Key was used with another request; use a new key for a new request."
            await problem(422, "idempotency_key_reused", detail)(scope, receive, send)
        elif claim.reply is None:
            detail = "The first request with this Idempotency-Key is still being handled; retry shortly."
            await problem(409, "idempotency_in_progress", detail, headers={"Retry-After": "1"})(
                scope, receive, send
            )
        else:
            await _replay(claim.reply)(scope, receive, send)

    async def _known(self, headers: Headers) -> bool:
        """Whether the request's API key is one in use: a revoked key's kept replies are not replayed to it,
        and a stranger's requests claim no key in the store."""
        scheme, _, secret = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret:
            return False
        found = self.keys.recently_recognised(secret) or await run_in_threadpool(self.keys.recognise, secret)
        return found is not None

    async def _first(self, scope: Scope, receive: Receive, send: Send, owner: str, key: str) -> None:
        """Handle the request, keeping its reply under the key (or freeing the key if it failed)."""
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            status = int(start.get("status", 500))
            if status > LAST_KEPT_STATUS:
                await run_in_threadpool(self.store.release, owner, key)
            else:
                reply = Reply(status, _kept(start), b"".join(chunks))
                await run_in_threadpool(self.store.complete, owner, key, reply)


def _fingerprint(scope: Scope, body: bytes) -> str:
    """The request as a retry must repeat it: method, path, query and the body's JSON value. A client that
    serialises the same body anew (other key order, spacing, `\\u` escapes) is retrying, not reusing."""
    target = f"{scope['method']} {scope['path']}?{scope.get('query_string', b'').decode('latin-1')}"
    return hashlib.sha256(target.encode("utf-8", "surrogateescape") + b"\n" + _canonical(body)).hexdigest()


def _canonical(body: bytes) -> bytes:
    try:
        return orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS)
    except orjson.JSONDecodeError:  # not JSON: the request will be refused; its bytes are what it said
        return body


def _kept(start: Message) -> tuple[tuple[str, str], ...]:
    pairs = Headers(raw=start.get("headers", [])).items()
    return tuple((name, value) for name, value in pairs if name in KEPT_HEADERS)


def _replay(reply: Reply) -> Response:
    headers = dict(reply.headers) | {"Idempotent-Replayed": "true"}
    media_type = headers.pop("content-type", None)
    return Response(reply.body, status_code=reply.status, headers=headers, media_type=media_type)
