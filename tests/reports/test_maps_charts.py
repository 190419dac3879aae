"""Maps and charts are real PNG files of the expected size, with the values drawn."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _report_util import colours, png_size, share

from silkway.model.records import Network
from silkway.reports import ReportError, draw_network_map, draw_od_delta_chart
from silkway.reports.charts import ROW_PX, WIDTH_PX, top_changes


def test_a_link_map_is_a_png_of_the_asked_size_with_its_values_drawn(
    bundled: Network, tmp_path: Path
) -> None:
    rail = [k for k, v in bundled.links.items() if v.mode == "rail"][:30]
    up = draw_network_map(
        bundled,
        values=dict.fromkeys(rail, 500.0),
        title="rises",
        label="change in flow (FEU)",
        out_path=tmp_path / "up.png",
        size_px=(1000, 700),
    )
    down = draw_network_map(
        bundled,
        values=dict.fromkeys(rail, -500.0),
        title="falls",
        out_path=tmp_path / "down.png",
        size_px=(1000, 700),
    )
    assert png_size(up) == png_size(down) == (1000, 700)
    assert colours(up) > 200  # outlines, sea, lines, text: not a blank canvas
    # a diverging scale: rises are drawn red, falls blue
    assert share(up, red=True) > 0.002 > share(up, red=False) / 4
    assert share(down, red=False) > share(up, red=False) + 0.001


def test_crossing_values_and_a_sequential_scale(bundled: Network, tmp_path: Path) -> None:
    values = {c: 0.2 * (i % 5) for i, c in enumerate(list(bundled.crossings)[:40])}
    path = draw_network_map(
        bundled,
        values=values,
        kind="crossing",
        diverging=False,
        out_path=tmp_path / "x.png",
        size_px=(700, 450),
    )
    assert png_size(path) == (700, 450) and colours(path) > 200


def test_a_map_with_no_values_draws_the_network(bundled: Network, tmp_path: Path) -> None:
    path = draw_network_map(bundled, out_path=tmp_path / "net.png", extent=(-20, 150, -40, 72))
    assert png_size(path) == (1400, 900) and colours(path) > 100  # the default size


def test_map_errors_name_what_is_wrong(bundled: Network, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="NO_SUCH_LINK"):
        draw_network_map(bundled, values={"NO_SUCH_LINK": 1.0}, out_path=tmp_path / "a.png")
    with pytest.raises(ReportError, match="kind"):
        draw_network_map(bundled, values={}, kind="ferry", out_path=tmp_path / "a.png")
    with pytest.raises(ReportError, match="extent"):
        draw_network_map(bundled, extent=(10, 0, 0, 10), out_path=tmp_path / "a.png")
    with pytest.raises(ReportError, match="cannot write"):
        draw_network_map(bundled, out_path=tmp_path / "no" / "such" / "dir.png")


def _od() -> pd.DataFrame:
    rows = []
    for i in range(8):
        rows.append(
            {
                "origin": f"O{i}",
                "destination": "D",
                "origin_name": f"Origin {i} (terminal)",
                "destination_name": "Dest",
                "time_p50_h_base": 100.0,
                "time_p50_h_other": 100.0 + (i - 4) * 10,
                "time_p50_h_delta": (i - 4) * 10.0,
            }
        )
    return pd.DataFrame(rows)


def test_the_largest_changes_sorted_by_change() -> None:
    top = top_changes(_od(), "time_p50_h", top=3)
    assert top["time_p50_h_delta"].tolist() == [-40.0, -30.0, 30.0]


def test_an_od_chart_has_a_row_per_pair(tmp_path: Path) -> None:
    path = draw_od_delta_chart(_od(), metric="time_p50_h", top=5, out_path=tmp_path / "c.png")
    assert path is not None
    assert png_size(path) == (WIDTH_PX, 120 + ROW_PX * 5)
    assert share(path, red=True) > 0.001 and share(path, red=False) > 0.001


def test_an_od_chart_of_no_change_is_not_drawn(tmp_path: Path) -> None:
    same = _od().assign(time_p50_h_delta=0.0)
    assert draw_od_delta_chart(same, metric="time_p50_h", out_path=tmp_path / "c.png") is None
    assert not (tmp_path / "c.png").exists()
    with pytest.raises(ReportError, match="cost_usd"):
        draw_od_delta_chart(_od(), metric="cost_usd", out_path=tmp_path / "c.png")
