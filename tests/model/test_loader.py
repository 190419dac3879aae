"""Reading network folders: typed records, overlays, and file-level errors with locations."""

from __future__ import annotations

from pathlib import Path

import pytest
from _documented import DOCUMENTED_CODES

import silkway
from silkway import NetworkError, Problem, SilkwayError
from silkway.model import load_network, validate_folder
from silkway.model.loader import default_network_path, read_network
from silkway.model.records import Dwell, Network, Origin


def _one(problems: list[Problem], code: str) -> Problem:
    """The single problem with ``code`` (fails listing all problems otherwise)."""
    assert code in DOCUMENTED_CODES, f"{code} is not in docs/output-schema.md"
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"expected one {code!r} problem, got: {[str(p) for p in problems]}"
    return found[0]


def _raises(path: Path) -> NetworkError:
    with pytest.raises(NetworkError) as info:
        load_network(path)
    return info.value


# --------------------------------------------------------------------------- loading


def test_tiny_loads_with_every_table(tiny_network: Network) -> None:
    assert tiny_network.name == "tiny"
    assert tiny_network.version == "1"
    assert tiny_network.summary() == {
        "places": 6,
        "links": 7,
        "transfers": 4,
        "crossings": 6,
        "services": 1,
        "emission_factors": 3,
        "link_geometries": 0,
        "grid_intensities": 0,
        "advisories": 0,
        "train_types": 0,
        "weather": 1,
        "closures": 0,
        "sources": 2,
    }
    calm = tiny_network.weather["calm_01"]
    assert (calm.region, calm.services, calm.month) == ("Delta sea", ("ferry_DE",), 1)
    assert (calm.storm_day_probability, calm.mean_spell_days) == (0.0, 2.0)
    assert list(tiny_network.places) == ["A", "B", "C", "D", "E", "F"]
    assert tiny_network.parameter("payload_t_per_teu", 0.0) == 10.0
    assert tiny_network.parameter("not_set", 7.5) == 7.5


def test_cells_are_parsed_into_typed_values(tiny_network: Network) -> None:
    ab = tiny_network.links["AB"]
    assert (ab.from_id, ab.to_id, ab.mode, ab.gauge_mm) == ("A", "B", "rail", 1435)
    assert ab.km == 200.0 and ab.speed_kmh == 50.0 and ab.duration_hours is None
    assert ab.moving_hours() == pytest.approx(4.0)  # 200 km / 50 km/h
    assert ab.cargo == ("container", "dry_bulk")
    assert ab.electrified is True and ab.bidirectional is True
    assert ab.origin == Origin("links.csv", 2)
    assert ab.sources == {
        "km": "t_src",
        "speed_kmh": "t_src",
        "cost_fixed_usd": "t_src",
        "cost_per_km_usd": "t_src",
    }

    de = tiny_network.links["DE"]
    assert de.gauge_mm is None and de.duration_hours == 20.0
    assert de.moving_hours() == 20.0
    assert tiny_network.links["FD"].status == "planned"
    assert tiny_network.links["FD"].open_year == 2030

    a = tiny_network.places["A"]
    assert a.names() == ("A", "Alpha", "Альфа", "阿尔法", "Alfa")
    assert (a.lat, a.lon, a.country) == (40.0, 80.0, "CN")

    x_af = tiny_network.crossings["xAF"]
    assert x_af.open_days == (0, 1, 2, 3, 4)  # Mon-Fri
    assert x_af.regimes == ("TIR", "CMR")
    assert x_af.dwell == Dwell(2.0, 5.0)

    ferry = tiny_network.services["ferry_DE"]
    assert ferry.kind == "queue" and ferry.links == ("DE",)
    assert ferry.wait == Dwell(48.0, 120.0)

    t = tiny_network.transfers["tD_ferry"]
    assert (t.from_mode, t.from_gauge_mm, t.to_mode, t.to_gauge_mm) == ("rail", 1520, "ferry", None)
    assert t.co2e_kg_per_teu == 0.0  # empty cell


def test_tiny_is_valid(tiny_path: Path) -> None:
    _, problems = validate_folder(tiny_path)
    assert problems == []


def test_missing_folder_is_a_network_error(tmp_path: Path) -> None:
    err = _raises(tmp_path / "nowhere")
    assert _one(list(err.problems), "missing-file").file.endswith("nowhere")


# --------------------------------------------------------------------------- overlays

_LINKS_HEADER = (
    "id,from,to,mode,gauge,electrified,energy,km,speed_kmh,duration_hours,cost_fixed_usd,"
    "cost_per_km_usd,cost_unit,capacity,capacity_unit,cargo,status,open_year,bidirectional,"
    "emission_factor,sources\n"
)


