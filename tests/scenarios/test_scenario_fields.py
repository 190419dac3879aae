"""The fields a scenario can change are the numeric CSV columns of their tables, and
``get``/``put`` read and write each one (``silkway.scenarios.fields``)."""

from __future__ import annotations

import pytest

from silkway.model import load_network
from silkway.model.records import Network
from silkway.model.schema import SCHEMAS
from silkway.scenarios.fields import FIELDS, FILES, WHOLE_NUMBERS, column, get, put
from silkway.scenarios.select import TABLES


@pytest.fixture(scope="module")
def default() -> Network:
    return load_network()


@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_fields_are_numeric_columns(kind: str) -> None:
    numeric = {c.name for c in SCHEMAS[FILES[kind]] if c.numeric}
    assert set(FIELDS[kind]) <= numeric
    for name in FIELDS[kind]:
        assert column(kind, name).name == name


@pytest.mark.parametrize("kind", sorted(k for k in FIELDS if FIELDS[k] and k != "service"))
def test_get_put_every_field(default: Network, kind: str) -> None:
    table = getattr(default, TABLES[kind])
    for name in FIELDS[kind]:
        # one that has the field, if any does (else one without: put sets it)
        rec = next((r for r in table.values() if get(kind, r, name) is not None), None)
        rec = rec if rec is not None else next(iter(table.values()))
        new = 2030.0 if name in WHOLE_NUMBERS else 1.25
        changed = put(kind, rec, name, new)
        assert get(kind, changed, name) == new
        assert get(kind, rec, name) != new or rec == changed  # the input is untouched
        others = [f for f in FIELDS[kind] if f != name]
        assert [get(kind, changed, f) for f in others] == [get(kind, rec, f) for f in others]


def test_a_service_without_a_wait_has_none_to_set(default: Network) -> None:
    timetable = next(s for s in default.services.values() if s.wait is None)
    queue = next(s for s in default.services.values() if s.wait is not None)
    for name in FIELDS["service"]:
        assert get("service", put("service", queue, name, 1.5), name) == 1.5
    assert get("service", put("service", timetable, "capacity_teu", 9.0), "capacity_teu") == 9
    with pytest.raises(ValueError, match="no wait distribution"):
        put("service", timetable, "median_wait_hours", 1.0)
