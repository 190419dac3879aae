"""docs/monitoring.md keeps up with the code: vocabulary, reason codes, the example."""

from __future__ import annotations

import re
from pathlib import Path

from silkway.model import load_network
from silkway.monitor import validate
from silkway.monitor.ingest import ingest
from silkway.monitor.schema import EVENT_TYPES, INPUT_COLUMNS
from silkway.monitor.store import open_store

DOC = (Path(__file__).resolve().parents[2] / "docs" / "monitoring.md").read_text(encoding="utf-8")


def test_vocabulary_and_columns_are_documented() -> None:
    for name, (dcsa, edifact) in EVENT_TYPES.items():
        assert f"| `{name}` | {dcsa} | {edifact} |" in DOC
    for column in INPUT_COLUMNS:
        assert f"| `{column}` |" in DOC


def test_every_reason_code_is_documented() -> None:
    source = Path(validate.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r"'r': '([a-z_]+):", source))
    assert len(codes) >= 14
    for code in codes:
        assert f"| `{code}` |" in DOC, code


def test_the_example_log_ingests_cleanly(tmp_path: Path) -> None:
    example = DOC.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.csv"
    path.write_text(example, encoding="utf-8")
    with open_store(tmp_path / "s.duckdb") as store:
        summary = ingest(path, store, network=load_network())
        assert (summary.rows_read, summary.rows_stored, summary.rows_quarantined) == (5, 5, 0)
        [(usd,)] = store.query("SELECT cost_usd FROM sw_events WHERE cost_usd IS NOT NULL")
        assert usd > 0
