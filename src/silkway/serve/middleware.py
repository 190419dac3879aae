"""The outermost layer of every request: its id, its log line, the body bound and the
last-resort 500.

:class:`Guard` is plain ASGI (no per-request objects beyond a closure), so it adds
little to each request. It gives each request an id (the client's ``X-Request-ID`` if
it is short and plain, else a new one) and returns it as ``X-Request-ID``; reads a
request body up to :attr:`Limits.body_bytes` (a larger one, announced or not, is
answered 413 as soon as the bound is passed); answers any exception that escapes the
app with a 500 problem that says nothing of the code (the traceback goes to the log);
and logs one JSON line per request on the ``silkway.serve`` logger: ``time``,
``method``, ``path``, ``status``, ``duration_ms``, ``request_id``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import uuid
from typing import TYPE_CHECKING

from . import problems
from .problems import ProblemError

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER = "silkway.serve"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class BodyTooLargeError(Exception):
    """The body passed the bound while it was read."""


class Guard:
    """ASGI middleware: request id, body bound, 500 fallback, one log line."""

    def __init__(self, app: ASGIApp, *, body_bytes: int) -> None:
        self.app = app
        self.body_bytes = body_bytes
        self.log = logging.getLogger(LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        rid = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", ()), (b"x-request-id", rid.encode())]
                message = {**message, "headers": headers}
            await send(message)

        path = scope.get("path", "")
        try:
            bounded = await self._bounded(scope, receive)
            await self.app(scope, bounded, send_with_id)
        except BodyTooLargeError:
            if not status:
                await problems.send(send_with_id, _too_large(self.body_bytes), path, rid)
        except Exception:
            self.log.exception("internal error in %s %s (request %s)", scope["method"], path, rid)
            if not status:
                problem = ProblemError(
                    500,
                    "internal server error",
                    "the server met an unexpected error; it is logged under this "
                    f"request's id ({rid})",
                )
                await problems.send(send_with_id, problem, path, rid)
        finally:
            self.log.info(
                json.dumps(
                    {
                        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                        "method": scope["method"],
                        "path": path,
                        "status": status or 500,
                        "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                        "request_id": rid,
                    }
                )
            )

    async def _bounded(self, scope: Scope, receive: Receive) -> Receive:
        """``receive`` for the app: the whole body read first, within the bound."""
        declared = _content_length(scope)
        if declared is not None and declared > self.body_bytes:
            raise BodyTooLargeError
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE") and not declared:
            return receive
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: let the app see it
                return _replay([message], receive)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.body_bytes:
                raise BodyTooLargeError
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return _replay(
            [{"type": "http.request", "body": b"".join(chunks), "more_body": False}], receive
        )


def _replay(messages: list[Message], receive: Receive) -> Receive:
    async def replay() -> Message:
        if messages:
            return messages.pop(0)
        return await receive()

    return replay


def _too_large(limit: int) -> ProblemError:
    return ProblemError(
        413,
        "request body too large",
        f"the request body is over this server's limit of {limit:,} bytes",
        kind="body-too-large",
        limit_bytes=limit,
    )


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _request_id(scope: Scope) -> str:
    for key, value in scope.get("headers", ()):
        if key == b"x-request-id":
            text: str = value.decode("latin-1")
            if _REQUEST_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex
