"""The HTTP protocol of ``silkway serve``: TCP_NODELAY on connections accepted from a
socket bound the way uvicorn's ``--workers N`` supervisor binds it."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn

from silkway.serve.transport import PROTOCOL, NoDelayHTTPProtocol


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


async def _nodelay_of_served_connections(http: str) -> tuple[bytes, list[int], type]:
    config = uvicorn.Config(
        _app, host="127.0.0.1", port=0, http=http, lifespan="off", log_level="warning"
    )
    sock = config.bind_socket()  # what `uvicorn --workers N` hands each worker
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        host, port = sock.getsockname()[:2]
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        await writer.drain()
        answer = await reader.readuntil(b"ok")
        flags = [
            c.transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            for c in server.server_state.connections
        ]
        protocol = type(next(iter(server.server_state.connections)))
        writer.close()
        await writer.wait_closed()
    finally:
        server.should_exit = True
        await task
        sock.close()
    return answer, flags, protocol


def test_nodelay_on_connections_of_a_prebound_socket() -> None:
    answer, flags, protocol = asyncio.run(_nodelay_of_served_connections(PROTOCOL))
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"ok")
    assert protocol is NoDelayHTTPProtocol
    assert flags and all(flags)
