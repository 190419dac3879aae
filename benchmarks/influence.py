"""Provenance weighted by influence on the bundled network, with the parameters behind it.

Prints the ``provenance.influence_share`` of ``silkway info`` (computed afresh, no
cache), the time it takes, and the estimate-labelled sources and parameters with the
most influence: hours and USD they account for over the long-haul relations, and what
they are used for. Run::

    python benchmarks/influence.py               # top 15
    python benchmarks/influence.py --top 30 --json figures.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import silkway
from silkway.quality.influence import NO_PROVENANCE, influence

TARGET = 0.8
"""Issue 6 §6: at least 80 % of the influence from sourced or derived parameters."""


def main() -> None:
    """Compute and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15, help="rows in each list")
    parser.add_argument("--json", metavar="FILE", help="write every figure as JSON")
    parser.add_argument("--network", help="network folder (default: the bundled one)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    network = silkway.load_network(args.network)
    t1 = time.perf_counter()
    got = influence(network)
    t2 = time.perf_counter()
    if got is None:
        print("none of the long-haul relations can be planned on this network")
        return
    print(
        f"{network.name} {network.version}: {got.relations} relations "
        f"({len(got.no_route)} without a route), {got.options} options; "
        f"load {t1 - t0:.2f} s, plan + attribute {t2 - t1:.2f} s"
    )
    print(f"totals: {got.hours_total:,.0f} h, {got.cost_usd_total:,.0f} USD")
    for label, shares in (
        ("combined", got.share),
        ("hours", got.hours_share),
        ("cost", got.cost_share),
    ):
        print(
            f"  {label:<9} "
            + ", ".join(f"{k} {100 * shares[k]:5.1f} %" for k in ("sourced", "derived", "estimate"))
        )
    good = got.share["sourced"] + got.share["derived"]
    verdict = "met" if good >= TARGET else "NOT met"
    print(f"sourced + derived {100 * good:.1f} % (target {100 * TARGET:.0f} %: {verdict})")
    caveat = got.derived_on_estimates
    print(
        f"  of which derived on an estimated input {100 * caveat:.1f} %; "
        f"sourced + derived on sourced inputs only {100 * (good - caveat):.1f} %"
    )

    print(f"\ntop {args.top} estimate sources by influence (combined share):")
    print(f"  {'source':<28} {'share':>6} {'hours':>9} {'USD':>10}  used for")
    rows = [s for s in got.by_source() if s.kind == "estimate"][: args.top]
    for s in rows:
        used = ", ".join(f"{n} {k}" for k, n in s.used_for.items())
        name = s.source or "(no provenance)"
        print(f"  {name:<28} {100 * s.weight:5.1f}% {s.hours:9,.0f} {s.cost_usd:10,.0f}  {used}")

    print(f"\ntop {args.top} estimate parameters by influence:")
    print(f"  {'parameter':<44} {'source':<24} {'share':>6} {'hours':>8} {'USD':>9}")
    params = [p for p in got.parameters if p.kind == "estimate"][: args.top]
    for p in params:
        share = got.weight(p.hours, p.cost_usd)
        src = p.source if p.source != NO_PROVENANCE else "(none)"
        print(
            f"  {p.parameter:<44} {src:<24} {100 * share:5.1f}% {p.hours:8,.0f} {p.cost_usd:9,.0f}"
        )
    if args.json:
        out = got.dump()
        out["load_s"], out["influence_s"] = t1 - t0, t2 - t1
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
