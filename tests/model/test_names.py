"""Place-name resolution: any language, case, accents and punctuation; clear errors."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from silkway import AmbiguousPlaceError, SilkwayError, UnknownPlaceError
from silkway.model.names import PlaceIndex, normalize
from silkway.model.records import Network, Place


@pytest.fixture(scope="module")
def index(tiny_network: Network) -> PlaceIndex:
    return PlaceIndex.of(tiny_network)


@pytest.mark.parametrize(
    "query",
    [
        "A",
        "Alpha",
        "alpha",
        "ALPHA",
        "  alpha ",
        "Al-pha",
        "al'pha",
        "Альфа",
        "альфа",
        "阿尔法",
        "Alfa",
        "ALFA",
        "a",
    ],
)
def test_every_name_of_alpha_resolves(index: PlaceIndex, query: str) -> None:
    assert index.resolve(query).id == "A"


@pytest.mark.parametrize(
    "query", ["Charlie", "Charli", "Çharli", "çharli", "CHARLİ", "Чарли", "查理"]
)
def test_accents_fold(index: PlaceIndex, query: str) -> None:
    # C's alias is "Çharli"; "Charli" matches it once the cedilla is folded away
    assert index.resolve(query).id == "C"


def test_ids_win_over_names() -> None:
    # place X is *named* "Y"; the id "Y" still means place Y
    x = Place("X", "Y", "KZ", 40, 70, "city")
    y = Place("Y", "Yankee", "KZ", 41, 70, "city")
    index = PlaceIndex([x, y])
    assert index.resolve("Y").id == "Y"


def test_unknown_name_suggests_close_matches(index: PlaceIndex) -> None:
    with pytest.raises(UnknownPlaceError) as info:
        index.resolve("Alpah")
    err = info.value
    assert isinstance(err, LookupError) and isinstance(err, SilkwayError)
    assert err.query == "Alpah"
    assert "Alpha (A)" in err.suggestions
    assert "'Alpah'" in str(err) and "Alpha (A)" in str(err)


def test_unknown_name_with_nothing_close(index: PlaceIndex) -> None:
    with pytest.raises(UnknownPlaceError) as info:
        index.resolve("Zzyzx")
    assert info.value.suggestions == ()
    assert str(info.value).startswith("unknown place 'Zzyzx'")


def test_empty_query_is_unknown(index: PlaceIndex) -> None:
    with pytest.raises(UnknownPlaceError):
        index.resolve("  ")


def test_ambiguous_name() -> None:
    places = [
        Place("US_SPR_IL", "Springfield", "US", 39.8, -89.6, "city"),
        Place("US_SPR_MA", "Springfield", "US", 42.1, -72.6, "city", aliases=("Springfield MA",)),
        Place("US_BOS", "Boston", "US", 42.4, -71.1, "city"),
    ]
    index = PlaceIndex(places)
    with pytest.raises(AmbiguousPlaceError) as info:
        index.resolve("springfield")
    err = info.value
    assert isinstance(err, LookupError) and isinstance(err, SilkwayError)
    assert set(err.candidates) == {"Springfield (US_SPR_IL)", "Springfield (US_SPR_MA)"}
    assert "US_SPR_IL" in str(err) and "US_SPR_MA" in str(err)
    # ids and unique aliases still resolve
    assert index.resolve("US_SPR_IL").id == "US_SPR_IL"
    assert index.resolve("springfield, ma").id == "US_SPR_MA"


def test_search_ranks_exact_then_prefix_then_substring(index: PlaceIndex) -> None:
    assert [p.id for p in index.search("alpha")][:1] == ["A"]
    assert {p.id for p in index.search("")} == {"A", "B", "C", "D", "E", "F"}
    assert [p.id for p in index.search("char")][:1] == ["C"]


def test_normalize_examples() -> None:
    assert normalize("Xi'an") == normalize("xian") == "xian"
    assert normalize("Łódź") == "lodz"
    assert normalize("İstanbul") == normalize("istanbul")
    assert normalize("Köln") == normalize("KOLN")
    assert normalize("Алма-Ата") == "алмаата"
    assert normalize("  ") == ""


@given(st.text(max_size=30))
@example("℃")  # compatibility decompositions that yield capitals: "°C", "MHz", "TEL"
@example("㎒")
@example("℡ Ⅻ")
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(max_size=30))
@example("㎒")
@example("ß ﬃ İ ı ς")
def test_normalize_ignores_case(text: str) -> None:
    assert normalize(text.upper()) == normalize(text) == normalize(text.lower())


def test_normalize_folds_every_compatibility_character() -> None:
    # random text rarely hits these, so check every one of them
    compat = [
        chr(cp)
        for cp in range(sys.maxunicode + 1)
        if unicodedata.decomposition(chr(cp)).startswith("<")
    ]
    assert len(compat) > 3000
    unstable = [c for c in compat if normalize(normalize(c)) != normalize(c)]
    assert unstable == []
    cased = [c for c in compat if normalize(c) != normalize(c).casefold()]
    assert cased == []
    assert normalize("㎒") == normalize("MHz")


@given(st.text(max_size=30))
def test_normalize_keeps_only_letters_and_digits(text: str) -> None:
    assert all(ch.isalnum() for ch in normalize(text))


@given(
    st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd"]), min_size=1, max_size=12),
    st.text(alphabet=" -'.,()", max_size=3),
)
def test_a_place_is_found_by_its_name_with_punctuation_and_other_case(
    name: str, punct: str
) -> None:
    if not normalize(name):
        return
    index = PlaceIndex([Place("P1", name, "KZ", 40, 70, "city")])
    query = punct + name.swapcase() + punct
    assert index.resolve(query).id == "P1"