def test_overlay_replaces_rows_by_id_and_adds_rows(tiny_path: Path, make_overlay) -> None:
    overlay = make_overlay(
        "ovl",
        {
            "links.csv": _LINKS_HEADER
            # replaces AB: longer and faster, sourced from the overlay's own source
            + "AB,A,B,rail,1435,true,electric,250,100,,0,0.3,FEU,,,container,operational,,true,"
            "ef_rail,km=o_src *=t_src\n"
            # adds a new road link A-B
             + "AB_road,A,B,road,,,diesel,230,60,,0,1,FEU,,,container,operational,,true,ef_road,"
            "*=t_est\n"
            # closes FC
             + "FC,F,C,road,,,diesel,250,60,,0,1.0,FEU,,,container,closed,,true,ef_road,*=t_est\n",
            "sources.csv": "id,kind,title\no_src,estimate,Overlay estimate\n",
        },
    )
    net = load_network(tiny_path, overlays=[overlay])
    assert len(net.links) == 8  # 7 + AB_road
    ab = net.links["AB"]
    assert (ab.km, ab.speed_kmh, ab.cargo) == (250.0, 100.0, ("container",))
    assert ab.sources["km"] == "o_src" and ab.sources["speed_kmh"] == "t_src"
    assert ab.origin == Origin("ovl/links.csv", 2)
    assert net.links["AB_road"].mode == "road"
    assert net.links["FC"].status == "closed"
    assert set(net.sources) == {"t_src", "t_est", "o_src"}
    # untouched rows keep their base origin
    assert net.links["CD"].origin == Origin("tiny/links.csv", 4)
    # the base network is unchanged
    assert load_network(tiny_path).links["AB"].km == 200.0


def test_overlay_errors_name_the_overlay_file(tiny_path: Path, make_overlay) -> None:
    overlay = make_overlay(
        "ovl",
        {
            "places.csv": "id,name_en,country,lat,lon,kind,sources\n"
            "G,Golf,KZ,41.0,abc,city,lat+lon=t_est\n",
        },
    )
    with pytest.raises(NetworkError) as info:
        load_network(tiny_path, overlays=[overlay])
    p = _one(list(info.value.problems), "bad-value")
    assert (p.file, p.line, p.field) == ("ovl/places.csv", 2, "lon")


def test_overlay_duplicate_id_names_the_overlay_file(tiny_path: Path, make_overlay) -> None:
    row = "G,Golf,KZ,41.0,75.0,city,lat+lon=t_est\n"
    overlay = make_overlay(
        "ovl",
        {
            "places.csv": "id,name_en,country,lat,lon,kind,sources\n" + row + row,
        },
    )
    _, problems = read_network(tiny_path, overlays=[overlay])
    p = _one(problems, "duplicate-id")
    assert (p.file, p.line, p.field) == ("ovl/places.csv", 3, "id")


def test_missing_overlay_folder(tiny_path: Path, tmp_path: Path) -> None:
    _, problems = read_network(tiny_path, overlays=[tmp_path / "absent"])
    assert _one(problems, "missing-file").file.endswith("absent")


def test_extends_default(tmp_path: Path) -> None:
    if not (default_network_path() / "places.csv").exists():
        pytest.skip("the bundled default network (src/silkway/data/default) is not there yet")
    base = load_network()
    folder = tmp_path / "ext"
    folder.mkdir()
    (folder / "network.yaml").write_text("name: mine\nextends: default\n", encoding="utf-8")
    a_place = next(iter(base.places.values()))
    (folder / "places.csv").write_text(
        "id,name_en,country,lat,lon,kind,sources\n"
        f"{a_place.id},Renamed,{a_place.country},{a_place.lat},{a_place.lon},{a_place.kind},"
        f"lat+lon={next(iter(base.sources))}\n",
        encoding="utf-8",
    )
    net, problems = read_network(folder)
    assert problems == []
    assert len(net.places) == len(base.places)
    assert net.places[a_place.id].name_en == "Renamed"


# --------------------------------------------------------------------------- file errors


def test_missing_required_file(tiny_copy) -> None:
    tiny_copy.remove("links.csv")
    err = _raises(tiny_copy.path)
    p = _one(list(err.problems), "missing-file")
    assert (p.file, p.line, p.field) == ("links.csv", None, None)
    assert "links.csv" in str(err)


def test_optional_file_may_be_missing(tiny_copy) -> None:
    tiny_copy.remove("parameters.csv")
    net = load_network(tiny_copy.path)
    assert net.parameters == {}


