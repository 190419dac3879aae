"""One listening socket per worker: the kernel spreads connections over them."""

from __future__ import annotations

import select
import socket

import pytest

from silkway.serve.workers import can_share_port, worker_sockets

pytestmark = pytest.mark.skipif(not can_share_port(), reason="no SO_REUSEPORT here")


def _free_address() -> tuple[str, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()  # type: ignore[no-any-return]


def test_connections_are_spread_over_the_workers_sockets() -> None:
    socks = worker_sockets(_free_address(), socket.AF_INET, 2)
    try:
        for s in socks:
            s.listen(128)
        address = socks[0].getsockname()
        assert socks[1].getsockname() == address
        clients = [socket.create_connection(address, timeout=5) for _ in range(64)]
        accepted = [0, 0]
        while sum(accepted) < len(clients):
            ready, _, _ = select.select(socks, [], [], 5)
            assert ready, "a connection was never offered to any socket"
            for s in ready:
                conn, _ = s.accept()
                conn.close()
                accepted[socks.index(s)] += 1
        for c in clients:
            c.close()
        # 64 connections from different source ports: both sockets get some (the chance
        # that a fair hash sends all 64 to one socket is 2 in 2**64)
        assert min(accepted) > 0, accepted
    finally:
        for s in socks:
            s.close()


def test_a_port_held_without_sharing_is_refused() -> None:
    address = _free_address()
    with socket.socket() as holder:
        holder.bind(address)
        holder.listen(1)
        with pytest.raises(OSError):
            worker_sockets(address, socket.AF_INET, 2)
