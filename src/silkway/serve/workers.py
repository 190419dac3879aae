"""Worker processes of ``silkway serve --workers N``: one listening socket per worker.

uvicorn's supervisor hands every worker the same listening socket. Each worker's event
loop then accepts every connection that is waiting when it wakes, so a few kept-alive
clients can all land on one worker while the others idle: ``benchmarks/serve.py`` saw
one busy core in 4 of 11 rounds. Here each worker gets a socket of its own, all bound to
the same address with ``SO_REUSEPORT``, and the kernel spreads new connections over
them. The supervisor is uvicorn's (signals, health pings, a dead worker replaced), with
worker ``i`` always served by socket ``i``, so connections the kernel queued on a dead
worker's socket are taken by its replacement.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import TYPE_CHECKING

from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

if TYPE_CHECKING:
    from uvicorn import Config


def can_share_port() -> bool:
    """Whether this platform spreads connections over sockets bound with SO_REUSEPORT."""
    return hasattr(socket, "SO_REUSEPORT")


def worker_sockets(address: tuple[object, ...], family: int, count: int) -> list[socket.socket]:
    """``count`` TCP sockets bound to ``address`` with ``SO_REUSEPORT``.

    The caller checks first that the address is free (a bind without ``SO_REUSEPORT``
    fails while any other socket holds the port), so these binds cannot join another
    server's group.
    """
    socks: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            socks.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind(address)
            sock.set_inheritable(True)
    except BaseException:
        for sock in socks:
            sock.close()
        raise
    return socks


class Supervisor(Multiprocess):
    """uvicorn's ``Multiprocess``, with worker ``i`` always on socket ``i``.

    Only the two places that start workers differ from uvicorn's: the first start, and
    the replacement of a dead worker. Reloading (SIGHUP) and changing the number of
    workers (SIGTTIN, SIGTTOU) are not offered: there is one socket per worker.
    """

    def __init__(self, config: Config, sockets: Sequence[socket.socket]) -> None:
        super().__init__(config, sockets=[])
        self.worker_sockets = list(sockets)
        self.processes_num = len(self.worker_sockets)

    def _start(self, index: int) -> Process:
        process = Process(self.config, [self.worker_sockets[index]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._start(i) for i in range(self.processes_num)]

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for index, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()  # hung, or gone
            process.join()
            if process.exitcode == STARTUP_FAILURE:  # would fail the same way again
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            self.processes[index] = self._start(index)

    def handle_hup(self) -> None:
        """Reloading is not offered (uvicorn's would start workers on a shared socket)."""

    def handle_ttin(self) -> None:
        """The number of workers is fixed: one per socket."""

    def handle_ttou(self) -> None:
        """The number of workers is fixed: one per socket."""
