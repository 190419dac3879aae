"""What one worker process holds: the network it serves, loaded once, and its caches.

:class:`Settings` says which network to serve (``--network``, ``--overlay``,
``--scenario``) and the :class:`~silkway.serve.limits.Limits`; it travels to uvicorn's
worker processes as JSON in the ``SILKWAY_SERVE`` environment variable. :class:`Worker`
loads the compiled network through the disk cache of ``silkway.cli._cache`` on first
use (the app's startup), keeps the networks of the scenario sets that requests ask for
in a bounded least-recently-used cache, and builds each served document (the network
and basemap GeoJSON, the place index) once. Every cache is guarded by a lock, since
computations run on several threads; nothing here writes to the bundled data.
"""

from __future__ import annotations

import difflib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .limits import ComputePool, Limits
from .problems import ProblemError

if TYPE_CHECKING:
    from ..compile import CompiledNetwork
    from ..model.names import PlaceIndex
    from ..scenarios.format import Scenario

T = TypeVar("T")
ENV = "SILKWAY_SERVE"
"""Environment variable with the :class:`Settings` of uvicorn's worker processes."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What a server serves: the network, its overlays, the scenarios laid under every
    request, and the limits."""

    network: str | None = None
    overlay: tuple[str, ...] = ()
    scenario: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    warm: bool = False
    """Plan one short query at startup, so the first request does not wait for the
    search kernels to load."""

    def to_env(self) -> str:
        """The settings as JSON, for :data:`ENV`."""
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, text: str) -> Settings:
        """Settings from :meth:`to_env`'s JSON."""
        raw = json.loads(text) if text else {}
        return cls(
            network=raw.get("network"),
            overlay=tuple(raw.get("overlay") or ()),
            scenario=tuple(raw.get("scenario") or ()),
            limits=Limits(**(raw.get("limits") or {})),
            warm=bool(raw.get("warm", False)),
        )


class Worker:
    """The network and caches of one worker process (see the module doc)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.limits = settings.limits
        self.compute = ComputePool(
            slots=settings.limits.compute_slots,
            queue=settings.limits.compute_queue,
            seconds=settings.limits.compute_seconds,
        )
        self._lock = threading.RLock()
        self._base: CompiledNetwork | None = None
        self._under: OrderedDict[tuple[str, ...], CompiledNetwork] = OrderedDict()
        self._docs: dict[Any, Any] = {}
        self.log = logging.getLogger("silkway.serve")

    @property
    def network(self) -> CompiledNetwork:
        """The compiled network served (with the server's own scenarios)."""
        base = self._base
        if base is not None:
            return base
        with self._lock:
            if self._base is None:
                self._base = self._load(())
            return self._base

    def _load(self, extra: tuple[str, ...]) -> CompiledNetwork:
        from ..cli._cache import load_compiled
        from ..scenarios.format import load_scenario

        s = self.settings
        scenarios = [load_scenario(name) for name in s.scenario]
        scenarios += [bundled_scenario(name) for name in extra]
        net, _ = load_compiled(
            Path(s.network) if s.network else None, [Path(p) for p in s.overlay], scenarios
        )
        for w in getattr(net.network, "warnings", ()):
            self.log.warning("network warning: %s: %s", w.location(), w.message)
        return net

    def warm_up(self) -> None:
        """Load the network and the place index, and with ``settings.warm`` plan along
        the first operational link (loading the search kernels)."""
        net = self.network
        self.place_index()
        if not self.settings.warm:
            return
        from .._errors import SilkwayError
        from ..engine.planner import plan

        for link in net.network.links.values():
            if link.status == "operational":
                try:
                    plan(net, link.from_id, link.to_id, samples=10, time_limit=1.0)
                except SilkwayError as exc:
                    self.log.warning("warm-up plan: %s", exc)
                return

    def network_under(self, names: tuple[str, ...]) -> CompiledNetwork:
        """The network with the bundled scenarios ``names`` laid over it, in order
        (checked with :meth:`check_scenarios` first)."""
        if not names:
            return self.network
        with self._lock:
            got = self._under.get(names)
            if got is not None:
                self._under.move_to_end(names)
                return got
            net = self._load(names)
            self._under[names] = net
            while len(self._under) > self.limits.scenario_networks:
                self._under.popitem(last=False)
            return net

    def check_scenarios(self, names: tuple[str, ...], field_name: str) -> tuple[str, ...]:
        """``names`` if each is a bundled scenario, else a 422 problem with the closest
        names (a request never names a file)."""
        from ..scenarios.format import bundled_scenarios

        known = self.once("bundled-scenarios", bundled_scenarios)  # no glob per request
        for name in names:
            if name not in known:
                raise unknown_scenario(name, known, status=422, field_name=field_name)
        return names

    def once(self, key: Any, build: Callable[[], T]) -> T:
        """``build()``, made once per worker and kept under ``key``."""
        if key in self._docs:
            known: T = self._docs[key]
            return known
        with self._lock:
            if key not in self._docs:
                self._docs[key] = build()
            got: T = self._docs[key]
            return got

    def place_index(self) -> PlaceIndex:
        """The place index of the served network."""
        from ..model.names import PlaceIndex

        return self.once("place-index", lambda: PlaceIndex.of(self.network.network))


def bundled_scenario(name: str) -> Scenario:
    """The bundled scenario ``name`` (checked by :meth:`Worker.check_scenarios`), read
    from the bundled folder whatever the working directory holds."""
    from ..scenarios.format import bundled_folder, parse_scenario

    path = bundled_folder() / f"{name}.yaml"
    return parse_scenario(
        path.read_bytes(),
        file=f"scenarios/{name}.yaml",
        path=str(path.resolve()),
        default_name=name,
    )


def unknown_scenario(
    name: str, known: tuple[str, ...], *, status: int, field_name: str = ""
) -> ProblemError:
    """The problem of a scenario name that is not bundled."""
    where = f"{field_name}: " if field_name else ""
    return ProblemError(
        status,
        "unknown scenario",
        f"{where}{name!r} is not a bundled scenario; bundled: {', '.join(known)}",
        matches=difflib.get_close_matches(name, known, n=5, cutoff=0.4),
    )
