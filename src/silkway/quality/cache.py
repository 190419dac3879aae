"""An on-disk cache of the influence figures, so that ``silkway info`` stays quick.

Planning the 90 long-haul relations takes about a second; the figures depend only on
the network's records, silkway's code and the query settings. The cache key is a
SHA-256 of all three: the ``repr`` of every record of every table of the network (so an
overlay or an edited cell gives a new key), the bytes of every ``.py`` file of the
installed package (so a new engine gives a new key), and the relations, departure and
cargo. A key that is not in the cache is computed and written (the folder keeps the
:data:`KEEP` most recent); a cache that cannot be read or written is ignored (the
figures are then computed each time).

``silkway info`` keeps it where ``silkway plan`` keeps its compiled networks
(:func:`silkway.cli._cache.cache_dir`: ``$SILKWAY_CACHE_DIR``, else
``$XDG_CACHE_HOME/silkway``, else ``~/.cache/silkway``; ``SILKWAY_CACHE_DIR=off`` turns
both off).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path

from .._diskcache import prune, write_atomic
from ..model.records import Network
from .influence import Influence, influence
from .relations import LONG_HAUL_DEPART

FORMAT = 1
"""Version of the cache file layout."""
KEEP = 8
"""Cache files kept: writing one more removes the oldest beyond this many."""


def _code_digest() -> str:
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(network: Network, *settings: object) -> str:
    """SHA-256 of the network's records, silkway's code and ``settings``."""
    h = hashlib.sha256(f"influence/{FORMAT}".encode())
    h.update(_code_digest().encode())
    for f in fields(network):
        table = getattr(network, f.name)
        if isinstance(table, Mapping):
            h.update(f.name.encode())
            for key, rec in table.items():
                h.update(f"{key}={rec!r}".encode())
    h.update(repr(settings).encode())
    return h.hexdigest()


def cached_influence(
    network: Network,
    *,
    cache_dir: Path | None,
    relations: Sequence[tuple[str, str]] | None = None,
    depart: str = LONG_HAUL_DEPART,
    cargo: str = "1xFEU",
) -> tuple[Influence | None, bool]:
    """:func:`~.influence.influence`, read from ``cache_dir`` when it holds it.

    Parameters
    ----------
    network
        A loaded network.
    cache_dir
        Folder of the cache (created if missing); ``None``: compute, do not cache.
    relations, depart, cargo
        As for :func:`~.influence.influence`.

    Returns
    -------
    (Influence or None, bool)
        The figures, and whether they came from the cache.
    """
    if cache_dir is None:
        return influence(network, relations=relations, depart=depart, cargo=cargo), False
    key = fingerprint(network, relations, depart, cargo)
    path = cache_dir / f"influence-{key[:32]}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == key:
            body = data["influence"]
            return (Influence.load(body) if body is not None else None), True
    got = influence(network, relations=relations, depart=depart, cargo=cargo)
    record = {"key": key, "influence": got.dump() if got is not None else None}
    text = json.dumps(record).encode("utf-8")
    write_atomic(path, lambda fh: fh.write(text))
    prune(cache_dir, "influence-*.json", KEEP)
    return got, False


__all__ = ["cached_influence", "fingerprint"]
