"""A disk cache of compiled networks, so that a command skips reading the CSV files.

Reading, validating and compiling the bundled network takes about a tenth of a second,
a fifth of a ``silkway plan`` call; unpickling the result takes a hundredth. The cache
key is a hash of everything the result depends on: the silkway and Python versions,
and the path, size and modification time of every file of the network folders read
(the bundled one, ``--network`` and each ``--overlay``) and of every silkway source
file, and the path and content (SHA-256) of every ``--scenario`` file, in order. Any
edit to the data, the scenarios or the code therefore makes a new entry; the oldest
entries beyond :data:`KEEP` are deleted.

The cache lives in ``$SILKWAY_CACHE_DIR``, else ``$XDG_CACHE_HOME/silkway``, else
``~/.cache/silkway``; ``SILKWAY_CACHE_DIR=off`` turns it off. It is an optimisation
only: an unreadable, unwritable or corrupt cache is ignored and the network is read
from its files as usual.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..compile import CompiledNetwork
    from ..scenarios.format import Scenario

KEEP = 8
"""Cache entries kept; older ones are deleted when a new one is written."""

_PACKAGE = Path(__file__).resolve().parent.parent
_DEFAULT = _PACKAGE / "data" / "default"


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when ``SILKWAY_CACHE_DIR=off``."""
    chosen = os.environ.get("SILKWAY_CACHE_DIR", "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "silkway"


def _stat_lines(folder: Path, pattern: str) -> list[str]:
    lines = []
    for path in sorted(folder.rglob(pattern)):
        with contextlib.suppress(OSError):
            st = path.stat()
            lines.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
    return lines


def cache_key(
    network: Path | None, overlays: list[Path], scenarios: Sequence[Scenario] = ()
) -> str:
    """Hash of what a compiled network depends on (see the module doc)."""
    from .. import __version__

    parts = [__version__, sys.version]
    for folder in (_DEFAULT, network, *overlays):
        if folder is not None:
            resolved = Path(folder).resolve()
            parts.append(f"folder\0{resolved}")
            parts += _stat_lines(resolved, "*")
    parts += _stat_lines(_PACKAGE, "*.py")
    parts += [f"scenario\0{s.path}\0{s.digest}" for s in scenarios]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _read(path: Path) -> CompiledNetwork | None:
    try:
        with path.open("rb") as fh:
            got = pickle.load(fh)
    except Exception:  # a missing, truncated or stale entry: read the files instead
        return None
    from ..compile import CompiledNetwork

    return got if isinstance(got, CompiledNetwork) else None


def _write(folder: Path, path: Path, net: CompiledNetwork) -> None:
    from dataclasses import replace

    from .._diskcache import prune, write_atomic

    with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
        empty = replace(net, cache={})
        write_atomic(path, lambda fh: pickle.dump(empty, fh, protocol=pickle.HIGHEST_PROTOCOL))
    prune(folder, "*.pickle", KEEP)


def load_compiled(
    network: Path | None, overlays: list[Path], scenarios: Sequence[Scenario] = ()
) -> tuple[CompiledNetwork, bool]:
    """The compiled network of ``--network``, ``--overlay`` and ``--scenario``, from the
    cache if it can.

    Returns
    -------
    CompiledNetwork, bool
        The network, and whether it came from the cache.

    Raises
    ------
    NetworkError
        If the network is read from its files and is not valid (nothing invalid is
        ever cached).
    ScenarioError
        If a scenario cannot be applied.
    """
    from ..compile import compile_network
    from ..model import load_network

    folder = cache_dir()
    path = None
    if folder is not None:
        path = folder / f"{cache_key(network, overlays, scenarios)}.pickle"
        got = _read(path)
        if got is not None:
            return got, True
    loaded = load_network(network, overlays=overlays)
    if scenarios:
        from ..scenarios.patching import apply_all

        loaded = apply_all(loaded, scenarios)
    net = compile_network(loaded)
    if folder is not None and path is not None:
        _write(folder, path, net)
    return net, False
