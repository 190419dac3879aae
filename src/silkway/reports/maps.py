"""Maps of the network as PNG files: links along their real lines, over country outlines.

:func:`draw_network_map` colours the network by one number per element (a link, a
service, a border crossing or a place): a change in flow or in utilisation on a
diverging scale centred on 0, or a level (a flow, a volume/capacity ratio) on a
sequential one. matplotlib is imported inside the function, and every figure is its own
:class:`matplotlib.figure.Figure` drawn by the Agg canvas: no pyplot, no global state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ..geo.lines import great_circle_arc
from ..geo.outlines import Outlines, load_outlines
from ..model.records import Link, Network
from ._common import ReportError, short_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes

KINDS: tuple[str, ...] = ("link", "service", "crossing", "place")
"""What the keys of a map's values name: links and services colour lines, crossings and
places colour markers."""
SIZE_PX: tuple[int, int] = (1400, 900)
"""Default width and height of a map, pixels (at :data:`DPI`)."""
DPI = 100
MARGIN_DEG = 3.0
"""Margin around what a map shows when its extent is not given, degrees."""
LABEL_MIN_SHARE = 0.004
"""A country is named on a map where its largest ring covers at least this share of the
map's extent (in square degrees)."""
FOCUS_MIN_WIDTH_DEG = 30.0
"""Narrowest map (degrees of longitude) fitted to the elements with a value."""
LAND, SEA, BORDER, BASE_LINK = "#efece6", "#dde9f2", "#b9b4aa", "#9a9a9a"


def link_line(network: Network, link: Link) -> NDArray[np.float64]:
    """The ``(lon, lat)`` points a link is drawn along, longitudes made continuous.

    Its geometry where the network has one, else a great-circle arc for air links and a
    straight line for the rest (as :class:`silkway.results.Leg` paths are drawn).
    """
    geometry = network.geometries.get(link.id)
    a, b = network.places[link.from_id], network.places[link.to_id]
    if geometry is not None and len(geometry.line) >= 2:
        points = list(geometry.line)
    elif link.mode == "air":
        points = great_circle_arc((a.lon, a.lat), (b.lon, b.lat))
    else:
        points = [(a.lon, a.lat), (b.lon, b.lat)]
    line = np.asarray(points, dtype=np.float64)
    line[:, 0] = np.degrees(np.unwrap(np.radians(line[:, 0])))
    return line


def _line_values(
    network: Network, values: Mapping[str, float], kind: str
) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    """Values per link (for ``link``/``service``) or per marker position (the others)."""
    table: Mapping[str, object] = {
        "link": network.links,
        "service": network.services,
        "crossing": network.crossings,
        "place": network.places,
    }[kind]
    unknown = sorted(k for k in values if k not in table)
    if unknown:
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        raise ReportError(
            f"{len(unknown)} map value(s) name no {kind} of network {network.name!r}: {shown}"
        )
    finite = {k: float(v) for k, v in values.items() if math.isfinite(float(v))}
    if kind == "link":
        return finite, {}
    if kind == "service":
        per_link: dict[str, float] = {}
        for sid, v in finite.items():
            for lid in network.services[sid].links:
                if abs(v) >= abs(per_link.get(lid, 0.0)):
                    per_link[lid] = v
        return per_link, {}
    at: dict[str, tuple[float, float]] = {}
    for key in finite:
        pid = network.crossings[key].from_id if kind == "crossing" else key
        place = network.places[pid]
        at[key] = (place.lon, place.lat)
    return finite, at


def _extent(
    points: NDArray[np.float64],
    outlines: Outlines,
    extent: Sequence[float] | None,
    *,
    box_ratio: float,
    min_width: float = 0.0,
) -> tuple[float, float, float, float]:
    """The map's ``(west, east, south, north)``: ``extent``, or ``points`` (``(lon, lat)``
    rows) with a margin, widened to ``min_width`` degrees of longitude and to fill a box
    ``box_ratio`` wide per high, within the outlines' region."""
    if extent is not None:
        if len(extent) != 4 or not (extent[0] < extent[1] and extent[2] < extent[3]):
            raise ReportError(f"map extent must be (west, east, south, north), not {extent}")
        return (float(extent[0]), float(extent[1]), float(extent[2]), float(extent[3]))
    r_west, r_south, r_east, r_north = outlines.region
    if not len(points):
        points = np.array([[r_west, r_south], [r_east, r_north]])
    west, south = points.min(axis=0) - MARGIN_DEG
    east, north = points.max(axis=0) + MARGIN_DEG
    if east - west < min_width:
        west, east = (west + east - min_width) / 2, (west + east + min_width) / 2
    squeeze = math.cos(math.radians((south + north) / 2))
    height = min(r_north - r_south, max(north - south, (east - west) * squeeze / box_ratio))
    width = min(r_east - r_west, max(east - west, height * box_ratio / squeeze))
    mid_lon, mid_lat = (west + east) / 2, (south + north) / 2
    south = max(r_south, min(mid_lat - height / 2, r_north - height))
    west = max(r_west, min(mid_lon - width / 2, r_east - width))
    return (float(west), float(west + width), float(south), float(south + height))


