"""Validation of link geometry, grid intensities and emission factors.

Part of :func:`silkway.model.validate.validate`. Checks:

* ``link_geometry.csv``: the link exists; the line starts at the link's ``from`` place and
  ends at its ``to`` place (within :data:`ENDPOINT_TOLERANCE_KM`); it is not longer than
  the link (warning ``geometry-longer-than-link``); a land line runs in no country that
  is not one of its link's countries for :data:`COUNTRY_TOLERANCE_KM` or more (warning
  ``geometry-country-not-listed``), and through every listed transit country (warning
  ``geometry-country-not-crossed``).
* ``emission_factors.csv``: a factor gives WTW and TTW, or ``kwh_per_tkm``, not both;
  WTW and TTW come from the same source (one row of one publication); electric traction
  has no tank-to-wheel emissions; a combustion fuel's WTW/TTW ratio lies within
  :data:`WTW_TTW_RATIO` (warning).
* Grid intensities: every country an electric link with a per-kWh factor runs in has one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .._errors import Problem
from ..geo.lines import great_circle_km, line_km
from .geometry import COUNTRY_TOLERANCE_KM, country_shares, geometry_countries
from .records import EmissionFactor, Network

ENDPOINT_TOLERANCE_KM = 25.0
"""How far a line's first and last points may lie from its link's places."""
LENGTH_TOLERANCE = 0.05
"""A line may be this much longer than its link's km (plus 1 km) before a warning."""
COMBUSTION_ENERGIES: tuple[str, ...] = (
    "diesel",
    "hfo",
    "mdo",
    "mgo",
    "vlsfo",
    "jet",
    "natural_gas",
    "lng",
    "cng",
    "petrol",
)
"""Fuels burnt on board: their TTW is most of their WTW."""
WTW_TTW_RATIO: tuple[float, float] = (1.05, 1.45)
"""Plausible WTW/TTW of a combustion fuel: the well-to-tank part is 5 to 45 % of the
tank-to-wheel part (GLEC fuel factors put diesel, marine fuels and jet fuel at about
10 to 30 %). Outside it, the two numbers probably come from different rows."""


_p = Problem.at


def check_geometry(net: Network) -> Iterable[Problem]:
    """Problems of ``link_geometry.csv``."""
    file = "link_geometry.csv"
    for g in net.geometries.values():
        o = g.origin
        link = net.links.get(g.link)
        if link is None:
            yield _p(o, file, "id", f"unknown link {g.link!r}", "unknown-id")
            continue
        a, b = net.places.get(link.from_id), net.places.get(link.to_id)
        if a is None or b is None:
            continue  # reported on the link
        (lon0, lat0), (lon1, lat1) = g.line[0], g.line[-1]
        d_start = great_circle_km(lat0, lon0, a.lat, a.lon)
        d_end = great_circle_km(lat1, lon1, b.lat, b.lon)
        if max(d_start, d_end) > ENDPOINT_TOLERANCE_KM:
            reversed_fits = (
                max(
                    great_circle_km(lat0, lon0, b.lat, b.lon),
                    great_circle_km(lat1, lon1, a.lat, a.lon),
                )
                <= ENDPOINT_TOLERANCE_KM
            )
            hint = (
                f"; the line runs from {b.id} to {a.id}: reverse it"
                if reversed_fits
                else f"; it must run from {a.id} ({a.lon:g} {a.lat:g}) to {b.id} "
                f"({b.lon:g} {b.lat:g}), longitude first"
            )
            yield _p(
                o,
                file,
                "line",
                f"the line starts {d_start:.0f} km from {a.id} and ends {d_end:.0f} km from "
                f"{b.id} (at most {ENDPOINT_TOLERANCE_KM:g} km allowed){hint}",
                "inconsistent-value",
            )
            continue
        length = line_km(g.line)
        if length > link.km * (1 + LENGTH_TOLERANCE) + 1.0:
            yield _p(
                o,
                file,
                "line",
                f"the line is {length:,.0f} km long, {length / link.km - 1:.0%} longer than "
                f"link {link.id} ({link.km:g} km): the line or the link's km is wrong",
                "geometry-longer-than-link",
                "warning",
            )
        if not g.country_km:
            continue
        own = [a.country, *link.transit_countries, b.country]
        crossed = geometry_countries(net, link)
        for code in crossed:
            if code not in own:
                yield _p(
                    o,
                    file,
                    "line",
                    f"the line of {link.id} runs {g.country_km[code]:,.0f} km in {code}, "
                    f"which is not among the link's countries ({', '.join(dict.fromkeys(own))});"
                    f" add {code} to its transit_countries in links.csv, or correct the line",
                    "geometry-country-not-listed",
                    "warning",
                )
        for code in link.transit_countries:
            if g.country_km.get(code, 0.0) <= 0:
                yield _p(
                    o,
                    file,
                    "line",
                    f"link {link.id} lists transit country {code}, but its line does not enter it",
                    "geometry-country-not-crossed",
                    "warning",
                )


