"""The disk cache of compiled networks (:mod:`silkway.cli._cache`).

A hit gives the same network and the same plan as reading the files; any change to a
network file makes a miss; a corrupt, unwritable or disabled cache only costs time; an
invalid network is never cached.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from _cli_util import DEPART, TINY, run

from silkway import NetworkError, plan
from silkway.cli import _cache
from silkway.cli._cache import KEEP, cache_key, load_compiled


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SILKWAY_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY, tmp_path / "tiny"))


def _answer(text: str) -> dict:
    """A plan's JSON without its timings (``stats``), which differ between runs."""
    got = json.loads(text)
    got.pop("stats")
    return got


def _plan_json(net) -> object:
    origin, destination = list(net.network.places)[:2]
    try:
        return _answer(plan(net, origin, destination, depart=DEPART).to_json())
    except ValueError as exc:  # no route is an answer too; it must be the same answer
        return f"{type(exc).__name__}: {exc}"


def test_a_hit_is_the_same_network_and_plan(cache: Path, tiny_copy: Path) -> None:
    first, hit1 = load_compiled(tiny_copy, [])
    second, hit2 = load_compiled(tiny_copy, [])
    assert (hit1, hit2) == (False, True)
    assert len(list(cache.glob("*.pickle"))) == 1
    assert second.network == first.network
    assert _plan_json(second) == _plan_json(first)


def test_the_bundled_network_plans_the_same_from_the_cache(cache: Path) -> None:
    fresh, _ = load_compiled(None, [])
    cached, hit = load_compiled(None, [])
    assert hit
    kw = {"avoid_countries": ["RU"], "depart": DEPART, "cargo": "2xFEU"}
    a = _answer(plan(fresh, "Xi'an", "Istanbul", **kw).to_json())
    b = _answer(plan(cached, "Xi'an", "Istanbul", **kw).to_json())
    assert a == b


def test_editing_a_network_file_makes_a_miss(cache: Path, tiny_copy: Path) -> None:
    load_compiled(tiny_copy, [])
    places = tiny_copy / "places.csv"
    before = cache_key(tiny_copy, [])
    places.write_text(places.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    st = places.stat()
    os.utime(places, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert cache_key(tiny_copy, []) != before
    _, hit = load_compiled(tiny_copy, [])
    assert not hit


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SILKWAY_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _, hit1 = load_compiled(Path(TINY), [])
    _, hit2 = load_compiled(Path(TINY), [])
    assert not hit1 and not hit2
    assert not (tmp_path / "xdg").exists()


def test_xdg_cache_home_is_the_default_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SILKWAY_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.cache_dir() == tmp_path / "xdg" / "silkway"


def test_a_corrupt_entry_is_read_from_the_files_and_replaced(cache: Path, tiny_copy: Path) -> None:
    load_compiled(tiny_copy, [])
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    net, hit = load_compiled(tiny_copy, [])
    assert not hit and net.network.places
    _, hit = load_compiled(tiny_copy, [])
    assert hit


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_copy: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("SILKWAY_CACHE_DIR", str(blocker / "cache"))
    net, hit = load_compiled(tiny_copy, [])
    assert not hit and net.network.places


def test_an_invalid_network_is_never_cached(cache: Path, tiny_copy: Path) -> None:
    (tiny_copy / "links.csv").write_text("id,from\n", encoding="utf-8")
    with pytest.raises(NetworkError):
        load_compiled(tiny_copy, [])
    assert not list(cache.glob("*.pickle"))


def test_old_entries_are_pruned(cache: Path, tiny_copy: Path) -> None:
    places = tiny_copy / "places.csv"
    for i in range(KEEP + 3):
        st = places.stat()
        os.utime(places, ns=(st.st_atime_ns, st.st_mtime_ns + (i + 1) * 1_000_000))
        load_compiled(tiny_copy, [])
    assert len(list(cache.glob("*.pickle"))) == KEEP


def test_plan_command_output_is_the_same_on_a_hit(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "plan",
        "Xi'an",
        "Istanbul",
        "--avoid-country",
        "RU",
        "--depart",
        DEPART,
        "--format",
        "json",
    ]
    first = run(capsys, *args)
    assert len(list(cache.glob("*.pickle"))) == 1
    second = run(capsys, *args)
    assert first[0] == second[0] == 0
    assert first[2] == second[2]
    assert _answer(first[1]) == _answer(second[1])
