"""Problem severities, and the unreachable places an overlay leaves behind: warnings
that name the overlay, not errors blamed on the network underneath."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from silkway import NetworkError, Problem
from silkway.model import errors_only, load_network, validate_folder
from silkway.model.loader import default_network_path, read_layers

_LINKS_HEADER = (
    "id,from,to,mode,gauge,electrified,energy,km,speed_kmh,duration_hours,cost_fixed_usd,"
    "cost_per_km_usd,cost_unit,capacity,capacity_unit,cargo,status,open_year,bidirectional,"
    "emission_factor,sources\n"
)
# the ferry D-E, closed: E (line 6 of tiny's places.csv) has no other link
_CLOSE_DE = (
    "DE,D,E,ferry,,,mdo,300,,20,500,0,FEU,,,container;dry_bulk,closed,,true,ef_ferry,*=t_src\n"
)


# --------------------------------------------------------------------------- severity


def test_problem_is_an_error_unless_it_says_warning() -> None:
    error = Problem("links.csv", 2, "km", "too short", "shorter-than-great-circle")
    warning = Problem("places.csv", 3, "id", "cut off", "unreachable-place", "warning")
    assert error.severity == "error" and error.is_error
    assert warning.severity == "warning" and not warning.is_error
    assert str(error) == "links.csv:2 [km]: too short"
    assert str(warning) == "places.csv:3 [id]: warning: cut off"
    assert errors_only([warning, error, warning]) == [error]
    assert errors_only([warning]) == []


def test_unknown_severity_is_refused() -> None:
    with pytest.raises(ValueError, match="severity must be one of error, warning"):
        Problem("links.csv", 2, "km", "m", "bad-value", "fatal")


def test_network_error_carries_errors_only(tiny_copy) -> None:
    tiny_copy.set("links.csv", "AB", "km", "x")  # an error
    overlay = tiny_copy.path.parent / "ovl"
    overlay.mkdir()
    (overlay / "links.csv").write_text(_LINKS_HEADER + _CLOSE_DE, encoding="utf-8")
    _, problems = validate_folder(tiny_copy.path, overlays=[overlay])
    assert {p.severity for p in problems} == {"error", "warning"}
    with pytest.raises(NetworkError) as info:
        load_network(tiny_copy.path, overlays=[overlay])
    assert info.value.problems == tuple(errors_only(problems))
    assert all(p.is_error for p in info.value.problems)
    assert "warning" not in str(info.value)


# --------------------------------------------------------------------------- overlays


def test_overlay_that_closes_a_place_s_only_link_gives_a_warning(
    tiny_path: Path, make_overlay
) -> None:
    overlay = make_overlay("close-ferry", {"links.csv": _LINKS_HEADER + _CLOSE_DE})
    _, problems = validate_folder(tiny_path, overlays=[overlay])
    assert [(p.code, p.severity, p.file, p.line, p.field) for p in problems] == [
        ("unreachable-place", "warning", "tiny/places.csv", 6, "id")
    ]
    assert str(overlay) in problems[0].message
    assert "place E has no links once overlay" in problems[0].message

    net = load_network(tiny_path, overlays=[overlay])  # does not raise
    assert net.links["DE"].status == "closed"
    assert net.warnings == tuple(problems)
    assert load_network(tiny_path).warnings == ()


def test_place_an_overlay_adds_without_links_is_still_an_error(
    tiny_path: Path, make_overlay
) -> None:
    overlay = make_overlay(
        "new-place",
        {"places.csv": "id,name_en,country,lat,lon,kind,sources\nG,Golf,KZ,45,70,city,*=t_est\n"},
    )
    _, problems = validate_folder(tiny_path, overlays=[overlay])
    assert [(p.code, p.severity, p.file, p.line) for p in problems] == [
        ("unreachable-place", "error", "new-place/places.csv", 2)
    ]
    with pytest.raises(NetworkError, match="place G has no links"):
        load_network(tiny_path, overlays=[overlay])


def test_place_unreachable_before_the_overlay_is_still_an_error(tiny_copy, make_overlay) -> None:
    line = tiny_copy.add(
        "places.csv",
        id="G",
        name_en="Golf",
        country="KZ",
        lat="45",
        lon="70",
        kind="city",
        sources="*=t_est",
    )
    overlay = make_overlay("close-ferry", {"links.csv": _LINKS_HEADER + _CLOSE_DE})
    _, problems = validate_folder(tiny_copy.path, overlays=[overlay])
    by_place = {p.message.split()[1]: p for p in problems}
    assert set(by_place) == {"E", "G"}
    assert by_place["E"].severity == "warning"
    assert (by_place["G"].severity, by_place["G"].line) == ("error", line)
    assert "overlay" not in by_place["G"].message


def _default_link_row(link_id: str, **changes: str) -> str:
    text = (default_network_path() / "links.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    row = next(r for r in reader if r["id"] == link_id)
    row.update(changes)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(row), lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buf.getvalue()


def test_extends_default_folder_that_closes_a_link_warns_naming_the_folder(
    tmp_path: Path,
) -> None:
    base = load_network()
    # the Atasu oil pumping station's only link is the Kazakhstan-China oil pipeline
    assert [k.id for k in base.links.values() if "KZ_ATS" in k.ends()] == ["P_KZCN_OIL"]
    folder = tmp_path / "no-oil"
    folder.mkdir()
    (folder / "network.yaml").write_text("name: no-oil\nextends: default\n", encoding="utf-8")
    (folder / "links.csv").write_text(
        _default_link_row("P_KZCN_OIL", status="closed"), encoding="utf-8"
    )
    reading = read_layers(folder)
    assert reading.overlays == (str(folder),)
    assert reading.base is not None and reading.base.links["P_KZCN_OIL"].status == "operational"

    net, problems = validate_folder(folder)
    assert [(p.code, p.severity, p.field) for p in problems] == [
        ("unreachable-place", "warning", "id")
    ]
    assert problems[0].file == "default/places.csv"
    assert "KZ_ATS" in problems[0].message and str(folder) in problems[0].message
    assert net.warnings == tuple(problems)
    assert load_network(folder).links["P_KZCN_OIL"].status == "closed"


def test_two_overlays_are_both_named(tiny_path: Path, make_overlay) -> None:
    closing = make_overlay("close-ferry", {"links.csv": _LINKS_HEADER + _CLOSE_DE})
    renaming = make_overlay(
        "rename",
        {"places.csv": "id,name_en,country,lat,lon,kind,sources\nA,Alef,CN,40,80,city,*=t_est\n"},
    )
    _, problems = validate_folder(tiny_path, overlays=[closing, renaming])
    assert [(p.code, p.severity) for p in problems] == [("unreachable-place", "warning")]
    assert f"once overlays {closing}, {renaming} are applied" in problems[0].message


def test_reading_without_overlays_has_no_base(tiny_path: Path) -> None:
    reading = read_layers(tiny_path)
    assert reading.base is None and reading.overlays == ()
    assert reading.problems == []
