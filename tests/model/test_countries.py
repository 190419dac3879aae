"""ISO 3166-1 alpha-2 codes: the list, and the checker that suggests the code meant."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

from silkway import QueryError, SilkwayError
from silkway.model import check_country, countries
from silkway.model.countries import (
    COUNTRY_NAMES,
    ISO_ALPHA2,
    country_name,
    is_country,
    suggest_countries,
)

_ISO_CODES = Path("/usr/share/iso-codes/json/iso_3166-1.json")


def test_all_249_assigned_codes_and_nothing_else() -> None:
    assert len(ISO_ALPHA2) == 249
    assert all(len(c) == 2 and c.isascii() and c.isupper() for c in ISO_ALPHA2)
    corridor = {"CN", "KZ", "KG", "UZ", "TM", "IR", "AZ", "GE", "TR", "RU", "BY", "PL"}
    assert corridor | {"DE", "NL", "BE", "RO", "HU", "AT", "BG", "GB", "US", "AX"} <= ISO_ALPHA2
    # user-assigned, reserved or withdrawn codes are not countries
    assert not {"XK", "XX", "UK", "EU", "SU", "YU", "CS", "AN", "ZZ"} & ISO_ALPHA2
    assert country_name("kz") == "Kazakhstan" and country_name("RU") == "Russia"
    assert country_name("TR") == "Türkiye" and country_name("XX") == ""
    assert set(COUNTRY_NAMES) == ISO_ALPHA2


@pytest.mark.skipif(not _ISO_CODES.exists(), reason="Debian's iso-codes package is not installed")
def test_codes_agree_with_the_iso_codes_package() -> None:
    data = json.loads(_ISO_CODES.read_text(encoding="utf-8"))["3166-1"]
    assert {row["alpha_2"] for row in data} == ISO_ALPHA2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("KZ", "KZ"),
        ("kz", "KZ"),
        (" ru ", "RU"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("Iran, Islamic Republic of", "IR"),
        ("United Kingdom", "GB"),
    ],
)
def test_check_country_accepts_codes_and_names(text: str, code: str) -> None:
    assert check_country(text) == code


@pytest.mark.parametrize(
    ("text", "first"),
    [("UR", "RU"), ("UK", "GB"), ("ZK", "KZ"), ("Kazakstan", "KZ"), ("Germny", "DE")],
)
def test_check_country_rejects_with_the_likely_code_first(text: str, first: str) -> None:
    with pytest.raises(QueryError) as info:
        check_country(text)
    assert isinstance(info.value, ValueError) and isinstance(info.value, SilkwayError)
    message = str(info.value)
    assert f"unknown country {text!r}" in message
    assert f"did you mean {first} ({COUNTRY_NAMES[first]})" in message
    assert suggest_countries(text)[0] == first


@pytest.mark.parametrize("text", ["XX", "XK", "", "Q", "Atlantis", "1A"])
def test_check_country_rejects_what_is_not_a_country(text: str) -> None:
    with pytest.raises(QueryError, match="not an assigned ISO 3166-1 alpha-2 code"):
        check_country(text)


def test_suggestions() -> None:
    assert suggest_countries("UR")[:2] == ("RU", "UY")  # swapped letters, then Uruguay
    assert len(suggest_countries("UR", limit=3)) == 3
    assert all(is_country(c) for c in suggest_countries("XX"))
    assert "XX" not in suggest_countries("XX")
    assert suggest_countries("Atlantis") == ()
    assert suggest_countries("KZ")[0] == "KZ"
    assert is_country("KZ") and not is_country("kz") and not is_country("UR")


def test_docstring_examples() -> None:
    result = doctest.testmod(countries, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3 and result.failed == 0
