"""Fixtures of the scenario tests: the tiny network with the ``tiny_corridor`` overlay,
and scenario files written from text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from silkway.model import load_network
from silkway.model.records import Network
from silkway.scenarios import Scenario, load_scenario

CORRIDOR = Path(__file__).resolve().parents[1] / "data" / "tiny_corridor"


@pytest.fixture(scope="session")
def corridor_path() -> Path:
    """The overlay that adds a transit link, a sea link via Suez and a second service."""
    return CORRIDOR


@pytest.fixture(scope="session")
def corridor(tiny_path: Path) -> Network:
    """The tiny network with the ``tiny_corridor`` overlay (never modified)."""
    return load_network(tiny_path, overlays=[CORRIDOR])


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """Write a scenario file from (dedented) text; return its path."""

    def write(text: str, name: str = "test.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def scenario_of(write_scenario: Callable[..., Path]) -> Callable[..., Scenario]:
    """A :class:`Scenario` read from text: ``scenario_of("patches: [...]")``."""

    def make(text: str, name: str = "test.yaml") -> Scenario:
        return load_scenario(write_scenario(text, name))

    return make
