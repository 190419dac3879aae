"""Reading scenario files: structure, lines and every error a file alone can have
(``silkway.scenarios.format``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from silkway.scenarios import Scenario, ScenarioError, bundled_scenarios, load_scenario

Make = Callable[..., Scenario]


def test_read(scenario_of: Make) -> None:
    s = scenario_of(
        """
        # comment
        title: Halve it
        rationale: >-
          Two
          lines.
        patches:
          - scale: {kind: crossing, mode: rail}
            by: {median_hours: 0.5}
            source: t_src
            reason: because
          - add: place
            record: {id: Z, name_en: Zulu, country: KZ, lat: 41, lon: 70, kind: city}
            reason: new
        """
    )
    assert (s.name, s.title, s.rationale) == ("test", "Halve it", "Two lines.")
    first, second = s.patches
    assert (first.number, first.action, first.line) == (1, "scale", 7)
    assert first.values == (("median_hours", 0.5),)
    assert first.summary() == "scale {kind: crossing, mode: rail} by median_hours x0.5"
    assert (second.line, second.add_kind, dict(second.record)["lat"]) == (11, "place", "41")
    assert len(s.digest) == 64


def test_bundled_names() -> None:
    names = bundled_scenarios()
    assert names[0] == "baseline"
    assert set(names) == {
        "baseline",
        "cku-open",
        "no-russia-transit",
        "caspian-ferries-doubled",
        "digital-borders",
        "red-sea-closed",
    }
    assert load_scenario("cku-open").file == "scenarios/cku-open.yaml"


def test_path_or_name(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"no bundled scenario is called 'cku-opne'.*cku-open"):
        load_scenario("cku-opne")
    with pytest.raises(ScenarioError, match="cannot be read"):
        load_scenario(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("title: [unclosed\n", 2, "is not valid YAML"),
        ("- a\n- b\n", 1, "a scenario is a mapping"),
        ("title: t\ntitle: u\n", 2, "duplicate key 'title'"),
        ("title: t\npatchez: []\n", 2, "unknown key 'patchez'"),
        ("title: t\nname: my scenario\n", 2, "scenario name 'my scenario' may hold"),
        ("", 1, "a scenario is a mapping"),
        ("title: t\nname: v1.2\n", 2, "may hold letters, digits, '_' and '-' only"),
        ("title: t\n? [a, b]\n: c\n", 2, "a key must be a name"),
        ("patches: {close: x}\n", 1, "'patches' is a list"),
        ("patches:\n  - close: {kind: link, id: A}\n", 2, "needs a 'source'.*or a 'reason'"),
        ("patches:\n  - reason: x\n", 2, "exactly one action key"),
        (
            "patches:\n  - close: {kind: link, id: A}\n    scale: {kind: link}\n    reason: x\n",
            2,
            "exactly one action key.*has close, scale",
        ),
        (
            "patches:\n  - close: {kind: link, id: A}\n    by: {km: 2}\n    reason: x\n",
            3,
            "unknown key 'by' in a close patch",
        ),
        ("patches:\n  - close: {kind: parameter, id: A}\n    reason: x\n", 2, "needs 'kind'"),
        (
            "patches:\n  - close:\n      kind: link\n      colour: red\n    reason: x\n",
            4,
            "unknown selector key 'colour' for a link",
        ),
        ("patches:\n  - include: {kind: crossing}\n    reason: x\n", 2, "one of: link"),
        (
            "patches:\n  - include: {kind: link}\n    year: soon\n    reason: x\n",
            3,
            "'year' is a year",
        ),
        ("patches:\n  - scale: {kind: link}\n    reason: x\n", 2, "needs 'by'"),
        (
            "patches:\n  - scale: {kind: link}\n    by:\n      kmh: 2\n    reason: x\n",
            4,
            "unknown field 'kmh' for a link",
        ),
        (
            "patches:\n  - scale: {kind: link}\n    by: {open_year: 2}\n    reason: x\n",
            3,
            "unknown field 'open_year'",
        ),
        (
            "patches:\n  - scale: {kind: link}\n    by: {km: fast}\n    reason: x\n",
            3,
            "km: 'fast' is not a number",
        ),
        (
            "patches:\n  - scale: {kind: link}\n    by: {km: -1}\n    reason: x\n",
            3,
            "factor -1 is not allowed; it must be greater than zero",
        ),
        (
            "patches:\n  - scale: {kind: link}\n    by: {cost_fixed_usd: -1}\n    reason: x\n",
            3,
            "it must be zero or more",
        ),
        (
            "patches:\n  - scale: {kind: link}\n    by: {km: .inf}\n    reason: x\n",
            3,
            "is not finite",
        ),
        (
            "patches:\n  - set: {kind: crossing}\n    to: {median_hours: -2}\n    reason: x\n",
            3,
            "median_hours: -2 is negative",
        ),
        (
            "patches:\n  - set: {kind: link}\n    to: {speed_kmh: 5000}\n    reason: x\n",
            3,
            "speed_kmh 5000 is too large",
        ),
        ("patches:\n  - add: road\n    record: {id: X}\n    reason: x\n", 2, "'add' names"),
        ("patches:\n  - add: [link]\n    record: {id: X}\n    reason: x\n", 2, "'add' names"),
        ("patches:\n  - add: link\n    reason: x\n", 2, "needs 'record'"),
        (
            "patches:\n  - add: link\n    record:\n      id: X\n      colour: red\n    reason: x\n",
            5,
            "unknown field 'colour'",
        ),
        (
            "patches:\n  - add: link\n    record:\n      {id: X, from: A, to: B, mode: rail,\n"
            "       km: -5, cargo: container}\n    reason: x\n",
            5,  # the line of the key at fault
            "km: -5 must be greater than zero",
        ),
        (
            "patches:\n  - add: place\n    record: {id: X}\n    reason: x\n",
            3,
            "required value is empty",
        ),
        ("sources:\n  - {id: s, kind: rumour, title: T}\n", 2, "rumour"),
        ("patches:\n  - close: {kind: link, id: A}\n    reason: [a, b]\n", 3, "'reason' is text"),
    ],
)
def test_file_errors(scenario_of: Make, text: str, line: int, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as info:
        scenario_of(text)
    err = info.value
    assert err.file.endswith("test.yaml")
    assert err.line == line, str(err)
    assert str(err).startswith(f"scenario {err.file}:{line}: ")


def test_no_patches(scenario_of: Make) -> None:
    assert scenario_of("title: t\n").patches == ()
    assert scenario_of("title: t\npatches:\n").patches == ()


def test_error_is_a_value_error(scenario_of: Make) -> None:
    from silkway import SilkwayError

    with pytest.raises(ValueError):
        scenario_of("title: [x\n")
    assert issubclass(ScenarioError, SilkwayError)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"title: \xff\xfe\n")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(path)