def _label_countries(
    ax: Axes, outlines: Outlines, extent: tuple[float, float, float, float]
) -> None:
    """Name each country at the centre of its largest ring, where that lies in the map
    and the ring is big enough on it (at least :data:`LABEL_MIN_SHARE` of its area)."""
    west, east, south, north = extent
    best: dict[int, tuple[float, float, float]] = {}
    for i in range(len(outlines)):
        if outlines.ring_hole[i]:
            continue
        r = outlines.ring(i)
        x, y = r[:, 0], r[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        area = float(cross.sum()) / 2
        if area == 0:
            continue
        cx = float(((x[:-1] + x[1:]) * cross).sum()) / (6 * area)
        cy = float(((y[:-1] + y[1:]) * cross).sum()) / (6 * area)
        country = int(outlines.ring_country[i])
        if abs(area) > best.get(country, (0.0, 0.0, 0.0))[0]:
            best[country] = (abs(area), cx, cy)
    min_area = LABEL_MIN_SHARE * (east - west) * (north - south)
    for country, (area, cx, cy) in best.items():
        if area >= min_area and west < cx < east and south < cy < north:
            ax.text(
                cx, cy, outlines.names[country], fontsize=7.5, color="#8c877d", ha="center",
                va="center", style="italic", zorder=1.5, clip_on=True,
            )  # fmt: skip


def _draw_base(ax: Axes, network: Network, outlines: Outlines) -> None:
    """Country outlines, every link thin and grey, border posts and ports."""
    from matplotlib.collections import LineCollection, PolyCollection

    ax.add_collection(
        PolyCollection(
            [r for _, r in outlines.rings()],
            facecolors=LAND,
            edgecolors=BORDER,
            linewidths=0.5,
            zorder=1,
        )
    )
    for status, style in (("operational", "solid"), ("planned", (0, (4, 3)))):
        links = [k for k in network.links.values() if k.status == status]
        ax.add_collection(
            LineCollection(
                [link_line(network, k) for k in links],
                colors=BASE_LINK,
                linewidths=[0.5 if k.mode == "air" else 0.8 for k in links],
                alpha=[0.3 if k.mode == "air" else 0.9 for k in links],
                linestyles=style,
                zorder=2,
            )
        )
    border_posts = {c.from_id for c in network.crossings.values()}
    for ids, marker, colour, label in (
        (sorted(border_posts), "D", "#555555", "border crossing"),
        (
            sorted(p.id for p in network.places.values() if p.kind == "seaport"),
            "o",
            "#1f4e79",
            "port",
        ),
    ):
        pts = np.array([(network.places[i].lon, network.places[i].lat) for i in ids])
        if len(pts):
            ax.scatter(pts[:, 0], pts[:, 1], s=9, marker=marker, c=colour, zorder=4, label=label)


def draw_network_map(
    network: Network,
    *,
    values: Mapping[str, float] | None = None,
    kind: str = "link",
    title: str = "",
    out_path: str | Path,
    diverging: bool = True,
    label: str = "",
    extent: Sequence[float] | None = None,
    focus: bool = False,
    annotate: int = 5,
    size_px: tuple[int, int] = SIZE_PX,
    outlines: Outlines | None = None,
) -> Path:
    """Draw the network over country outlines, coloured by one value per element.

    Parameters
    ----------
    network
        The network whose links are drawn (each along its geometry).
    values
        Element id -> value; ``None`` or empty draws the network alone. Elements without
        a value, or with a value of 0 or NaN, are drawn thin and grey.
    kind
        What the ids name (one of :data:`KINDS`): ``link`` and ``service`` colour lines
        (a service colours each of its links), ``crossing`` and ``place`` colour markers
        (a crossing at the place cargo leaves from).
    title
        Title above the map.
    out_path
        The PNG file to write; its folder must exist.
    diverging
        A scale centred on 0 (blue for falls, red for rises) for changes; ``False``
        gives a sequential scale from 0 for levels.
    label
        Label of the colour bar, e.g. ``change in flow (FEU/year)``.
    extent
        ``(west, east, south, north)`` in degrees; default the network's places with a
        margin of :data:`MARGIN_DEG` (or, with ``focus``, the elements that have a value).
    focus
        Fit the map to the elements with a value (at least :data:`FOCUS_MIN_WIDTH_DEG`
        of longitude wide) instead of the whole network.
    annotate
        How many of the largest values (by magnitude) to name on the map.
    size_px
        Width and height of the PNG, pixels.
    outlines
        Country outlines; the shipped ones by default.

    Returns
    -------
    Path
        ``out_path``.

    Raises
    ------
    ReportError
        If ``kind`` is unknown, a value names an element the network does not have, or
        the extent is malformed.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    if kind not in KINDS:
        raise ReportError(f"map kind must be one of {', '.join(KINDS)}, not {kind!r}")
    geo = outlines or load_outlines()
    per_key, at = _line_values(network, values or {}, kind)
    shown = {k: v for k, v in per_key.items() if v != 0.0}
    box = (0.03, 0.04, 0.85, 0.9)
    if focus and shown:
        lines = [link_line(network, network.links[k]) for k in shown if kind in ("link", "service")]
        points = np.concatenate(
            [*lines, np.array([at[k] for k in shown if k in at]).reshape(-1, 2)]
        )
    else:
        points = np.array([(p.lon, p.lat) for p in network.places.values()]).reshape(-1, 2)
    west, east, south, north = _extent(
        points,
        geo,
        extent,
        box_ratio=box[2] * size_px[0] / (box[3] * size_px[1]),
        min_width=FOCUS_MIN_WIDTH_DEG if focus else 0.0,
    )

    fig = Figure(figsize=(size_px[0] / DPI, size_px[1] / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(box)
    ax.set_facecolor(SEA)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="box")
    ax.tick_params(labelsize=8, colors="#666666")
    _draw_base(ax, network, geo)
    _label_countries(ax, geo, (west, east, south, north))

    magnitude = max((abs(v) for v in shown.values()), default=0.0) or 1.0
    if diverging:
        norm, cmap = Normalize(-magnitude, magnitude), "RdBu_r"
    else:
        norm, cmap = Normalize(min([0.0, *shown.values()]), magnitude), "plasma_r"
    mappable = ScalarMappable(norm=norm, cmap=cmap)
    order = sorted(shown, key=lambda k: abs(shown[k]))  # largest drawn last, on top
    if kind in ("link", "service") and order:
        links = [network.links[k] for k in order]
        ax.add_collection(
            LineCollection(
                [link_line(network, k) for k in links],
                colors=mappable.to_rgba(np.array([shown[k.id] for k in links])),
                linewidths=[1.3 + 3.2 * abs(shown[k.id]) / magnitude for k in links],
                linestyles=[(0, (4, 2)) if k.status == "planned" else "solid" for k in links],
                zorder=3,
            )
        )
    elif order:
        pts = np.array([at[k] for k in order])
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            s=[30 + 170 * abs(shown[k]) / magnitude for k in order],
            c=mappable.to_rgba(np.array([shown[k] for k in order])),
            edgecolors="#222222",
            linewidths=0.6,
            zorder=5,
        )
    for key in order[::-1][:annotate]:
        text = f"{shown[key]:+,.3g}" if diverging else f"{shown[key]:,.3g}"
        _annotate(ax, network, kind, key, text, at)

    if shown:
        cax = fig.add_axes((0.90, 0.12, 0.018, 0.72))
        fig.colorbar(mappable, cax=cax).set_label(label or "value", fontsize=9)
    handles = [
        Line2D([], [], color=BASE_LINK, lw=1.2, label="link (operational)"),
        Line2D([], [], color=BASE_LINK, lw=1.2, ls=(0, (4, 3)), label="link (planned)"),
        *ax.get_legend_handles_labels()[0],
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.9)
    ax.set_title(title, fontsize=12, loc="left")
    fig.text(
        0.99,
        0.01,
        "Country outlines: Natural Earth (public domain)",
        ha="right",
        fontsize=7,
        color="#777777",
    )
    path = Path(out_path)
    try:
        fig.savefig(path, format="png", dpi=DPI)
    except OSError as exc:
        raise ReportError(f"cannot write the map {path}: {exc}") from exc
    return path


def _annotate(
    ax: Axes,
    network: Network,
    kind: str,
    key: str,
    text: str,
    at: Mapping[str, tuple[float, float]],
) -> None:
    """Name one element on the map, with its value."""
    if kind in ("link", "service"):
        line = link_line(network, network.links[key])
        x, y = line[len(line) // 2]
        link = network.links[key]
        name = f"{short_name(network, link.from_id)}–{short_name(network, link.to_id)}"
    else:
        x, y = at[key]
        name = network.crossings[key].name if kind == "crossing" else short_name(network, key)
    ax.annotate(
        f"{name}: {text}",
        (x, y),
        xytext=(6, 6),
        textcoords="offset points",
        fontsize=7.5,
        zorder=6,
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#999999", "alpha": 0.85},
    )
