"""``closures.csv``: every mistake is a problem naming its file, line and field."""

from __future__ import annotations

import pytest
from _documented import DOCUMENTED_CODES

from silkway.model import validate_folder

HEADER = "id,applies_to,from,to,reason,sources\n"


def problems(tiny_copy, *rows: str):
    tiny_copy.write("closures.csv", HEADER + "".join(r + "\n" for r in rows))
    _, found = validate_folder(tiny_copy.path)
    return found


def one(found, code: str, line: int, field: str):
    listing = [f"{p.code} {p}" for p in found]
    assert code in DOCUMENTED_CODES, f"{code} is not documented"
    hits = [
        p for p in found if (p.file, p.line, p.field, p.code) == ("closures.csv", line, field, code)
    ]
    assert hits, listing
    assert all(p.file == "closures.csv" for p in found), listing
    return hits[0]


def test_valid_closures_of_a_crossing_a_link_and_a_place(tiny_copy) -> None:
    found = problems(
        tiny_copy,
        "c1,xBC,2026-02-15,2026-02-23,Spring Festival,from+to=t_src",
        "c2,BC,12-01,03-31,Winter,*=t_src",
        "c3,C,01-01,01-01,New Year,from+to=t_src",
    )
    assert found == []


@pytest.mark.parametrize(
    ("row", "code", "field"),
    [
        ("c1,xBC,2026-02-30,2026-03-01,x,*=t_src", "bad-value", "from"),
        ("c1,xBC,15.02.2026,2026-03-01,x,*=t_src", "bad-value", "from"),
        ("c1,xBC,2026-02-15,2026-02-10,x,*=t_src", "inconsistent-value", "to"),
        ("c1,xBC,2026-02-15,02-20,x,*=t_src", "inconsistent-value", "to"),
        ("c1,NOPE,02-15,02-20,x,*=t_src", "unknown-id", "applies_to"),
        ("c1,AB,02-15,02-20,x,*=t_src", "inconsistent-value", "applies_to"),
        ("c1,xBC,02-15,02-20,x,", "missing-provenance", "sources"),
        ("c1,xBC,02-15,02-20,x,*=no_such_source", "unknown-id", "sources"),
        ("c1,xBC,,02-20,x,*=t_src", "missing-value", "from"),
    ],
)
def test_bad_closure_rows(tiny_copy, row: str, code: str, field: str) -> None:
    one(problems(tiny_copy, row), code, 2, field)


def test_a_link_without_a_crossing_is_named(tiny_copy) -> None:
    p = one(
        problems(tiny_copy, "c1,AB,02-15,02-20,x,*=t_src"), "inconsistent-value", 2, "applies_to"
    )
    assert "AB" in p.message and "no border crossing" in p.message
