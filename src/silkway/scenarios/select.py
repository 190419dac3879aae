"""Selectors: which links, places, crossings, services, transfers or parameters a patch
changes.

A selector is a YAML mapping: ``kind`` (one of :data:`KINDS`) and any of the keys
:data:`KEYS` lists for that kind. A key's value is one value or a list of values: an
item matches a key when it has any of the values, and matches the selector when it
matches every key. ``{kind: crossing, mode: rail, into: KZ}`` is every rail border
crossing into Kazakhstan; ``{kind: link, mode: sea, via: Suez}`` every sea link through
the Suez Canal. The grammar is documented in ``docs/scenarios.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model.countries import is_country, unknown_country_message
from ..model.records import (
    LINK_STATUSES,
    MODES,
    PLACE_KINDS,
    SERVICE_KINDS,
    TRAIN_TYPES,
    TRANSFER_KINDS,
    Crossing,
    Link,
    Network,
    Service,
    Transfer,
)

KINDS: tuple[str, ...] = (
    "link",
    "place",
    "crossing",
    "service",
    "transfer",
    "train_rule",
    "parameter",
)
"""What a selector can pick."""

TABLES: dict[str, str] = {
    "link": "links",
    "place": "places",
    "crossing": "crossings",
    "service": "services",
    "transfer": "transfers",
    "train_rule": "train_rules",
    "parameter": "parameters",
}
"""Selector kind -> the :class:`Network` attribute holding its records."""

Values = frozenset[str]
Extract = Callable[[Network, Any], Values]


def _countries(net: Network, *place_ids: str) -> Values:
    return frozenset(net.places[p].country for p in place_ids if p in net.places)


def _link_passes(net: Network, link: Link) -> Values:
    """Countries a link runs through between its ends (``transit_countries`` and the
    countries its land line crosses), its ends' own countries left out."""
    geometry = net.geometries.get(link.id)
    crossed = {c for c in geometry.country_km if c} if geometry is not None else set()
    return frozenset(set(link.transit_countries) | crossed) - _countries(
        net, link.from_id, link.to_id
    )


def _link_via(net: Network, link: Link) -> Values:
    geometry = net.geometries.get(link.id)
    return frozenset(v.casefold() for v in geometry.via) if geometry is not None else frozenset()


def _crossing_ends(net: Network, c: Crossing) -> tuple[str, str]:
    link = net.links.get(c.link)
    if link is None:
        return c.from_id, ""
    return c.from_id, link.to_id if c.from_id == link.from_id else link.from_id


def _crossing_border(net: Network, c: Crossing) -> Values:
    a, b = (_countries(net, p) for p in _crossing_ends(net, c))
    return frozenset("-".join(sorted((x, y))) for x in a for y in b)


def _service_region(net: Network, s: Service) -> Values:
    out: set[str] = set()
    for w in net.weather.values():
        if s.id in w.services:
            name = w.region.casefold()
            out |= {name, name.removesuffix(" sea").strip()}
    return frozenset(out)


def _service_places(net: Network, s: Service) -> Values:
    return frozenset(p for lid in s.links if lid in net.links for p in net.links[lid].ends())


def _has(fields: Callable[[Any], Mapping[str, object]]) -> Extract:
    return lambda net, rec: frozenset(k for k, v in fields(rec).items() if v is not None)


def _one(attr: str) -> Extract:
    return lambda net, rec: frozenset({str(getattr(rec, attr))})


@dataclass(frozen=True, slots=True)
class Key:
    """One selector key: how to read an item's values, and which values are allowed.

    Attributes
    ----------
    extract
        ``(network, record) -> values`` of the item for this key.
    doc
        What the key means (for ``docs/scenarios.md`` and error messages).
    allowed
        The values the key accepts, or ``()`` for any; ``"country"`` for ISO codes.
    fold
        Whether values compare case-insensitively (names of seas and straits).
    """

    extract: Extract
    doc: str
    allowed: tuple[str, ...] | str = ()
    fold: bool = False


def _numbers(kind: str) -> Callable[[Any], Mapping[str, object]]:
    from .fields import values_of

    return lambda rec: values_of(kind, rec)


_ID = Key(_one("id"), "the item's id")

KEYS: dict[str, dict[str, Key]] = {
    "link": {
        "id": _ID,
        "mode": Key(_one("mode"), "transport mode", MODES),
        "status": Key(_one("status"), "operational, planned or closed", LINK_STATUSES),
        "gauge": Key(
            lambda net, k: frozenset({str(k.gauge_mm)}) if k.gauge_mm else frozenset(),
            "rail gauge in mm (1435, 1520)",
            ("1435", "1520"),
        ),
        "section": Key(_one("section"), "rail tariff section (cn, era, eu ...)"),
        "cargo": Key(lambda net, k: frozenset(k.cargo), "a cargo class the link carries"),
        "at": Key(lambda net, k: frozenset(k.ends()), "a place id at either end"),
        "country": Key(
            lambda net, k: _countries(net, k.from_id, k.to_id),
            "the country of either end",
            "country",
        ),
        "passes": Key(
            _link_passes,
            "a country the link runs through between its ends (transit_countries, or "
            "the countries its line crosses)",
            "country",
        ),
        "touches": Key(
            lambda net, k: _countries(net, k.from_id, k.to_id) | _link_passes(net, k),
            "a country of either end or passed through",
            "country",
        ),
        "via": Key(
            _link_via,
            "a named point of the link's line (link_geometry.csv 'via': Suez, "
            "Cape of Good Hope, Bosporus ...)",
            fold=True,
        ),
        "has": Key(_has(_numbers("link")), "a numeric field the link has a value for"),
    },
    "place": {
        "id": _ID,
        "country": Key(_one("country"), "the place's country", "country"),
        "type": Key(_one("kind"), "the place kind (places.csv 'kind')", PLACE_KINDS),
    },
    "crossing": {
        "id": _ID,
        "link": Key(_one("link"), "the link crossed"),
        "mode": Key(
            lambda net, c: (
                frozenset({net.links[c.link].mode}) if c.link in net.links else frozenset()
            ),
            "the mode of the link crossed",
            MODES,
        ),
        "from": Key(
            lambda net, c: _countries(net, _crossing_ends(net, c)[0]),
            "the country left",
            "country",
        ),
        "into": Key(
            lambda net, c: _countries(net, _crossing_ends(net, c)[1]),
            "the country entered",
            "country",
        ),
        "border": Key(
            _crossing_border,
            "the border, two country codes in alphabetical order joined by '-' (CN-KZ), "
            "either direction",
        ),
        "at": Key(lambda net, c: frozenset(_crossing_ends(net, c)), "a place id on either side"),
        "regime": Key(lambda net, c: frozenset(c.regimes), "a customs regime (TIR, SMGS ...)"),
        "has": Key(_has(_numbers("crossing")), "a numeric field the crossing has a value for"),
    },
    "service": {
        "id": _ID,
        "mode": Key(_one("mode"), "transport mode", MODES),
        "type": Key(_one("kind"), "timetable or queue (services.csv 'kind')", SERVICE_KINDS),
        "sea": Key(
            _service_region,
            "the service's weather region (weather.csv 'region'; 'Caspian' for 'Caspian Sea')",
            fold=True,
        ),
        "link": Key(lambda net, s: frozenset(s.links), "a link the service runs on"),
        "at": Key(_service_places, "a place id the service calls at"),
        "country": Key(
            lambda net, s: _countries(net, *_service_places(net, s)),
            "the country of a place it calls at",
            "country",
        ),
        "has": Key(_has(_numbers("service")), "a numeric field the service has a value for"),
    },
    "transfer": {
        "id": _ID,
        "at": Key(_one("place"), "the place id"),
        "country": Key(
            lambda net, t: _countries(net, t.place), "the country of the place", "country"
        ),
        "type": Key(_one("kind"), "transfers.csv 'kind'", TRANSFER_KINDS),
        "mode": Key(
            lambda net, t: frozenset({t.from_mode, t.to_mode}), "a mode on either side", MODES
        ),
    },
    "train_rule": {
        "id": _ID,
        "train": Key(_one("train"), "the train type (train_types.csv 'train')", TRAIN_TYPES),
        "crossing": Key(_one("crossing"), "the crossing whose dwell the rule sets"),
        "section": Key(_one("section"), "the rail section whose speed and price it sets"),
        "has": Key(_has(_numbers("train_rule")), "a numeric field the rule has a value for"),
    },
    "parameter": {"id": _ID},
}
"""Selector kind -> key -> :class:`Key`. Every kind takes ``id``."""


@dataclass(frozen=True, slots=True)
class Selector:
    """A parsed selector: the kind and, per key, the values any of which matches.

    Attributes
    ----------
    kind
        One of :data:`KINDS`.
    terms
        ``(key, values)`` in the order written; values are normalised (country codes
        upper case, names case-folded where the key folds).
    line
        Line of the selector in the scenario file.
    """

    kind: str
    terms: tuple[tuple[str, tuple[str, ...]], ...]
    line: int | None = None

    def __str__(self) -> str:
        parts = [f"kind: {self.kind}"]
        for key, values in self.terms:
            shown = values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"
            parts.append(f"{key}: {shown}")
        return "{" + ", ".join(parts) + "}"

    def ids(self) -> tuple[str, ...]:
        """The ids the selector names with ``id``, if any."""
        return next((v for k, v in self.terms if k == "id"), ())


class SelectorError(ValueError):
    """A selector is malformed; ``key`` is the key at fault (``None``: the whole)."""

    def __init__(self, reason: str, key: str | None = None) -> None:
        super().__init__(reason)
        self.key = key


def parse_selector(raw: object, *, line: int | None, kinds: Sequence[str] = KINDS) -> Selector:
    """Check a selector mapping and normalise its values.

    Parameters
    ----------
    raw
        The mapping as read from YAML.
    line
        Its line, kept in the result.
    kinds
        The kinds the patch accepts.

    Raises
    ------
    SelectorError
        For a missing or unknown kind, an unknown key, or a bad value.
    """
    if not isinstance(raw, Mapping):
        raise SelectorError(f"a selector is a mapping such as {{kind: link, id: X}}, not {raw!r}")
    kind = raw.get("kind")
    if kind not in kinds:
        raise SelectorError(
            f"selector needs 'kind', one of: {', '.join(kinds)}"
            + (f" (got {kind!r})" if kind is not None else ""),
            "kind",
        )
    keys = KEYS[str(kind)]
    terms: list[tuple[str, tuple[str, ...]]] = []
    for key, value in raw.items():
        if key == "kind":
            continue
        spec = keys.get(str(key))
        if spec is None:
            raise SelectorError(
                f"unknown selector key {key!r} for a {kind}; known keys: kind, {', '.join(keys)}",
                str(key),
            )
        terms.append((str(key), _values(str(key), value, spec)))
    return Selector(str(kind), tuple(terms), line)


def _values(key: str, value: object, spec: Key) -> tuple[str, ...]:
    items = list(value) if isinstance(value, list) else [value]
    if not items:
        raise SelectorError(f"{key!r} lists no values", key)
    out: list[str] = []
    for item in items:
        if isinstance(item, bool) or item is None or isinstance(item, (dict, list)):
            hint = (
                " (YAML reads NO, yes, on, off as true/false: quote it)"
                if isinstance(item, bool)
                else ""
            )
            raise SelectorError(f"{key!r} value {item!r} is not a name, id or code{hint}", key)
        text = str(item).strip()
        if spec.allowed == "country":
            text = text.upper()
            if not is_country(text):
                raise SelectorError(f"{key!r}: {unknown_country_message(text)}", key)
        elif spec.fold:
            text = text.casefold()
        elif key == "border":
            parts = sorted(p.strip().upper() for p in text.split("-"))
            if len(parts) != 2 or not all(is_country(p) for p in parts):
                raise SelectorError(
                    f"'border' value {text!r} is not two country codes joined by '-' (CN-KZ)",
                    key,
                )
            text = "-".join(parts)
        if spec.allowed and spec.allowed != "country" and text not in spec.allowed:
            raise SelectorError(
                f"{key!r} value {text!r} is not one of: {', '.join(spec.allowed)}", key
            )
        out.append(text)
    return tuple(out)


def matches(net: Network, selector: Selector) -> list[str]:
    """Ids of the items of ``net`` that ``selector`` picks, in table order.

    Raises
    ------
    SelectorError
        If an ``id`` names no item, or the selector matches nothing (the message says
        how many items each key alone matches, to show which one rules them out).
    """
    table: Mapping[str, Any] = getattr(net, TABLES[selector.kind])
    keys = KEYS[selector.kind]
    for wanted in selector.ids():
        if wanted not in table:
            import difflib

            close = difflib.get_close_matches(wanted, list(table), n=3)
            hint = f"; closest: {', '.join(close)}" if close else ""
            raise SelectorError(f"unknown {selector.kind} id {wanted!r}{hint}", "id")

    def ok(rec: Any, key: str, values: tuple[str, ...]) -> bool:
        return not keys[key].extract(net, rec).isdisjoint(values)

    got = [
        item_id
        for item_id, rec in table.items()
        if all(ok(rec, key, values) for key, values in selector.terms)
    ]
    if got:
        return got
    alone = ", ".join(
        f"{key}: {sum(ok(rec, key, values) for rec in table.values())}"
        for key, values in selector.terms
    )
    hint = ""
    if selector.kind == "link" and any(k in ("passes", "touches") for k, _ in selector.terms):
        hint = (
            "; sea, ferry and air links pass no countries (waters and airspace are not "
            "transit): select sea routes with via (Suez, Bab-el-Mandeb, Cape of Good Hope ...)"
        )
    raise SelectorError(
        f"selector {selector} matches no {selector.kind}"
        + (f" (items each key alone matches: {alone})" if alone else "")
        + hint
    )


__all__ = [
    "KEYS",
    "KINDS",
    "TABLES",
    "Crossing",
    "Key",
    "Selector",
    "SelectorError",
    "Service",
    "Transfer",
    "matches",
    "parse_selector",
]
