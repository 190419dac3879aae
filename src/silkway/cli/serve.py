"""``silkway serve``: the REST API and the web page, on uvicorn.

The command checks the network (so a bad ``--network`` is one line and exit status 2,
not a traceback from each worker), checks that the address is free, then runs uvicorn
with :func:`silkway.serve.app.create_app_from_env` as the app factory: each of the
``--workers`` processes builds its own app from the settings passed in the
``SILKWAY_SERVE`` environment variable and loads the network once. FastAPI and uvicorn
are imported only here, when the command runs.
"""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import os
from typing import Annotated

import typer

from .._errors import SilkwayError
from ._common import NetworkOpt, OverlayOpt, ScenarioOpt, load_compiled, stderr_line


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-w",
            help="Worker processes (each loads the network once).",
            min=1,
            max=64,
        ),
    ] = 1,
    compute_limit: Annotated[
        float,
        typer.Option(
            "--compute-limit",
            metavar="SECONDS",
            help="Longest a plan, matrix or comparison may compute; past it the request "
            "gets a 503 (a plan's time_limit is capped at half of it).",
            min=0.01,
            max=3600,
        ),
    ] = 10.0,
    compute_slots: Annotated[
        int,
        typer.Option(
            "--compute-slots",
            help="Computations at once per worker.",
            min=1,
            max=64,
        ),
    ] = 2,
    compute_queue: Annotated[
        int,
        typer.Option(
            "--compute-queue",
            help="Requests that may wait for a compute slot, per worker; one more gets a "
            "503 at once.",
            min=0,
            max=10_000,
        ),
    ] = 8,
    max_body: Annotated[
        int,
        typer.Option(
            "--max-body",
            metavar="BYTES",
            help="Largest request body; a larger one gets a 413.",
            min=1024,
            max=16 * 1024 * 1024,
        ),
    ] = 64 * 1024,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Serve the REST API (/api/v1, docs at /docs) and the web map on HOST:PORT.

    Example: silkway serve --port 8000 --workers 2
    """
    from ..serve.limits import Limits
    from ..serve.state import ENV, Settings

    load_compiled(network, overlay, scenario=scenario)  # errors now, and a warm disk cache
    _check_free(host, port)
    settings = Settings(
        network=None if network is None else str(network.resolve()),
        overlay=tuple(str(p.resolve()) for p in overlay or ()),
        scenario=tuple(scenario or ()),
        limits=Limits(
            body_bytes=max_body,
            compute_seconds=compute_limit,
            compute_slots=compute_slots,
            compute_queue=compute_queue,
        ),
        warm=True,
    )
    os.environ[ENV] = settings.to_env()
    import uvicorn

    where = f"[{host}]" if ":" in host else host
    stderr_line(
        f"http://{where}:{port}/ ({workers} worker{'s' if workers != 1 else ''}); "
        "API at /api/v1, docs at /docs; Ctrl-C stops",
        prefix="serving",
        style="green",
    )
    uvicorn.run(
        "silkway.serve.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,  # silkway.serve logs one JSON line per request
    )


def _check_free(host: str, port: int) -> None:
    """A SilkwayError if nothing can listen on ``host:port`` (in use, or no such
    address)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise SilkwayError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise SilkwayError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}"
                + (" (choose another --port)" if exc.errno == 98 else "")
            ) from None


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    from ._fastparams import FastCommand

    app.command("serve", cls=FastCommand)(serve_command)
