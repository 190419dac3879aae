"""The shared helpers of the on-disk caches: atomic writes and pruning."""

from __future__ import annotations

import os
from pathlib import Path

from silkway._diskcache import prune, write_atomic


def test_write_atomic_creates_the_folder_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "entry.bin"
    write_atomic(target, lambda fh: fh.write(b"payload"))
    assert target.read_bytes() == b"payload"
    assert [p.name for p in target.parent.iterdir()] == ["entry.bin"]


def test_a_failed_write_keeps_the_old_file_and_raises_nothing(tmp_path: Path) -> None:
    target = tmp_path / "entry.bin"
    target.write_bytes(b"old")

    def boom(fh: object) -> None:
        raise OSError("disk full")

    write_atomic(target, boom)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.bin"]


def test_an_unwritable_folder_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("in the way", encoding="utf-8")
    write_atomic(blocker / "sub" / "entry.bin", lambda fh: fh.write(b"x"))
    assert blocker.read_text(encoding="utf-8") == "in the way"


def test_prune_keeps_the_newest_matching_files(tmp_path: Path) -> None:
    for i in range(5):
        p = tmp_path / f"e{i}.pickle"
        p.write_bytes(b"")
        os.utime(p, ns=(i * 10**9, i * 10**9))
    (tmp_path / "other.json").write_bytes(b"")
    prune(tmp_path, "*.pickle", 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e3.pickle", "e4.pickle", "other.json"]
