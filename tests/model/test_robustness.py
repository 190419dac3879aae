"""Whatever a user writes into a network file, loading ends in problems, never a crash."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import silkway
from silkway.model import errors_only, validate_folder

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"
FILES = sorted(p.name for p in TINY.glob("*.csv"))

cell_text = st.one_of(
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "nan",
            "inf",
            "1e309",
            "1e308",
            "x\x00y",
            "Asia/Almaty",
            "UR;KZ",
            "abc",
            "A",
            "ZZ",
            "rail",
            "Mon-Sun",
            "Sun-Mon",
            "25:00",
            "1435",
            "1000",
            "true",
            "x=y",
            "*=nope",
            ";",
            "a;b",
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    file=st.sampled_from(FILES),
    row=st.integers(min_value=0, max_value=10),
    col=st.integers(min_value=0, max_value=30),
    text=cell_text,
)
def test_any_single_cell_edit_gives_problems_not_crashes(
    file: str, row: int, col: int, text: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "net"
        shutil.copytree(TINY, folder)
        path = folder / file
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        r = 1 + row % (len(rows) - 1)
        c = col % len(rows[r])
        rows[r][c] = text
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")

        network, problems = validate_folder(folder)
        for p in problems:
            assert p.file.endswith(".csv") or p.file.endswith(".yaml")
            assert p.message
        if errors_only(problems):
            try:
                silkway.load_network(folder)
            except silkway.NetworkError as exc:
                assert exc.problems == tuple(errors_only(problems))
            else:  # pragma: no cover - the assertion explains the failure
                raise AssertionError("load_network accepted a network with problems")
        else:
            # a still-valid network must plan or say clearly why it cannot
            net = silkway.load_network(folder)
            with contextlib.suppress(silkway.SilkwayError):
                silkway.plan(net, "A", "E", samples=50)
            assert network.summary()["places"] >= 1
