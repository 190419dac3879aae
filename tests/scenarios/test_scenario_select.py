"""The selector grammar: every key of every kind picks what it says
(``silkway.scenarios.select``)."""

from __future__ import annotations

import pytest

from silkway.model.records import Network
from silkway.scenarios.select import KEYS, Selector, SelectorError, matches, parse_selector


def pick(net: Network, **raw: object) -> list[str]:
    return matches(net, parse_selector(raw, line=1))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"kind": "link", "mode": "rail"}, ["AB", "BC", "CD", "CG"]),
        ({"kind": "link", "mode": ["sea", "ferry"]}, ["DE", "EH"]),
        ({"kind": "link", "status": "planned"}, ["FD"]),
        ({"kind": "link", "gauge": 1520}, ["CD", "CG"]),
        ({"kind": "link", "at": "F"}, ["AF", "FC", "FD"]),
        ({"kind": "link", "country": "UZ"}, ["CG"]),
        ({"kind": "link", "passes": "KG"}, ["CG"]),
        ({"kind": "link", "touches": ["kg"]}, ["CG"]),
        ({"kind": "link", "touches": "AZ"}, ["DE", "EH"]),
        ({"kind": "link", "via": "suez"}, ["EH"]),
        ({"kind": "link", "cargo": "dry_bulk", "mode": "ferry"}, ["DE"]),
        ({"kind": "link", "has": "capacity"}, ["CG"]),
        ({"kind": "link", "section": "ca"}, ["CG"]),
        ({"kind": "place", "country": "KZ"}, ["C", "D", "F"]),
        ({"kind": "place", "type": "seaport"}, ["D", "E", "H"]),
        ({"kind": "crossing", "into": "KZ", "mode": "road"}, ["xAF"]),
        ({"kind": "crossing", "from": "KZ"}, ["xCB", "xFA", "xDE", "xCG"]),
        ({"kind": "crossing", "border": "KZ-CN", "mode": "rail"}, ["xBC", "xCB"]),
        ({"kind": "crossing", "link": "EH"}, ["xEH", "xHE"]),
        ({"kind": "crossing", "at": "H"}, ["xEH", "xHE"]),
        ({"kind": "crossing", "regime": "TIR"}, ["xAF", "xFA"]),
        ({"kind": "service", "mode": "ferry", "sea": "delta"}, ["ferry_DE"]),
        ({"kind": "service", "type": "timetable"}, ["feeder_DE"]),
        ({"kind": "service", "has": "capacity_teu"}, ["feeder_DE"]),
        ({"kind": "service", "at": "E", "country": "AZ"}, ["ferry_DE", "feeder_DE"]),
        ({"kind": "service", "link": "DE"}, ["ferry_DE", "feeder_DE"]),
        ({"kind": "transfer", "at": "C"}, ["tC_gauge", "tC_road"]),
        ({"kind": "transfer", "type": "gauge_change"}, ["tC_gauge"]),
        ({"kind": "transfer", "mode": "sea", "country": "AZ"}, ["tE_sea"]),
        ({"kind": "parameter", "id": ["teu_per_feu"]}, ["teu_per_feu"]),
        ({"kind": "train_rule", "train": "express", "crossing": "xCG"}, ["tt_exp_CG"]),
        ({"kind": "train_rule", "section": "ca"}, ["tt_wag_ca"]),
        ({"kind": "train_rule", "has": "median_hours"}, ["tt_exp_CG"]),
        ({"kind": "link", "id": ["BC", "AB"]}, ["AB", "BC"]),  # table order
    ],
)
def test_keys(corridor: Network, raw: dict[str, object], expected: list[str]) -> None:
    assert pick(corridor, **raw) == expected


def test_every_key_is_exercised() -> None:
    """The parametrised cases above use every key of every kind."""
    import inspect

    source = inspect.getsource(test_keys) + str(
        test_keys.pytestmark[0].args[1]  # type: ignore[attr-defined]
    )
    for kind, keys in KEYS.items():
        for key in keys:
            assert f"'{key}'" in source, f"{kind}.{key} untested"


def test_selector_text() -> None:
    sel = parse_selector({"kind": "crossing", "mode": "rail", "into": ["kz", "uz"]}, line=3)
    assert sel == Selector("crossing", (("mode", ("rail",)), ("into", ("KZ", "UZ"))), 3)
    assert str(sel) == "{kind: crossing, mode: rail, into: [KZ, UZ]}"


@pytest.mark.parametrize(
    ("raw", "key", "message"),
    [
        ({"mode": "rail"}, "kind", "needs 'kind'"),
        ({"kind": "ship"}, "kind", "got 'ship'"),
        ({"kind": "crossing", "sea": "x"}, "sea", "unknown selector key 'sea' for a crossing"),
        ({"kind": "link", "mode": "boat"}, "mode", "'boat' is not one of"),
        ({"kind": "link", "country": "XX"}, "country", "XX"),
        ({"kind": "link", "country": False}, "country", "quote it"),
        ({"kind": "crossing", "border": "CN"}, "border", "two country codes"),
        ({"kind": "link", "id": []}, "id", "lists no values"),
    ],
)
def test_bad_selectors(raw: dict[str, object], key: str, message: str) -> None:
    with pytest.raises(SelectorError, match=message) as info:
        parse_selector(raw, line=1)
    assert info.value.key == key


def test_unknown_id_suggests(corridor: Network) -> None:
    with pytest.raises(SelectorError, match="unknown link id 'ABX'; closest: AB"):
        pick(corridor, kind="link", id="ABX")


def test_matching_nothing_says_which_key_rules_out(corridor: Network) -> None:
    with pytest.raises(SelectorError) as info:
        pick(corridor, kind="crossing", mode="sea", into="KZ")
    assert "matches no crossing" in str(info.value)
    assert "mode: 2, into: 4" in str(info.value)


def test_sea_links_pass_no_country_and_the_message_says_so(corridor: Network) -> None:
    with pytest.raises(SelectorError, match="select sea routes with via"):
        pick(corridor, kind="link", mode="sea", passes="EG")