def test_unknown_column(tiny_copy) -> None:
    text = (tiny_copy.path / "links.csv").read_text(encoding="utf-8")
    head, rest = text.split("\n", 1)
    tiny_copy.write("links.csv", head + ",colour\n" + rest)
    err = _raises(tiny_copy.path)
    p = _one(list(err.problems), "unknown-column")
    assert (p.file, p.line, p.field) == ("links.csv", 1, "colour")
    assert "links.csv:1 [colour]" in str(err)


def test_missing_required_column(tiny_copy) -> None:
    text = (tiny_copy.path / "places.csv").read_text(encoding="utf-8")
    tiny_copy.write("places.csv", text.replace(",kind,", ",sort,", 1))
    _, problems = validate_folder(tiny_copy.path)
    p = _one(problems, "missing-column")
    assert (p.file, p.line, p.field) == ("places.csv", 1, "kind")


def test_bad_number(tiny_copy) -> None:
    line = tiny_copy.set("links.csv", "BC", "km", "1OO")  # letter O, not zero
    assert line == 3
    err = _raises(tiny_copy.path)
    assert isinstance(err, ValueError) and isinstance(err, SilkwayError)
    assert isinstance(err, silkway.NetworkError)
    p = _one(list(err.problems), "bad-value")
    assert (p.file, p.line, p.field) == ("links.csv", 3, "km")
    assert "'1OO' is not a number" in p.message
    assert "links.csv:3 [km]" in str(err)


def test_empty_required_value(tiny_copy) -> None:
    line = tiny_copy.set("places.csv", "D", "country", "")
    err = _raises(tiny_copy.path)
    p = _one(list(err.problems), "missing-value")
    assert (p.file, p.line, p.field) == ("places.csv", line, "country")


def test_row_with_too_many_cells(tiny_copy) -> None:
    text = (tiny_copy.path / "sources.csv").read_text(encoding="utf-8")
    tiny_copy.write("sources.csv", text + "x,estimate,X,,,,,,extra\n")
    _, problems = read_network(tiny_copy.path)
    p = _one(problems, "bad-row")
    assert (p.file, p.line) == ("sources.csv", 4)


def test_every_problem_is_reported_at_once(tiny_copy) -> None:
    tiny_copy.set("links.csv", "AB", "km", "x")
    tiny_copy.set("places.csv", "E", "lat", "north")
    tiny_copy.set("crossings.csv", "xDE", "open_days", "Funday")
    err = _raises(tiny_copy.path)
    where = {(p.file, p.line, p.field) for p in err.problems}
    assert {
        ("links.csv", 2, "km"),
        ("places.csv", 6, "lat"),
        ("crossings.csv", 6, "open_days"),
    } <= where


def test_not_utf8(tiny_copy) -> None:
    text = (tiny_copy.path / "places.csv").read_text(encoding="utf-8")
    # Latin-1 has no Cyrillic or Chinese: write the names that survive, with an accent
    # that Latin-1 encodes as one byte (0xE9) that is invalid UTF-8, on line 4.
    lines = text.splitlines()
    lines = [
        lines[0],
        *(",".join(c if c.isascii() else "" for c in ln.split(",")) for ln in lines[1:]),
    ]
    lines[3] = lines[3].replace("Charlie", "Charlié")
    tiny_copy.write("places.csv", ("\n".join(lines) + "\n").encode("latin-1"))
    err = _raises(tiny_copy.path)
    p = _one(list(err.problems), "encoding")
    assert p.file == "places.csv"
    assert p.line == 4
    assert "UTF-8" in p.message
    assert "places.csv:4" in str(err)


def test_malformed_yaml(tiny_copy) -> None:
    tiny_copy.write("network.yaml", "name: tiny\n  version: 1\ndescription: x\n")
    err = _raises(tiny_copy.path)
    p = _one(list(err.problems), "bad-yaml")
    assert (p.file, p.line) == ("network.yaml", 2)
    assert "network.yaml:2" in str(err)


def test_yaml_that_is_not_a_mapping(tiny_copy) -> None:
    tiny_copy.write("network.yaml", "- a\n- b\n")
    _, problems = read_network(tiny_copy.path)
    assert _one(problems, "bad-yaml").file == "network.yaml"


