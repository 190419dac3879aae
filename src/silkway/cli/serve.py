"""``silkway serve``: the REST API and the web page, on uvicorn.

The command checks the network (so a bad ``--network`` is one line and exit status 2,
not a traceback from each worker) and binds the address itself (a busy port is an
error too), then runs uvicorn on that socket with
:func:`silkway.serve.app.create_app_from_env` as the app factory: each of the
``--workers`` processes builds its own app from the settings passed in the
``SILKWAY_SERVE`` environment variable and loads the network once. The socket is made
as a TCP socket (``IPPROTO_TCP``), so asyncio turns Nagle's algorithm off on every
connection (``TCP_NODELAY``); on the plain socket uvicorn binds for ``--workers`` above
1 it does not, and each response, written as headers then body, waited about 40 ms for
the client's delayed acknowledgement. FastAPI and uvicorn are imported only here, when
the command runs.
"""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import errno
import os
from typing import TYPE_CHECKING, Annotated

import typer

from .._errors import SilkwayError
from ._common import NetworkOpt, OverlayOpt, ScenarioOpt, load_compiled, stderr_line

if TYPE_CHECKING:
    import socket

    import uvicorn


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
            help="Computations at once per worker (one: a worker's computations share "
            "one interpreter lock; add --workers to use more cores).",
            min=1,
            max=64,
        ),
    ] = 1,
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
    sock = _listen(host, port)
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

    config = uvicorn.Config(
        "silkway.serve.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,  # silkway.serve logs one JSON line per request
    )
    where = f"[{host}]" if ":" in host else host
    stderr_line(
        f"http://{where}:{port}/ ({workers} worker{'s' if workers != 1 else ''}); "
        "API at /api/v1, docs at /docs; Ctrl-C stops",
        prefix="serving",
        style="green",
    )
    with sock:
        if workers > 1:
            _run_workers(config, sock, workers)
            return
        server = uvicorn.Server(config)
        server.run(sockets=[sock])
        if not server.started:
            raise SilkwayError("the server did not start (its log above says why)")


def _run_workers(config: "uvicorn.Config", sock: "socket.socket", workers: int) -> None:
    """Run ``workers`` processes: each on a socket of its own where the platform spreads
    connections over sockets sharing a port (see :mod:`silkway.serve.workers`), else
    all on ``sock`` under uvicorn's supervisor."""
    from ..serve.workers import Supervisor, can_share_port, worker_sockets

    if not can_share_port():
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[sock]).run()
        return
    address, family = sock.getsockname(), sock.family
    sock.close()  # it showed the address is free; the workers' sockets take its place
    socks = worker_sockets(address, family, workers)
    try:
        Supervisor(config, socks).run()
    finally:
        for s in socks:
            s.close()


def _listen(host: str, port: int) -> "socket.socket":
    """A TCP socket bound to ``host:port``, for uvicorn to listen on; a SilkwayError if
    it cannot be bound (the port is in use, or no such address)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise SilkwayError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise SilkwayError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
            + (" (choose another --port)" if exc.errno == errno.EADDRINUSE else "")
        ) from None
    sock.set_inheritable(True)
    return sock


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    from ._fastparams import FastCommand

    app.command("serve", cls=FastCommand)(serve_command)
