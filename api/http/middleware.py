"""Request bodies are read whole and bounded before anything else sees them."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.problems import problem

MAX_BODY = 1024 * 1024


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None when it is longer than `limit`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the buffered body on once, then waits as the original would."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


class BodyLimit:
    """Answers 413 for a body over the limit, so no handler ever buffers a huge one."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive, self.limit)
        if body is None:
            detail = f"The body is larger than {self.limit} bytes."
            await problem(413, "body_too_large", detail)(scope, receive, send)
            return
        await self.app(scope, replaying(body, receive), send)
