"""Every "a route exists when ..." in a NoRouteError is true, on random bundled queries.

Random queries with many constraints (avoided countries and places, via places,
modes, a transshipment limit, cargo classes) are planned on the bundled network; when
one fails, each relaxation its message names is applied to the query and reachability
(the planner's own necessary condition, :func:`silkway.engine.reach.min_transshipments`)
is checked: a single relaxation ("a route exists when X") must open the destination;
a combination ("only when X and Y") must open it while neither part alone does; and
"not connected" must survive lifting every constraint for every cargo class.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import replace

import pytest

import silkway
from silkway import NoRouteError, QueryError
from silkway.engine.cargo import Cargo
from silkway.engine.pricing import allowed
from silkway.engine.query import make_query
from silkway.engine.reach import min_transshipments
from silkway.model.records import CARGO_CLASSES, MODES

CARGOES = ["1xFEU", "500t:dry_bulk", "100t:liquid_bulk", "1xTEU:dangerous_goods"]


@pytest.fixture(scope="module")
def net():
    return silkway.compile_network(silkway.load_network())


def reachable(net, query) -> bool:
    ix = net.places.index
    k = min_transshipments(
        net,
        allowed(net, query),
        ix(query.origin),
        ix(query.destination),
        [ix(v) for v in query.via],
    )
    return k is not None and (query.max_transshipments is None or k <= query.max_transshipments)


def relax(net, query, phrase: str):
    """The query with the relaxation ``phrase`` applied (as the message words it)."""
    label = net.names.label
    if m := re.fullmatch(r"not avoiding country (\w\w)", phrase):
        return replace(query, avoid_countries=query.avoid_countries - {m.group(1)})
    for p in query.avoid_places:
        if phrase == f"not avoiding {label(p)}":
            return replace(query, avoid_places=query.avoid_places - {p})
    for v in query.via:
        if phrase == f"not going via {label(v)}":
            return replace(query, via=tuple(x for x in query.via if x != v))
    if phrase == "allowing all modes":
        return replace(query, modes=frozenset(MODES))
    if phrase == "including planned links (--include-planned)":
        return replace(query, include_planned=True)
    if phrase == "lifting the transshipment limit":
        return replace(query, max_transshipments=None)
    if m := re.fullmatch(r"shipping it as (\w+) cargo", phrase):
        cls = m.group(1)
        return replace(query, cargo=Cargo(1.0, "t" if cls.endswith("_bulk") else "FEU", cls))
    raise AssertionError(f"unknown relaxation {phrase!r}")


def phrases(net, query) -> list[str]:
    """Every relaxation the message may name for ``query``, in its wording."""
    label = net.names.label
    out = [f"not avoiding country {c}" for c in query.avoid_countries]
    out += [f"not avoiding {label(p)}" for p in query.avoid_places]
    out += [f"not going via {label(v)}" for v in query.via]
    out += [
        "allowing all modes",
        "including planned links (--include-planned)",
        "lifting the transshipment limit",
    ]
    out += [f"shipping it as {cls} cargo" for cls in CARGO_CLASSES]
    return sorted(out, key=len, reverse=True)


def split_phrases(net, query, text: str) -> list[str]:
    """``text`` as a list of relaxations joined by ', ' and ' and ' (labels may hold
    commas, so known phrases are matched, longest first)."""
    known = phrases(net, query)
    parts: list[str] = []
    while text:
        phrase = next((p for p in known if text.startswith(p)), None)
        assert phrase is not None, f"cannot read relaxations in {text!r}"
        parts.append(phrase)
        text = text[len(phrase) :]
        for sep in (", ", " and "):
            if text.startswith(sep):
                text = text[len(sep) :]
                break
        else:
            assert not text, f"cannot read relaxations in {text!r}"
    return parts


def _queries(net, n: int, seed: int):
    network = net.network
    ids = sorted(network.places)
    countries = sorted({p.country for p in network.places.values()})
    rng = random.Random(seed)
    for o, d in rng.sample(list(itertools.permutations(ids, 2)), n):
        others = [p for p in ids if p not in (o, d)]
        yield (
            o,
            d,
            {
                "avoid_countries": rng.sample(countries, rng.randint(0, 3)),
                "avoid_places": rng.sample(others, rng.randint(0, 3)),
                "via": rng.sample(others, rng.choice([0, 0, 0, 1, 2])),
                "modes": rng.sample(list(MODES), rng.randint(1, 6)),
                "max_transshipments": rng.choice([None, None, 0, 1, 2]),
                "cargo": rng.choice(CARGOES),
                "include_planned": rng.random() < 0.2,
            },
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_route_messages_name_true_relaxations(net, seed: int) -> None:
    checked = 0
    for o, d, kw in _queries(net, 150, seed):
        try:
            query = make_query(net, o, d, depart="2026-12-07", **kw)
        except QueryError:
            continue  # e.g. a via place that is also avoided
        try:
            silkway.plan(net, o, d, depart="2026-12-07", uncertainty=False, **kw)
        except NoRouteError as exc:
            msg = str(exc)
        else:
            continue
        if not msg.startswith("no route") or "time limit" in msg or "twice" in msg:
            continue
        checked += 1
        where = (o, d, kw, msg)
        assert not reachable(net, query), where
        if "not connected" in msg:
            for cls in CARGO_CLASSES:
                unit = "t" if cls.endswith("_bulk") else "FEU"
                everything = replace(
                    query,
                    avoid_countries=frozenset(),
                    avoid_places=frozenset(),
                    via=(),
                    modes=frozenset(MODES),
                    include_planned=True,
                    max_transshipments=None,
                    cargo=Cargo(1.0, unit, cls),
                )
                assert not reachable(net, everything), where
            continue
        m = re.search(r"a route exists (only )?when (.*)\.$", msg)
        if m is None:
            assert "cut short" in msg, where
            continue
        for alternative in m.group(2).split(", or when "):
            parts = split_phrases(net, query, alternative)
            lifted = query
            for phrase in parts:
                lifted = relax(net, lifted, phrase)
            assert reachable(net, lifted), (alternative, where)
            if m.group(1) and len(parts) <= 3:
                # "only when": no single part opens the destination alone
                for phrase in parts:
                    assert not reachable(net, relax(net, query, phrase)), (phrase, where)
    assert checked >= 20
