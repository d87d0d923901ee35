"""Request bodies are read whole and bounded before anything else sees them."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qsl

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


class PlainQuery:
    """Answers 422 for a query parameter given twice (`?status=received&status=closed`): every parameter of
    this API takes one value, and the web framework would silently keep only the last one. Also for a NUL
    character in a parameter: no text of this API holds one, and PostgreSQL refuses it as a query's value."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"") if scope["type"] == "http" else b""
        errors = _query_errors(parse_qsl(query.decode("latin-1"), keep_blank_values=True)) if query else []
        if errors:
            detail = "; ".join(f"{e['field']}: {e['problem']}" for e in errors)
            await problem(422, "validation_failed", detail, errors=errors)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _query_errors(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    names = Counter(name for name, _ in pairs)
    repeated = sorted(name for name, times in names.items() if times > 1)
    with_nul = sorted({name for name, value in pairs if "\x00" in value} - set(repeated))
    return [{"field": f"query.{name}", "problem": "given more than once"} for name in repeated] + [
        {"field": f"query.{name}", "problem": "holds a NUL character"} for name in with_nul
    ]
