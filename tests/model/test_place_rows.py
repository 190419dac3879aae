"""``place_rows``: the search of ``silkway places`` and ``GET /api/v1/places``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkway import QueryError, load_network
from silkway.model.names import PLACE_COLUMNS, PlaceIndex, normalize, place_rows

NETWORK = load_network()
NAMES = sorted({n for p in NETWORK.places.values() for n in p.names()})


def test_empty_query_lists_every_place_in_order() -> None:
    rows = place_rows(NETWORK)
    assert [r["id"] for r in rows] == list(NETWORK.places)
    for r in rows:
        assert tuple(r) == PLACE_COLUMNS
        place = NETWORK.places[r["id"]]
        assert r == {c: getattr(place, c) for c in PLACE_COLUMNS}


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    cut=st.integers(1, 8),
    country=st.sampled_from([None, *sorted({p.country for p in NETWORK.places.values()})]),
    kind=st.sampled_from([None, "seaport", "rail_terminal", "border_crossing"]),
    limit=st.sampled_from([None, 1, 3]),
)
def test_filters_and_limit_cut_the_unfiltered_ranking(
    name: str, cut: int, country: str | None, kind: str | None, limit: int | None
) -> None:
    query = name[:cut]
    index = PlaceIndex.of(NETWORK)
    every = place_rows(NETWORK, query, index=index)
    want = [
        r
        for r in every
        if (country is None or r["country"] == country) and (kind is None or r["kind"] == kind)
    ]
    got = place_rows(
        NETWORK, query, country=country and country.lower(), kind=kind, limit=limit, index=index
    )
    assert got == want[:limit]
    assert got == place_rows(NETWORK, query, country=country, kind=kind, limit=limit)
    if normalize(query):  # every place one of whose names contains the text is found
        ids = {r["id"] for r in every}
        key = normalize(query)
        assert ids >= {
            p.id for p in NETWORK.places.values() if any(key in normalize(n) for n in p.names())
        }


@pytest.mark.parametrize(
    ("country", "kind", "words"),
    [
        ("ZZ", None, "no place of this network is in country ZZ"),
        ("K1", None, "not a two-letter ISO country code"),
        (None, "harbour", "unknown place kind"),
    ],
)
def test_bad_filters_name_what_the_network_has(
    country: str | None, kind: str | None, words: str
) -> None:
    with pytest.raises(QueryError, match=words):
        place_rows(NETWORK, "", country=country, kind=kind)


@settings(max_examples=300, deadline=None)
@given(
    key=st.text(alphabet="abcdeinorstu", min_size=1, max_size=12),
    name=st.one_of(st.sampled_from([normalize(n) for n in NAMES]), st.text("abcdeinorstu")),
)
def test_close_spelling_score_is_difflibs(key: str, name: str) -> None:
    """The short cuts of the close-spelling score change no score."""
    import difflib

    from silkway.model.names import CLOSE_RATIO, _close

    ratio = difflib.SequenceMatcher(None, key, name).ratio()
    assert _close(key, name) == (ratio if ratio >= CLOSE_RATIO else 0.0)