def test_provenance_missing_for_a_numeric_field(tiny_copy) -> None:
    # CD has km, speed_kmh, cost_fixed_usd and cost_per_km_usd; only km gets a source
    line = tiny_copy.set("links.csv", "CD", "sources", "km=t_src")
    err = _raises(tiny_copy.path)
    missing = [p for p in err.problems if p.code == "missing-provenance"]
    assert {(p.file, p.line, p.field) for p in missing} == {("links.csv", line, "sources")}
    named = sorted(
        n
        for p in missing
        for n in ("speed_kmh", "cost_fixed_usd", "cost_per_km_usd", "km")
        if repr(n) in p.message
    )
    assert named == ["cost_fixed_usd", "cost_per_km_usd", "speed_kmh"]


def test_provenance_for_a_non_numeric_field(tiny_copy) -> None:
    line = tiny_copy.set("places.csv", "B", "sources", "lat+lon=t_est name_en=t_est")
    err = _raises(tiny_copy.path)
    p = _one(list(err.problems), "bad-provenance")
    assert (p.file, p.line, p.field) == ("places.csv", line, "sources")
    assert "name_en" in p.message


def test_opening_days_may_cite_a_source(tiny_copy) -> None:
    # not a number, so optional and not covered by ``*``; a named one is checked and kept
    tiny_copy.set("crossings.csv", "xBC", "sources", "*=t_src open_days=t_est")
    network = load_network(tiny_copy.path)
    assert network.crossings["xBC"].sources["open_days"] == "t_est"
    assert "open_days" not in network.crossings["xCB"].sources
    line = tiny_copy.set("crossings.csv", "xBC", "sources", "*=t_src open_days=t_nowhere")
    err = _raises(tiny_copy.path)
    p = _one(list(err.problems), "unknown-id")
    assert (p.file, p.line, p.field) == ("crossings.csv", line, "sources")


def test_malformed_provenance_entry(tiny_copy) -> None:
    line = tiny_copy.set("emission_factors.csv", "ef_rail", "sources", "t_est")
    err = _raises(tiny_copy.path)
    p = next(p for p in err.problems if p.code == "bad-provenance")
    assert (p.file, p.line, p.field) == ("emission_factors.csv", line, "sources")


def test_provenance_naming_an_unknown_source(tiny_copy) -> None:
    line = tiny_copy.set("transfers.csv", "tC_road", "sources", "*=t_nowhere")
    err = _raises(tiny_copy.path)
    unknown = [p for p in err.problems if p.code == "unknown-id"]
    assert unknown and len(unknown) == len(err.problems)
    assert {(p.file, p.line, p.field) for p in unknown} == {("transfers.csv", line, "sources")}
    assert all("'t_nowhere'" in p.message for p in unknown)
    # '*' covers every non-empty numeric field of tC_road, each reported by name
    covered = {
        f
        for p in unknown
        for f in ("median_hours", "p90_hours", "cost_usd", "co2e_kg_per_teu")
        if f"for {f})" in p.message
    }
    assert covered == {"median_hours", "p90_hours", "cost_usd", "co2e_kg_per_teu"}
    assert f"transfers.csv:{line} [sources]" in str(err)


def test_network_error_message_lists_every_problem() -> None:
    problems = [Problem("links.csv", k + 2, "km", "bad", "bad-value") for k in range(60)]
    err = NetworkError(problems, folder="net")
    text = str(err)
    assert text.startswith("network net has 60 problems:")
    assert "links.csv:2 [km]: bad" in text
    assert "... and 10 more" in text
    assert len(err.problems) == 60


def test_problem_location_formats() -> None:
    assert Problem("a.csv", None, None, "m", "c").location() == "a.csv"
    assert Problem("a.csv", 3, None, "m", "c").location() == "a.csv:3"
    assert str(Problem("a.csv", 3, "km", "too short", "c")) == "a.csv:3 [km]: too short"


# --------------------------------------------------------------------------- extends: default


EXAMPLE_CKU = Path(__file__).resolve().parents[2] / "examples" / "overlays" / "cku-open"


def test_extends_default_lays_the_folder_over_the_bundled_network() -> None:
    base = load_network()
    net = load_network(EXAMPLE_CKU)
    assert base.links["R_KSG_TOR_CKU"].status == "planned"
    assert net.links["R_KSG_TOR_CKU"].status == "operational"
    # everything else is the bundled network's
    assert set(net.places) == set(base.places)
    assert net.links["R_KSG_TOR_CKU"].km == base.links["R_KSG_TOR_CKU"].km


def test_unknown_base_network_is_a_problem(tiny_copy) -> None:
    tiny_copy.write("network.yaml", "name: x\nextends: europe\n")
    _, problems = validate_folder(tiny_copy.path)
    problem = _one(problems, "unknown-value")
    assert (problem.file, problem.field) == ("network.yaml", "extends")
    assert "europe" in problem.message
