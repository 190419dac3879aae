"""Build ``src/silkway/data/default/link_geometry.csv``: the line each link follows.

* **Sea and ferry links** follow the shipping lanes of ``searoute`` (PyPI; run with the
  ports' coordinates, the route joined to the ports at both ends). The Cape route keeps
  out of Suez and Panama. searoute is useless on the Caspian (it snaps every Caspian
  point to one node near Baku) and knows no lakes, so the Caspian ferries and the Lake
  Van ferry take hand waypoints from ``scripts/geometry/routes.csv`` instead.
* **Land links** (rail, road, pipeline) run through the stations, junctions and towns
  listed for them in ``scripts/geometry/routes.csv``, whose coordinates are in
  ``scripts/geometry/waypoints.csv`` (estimates, typed to 0.01°, a few km).
* **Links with neither** (short border, port and airport links) are straight lines.
* **Air links** get no row: silkway draws them as great-circle arcs.

The script prints each sea link's searoute length against its ``km`` and flags
differences above 5 %; ``--check`` exits non-zero if the file on disk differs from what
it would write (for CI or review). Output is deterministic for a given searoute version.

Usage::

    pip install -e '.[geodata]'              # searoute (and pycountry)
    python scripts/build_link_geometry.py    # rewrite the file, print the comparison
    python scripts/build_link_geometry.py --check
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "silkway" / "data" / "default"
INPUTS = Path(__file__).resolve().parent / "geometry"
sys.path.insert(0, str(ROOT / "src"))

from silkway.geo.lines import line_km  # noqa: E402

SEA_SOURCE = "der_searoute_geometry"
STRAIGHT_SOURCE = "est_geom_straight"
RESTRICTIONS = {"S_SHA_RTM_CAPE": ["northwest", "suez", "panama"]}
"""searoute passages closed per link (default: only the Northwest Passage)."""
PASSAGE_NAMES = {
    "babalmandab": "Bab-el-Mandeb",
    "bosporus": "Bosporus",
    "gibraltar": "Gibraltar",
    "malacca": "Malacca",
    "ormuz": "Hormuz",
    "panama": "Panama",
    "south_africa": "Cape of Good Hope",
    "suez": "Suez",
    "sunda": "Sunda",
}
WARN_SHARE = 0.05


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def fmt(points: list[tuple[float, float]]) -> str:
    """``lon lat;lon lat;...`` with 4 decimals (about 10 m)."""
    return ";".join(f"{lon:.4f} {lat:.4f}" for lon, lat in points)


def sea_line(a: tuple[float, float], b: tuple[float, float], link_id: str):
    """searoute's line from ``a`` to ``b`` with the ports added, and its passages."""
    import searoute

    route = searoute.searoute(
        list(a),
        list(b),
        units="km",
        restrictions=RESTRICTIONS.get(link_id, ["northwest"]),
        append_orig_dest=True,
        return_passages=True,
    )
    points = [(float(x), float(y)) for x, y in route.geometry["coordinates"]]
    # keep the ports' own coordinates as the ends (searoute may round them)
    points[0], points[-1] = a, b
    passages = sorted(route.properties.get("traversed_passages") or [])
    return points, [PASSAGE_NAMES.get(p, p) for p in passages]


def build() -> tuple[str, list[str]]:
    """The CSV text and the report lines."""
    places = {r["id"]: (float(r["lon"]), float(r["lat"])) for r in read_csv(DATA / "places.csv")}
    links = read_csv(DATA / "links.csv")
    waypoints = {
        r["name"]: (float(r["lon"]), float(r["lat"])) for r in read_csv(INPUTS / "waypoints.csv")
    }
    routes = {r["link"]: r for r in read_csv(INPUTS / "routes.csv")}
    known = {lk["id"] for lk in links}
    report: list[str] = []
    for lid in sorted(set(routes) - known):
        report.append(f"routes.csv names {lid}, which is not a link")
    used: set[str] = set()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "via", "line", "sources"])
    for lk in links:
        lid, mode = lk["id"], lk["mode"]
        if mode == "air":
            continue
        a, b = places[lk["from"]], places[lk["to"]]
        km = float(lk["km"])
        if lid in routes:
            names = [n for n in routes[lid]["via"].split(";") if n]
            missing = [n for n in names if n not in waypoints]
            if missing:
                raise SystemExit(f"{lid}: unknown waypoints {missing}")
            used.update(names)
            points = [a, *(waypoints[n] for n in names), b]
            via, source = names, routes[lid]["source"]
        elif mode in ("sea", "ferry"):
            points, via = sea_line(a, b, lid)
            source = SEA_SOURCE
        else:
            points, via, source = [a, b], [], STRAIGHT_SOURCE
        length = line_km(points)
        share = length / km - 1
        if mode in ("sea", "ferry"):
            flag = "  <-- over 5 %" if abs(share) > WARN_SHARE else ""
            report.append(
                f"{lid:16s} km {km:9.1f}  line {length:9.1f} ({length / 1.852:8.1f} nm) "
                f"{share:+6.1%}  via {', '.join(via) or '-'}{flag}"
            )
        elif share > WARN_SHARE:
            report.append(f"{lid:16s} line {length:7.1f} km is longer than km {km:g}: {share:+.1%}")
        writer.writerow([lid, ";".join(via), fmt(points), f"line={source}"])
    for name in sorted(set(waypoints) - used):
        report.append(f"waypoint {name!r} is not used")
    return out.getvalue(), report


def main(argv: list[str] | None = None) -> int:
    """Write (or check) the geometry file and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the file")
    args = parser.parse_args(argv)
    import searoute

    text, report = build()
    version = getattr(searoute, "__version__", "?")
    print(f"searoute {version}", file=sys.stderr)
    for line in report:
        print(line, file=sys.stderr)
    path = DATA / "link_geometry.csv"
    if args.check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{path} differs", file=sys.stderr)
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