def _check_factor(net: Network, ef: EmissionFactor) -> Iterable[Problem]:
    o, file = ef.origin, "emission_factors.csv"
    has = {k for k in ("wtw_g_per_tkm", "ttw_g_per_tkm") if not math.isnan(getattr(ef, k))}
    if ef.kwh_per_tkm is not None:
        if has:
            yield _p(
                o,
                file,
                "kwh_per_tkm",
                "give either kwh_per_tkm (electric traction on each country's grid) or "
                "wtw_g_per_tkm and ttw_g_per_tkm, not both",
                "inconsistent-value",
            )
        if ef.energy != "electric":
            yield _p(
                o,
                file,
                "kwh_per_tkm",
                f"kwh_per_tkm is for electric traction; this factor's energy is {ef.energy!r}",
                "inconsistent-value",
            )
        return
    for col in ("wtw_g_per_tkm", "ttw_g_per_tkm"):
        if col not in has:
            yield _p(
                o,
                file,
                col,
                f"give {col} (with wtw_g_per_tkm/ttw_g_per_tkm from the same row), or "
                "kwh_per_tkm for electric traction",
                "missing-value",
            )
    if len(has) < 2:
        return
    if ef.ttw_g_per_tkm > ef.wtw_g_per_tkm:
        yield _p(
            o,
            file,
            "ttw_g_per_tkm",
            "tank-to-wheel cannot exceed well-to-wheel",
            "inconsistent-value",
        )
    s_wtw, s_ttw = ef.sources.get("wtw_g_per_tkm", ""), ef.sources.get("ttw_g_per_tkm", "")
    src_wtw, src_ttw = net.sources.get(s_wtw), net.sources.get(s_ttw)
    same_row = (
        not s_wtw
        or not s_ttw
        or s_wtw == s_ttw
        or (
            src_wtw is not None
            and src_ttw is not None
            and src_wtw.kind == src_ttw.kind == "sourced"
            and (src_wtw.publisher, src_wtw.date) == (src_ttw.publisher, src_ttw.date)
        )
    )
    if not same_row:
        yield _p(
            o,
            file,
            "sources",
            f"wtw_g_per_tkm cites {s_wtw} and ttw_g_per_tkm cites {s_ttw}: well-to-wheel and "
            "tank-to-wheel must come from the same row of one source",
            "inconsistent-value",
        )
    if ef.energy == "electric" and ef.ttw_g_per_tkm > 0:
        yield _p(
            o,
            file,
            "ttw_g_per_tkm",
            "electric traction emits nothing tank-to-wheel: ttw_g_per_tkm must be 0",
            "inconsistent-value",
        )
    if ef.energy in COMBUSTION_ENERGIES:
        lo, hi = WTW_TTW_RATIO
        if ef.ttw_g_per_tkm <= 0:
            yield _p(
                o,
                file,
                "ttw_g_per_tkm",
                f"a {ef.energy} factor burns fuel on board: ttw_g_per_tkm must be above 0",
                "inconsistent-value",
            )
        elif not lo <= ef.wtw_g_per_tkm / ef.ttw_g_per_tkm <= hi:
            yield _p(
                o,
                file,
                "wtw_g_per_tkm",
                f"WTW/TTW is {ef.wtw_g_per_tkm / ef.ttw_g_per_tkm:.2f}, outside {lo:g}-{hi:g} "
                f"(the well-to-tank uplift of {ef.energy}); check that both come from the "
                "same row",
                "inconsistent-value",
                "warning",
            )


def check_emissions(net: Network) -> Iterable[Problem]:
    """Problems of emission factors and of the grids electric links need."""
    for factor in net.emission_factors.values():
        yield from _check_factor(net, factor)
    for link in net.links.values():
        ef = net.emission_factors.get(link.emission_factor)
        if ef is None or ef.kwh_per_tkm is None or ef.mode != link.mode:
            continue
        if link.from_id not in net.places or link.to_id not in net.places:
            continue
        missing = [c for c, _ in country_shares(net, link) if c not in net.grid_intensities]
        if missing:
            yield _p(
                link.origin,
                "links.csv",
                "emission_factor",
                f"{ef.id} runs on each country's grid, but grid_intensity.csv has no row for "
                f"{', '.join(missing)}, where link {link.id} runs",
                "missing-value",
            )


__all__ = ["COUNTRY_TOLERANCE_KM", "ENDPOINT_TOLERANCE_KM", "check_emissions", "check_geometry"]
