"""The assignment config: value of time, logit, delay functions, solver, capacities.

The bundled config is package data (``silkway/data/assign/default.yaml``); every number
in it names a source and whether it is sourced, derived or an estimate. A user config
is laid over it key by key (nested mappings merge, values replace).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .._errors import AssignmentError

DELAY_FUNCTIONS: tuple[str, ...] = ("bpr", "queue", "none")
ELEMENT_KINDS: tuple[str, ...] = ("link", "crossing", "service", "transfer")
SOURCE_KINDS: tuple[str, ...] = ("sourced", "derived", "estimate")


@dataclass(frozen=True, slots=True)
class CapacityEntry:
    """A capacity the config gives for one element (per direction, per year)."""

    value: float
    unit: str
    source: str
    kind: str


@dataclass(frozen=True, slots=True)
class AssignConfig:
    """Every parameter of an assignment (see ``docs/assignment.md``)."""

    daily_time_share: float
    """Share of the cargo value that one day in transit costs (Hummels and Schaur 2013)."""
    value_usd_per_feu: Mapping[str, float]
    """Cargo value per FEU (bulk: per 20 t) by cargo class, where the demand gives none."""
    dispersion: float
    """Logit dispersion on generalised cost relative to the OD pair's cheapest route."""
    path_size: float
    """Coefficient of ``ln PS`` (path-size logit); 0 for a plain multinomial logit."""
    bpr_alpha: float
    bpr_beta: float
    queue_variability: float
    """``(ca^2 + cs^2) / 2`` of Kingman's formula."""
    rho_max: float
    functions: Mapping[str, str]
    """Element kind -> delay function (``bpr``, ``queue`` or ``none``)."""
    tolerance: float
    max_iterations: int
    sra_up: float
    """Factor ``eta`` (the inverse step) is multiplied by when the gap grew."""
    sra_down: float
    """Share ``eta`` shrinks by when the gap fell (``eta`` stays at least 1)."""
    column_generation_every: int
    column_generation_rounds: int
    column_generation_min_share: float
    """Only groups whose expected added delay, valued, is at least this share of their
    cheapest free-flow generalised cost are planned again."""
    depart: str
    time_limit_s: float
    capacities: Mapping[str, Mapping[str, CapacityEntry]]
    """Element kind -> element id -> capacity the network lacks."""
    crossing_from_link: bool
    gas_t_per_bcm: float
    """Tonnes of natural gas in one bcm, to compare a gas pipeline's capacity."""
    sources: Mapping[str, Mapping[str, str]]
    raw: Mapping[str, Any]
    """The merged YAML, echoed in outputs."""

    def vot_usd_per_hour(self, cargo_class: str, value_usd_per_feu: float | None) -> float:
        """Value of time in USD per FEU-hour: value x daily share / 24."""
        value = value_usd_per_feu
        if value is None:
            value = self.value_usd_per_feu.get(cargo_class, self.value_usd_per_feu["container"])
        return value * self.daily_time_share / 24.0


def default_config_text() -> str:
    """The bundled config file's text."""
    return (resources.files("silkway") / "data" / "assign" / "default.yaml").read_text("utf-8")


def load_config(path: str | Path | Mapping[str, Any] | None = None) -> AssignConfig:
    """The bundled config, with ``path`` (a YAML file or a mapping) laid over it.

    Raises
    ------
    AssignmentError
        If a file cannot be read, or a key is missing or has a bad value; the message
        names the file and the key.
    """
    import yaml

    base = yaml.safe_load(default_config_text())
    where = "the bundled assignment config"
    if path is not None:
        if isinstance(path, Mapping):
            over: Any = dict(path)
            where = "the assignment config given"
        else:
            where = str(path)
            try:
                over = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
            except OSError as exc:
                raise AssignmentError(f"cannot read assignment config {path}: {exc}") from None
            except yaml.YAMLError as exc:
                raise AssignmentError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(over, Mapping):
            raise AssignmentError(f"{where}: expected a mapping of sections at the top")
        base = _merge(base, over)
    return _build(base, where)


