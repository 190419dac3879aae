"""``silkway plan`` shows route advisories: one line each, once, with the options they
apply to; ``--explain`` adds their sources; ``--avoid-advisory`` leaves routes out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _cli_util import DEPART, TINY, run

HEADER = "id,category,severity,selector,valid_from,valid_to,text,sources\n"
ROWS = (
    "a_az,sanctions,info,country:AZ,,,Every option ends in AZ,t_src\n"
    "a_ab,closure,critical,link:AB,,,"
    '"The A-B line is closed. Trains run via F, 2 h longer.",t_src;t_est\n'
)


@pytest.fixture
def advised(tmp_path: Path) -> str:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    (folder / "advisories.csv").write_text(HEADER + ROWS, encoding="utf-8")
    return str(folder)


def _plan(capsys, folder: str, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "plan", "A", "E", "-n", folder, "--depart", DEPART, "--all", *extra)


def test_one_line_per_advisory(capsys, advised: str) -> None:
    code, out, _ = _plan(capsys, advised)
    assert code == 0
    lines = out.splitlines()
    az = [x for x in lines if "Every option ends in AZ" in x]
    assert len(az) == 1  # once, however many options it applies to
    assert az[0].lstrip().startswith("info")
    doc_code, doc, _ = _plan(capsys, advised, "-f", "json")
    assert doc_code == 0
    options = json.loads(doc)["options"]
    ranks = [o["rank"] for o in options]
    assert f"options {', '.join(map(str, ranks))}" in az[0]
    with_ab = [o["rank"] for o in options if any(a["id"] == "a_ab" for a in o["advisories"])]
    ab = [x for x in lines if "The A-B line is closed" in x]
    assert len(ab) == 1 and with_ab
    assert ab[0].lstrip().startswith("critical") and "closure" in ab[0]
    assert "sources:" not in az[0]
    assert any(x.startswith("Advisories") for x in lines)


def test_headline_in_the_table_whole_text_with_explain(capsys, advised: str) -> None:
    code, out, _ = _plan(capsys, advised)
    assert code == 0 and "The A-B line is closed." in out and "2 h longer" not in out


def test_explain_shows_sources(capsys, advised: str) -> None:
    code, out, _ = _plan(capsys, advised, "--explain")
    assert code == 0
    line = next(x for x in out.splitlines() if "The A-B line is closed" in x)
    assert "Trains run via F, 2 h longer. sources: t_src, t_est" in line
    assert "t_est" in out.split("Sources", 1)[1]


def test_avoid_advisory(capsys, advised: str) -> None:
    code, out, _ = _plan(capsys, advised, "--avoid-advisory", "critical", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["query"]["avoid_advisory"] == "critical"
    assert all(leg["link"] != "AB" for o in doc["options"] for leg in o["legs"])
    code, _, err = _plan(capsys, advised, "--avoid-advisory", "high")
    assert code == 2 and "high" in err


def test_no_advisories_no_block(capsys) -> None:
    code, out, _ = run(capsys, "plan", "A", "E", "-n", TINY, "--depart", DEPART)
    assert code == 0 and "Advisories" not in out
