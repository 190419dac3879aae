"""The network model: typed records, the folder loader and the validator.

This package imports nothing from the engine, the CLI or the API. Its submodules are
imported when first used, so that unpickling records (:mod:`silkway.model.records`)
does not load the CSV reader, YAML or the validator.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import Problem, errors_only

if TYPE_CHECKING:
    from .countries import check_country
    from .loader import default_network_path
    from .records import Network

_LAZY = {
    "check_country": ("silkway.model.countries", "check_country"),
    "default_network_path": ("silkway.model.loader", "default_network_path"),
    "Network": ("silkway.model.records", "Network"),
}


def __getattr__(name: str) -> Any:
    """Import public names on first use."""
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'silkway.model' has no attribute {name!r}")


__all__ = [
    "Network",
    "check_country",
    "default_network_path",
    "errors_only",
    "load_network",
    "validate_folder",
]


def validate_folder(
    path: str | Path | None = None, *, overlays: Sequence[str | Path] = ()
) -> tuple[Network, list[Problem]]:
    """Read and validate a folder; return ``(network, problems)`` without raising.

    Parameters
    ----------
    path
        Folder of network files; ``None`` (default) for the bundled corridor network.
    overlays
        Folders laid over it, in order (rows replace rows with the same id).

    Returns
    -------
    network, problems
        The network as far as it could be read (its :attr:`Network.warnings` set), and
        every problem, errors and warnings alike, each with its
        :attr:`Problem.severity`. The folder is valid when :func:`errors_only` of the
        problems is empty; ``silkway validate`` should fail only then.
    """
    from dataclasses import replace

    from .loader import read_layers
    from .validate import validate

    reading = read_layers(path, overlays=overlays)
    network, problems = reading.network, reading.problems
    if not any(p.code in {"missing-file", "bad-csv", "encoding"} for p in problems):
        problems = problems + validate(network, base=reading.base, overlays=reading.overlays)
    warnings = tuple(p for p in problems if not p.is_error)
    return replace(network, warnings=warnings), problems


def load_network(path: str | Path | None = None, *, overlays: Sequence[str | Path] = ()) -> Network:
    """Load and validate a network folder.

    Parameters
    ----------
    path
        Folder of network files; ``None`` (default) for the bundled corridor network.
    overlays
        Folders laid over it, in order (rows replace rows with the same id).

    Returns
    -------
    Network
        The network; problems of severity ``warning`` (such as places an overlay leaves
        without links) are in its :attr:`Network.warnings`.

    Raises
    ------
    NetworkError
        Listing every error (file, line, field, reason) if the network is not valid.
        Warnings never raise.
    """
    from .loader import raise_if_problems

    network, problems = validate_folder(path, overlays=overlays)
    raise_if_problems(problems, network.folder)
    return network