def _merge(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = (
            _merge(out[k], v) if isinstance(v, Mapping) and isinstance(out.get(k), Mapping) else v
        )
    return out


def _get(raw: Mapping[str, Any], dotted: str, where: str) -> Any:
    node: Any = raw
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise AssignmentError(f"{where}: missing key {dotted!r}")
        node = node[part]
    if isinstance(node, Mapping) and "value" in node:
        node = node["value"]
    return node


def _num(
    raw: Mapping[str, Any],
    dotted: str,
    where: str,
    *,
    lo: float,
    hi: float = float("inf"),
    open_lo: bool = False,
) -> float:
    value = _get(raw, dotted, where)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AssignmentError(f"{where}: {dotted} must be a number, not {value!r}")
    x = float(value)
    if not (lo < x if open_lo else lo <= x) or x > hi:
        bound = f"{'above' if open_lo else 'at least'} {lo:g}" + (
            f" and at most {hi:g}" if hi < float("inf") else ""
        )
        raise AssignmentError(f"{where}: {dotted} must be {bound}, not {x:g}")
    return x


def _build(raw: Mapping[str, Any], where: str) -> AssignConfig:
    values = _get(raw, "value_of_time.value_usd_per_feu", where)
    if not isinstance(values, Mapping) or "container" not in values:
        raise AssignmentError(
            f"{where}: value_of_time.value_usd_per_feu must map cargo classes "
            "(container at least) to USD"
        )
    value_usd = {
        str(k): _num(values, k, where + " value_of_time.value_usd_per_feu", lo=0.0) for k in values
    }
    functions = _get(raw, "delay.functions", where)
    if not isinstance(functions, Mapping):
        raise AssignmentError(f"{where}: delay.functions must map element kinds to functions")
    for kind, fn in functions.items():
        if kind not in ELEMENT_KINDS or fn not in DELAY_FUNCTIONS:
            raise AssignmentError(
                f"{where}: delay.functions.{kind}: {fn!r}; kinds are {', '.join(ELEMENT_KINDS)} "
                f"and functions {', '.join(DELAY_FUNCTIONS)}"
            )
    caps_raw = _get(raw, "capacities", where)
    if not isinstance(caps_raw, Mapping):
        raise AssignmentError(f"{where}: capacities must be a mapping")
    capacities: dict[str, dict[str, CapacityEntry]] = {}
    for kind in ELEMENT_KINDS:
        entries = caps_raw.get(kind) or {}
        if not isinstance(entries, Mapping):
            raise AssignmentError(f"{where}: capacities.{kind} must map ids to capacities")
        capacities[kind] = {
            str(eid): _entry(e, f"{where} capacities.{kind}.{eid}") for eid, e in entries.items()
        }
    srcs = raw.get("sources") or {}
    return AssignConfig(
        daily_time_share=_num(raw, "value_of_time.daily_share", where, lo=0.0, hi=1.0),
        value_usd_per_feu=value_usd,
        dispersion=_num(raw, "logit.dispersion", where, lo=0.0, open_lo=True),
        path_size=_num(raw, "logit.path_size", where, lo=0.0),
        bpr_alpha=_num(raw, "delay.bpr.alpha", where, lo=0.0),
        bpr_beta=_num(raw, "delay.bpr.beta", where, lo=1.0),
        queue_variability=_num(raw, "delay.queue.variability", where, lo=0.0),
        rho_max=_num(raw, "delay.queue.rho_max", where, lo=0.0, hi=0.999, open_lo=True),
        functions={str(k): str(v) for k, v in functions.items()},
        tolerance=_num(raw, "solver.tolerance", where, lo=0.0, open_lo=True),
        max_iterations=int(_num(raw, "solver.max_iterations", where, lo=1.0)),
        sra_up=_num(raw, "solver.sra_up", where, lo=1.0, open_lo=True),
        sra_down=_num(raw, "solver.sra_down", where, lo=0.0, hi=0.99),
        column_generation_every=int(_num(raw, "solver.column_generation_every", where, lo=1.0)),
        column_generation_rounds=int(_num(raw, "solver.column_generation_rounds", where, lo=0.0)),
        column_generation_min_share=_num(raw, "solver.column_generation_min_share", where, lo=0.0),
        depart=str(_get(raw, "solver.depart", where)),
        time_limit_s=_num(raw, "solver.time_limit_s", where, lo=0.0, open_lo=True),
        capacities=capacities,
        crossing_from_link=bool(caps_raw.get("crossing_from_link", True)),
        gas_t_per_bcm=_num(raw, "capacities.gas_t_per_bcm", where, lo=0.0, open_lo=True),
        sources={str(k): {str(a): str(b) for a, b in v.items()} for k, v in srcs.items()},
        raw=raw,
    )


def _entry(e: Any, where: str) -> CapacityEntry:
    from .network import CAPACITY_UNITS

    if not isinstance(e, Mapping):
        raise AssignmentError(f"{where}: expected value, unit, source and kind")
    value = _num(e, "value", where, lo=0.0, open_lo=True)
    unit = str(e.get("unit", ""))
    if unit not in CAPACITY_UNITS:
        raise AssignmentError(f"{where}: unit {unit!r} is not one of {', '.join(CAPACITY_UNITS)}")
    kind = str(e.get("kind", ""))
    if kind not in SOURCE_KINDS or not e.get("source"):
        raise AssignmentError(f"{where}: needs a source and a kind ({', '.join(SOURCE_KINDS)})")
    return CapacityEntry(value, unit, str(e["source"]), kind)
