"""``--version``, ``validate``, ``info`` and ``places``: options, messages and exit statuses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from _cli_util import TINY, run

import silkway
from silkway import Problem
from silkway.model.records import PLACE_KINDS

HAS_SEVERITY = "severity" in Problem.__dataclass_fields__


# --------------------------------------------------------------------------- --version


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--version")
    assert code == 0
    assert out == f"silkway {silkway.__version__}\n"
    assert err == ""


def test_version_is_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "--version" in out


# --------------------------------------------------------------------------- validate


@dataclass(frozen=True)
class _Problem:
    """A problem with a severity, whether or not ``silkway.Problem`` has one yet."""

    file: str
    line: int | None
    field: str | None
    message: str
    code: str
    severity: str = "error"

    def location(self) -> str:
        return f"{self.file}:{self.line} [{self.field}]"


def _fake_validate(
    monkeypatch: pytest.MonkeyPatch, problems: list[_Problem]
) -> list[tuple[object, object]]:
    import silkway.model

    real = silkway.model.validate_folder
    calls: list[tuple[object, object]] = []

    def fake(path: object = None, *, overlays: object = ()) -> tuple[object, list[_Problem]]:
        calls.append((path, overlays))
        network, _ = real(TINY)
        return network, problems

    monkeypatch.setattr(silkway.model, "validate_folder", fake)
    return calls


WARNING = _Problem("places.csv", 6, "id", "place E has no links", "unreachable-place", "warning")
ERROR = _Problem("links.csv", 2, "km", "must be more than 0", "non-positive", "error")


def test_validate_takes_network_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--network", TINY)
    assert code == 0 and "valid" in out
    code, out, _ = run(capsys, "validate", "-n", TINY, "--format", "json")
    assert code == 0 and json.loads(out)["valid"] is True


def test_validate_path_and_same_network_is_fine(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", TINY, "--network", TINY + "/")
    assert code == 0 and "valid" in out


def test_validate_two_different_folders_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "validate", TINY, "--network", str(tmp_path))
    assert code == 2
    assert "two different folders" in err and "--network" in err
    assert "Traceback" not in out + err


def test_validate_warnings_only_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_validate(monkeypatch, [WARNING])
    code, out, _ = run(capsys, "validate", TINY)
    assert code == 0
    assert "places.csv:6 [id]: warning: place E has no links" in out
    assert "valid, 1 warning" in out
    code, out, _ = run(capsys, "validate", TINY, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["valid"] is True
    assert doc["problems"][0]["severity"] == "warning"


def test_validate_errors_exit_1_and_warnings_are_marked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_validate(monkeypatch, [ERROR, WARNING])
    code, out, _ = run(capsys, "validate", TINY)
    assert code == 1
    assert "links.csv:2 [km]: must be more than 0" in out
    assert "links.csv:2 [km]: warning" not in out
    assert "places.csv:6 [id]: warning:" in out
    assert "1 error, 1 warning" in out
    code, out, _ = run(capsys, "validate", "-n", TINY, "-f", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["valid"] is False
    assert [p["severity"] for p in doc["problems"]] == ["error", "warning"]


def test_validate_problem_without_severity_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    @dataclass(frozen=True)
    class Old:
        file: str = "links.csv"
        line: int = 2
        field: str = "km"
        message: str = "bad"
        code: str = "bad-value"

        def location(self) -> str:
            return "links.csv:2 [km]"

    _fake_validate(monkeypatch, [Old()])  # type: ignore[list-item]
    code, out, _ = run(capsys, "validate", TINY, "-f", "json")
    assert code == 1
    assert json.loads(out)["problems"][0]["severity"] == "error"


def _overlay_closing_the_ferry(tmp_path: Path) -> Path:
    """An overlay whose links.csv closes the D-E ferry, leaving place E unreachable."""
    lines = (Path(TINY) / "links.csv").read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith("DE,"))
    overlay = tmp_path / "close-ferry"
    overlay.mkdir()
    (overlay / "links.csv").write_text(
        lines[0] + "\n" + row.replace(",operational,", ",closed,") + "\n", encoding="utf-8"
    )
    return overlay


@pytest.mark.skipif(not HAS_SEVERITY, reason="silkway.Problem has no severity yet")
def test_validate_real_overlay_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay = _overlay_closing_the_ferry(tmp_path)
    code, out, _ = run(capsys, "validate", TINY, "--overlay", str(overlay))
    assert code == 0
    assert "warning:" in out and "unreachable-place" in out


# --------------------------------------------------------------------------- network warnings


def test_load_prints_network_warnings_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import silkway.model

    real = silkway.model.load_network

    class Warned:
        """The real network, plus the ``warnings`` the loader may attach."""

        def __init__(self, net: object) -> None:
            self._net = net
            self.warnings = (
                WARNING,
                _Problem("links.csv", 3, "km", "longer than usual", "odd-value", "warning"),
            )

        def __getattr__(self, name: str) -> object:
            return getattr(self._net, name)

    monkeypatch.setattr(
        silkway.model, "load_network", lambda path=None, overlays=(): Warned(real(path))
    )
    code, out, err = run(capsys, "info", "--network", TINY, "--format", "json")
    assert code == 0
    assert json.loads(out)["counts"]["places"] == 6  # went on
    assert err.splitlines() == [
        "warning: places.csv:6 [id]: place E has no links",
        "warning: links.csv:3 [km]: longer than usual",
    ]


@pytest.mark.skipif(not HAS_SEVERITY, reason="silkway.Problem has no severity yet")
def test_real_network_warning_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay = _overlay_closing_the_ferry(tmp_path)
    code, out, err = run(capsys, "places", "-n", TINY, "--overlay", str(overlay), "-f", "json")
    assert code == 0
    assert len(json.loads(out)["places"]) == 6
    (line,) = err.splitlines()
    assert line.startswith("warning: ") and "places.csv:6 [id]: " in line


# --------------------------------------------------------------------------- info


def test_info_format_json_has_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", "--network", TINY, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "silkway.info/1"
    assert doc["counts"]["places"] == 6
    assert set(doc) >= {"name", "version", "folder", "numbers_by_provenance", "planned_links"}


def test_info_json_alias_is_hidden(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", "-n", TINY, "--json")
    assert code == 0 and json.loads(out)["schema"] == "silkway.info/1"
    code, out, _ = run(capsys, "info", "--help")
    assert code == 0 and "--format" in out and "--json" not in out


def test_info_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", "-n", TINY, "-f", "table")
    assert code == 0
    assert "places" in out and "numbers by provenance" in out and "FD" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_info_bad_format_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "info", "-n", TINY, "--format", "xml")
    assert code == 2
    assert "Invalid value" in err and "xml" in err


# --------------------------------------------------------------------------- places


def test_places_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "places", "-n", TINY, "--country", "kz", "--kind", "CITY", "-f", "json"
    )
    assert code == 0
    assert [p["id"] for p in json.loads(out)["places"]] == ["F"]


def test_places_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "places", "-n", TINY, "--country", "AZ", "-f", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("id,name_en,")
    assert lines[1].startswith("E,Echo,")
    assert len(lines) == 2


def test_places_unknown_kind_lists_valid_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "places", "-n", TINY, "--kind", "harbour")
    assert code == 2
    assert "unknown place kind 'harbour'" in err
    assert "valid kinds: " + ", ".join(PLACE_KINDS) in err
    assert "Traceback" not in out + err


def test_places_kind_no_place_has(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "places", "-n", TINY, "--kind", "airport")
    assert code == 2
    assert "no place of this network is of kind 'airport'" in err
    assert "kinds it has: rail_terminal, dry_port, seaport, border_crossing, city" in err


def test_places_country_without_places(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "places", "-n", TINY, "--country", "ru")
    assert code == 2
    assert "no place of this network is in country RU" in err
    assert "countries with places: AZ, CN, KZ" in err


def test_places_country_not_a_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "places", "-n", TINY, "--country", "Kazakhstan")
    assert code == 2
    assert "'Kazakhstan' is not a two-letter ISO country code" in err
    assert "countries with places: AZ, CN, KZ" in err


def test_places_no_match_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "places", "-n", TINY, "Zulu")
    assert code == 1
    assert "no place matches 'Zulu'" in out
