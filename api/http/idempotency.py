"""`Idempotency-Key` on writes: the first reply is kept durably and replayed for the same request."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from uuid import uuid4

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.deps import recognised
from api.http.middleware import MAX_BODY, read_body, replaying
from api.http.problems import problem, store_unavailable
from application.idempotency import Claim, Fence, IdempotencyStore, Reply, writing_under
from application.keys import KeyRing
from infrastructure.failures import STORE_FAILURES

log = logging.getLogger(__name__)
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
        key, secret = headers.get("idempotency-key"), _bearer(headers)
        if key is None or scope["method"] != "POST" or secret is None:
            await self.app(scope, receive, send)
            return
        try:
            known = await self._known(secret)
        except STORE_FAILURES as error:  # never let a keyed write through without its claim
            await store_unavailable(scope["path"], error)(scope, receive, send)
            return
        if not known:
            await self.app(scope, receive, send)  # an unknown or revoked API key is answered 401 there
            return
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            await problem(422, "invalid_idempotency_key", "Idempotency-Key must be 1-255 characters.")(
                scope, receive, send
            )
            return
        body = await read_body(receive, MAX_BODY) or b""
        # The digest of the header as clients send it: the scope earlier releases kept their claims under.
        owner = hashlib.sha256(f"Bearer {secret}".encode("utf-8", "surrogateescape")).hexdigest()
        fingerprint, token = _fingerprint(scope, body), uuid4().hex
        try:
            claim = await run_in_threadpool(self.store.claim, owner, key, fingerprint, token, self.clock())
        except STORE_FAILURES as error:
            await store_unavailable(scope["path"], error)(scope, receive, send)
            return
        if claim is None:
            fence = Fence(owner, key, token)
            await self._first(scope, replaying(body, receive), send, fence)
        else:
            await _answer_to_retry(claim, fingerprint)(scope, receive, send)

    async def _known(self, secret: str) -> bool:
        """Whether the API key is one in use: a revoked key's kept replies are not replayed to it, and a
        stranger's requests claim no key in the store."""
        return await recognised(self.keys, secret) is not None

    async def _first(self, scope: Scope, receive: Receive, send: Send, fence: Fence) -> None:
        """Handle the request, its write fenced by the claim; keep its reply before sending it (a retry
        that overtakes it is replayed the reply), or free the key if it recorded nothing."""
        start: Message = {}
        chunks: list[bytes] = []

        async def held(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            with writing_under(fence):
                await self.app(scope, receive, held)
        finally:
            await self._settle(fence, start, b"".join(chunks))
        await send(start)
        await send({"type": "http.response.body", "body": b"".join(chunks)})

    async def _settle(self, fence: Fence, start: Message, body: bytes) -> None:
        status = int(start.get("status", 500))
        try:
            if status > LAST_KEPT_STATUS:
                await run_in_threadpool(self.store.release, fence.scope, fence.key, fence.token)
            else:
                reply = Reply(status, _kept(start), body)
                await run_in_threadpool(self.store.complete, fence.scope, fence.key, fence.token, reply)
        except STORE_FAILURES as error:
            # The write stands or nothing was written, as its answer says: a retry then finds the key
            # recorded without its reply (and is told so), or unrecorded, free again once its lease ends.
            log.warning("the Idempotency-Key %r could not be settled: %s", fence.key, error)


def _bearer(headers: Headers) -> str | None:
    scheme, _, secret = headers.get("authorization", "").partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def _answer_to_retry(claim: Claim, fingerprint: str) -> Response:
    """What a request finds when its key was claimed before it."""
    if claim.fingerprint != fingerprint:
        detail = "This Idempotency-Key was used with another request; use a new key for a new request."
        return problem(422, "idempotency_key_reused", detail)
    if claim.reply is not None:
        return _replay(claim.reply)
    if claim.recorded is not None and claim.stale:
        ticket, position = claim.recorded.ticket_id, claim.recorded.position
        detail = (
            f"The first request with this Idempotency-Key was recorded (ticket {ticket}, log position "
            f"{position}), but its answer was lost in a failure before it could be kept. Nothing more is "
            f"recorded: read the ticket at /v1/tickets/{ticket}."
        )
        return problem(409, "idempotency_answer_lost", detail, headers={"Location": f"/v1/tickets/{ticket}"})
    detail = "The first request with this Idempotency-Key is still being handled; retry shortly."
    return problem(409, "idempotency_in_progress", detail, headers={"Retry-After": "1"})


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
