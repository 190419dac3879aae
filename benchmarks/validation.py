"""Validation: the bundled network against published end-to-end figures.

The network is built from per-leg facts; published end-to-end distances and transit
times are kept aside to check it. For each case this prints the published figure, the
modelled one, and the relative difference. Run: ``python benchmarks/validation.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import silkway


@dataclass(frozen=True)
class Case:
    """One published end-to-end figure and the query that should reproduce it."""

    label: str
    source: str
    origin: str
    destination: str
    published: float
    unit: str  # "km" or "days"
    options: dict[str, object] = field(default_factory=dict)


CASES = (
    Case(
        "Chongqing-Duisburg rail (Yuxinou, via Alashankou, KZ-RU-BY-PL)",
        "China Daily 2013-09-13",
        "CN_CKG",
        "DE_DUI",
        11179,
        "km",
        {"modes": ["rail"], "sort": "time"},
    ),
    Case(
        "Urumqi-Duisburg rail",
        "Xinhua via chinagate.cn 2016-05-28",
        "CN_URC",
        "DE_DUI",
        8000,
        "km",
        {"modes": ["rail"]},
    ),
    Case(
        "Xi'an-Istanbul multimodal via BTK (2 seas)",
        "ADY Container via AzerNews 2021-01-11",
        "CN_XIA",
        "TR_IST",
        8693,
        "km",
        {"modes": ["rail", "ferry"], "avoid_countries": ["RU", "IR"]},
    ),
    Case(
        "Tashkent-Osh-Irkeshtam-Kashgar road",
        "Kabar.kg / Tashkent Times 2018-02",
        "UZ_TAS",
        "CN_KSG",
        920,
        "km",
        {"modes": ["road"]},
    ),
    Case(
        "TITR Kazakhstan section transit, 2023 (target 5 days)",
        "newscentralasia.net 2023-03-04",
        "KZ_ALT",
        "KZ_AKT",
        6,
        "days",
        {"modes": ["rail"]},
    ),
)


def modelled(net: silkway.CompiledNetwork, case: Case) -> float:
    """The modelled km or P50 days of the first option for the case's query."""
    result = silkway.plan(
        net, case.origin, case.destination, depart="2026-12-07", seed=1, **case.options
    )  # type: ignore[arg-type]
    best = result.options[0]
    return best.distance_km if case.unit == "km" else best.hours_p50 / 24.0


def main() -> None:
    """Print the validation table."""
    net = silkway.compile_network(silkway.load_network())
    print(f"{'case':<62} {'published':>10} {'model':>10} {'diff':>7}  source")
    for case in CASES:
        value = modelled(net, case)
        diff = (value - case.published) / case.published
        print(
            f"{case.label:<62} {case.published:>8,.0f} {case.unit:<1} {value:>8,.1f} "
            f"{diff:>+7.1%}  {case.source}"
        )


if __name__ == "__main__":
    main()
