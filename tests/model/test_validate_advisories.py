"""``advisories.csv``: reading, validity dates, and one problem per kind of mistake,
each with its file, line and field."""

from __future__ import annotations

import datetime as dt

import pytest
from _documented import DOCUMENTED_CODES

from silkway import NetworkError, Problem
from silkway.model import load_network, validate_folder
from silkway.model.records import Advisory, AdvisoryDate, Selector

HEADER = "id,category,severity,selector,valid_from,valid_to,text,sources\n"
GOOD = (
    "adv_kz,congestion,warning,country:KZ;place:D,2026-01-01,2026-12-31,Queues in KZ,t_src\n"
    'adv_border,closure,critical,border:KZ-CN,,,"Border closed, every crossing",t_src;t_est\n'
)


def problems_of(copy) -> list[Problem]:
    _, problems = validate_folder(copy.path)
    return problems


def only(problems: list[Problem], code: str, line: int, field: str) -> Problem:
    listing = [f"{p.code} {p}" for p in problems]
    assert code in DOCUMENTED_CODES, code
    assert {p.code for p in problems} == {code}, listing
    (p,) = problems
    assert (p.file, p.line, p.field) == ("advisories.csv", line, field), listing
    return p


def test_reads_advisories(tiny_copy) -> None:
    tiny_copy.write("advisories.csv", HEADER + GOOD)
    net = load_network(tiny_copy.path)
    kz, border = net.advisories["adv_kz"], net.advisories["adv_border"]
    assert kz.selectors == (Selector("country", "KZ"), Selector("place", "D"))
    assert kz.valid_from == AdvisoryDate(2026, 1, 1) and str(kz.valid_to) == "2026-12-31"
    assert (kz.category, kz.severity, kz.sources) == ("congestion", "warning", ("t_src",))
    assert border.selectors == (Selector("border", "CN-KZ"),)  # sorted pair
    assert border.valid_from is None and border.text == "Border closed, every crossing"
    assert net.summary()["advisories"] == 2
    # the file is optional
    tiny_copy.remove("advisories.csv")
    assert load_network(tiny_copy.path).advisories == {}


def _adv(valid_from: str = "", valid_to: str = "") -> Advisory:
    def date(text: str) -> AdvisoryDate | None:
        if not text:
            return None
        y, m, d = text.rsplit("-", 2)
        return AdvisoryDate(int(y) if y != "-" else None, int(m), int(d))

    return Advisory(
        "a",
        "info",
        (Selector("country", "KZ"),),
        "t",
        ("s",),
        "other",
        date(valid_from),
        date(valid_to),
    )


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "day", "expected"),
    [
        ("2025-09-12", "2025-09-24", "2025-09-12", True),
        ("2025-09-12", "2025-09-24", "2025-09-24", True),
        ("2025-09-12", "2025-09-24", "2025-09-25", False),
        ("2025-09-12", "2025-09-24", "2025-09-11", False),
        ("2025-09-12", "", "2031-01-01", True),
        ("", "2025-09-24", "1999-01-01", True),
        ("", "", "2026-12-07", True),
        ("--10-01", "--10-07", "2031-10-07", True),
        ("--10-01", "--10-07", "2031-10-08", False),
        ("--12-01", "--02-28", "2026-01-15", True),  # wraps over the new year
        ("--12-01", "--02-28", "2026-12-01", True),
        ("--12-01", "--02-28", "2026-03-01", False),
        ("--12-01", "--02-28", "2026-11-30", False),
    ],
)
def test_valid_on(valid_from: str, valid_to: str, day: str, expected: bool) -> None:
    d = dt.date.fromisoformat(day)
    assert _adv(valid_from, valid_to).valid_on(d.year, d.month, d.day) is expected


@pytest.mark.parametrize(
    ("cell", "value", "code", "field"),
    [
        ("severity", "urgent", "unknown-value", "severity"),
        ("category", "weather", "unknown-value", "category"),
        ("selector", "planet:Mars", "unknown-value", "selector"),
        ("selector", "country", "bad-value", "selector"),
        ("selector", "country:XX", "unknown-country", "selector"),
        ("selector", "border:KZ", "bad-value", "selector"),
        ("selector", "border:KZ-KZ", "bad-value", "selector"),
        ("selector", "country:KZ;country:kz", "inconsistent-value", "selector"),
        ("selector", "place:Z", "unknown-id", "selector"),
        ("selector", "link:ZZ", "unknown-id", "selector"),
        ("selector", "crossing:xZZ", "unknown-id", "selector"),
        ("selector", "", "missing-value", "selector"),
        ("valid_from", "2025-13-01", "bad-value", "valid_from"),
        ("valid_from", "12 Sep 2025", "bad-value", "valid_from"),
        ("valid_to", "2026-02-30", "bad-value", "valid_to"),
        ("valid_to", "2025-12-30", "inconsistent-value", "valid_to"),  # before valid_from
        ("valid_to", "--12-31", "inconsistent-value", "valid_from"),  # day and yearly mixed
        ("text", "", "missing-value", "text"),
        ("sources", "nowhere", "unknown-id", "sources"),
        ("sources", "", "missing-value", "sources"),
    ],
)
def test_problems_name_file_line_field(
    tiny_copy, cell: str, value: str, code: str, field: str
) -> None:
    tiny_copy.write("advisories.csv", HEADER + GOOD)
    line = tiny_copy.set("advisories.csv", "adv_kz", cell, value)
    p = only(problems_of(tiny_copy), code, line, field)
    with pytest.raises(NetworkError, match=rf"advisories\.csv:{line} \[{field}\]"):
        load_network(tiny_copy.path)
    assert p.message


def test_yearly_dates_need_both_ends(tiny_copy) -> None:
    tiny_copy.write("advisories.csv", HEADER + GOOD)
    tiny_copy.set("advisories.csv", "adv_kz", "valid_to", "")
    line = tiny_copy.set("advisories.csv", "adv_kz", "valid_from", "--12-01")
    only(problems_of(tiny_copy), "inconsistent-value", line, "valid_to")
    tiny_copy.set("advisories.csv", "adv_kz", "valid_to", "--02-29")  # leap day is fine
    assert problems_of(tiny_copy) == []


def test_unknown_column(tiny_copy) -> None:
    tiny_copy.write("advisories.csv", HEADER.replace("text", "txt") + GOOD)
    problems = problems_of(tiny_copy)
    assert ("unknown-column", 1, "txt") in {(p.code, p.line, p.field) for p in problems}


def test_overlay_adds_and_replaces(tiny_copy, make_overlay) -> None:
    tiny_copy.write("advisories.csv", HEADER + GOOD)
    overlay = make_overlay(
        "over",
        {
            "advisories.csv": HEADER
            + "adv_kz,congestion,info,country:KZ,,,Queues are gone,t_src\n"
            + "adv_new,sanctions,critical,country:AZ,2026-01-01,,New note,t_est\n",
        },
    )
    net = load_network(tiny_copy.path, overlays=[overlay])
    assert net.advisories["adv_kz"].severity == "info"
    assert net.advisories["adv_kz"].text == "Queues are gone"
    assert net.advisories["adv_new"].selectors == (Selector("country", "AZ"),)
    assert "adv_border" in net.advisories


def test_bundled_advisories_are_sourced_and_dated() -> None:
    net = load_network()
    assert len(net.advisories) >= 5
    for adv in net.advisories.values():
        assert adv.sources and all(net.sources[s].kind == "sourced" for s in adv.sources)
        assert adv.valid_from is not None, adv.id
        assert all(net.sources[s].date for s in adv.sources)
