"""The report page opens offline: figures embedded, no remote reference, tables escaped
and written beside it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _report_util import assert_offline, png_size

from silkway.reports import Image, ReportError, Section, Table, write_report
from silkway.reports.html import parquet_available


def _figure(path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1), dpi=50)
    FigureCanvasAgg(fig)
    fig.add_subplot().plot([0, 1], [1, 0])
    fig.savefig(path, format="png")
    return path


def test_the_page_is_self_contained_and_holds_the_tables(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "origin": ["CN_KSG", "<script>alert(1)</script>"],
            "time_p50_h_delta": [28.66, float("nan")],
            "borders": [2, 3],
        }
    )
    image = _figure(tmp_path / "fig.png")
    out = tmp_path / "report"
    index = write_report(
        out,
        title="cku-open against <baseline>",
        summary=["4 links opened", "a & b"],
        sections=[
            Section(
                "OD", ["Paragraph <b>text</b>."], [Image(image, "A chart")], [Table("od", frame)]
            )
        ],
    )
    text = index.read_text(encoding="utf-8")
    assert index == out / "index.html"
    # nothing to fetch: no remote URL, every src a data URI, no script
    assert_offline(text)
    # the table and the text are there, escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "cku-open against &lt;baseline&gt;" in text and "a &amp; b" in text
    assert "<td>CN_KSG</td>" in text and ">28.66<" in text and ">2<" in text
    assert "Paragraph &lt;b&gt;text&lt;/b&gt;." in text
    # the tables beside it, linked relatively
    assert pd.read_csv(out / "od.csv")["borders"].tolist() == [2, 3]
    assert 'href="od.csv"' in text
    if parquet_available():
        assert pd.read_parquet(out / "od.parquet").equals(frame)
        assert 'href="od.parquet"' in text
    assert png_size(image) == (100, 50)


def test_a_long_table_is_cut_on_the_page_but_whole_in_its_files(tmp_path: Path) -> None:
    frame = pd.DataFrame({"n": range(500)})
    index = write_report(tmp_path, title="t", sections=[Section("s", tables=[Table("n", frame)])])
    text = index.read_text(encoding="utf-8")
    assert text.count("<tr>") == 201  # the header and the first 200 rows
    assert "500 rows, first 200 shown" in text
    assert len(pd.read_csv(tmp_path / "n.csv")) == 500


def test_report_errors(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1]})
    with pytest.raises(ReportError, match="share names"):
        write_report(tmp_path, title="t", sections=[Section("s", tables=[Table("x", frame)] * 2)])
    with pytest.raises(ReportError, match="plain file name"):
        write_report(tmp_path, title="t", sections=[Section("s", tables=[Table("../x", frame)])])
    with pytest.raises(ReportError, match="cannot read the figure"):
        write_report(tmp_path, title="t", sections=[Section("s", images=[Image(tmp_path / "no")])])
