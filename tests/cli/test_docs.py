"""The README's command-line tables and docs/output-schema.md keep up with the code."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from _cli_util import DEPART, TINY, run

from silkway.cli import _register, app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMA_DOC = (ROOT / "docs" / "output-schema.md").read_text(encoding="utf-8")


def _command(name: str) -> Any:
    """The click command (typer bundles its own click, so no isinstance checks)."""
    _register()
    group: Any = typer.main.get_command(app)
    return group.commands[name]


def _command_line_section() -> str:
    start = README.index("## Command line")
    return README[start : README.index("\n## ", start + 1)]


def test_readme_lists_every_plan_option() -> None:
    section = _command_line_section()
    table = section[section.index("`silkway plan` options:") :]
    shared = {"--network", "--overlay", "--scenario", "--help"}  # described once for all
    for param in _command("plan").params:
        if param.param_type_name != "option" or param.hidden:
            continue
        longs = [o for o in param.opts if o.startswith("--")]
        if set(longs) & shared:
            continue
        assert any(f"`{o}" in table for o in longs), f"{longs} missing from README"


def test_readme_mentions_options_of_other_commands() -> None:
    section = _command_line_section()
    for flag in ("--version", "--network/-n", "--overlay", "--country", "--kind", "--format"):
        assert flag in section


def _keys(doc: Any, into: set[str]) -> set[str]:
    if isinstance(doc, dict):
        for k, v in doc.items():
            into.add(k)
            if k != "sources" or isinstance(v, list):  # "sources" at the top is keyed by id
                _keys(v, into)
    elif isinstance(doc, list):
        for v in doc:
            _keys(v, into)
    return into


def _documented(key: str) -> bool:
    return re.search(rf'["`]{re.escape(key)}["`]', SCHEMA_DOC) is not None


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "A", "E", "-n", TINY, "--depart", DEPART, "-x", "-f", "json"),
        ("validate", TINY, "-f", "json"),
        ("places", "Alpha", "-n", TINY, "-f", "json"),
        ("info", "-n", TINY, "-f", "json"),
        ("info", "-f", "json"),
        ("scenario", "list", "-f", "json"),
        ("scenario", "show", "caspian-ferries-doubled", "-f", "json"),
    ],
    ids=["plan", "validate", "places", "info", "info-bundled", "scenarios", "scenario"],
)
def test_schema_doc_names_every_json_key(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, out, _ = run(capsys, *args)
    assert code == 0
    doc = json.loads(out)
    if args[0] == "info":  # keyed by table name and by provenance kind
        doc = {k: v for k, v in doc.items() if k not in ("counts", "numbers_by_provenance")}
    if args[0] == "validate":
        doc = {k: v for k, v in doc.items() if k != "counts"}
    if args[0] == "plan":  # stats may carry extra informative counters
        doc["stats"] = {
            k: doc["stats"][k]
            for k in ("labels", "seconds", "budget_hit", "deadline_hit")
            if k in doc["stats"]
        }
    missing = sorted(k for k in _keys(doc, set()) if not _documented(k))
    assert not missing, f"keys not in docs/output-schema.md: {missing}"
    assert f"`{doc['schema']}`" in SCHEMA_DOC
