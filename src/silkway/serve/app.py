"""The ASGI app of ``silkway serve``: :func:`create_app`, and the factory uvicorn's
worker processes call (:func:`create_app_from_env`).

Routes: the API under ``/api/v1`` (:mod:`.routes_core`, :mod:`.routes_geo`,
:mod:`.routes_scenarios`), the OpenAPI schema at ``/openapi.json``, interactive docs at
``/docs`` (Swagger UI) and ``/redoc``, whose scripts and styles come from the
``fastapi-offline`` package and are served here (no CDN), and the web page: ``/``
answers ``static/index.html`` and ``/static/*`` the ``static`` folder. Building the app
loads nothing: each worker loads its network at startup (the lifespan), once.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .limits import Limits
from .state import ENV, Settings, Worker

if TYPE_CHECKING:
    from fastapi import FastAPI

API_PREFIX = "/api/v1"
DOCS_ASSETS = "/docs-assets"
STATIC = Path(__file__).resolve().parent / "static"
"""The web page's files (built by the front-end build)."""


def create_app(
    *,
    network: str | Path | None = None,
    overlay: tuple[str | Path, ...] | list[str | Path] = (),
    scenario: tuple[str, ...] | list[str] = (),
    limits: Limits | None = None,
    warm: bool = False,
) -> FastAPI:
    """The app serving ``network`` (default the bundled one) with its overlays and
    scenarios, within ``limits``.

    Parameters
    ----------
    network, overlay, scenario
        As ``--network``, ``--overlay`` and ``--scenario`` of the other commands; the
        scenarios (names or files) are laid under every request.
    limits
        The server's bounds (default :class:`Limits`).
    warm
        Plan one short query at startup (loads the search kernels).
    """
    return build(
        Settings(
            network=None if network is None else str(network),
            overlay=tuple(str(p) for p in overlay),
            scenario=tuple(scenario),
            limits=limits or Limits(),
            warm=warm,
        )
    )


def create_app_from_env() -> FastAPI:
    """The app of the :class:`Settings` in ``$SILKWAY_SERVE`` (uvicorn's factory, so
    that ``--workers N`` processes each build their own); logs requests to stderr."""
    log = logging.getLogger("silkway.serve")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return build(Settings.from_env(os.environ.get(ENV, "")))


def build(settings: Settings) -> FastAPI:
    """The app of ``settings``."""
    from fastapi import FastAPI

    from .. import __version__
    from . import problems, routes_core, routes_geo, routes_scenarios
    from .middleware import Guard

    worker = Worker(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker.warm_up()  # the network now, not on the first request
        try:
            yield
        finally:
            worker.compute.shutdown()

    app = FastAPI(
        title="silkway",
        version=__version__,
        summary="Multimodal freight planner for the China - Central Asia - Europe corridors.",
        description=(
            "The REST API of `silkway serve`. Every error is `application/problem+json` "
            "(RFC 9457). See docs/api.md for examples, limits and errors."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.worker = worker
    problems.install(app)
    for module in (routes_core, routes_geo, routes_scenarios):
        app.include_router(module.router, prefix=API_PREFIX)
    _docs(app)
    _static(app)
    app.add_middleware(Guard, body_bytes=settings.limits.body_bytes)
    return app


def _docs(app: FastAPI) -> None:
    """``/docs`` and ``/redoc`` with assets from the fastapi-offline package."""
    from importlib.resources import files

    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    assets = Path(str(files("fastapi_offline") / "static"))
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="silkway API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title="silkway API",
            redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )


def _static(app: FastAPI) -> None:
    """``/`` and ``/static/*``: the web page, if its folder is there."""
    from fastapi.responses import FileResponse, Response
    from fastapi.staticfiles import StaticFiles

    from .problems import ProblemError

    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        page = STATIC / "index.html"
        if not page.is_file():
            raise ProblemError(
                404, "not found", "the web page is not built; the API is under /api/v1"
            )
        return FileResponse(page, media_type="text/html")
