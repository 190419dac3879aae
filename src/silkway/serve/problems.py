"""RFC 9457 problem details: every error the API answers is ``application/problem+json``.

A problem has ``type`` (``urn:silkway:problem:<kind>``), ``title``, ``status``,
``detail`` and ``instance`` (the request path), plus extension members: ``matches``
(the closest names of an unknown place, source, scenario or parameter), ``candidates``
(the places an ambiguous name matches), ``errors`` (each invalid field of a request:
its path and why) and ``request_id``. :func:`problem_for` maps silkway's errors to
4xx problems; :func:`install` registers the handlers on an app. Nothing here puts a
stack trace or a file path in a response.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._errors import (
    CLI_SEARCH_HINT,
    AmbiguousPlaceError,
    NoRouteError,
    SilkwayError,
    UnknownPlaceError,
)

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from starlette.responses import Response
    from starlette.types import Send

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:silkway:problem:"
API_SEARCH_HINT = " (search with GET /api/v1/places?q=QUERY)"
"""What an unknown-place problem suggests instead of the command line's search."""


class ProblemError(Exception):
    """An error the API answers as a problem: raise it from a route.

    Parameters
    ----------
    status, title, detail
        The HTTP status, a short fixed summary, and the message for this occurrence.
    kind
        The problem type's last part (``unknown-place``); default from the title.
    headers
        Extra response headers (``Retry-After``).
    **extensions
        Extension members (``matches``, ``errors``).
    """

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        kind: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.kind = kind or title.replace(" ", "-")
        self.headers = dict(headers or {})
        self.extensions = extensions


def document(
    status: int, title: str, detail: str, *, kind: str, instance: str, **extensions: Any
) -> dict[str, Any]:
    """The problem as a JSON object."""
    return {
        "type": TYPE_PREFIX + kind,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **extensions,
    }


def body(problem: ProblemError, instance: str, request_id: str = "") -> bytes:
    """The problem+json body of ``problem`` at ``instance`` (the request path)."""
    extra = dict(problem.extensions)
    if request_id:
        extra["request_id"] = request_id
    doc = document(
        problem.status,
        problem.title,
        problem.detail,
        kind=problem.kind,
        instance=instance,
        **extra,
    )
    return json.dumps(doc, ensure_ascii=False).encode()


def problem_for(exc: SilkwayError) -> ProblemError:
    """The 4xx problem of a silkway error (its message is written for users)."""
    message = str(exc)
    if isinstance(exc, UnknownPlaceError):
        message = message.replace(CLI_SEARCH_HINT, API_SEARCH_HINT)
        return ProblemError(
            404, "unknown place", message, matches=list(exc.suggestions), query=exc.query
        )
    if isinstance(exc, AmbiguousPlaceError):
        return ProblemError(
            422,
            "ambiguous place",
            message,
            candidates=list(exc.candidates),
            matches=list(exc.candidates),
            query=exc.query,
        )
    if isinstance(exc, NoRouteError):
        return ProblemError(422, "no route", message)
    from ..scenarios.errors import ScenarioError

    if isinstance(exc, ScenarioError):
        return ProblemError(422, "scenario error", message)
    return ProblemError(422, "invalid request", message)


def _response(problem: ProblemError, request: Request) -> Response:
    from starlette.responses import Response

    rid = str(getattr(request.state, "request_id", ""))
    return Response(
        body(problem, request.url.path, rid),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=problem.headers,
    )


async def send(send_: Send, problem: ProblemError, instance: str, request_id: str = "") -> None:
    """Send ``problem`` as a whole response on a raw ASGI ``send`` (for middleware)."""
    content = body(problem, instance, request_id)
    headers = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(content)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in problem.headers.items()),
    ]
    await send_({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send_({"type": "http.response.body", "body": content})


def validation_errors(errors: Any) -> list[dict[str, Any]]:
    """Pydantic's errors as ``{"field", "location", "message", "type"}`` (no input echo)."""
    out = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ())]
        path = loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc
        out.append(
            {
                "field": ".".join(path) or (loc[0] if loc else ""),
                "location": loc[0] if loc else "",
                "message": str(e.get("msg", "invalid")),
                "type": str(e.get("type", "")),
            }
        )
    return out


def install(app: FastAPI) -> None:
    """Answer every error raised in a route as a problem."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return _response(exc, request)

    async def on_silkway(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SilkwayError)
        return _response(problem_for(exc), request)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(exc.errors())
        fields = ", ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        problem = ProblemError(
            422,
            "invalid request",
            f"the request is not valid: {fields}" if fields else "the request is not valid",
            errors=errors,
        )
        return _response(problem, request)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        titles = {404: "not found", 405: "method not allowed"}
        title = titles.get(exc.status_code, "http error")
        detail = (
            f"no resource at {request.url.path}; the API is under /api/v1 (see /docs)"
            if exc.status_code == 404
            else f"{request.method} is not allowed on {request.url.path}"
            if exc.status_code == 405
            else str(exc.detail)
        )
        problem = ProblemError(exc.status_code, title, detail, headers=exc.headers)
        return _response(problem, request)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(SilkwayError, on_silkway)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
