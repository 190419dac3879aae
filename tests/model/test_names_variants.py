"""Name variants: parenthesised notes and unique beginnings resolve; shared ones do not."""

from __future__ import annotations

import pytest

from silkway import AmbiguousPlaceError, UnknownPlaceError
from silkway.model.names import PlaceIndex
from silkway.model.records import Place


def _place(pid: str, name: str) -> Place:
    return Place(id=pid, name_en=name, country="KZ", lat=43.0, lon=51.0, kind="seaport")


INDEX = PlaceIndex(
    [
        _place("KZ_KUR", "Kuryk port (ferry complex)"),
        _place("KZ_AKT", "Aktau port"),
        _place("UZ_TAS", "Tashkent"),
        _place("UZ_TAS_AIR", "Tashkent International Airport (TAS)"),
    ]
)


def test_name_without_parenthesised_note_resolves() -> None:
    assert INDEX.resolve("Kuryk port").id == "KZ_KUR"


def test_unique_beginning_resolves() -> None:
    assert INDEX.resolve("kuryk").id == "KZ_KUR"
    assert INDEX.resolve("Akta").id == "KZ_AKT"


def test_exact_name_wins_over_longer_names_sharing_its_beginning() -> None:
    assert INDEX.resolve("Tashkent").id == "UZ_TAS"


def test_shared_beginning_is_ambiguous_and_lists_both() -> None:
    with pytest.raises(AmbiguousPlaceError) as err:
        INDEX.resolve("Tash")
    assert set(err.value.candidates) == {
        "Tashkent (UZ_TAS)",
        "Tashkent International Airport (TAS) (UZ_TAS_AIR)",
    }


def test_short_beginnings_do_not_guess() -> None:
    with pytest.raises(UnknownPlaceError):
        INDEX.resolve("Ku")
