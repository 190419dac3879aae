"""One self-contained HTML page, with its tables beside it as CSV and Parquet.

:func:`write_report` writes ``index.html`` into a folder: a title, a short summary and
sections of text, figures and tables. Figures are embedded as base64 ``data:`` URIs and
the style is inline, so the page opens offline, from a copy, or from an e-mail: it
references no server, no CDN and no script. Each table is also written beside it as
``<name>.csv`` and, where pyarrow is installed, ``<name>.parquet``; the page links to
them by relative path.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import ReportError

if TYPE_CHECKING:
    import pandas as pd

MAX_ROWS = 200
"""Rows of a table shown on the page by default; the CSV and Parquet files hold all."""
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
       margin: 2em auto; max-width: 1200px; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05em; }
ul.summary li { margin: 0.15em 0; }
figure { margin: 1em 0; }
figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 12.5px; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f4f4f4; position: sticky; top: 0; }
.scroll { max-height: 32em; overflow: auto; }
.note { color: #666; font-size: 0.9em; }
"""


@dataclass(frozen=True)
class Table:
    """A table of a report: shown on the page, and written as CSV (and Parquet)."""

    name: str
    """File stem of the table's CSV and Parquet files: letters, digits, ``_.-``."""
    frame: pd.DataFrame
    caption: str = ""
    max_rows: int = MAX_ROWS
    """Rows shown on the page; the files hold every row."""


@dataclass(frozen=True)
class Image:
    """A PNG figure of a report, embedded in the page."""

    path: Path
    caption: str = ""


@dataclass(frozen=True)
class Section:
    """A titled part of a report: paragraphs of text, then figures, then tables."""

    title: str
    text: Sequence[str] = ()
    """Paragraphs (plain text; escaped on the page)."""
    images: Sequence[Image] = ()
    tables: Sequence[Table] = ()


def parquet_available() -> bool:
    """Whether tables can be written as Parquet (pyarrow is installed)."""
    return importlib.util.find_spec("pyarrow") is not None


def _cell(value: object) -> tuple[str, bool]:
    """A value as escaped text, and whether it is a number (right-aligned): integers
    with thousands separators, other numbers to two decimals, missing values empty."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return "", False
    if isinstance(value, bool) or type(value).__name__ in ("bool", "bool_"):
        return str(bool(value)).lower(), False
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}", True
    if isinstance(value, numbers.Real):
        x = float(value)
        return ("" if math.isnan(x) else f"{x:,.2f}"), True
    return html.escape(str(value)), False


def table_html(frame: pd.DataFrame, *, max_rows: int = MAX_ROWS) -> str:
    """A DataFrame as an HTML table, every header and cell escaped."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.head(max_rows).itertuples(index=False, name=None):
        cells = []
        for value in record:
            text, numeric = _cell(value)
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<div class="scroll"><table><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _image_html(image: Image) -> str:
    try:
        data = image.path.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read the figure {image.path}: {exc}") from exc
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    alt = html.escape(image.caption or image.path.name, quote=True)
    caption = f"<figcaption>{html.escape(image.caption)}</figcaption>" if image.caption else ""
    return f'<figure><img src="{uri}" alt="{alt}">{caption}</figure>'


def write_tables(out_dir: Path, tables: Sequence[Table]) -> list[Path]:
    """Write each table as ``<name>.csv`` and, with pyarrow, ``<name>.parquet``."""
    written: list[Path] = []
    parquet = parquet_available()
    for t in tables:
        if not _NAME.match(t.name):
            raise ReportError(f"table name {t.name!r} is not a plain file name")
        written.append(out_dir / f"{t.name}.csv")
        t.frame.to_csv(written[-1], index=False)
        if parquet:
            written.append(out_dir / f"{t.name}.parquet")
            t.frame.to_parquet(written[-1], index=False)
    return written


def write_report(
    out_dir: str | Path,
    *,
    title: str,
    summary: Sequence[str] | str = (),
    sections: Sequence[Section] = (),
) -> Path:
    """Write ``index.html`` and the tables' files into ``out_dir``.

    Parameters
    ----------
    out_dir
        Folder to write into; created if missing. Files of the same names are replaced.
    title
        Page title.
    summary
        Lines of the summary shown under the title (a list), or one paragraph.
    sections
        The page's sections, in order.

    Returns
    -------
    Path
        The written ``index.html``.

    Raises
    ------
    ReportError
        If the folder cannot be written, a figure cannot be read, two tables share a
        name or a table's name is not a plain file name.
    """
    folder = Path(out_dir)
    names = [t.name for s in sections for t in s.tables]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise ReportError(f"report tables share names: {', '.join(doubled)}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_tables(folder, [t for s in sections for t in s.tables])
    except OSError as exc:
        raise ReportError(f"cannot write the report into {folder}: {exc}") from exc
    parquet = parquet_available()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    if isinstance(summary, str):
        parts.append(f"<p>{html.escape(summary)}</p>")
    elif summary:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in summary)
        parts.append(f'<ul class="summary">{items}</ul>')
    for s in sections:
        parts.append(f"<section><h2>{html.escape(s.title)}</h2>")
        parts.extend(f"<p>{html.escape(p)}</p>" for p in s.text)
        parts.extend(_image_html(i) for i in s.images)
        for t in s.tables:
            files = f'<a href="{t.name}.csv">{t.name}.csv</a>'
            if parquet:
                files += f', <a href="{t.name}.parquet">{t.name}.parquet</a>'
            shown = min(len(t.frame), t.max_rows)
            rows = f"{len(t.frame)} rows" + (
                f", first {shown} shown" if shown < len(t.frame) else ""
            )
            caption = html.escape(t.caption) + " " if t.caption else ""
            parts.append(f"<h3>{html.escape(t.name)}</h3>")
            parts.append(f'<p class="note">{caption}({rows}; all in {files})</p>')
            parts.append(table_html(t.frame, max_rows=t.max_rows))
        parts.append("</section>")
    parts.append(
        '<p class="note">Written by silkway. Country outlines: Natural Earth (public '
        "domain).</p></body></html>"
    )
    index = folder / "index.html"
    try:
        index.write_text("\n".join(parts) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"cannot write {index}: {exc}") from exc
    return index
