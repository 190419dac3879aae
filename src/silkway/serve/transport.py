"""The HTTP protocol ``silkway serve`` runs uvicorn with: uvicorn's own (``auto``: httptools
if installed, else h11), with ``TCP_NODELAY`` set on every TCP connection.

Why: with ``--workers N`` (N > 1) uvicorn binds the listening socket itself with
``proto`` 0, accepted sockets inherit it, and asyncio turns Nagle's algorithm off only
on sockets whose ``proto`` is ``IPPROTO_TCP``. With Nagle on, the body of each response
on a kept-alive connection waits for the client's delayed ACK: about 40 ms a request on
Linux (uvicorn issue #3149; ``benchmarks/serve.py`` measured 85 ``/health`` requests a
second with two workers, against over 600 with one). Setting the option again where
asyncio already did is harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

PROTOCOL = "silkway.serve.transport:NoDelayHTTPProtocol"
"""The protocol's import string (uvicorn's ``http`` setting; each worker imports it)."""

_Base: Any = AutoHTTPProtocol


class NoDelayHTTPProtocol(_Base):  # type: ignore[misc]
    """uvicorn's HTTP protocol, with ``TCP_NODELAY`` on each TCP connection."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        set_nodelay(transport)
        super().connection_made(transport)


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """Turn Nagle's algorithm off on ``transport``'s socket, if it is TCP."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # the client left already: the protocol sees it
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
