"""Place-name resolution in any language, ignoring case, accents and punctuation.

"Xi'an", "xian", "Сиань" and "西安" all resolve to the same place. A name also answers
without its parenthesised note ("Chongqing" for "Chongqing (Tuanjiecun)"), and a
beginning of three letters or more answers when only one place's name starts with it.
Unknown or ambiguous names raise errors that list the closest matches.
:func:`place_rows` is the search of ``silkway places`` and of ``GET /api/v1/places``:
the rows both print, filtered by country and kind.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .._errors import AmbiguousPlaceError, QueryError, UnknownPlaceError
from .records import Network, Place

# letters that Unicode decomposition does not reduce to a base letter
_FOLD = str.maketrans({"ł": "l", "ı": "i", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ħ": "h"})


def normalize(text: str) -> str:
    """Fold a name for matching: no case, no accents, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    # compatibility decomposition can yield capitals ("℃" -> "°C"): fold those too
    decomposed = unicodedata.normalize("NFKD", decomposed.casefold())
    kept = (ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in kept if ch.isalnum()).translate(_FOLD)


class PlaceIndex:
    """Lookup of places by id or any name.

    Parameters
    ----------
    places
        The places to index.
    """

    def __init__(self, places: Iterable[Place]) -> None:
        self._places: dict[str, Place] = {}
        self._by_key: dict[str, set[str]] = defaultdict(set)
        for place in places:
            self._places[place.id] = place
            for name in place.names():
                # "Chongqing (Tuanjiecun)" is also found as "Chongqing"
                for variant in {name, re.sub(r"\s*[(（].*?[)）]", "", name)}:
                    key = normalize(variant)
                    if key:
                        self._by_key[key].add(place.id)

    @classmethod
    def of(cls, network: Network) -> PlaceIndex:
        """Index every place of ``network``."""
        return cls(network.places.values())

    def label(self, place_id: str) -> str:
        """``Name (ID)`` for messages."""
        return f"{self._places[place_id].name_en} ({place_id})"

    def resolve(self, query: str) -> Place:
        """Return the one place ``query`` names.

        Raises
        ------
        UnknownPlaceError
            If no place matches; lists the closest names.
        AmbiguousPlaceError
            If several places match.
        """
        if query in self._places:
            return self._places[query]
        key = normalize(query)
        ids = self._by_key.get(key, set())
        if len(ids) == 1:
            return self._places[next(iter(ids))]
        if len(ids) > 1:
            raise AmbiguousPlaceError(query, sorted(self.label(i) for i in ids))
        if len(key) >= 3:  # "Atasu" for "Atasu oil pumping station", if only one fits
            starts = {pid for k, pids in self._by_key.items() if k.startswith(key) for pid in pids}
            if len(starts) == 1:
                return self._places[next(iter(starts))]
            if len(starts) > 1:
                raise AmbiguousPlaceError(query, sorted(self.label(i) for i in starts))
        raise UnknownPlaceError(query, self.suggest(query))

    def suggest(self, query: str, *, limit: int = 5) -> list[str]:
        """Closest place labels to ``query``, best first."""
        key = normalize(query)
        if not key:
            return []
        keys = list(self._by_key)
        close = difflib.get_close_matches(key, keys, n=limit * 2, cutoff=0.6)
        close += [k for k in keys if key in k and k not in close]
        out: list[str] = []
        for k in close:
            for pid in sorted(self._by_key[k]):
                label = self.label(pid)
                if label not in out:
                    out.append(label)
        return out[:limit]

    def search(self, query: str = "") -> list[Place]:
        """Places whose id or any name contains ``query`` (all places if empty), ranked."""
        key = normalize(query)
        if not key:
            return list(self._places.values())
        scored: dict[str, float] = {}
        for name_key, ids in self._by_key.items():
            if key == name_key:
                score = 3.0
            elif name_key.startswith(key):
                score = 2.0
            elif key in name_key:
                score = 1.0
            else:
                score = _close(key, name_key)
            for pid in ids:
                if score > scored.get(pid, 0.0):
                    scored[pid] = score
        ranked = sorted(scored, key=lambda pid: (-scored[pid], pid))
        return [self._places[pid] for pid in ranked]


