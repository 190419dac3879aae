"""Fixtures of the report tests: the bundled network, and it with the CKU railway open."""

from __future__ import annotations

from dataclasses import replace

import pytest
from _report_util import CKU_LINKS

from silkway.model import load_network
from silkway.model.records import Network


@pytest.fixture(scope="session")
def bundled() -> Network:
    """The bundled corridor network."""
    return load_network()


@pytest.fixture(scope="session")
def cku_open(bundled: Network) -> Network:
    """The bundled network with the planned CKU railway links in operation."""
    links = {
        k: replace(v, status="operational") if k in CKU_LINKS else v
        for k, v in bundled.links.items()
    }
    return replace(bundled, links=links)