CLOSE_RATIO = 0.75
"""A name is a close spelling of the query from this ``difflib`` ratio on."""


def _close(key: str, name_key: str) -> float:
    """The difflib ratio of two keys if it is :data:`CLOSE_RATIO` or more, else 0.

    The ratio is ``2 * matches / (len(key) + len(name_key))``, so it is at most what the
    shorter length allows, and at most ``quick_ratio``: keys that cannot reach the bound
    are skipped without the full comparison (same scores, a fraction of the time, which
    matters for autocomplete, one search a keystroke).
    """
    total = len(key) + len(name_key)
    if 2 * min(len(key), len(name_key)) < CLOSE_RATIO * total:
        return 0.0
    matcher = difflib.SequenceMatcher(None, key, name_key)
    if matcher.quick_ratio() < CLOSE_RATIO:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= CLOSE_RATIO else 0.0


PLACE_COLUMNS: tuple[str, ...] = (
    "id",
    "name_en",
    "name_ru",
    "name_zh",
    "name_local",
    "country",
    "kind",
    "locode",
    "lat",
    "lon",
)
"""The fields of a place row (``silkway places --format json``, schema silkway.places/1)."""


def place_rows(
    network: Network,
    query: str = "",
    *,
    country: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
    index: PlaceIndex | None = None,
) -> list[dict[str, Any]]:
    """The places whose id or any name contains ``query``, best match first, as rows.

    Parameters
    ----------
    network
        The network searched.
    query
        Text in any language (case and accents ignored); empty lists every place.
        Exact names rank first, then names that begin with it, then names that contain
        it, then close spellings.
    country, kind
        Only places in this ISO country code, or of this kind (case ignored).
    limit
        At most this many rows.
    index
        The network's :class:`PlaceIndex`, if already built.

    Returns
    -------
    list of dict
        One dict per place with the keys :data:`PLACE_COLUMNS`.

    Raises
    ------
    QueryError
        If ``country`` is not a two-letter code or no place is in it, or ``kind`` is not
        a place kind or no place has it (the message lists what the network has).
    """
    code = check_country(network, country)
    wanted_kind = check_kind(network, kind)
    found = (index or PlaceIndex.of(network)).search(query)
    rows = [
        {c: getattr(p, c) for c in PLACE_COLUMNS}
        for p in found
        if (code is None or p.country == code) and (wanted_kind is None or p.kind == wanted_kind)
    ]
    return rows if limit is None else rows[:limit]


def check_country(network: Network, country: str | None) -> str | None:
    """The ISO code, upper-cased; a QueryError if it is not one or no place is in it."""
    if country is None:
        return None
    code = country.strip().upper()
    present = sorted({p.country for p in network.places.values()})
    if code in present:
        return code
    have = f"countries with places: {', '.join(present)}" if present else "it has no places"
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise QueryError(f"country {country!r} is not a two-letter ISO country code; {have}")
    raise QueryError(f"no place of this network is in country {code}; {have}")


def check_kind(network: Network, kind: str | None) -> str | None:
    """The place kind, lower-cased; a QueryError if it is not one or no place has it."""
    from .records import PLACE_KINDS

    if kind is None:
        return None
    value = kind.strip().lower()
    if value not in PLACE_KINDS:
        raise QueryError(f"unknown place kind {kind!r}; valid kinds: {', '.join(PLACE_KINDS)}")
    present = [k for k in PLACE_KINDS if any(p.kind == k for p in network.places.values())]
    if value not in present:
        raise QueryError(
            f"no place of this network is of kind {value!r}; "
            f"kinds it has: {', '.join(present) or 'none'}"
        )
    return value
