"""Shared reading of the npm package ``world-atlas`` for the scripts that build geo data.

``world-atlas`` 2.0.2 ships the Natural Earth 4.1.0 admin-0 country outlines as TopoJSON
(quantised, unprojected degrees; ISO 3166-1 numeric ids). ``scripts/build_country_grid.py``
and ``scripts/build_outlines.py`` both decode it with these functions and write their
``.npz`` files with :func:`write_npz`, so both files are reproducible byte for byte.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np


def read_topology(atlas: Path, name: str = "countries-50m.json") -> tuple[dict[str, Any], str]:
    """The TopoJSON file ``name`` of the package folder ``atlas``, and the package version."""
    topo = json.loads((atlas / name).read_text(encoding="utf-8"))
    version = json.loads((atlas / "package.json").read_text(encoding="utf-8"))["version"]
    return topo, str(version)


def decode_arcs(topo: dict[str, Any]) -> list[np.ndarray]:
    """The TopoJSON arcs as arrays of absolute (lon, lat)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        a = np.cumsum(np.array(arc, dtype=np.float64), axis=0)
        out.append(np.column_stack([a[:, 0] * sx + tx, a[:, 1] * sy + ty]))
    return out


def ring(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    """One closed ring from its arc indexes (a negative index is arc ~i reversed)."""
    parts = []
    for i in indexes:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(a if not parts else a[1:])
    return np.concatenate(parts)


def polygons(geom: dict[str, Any], arcs: list[np.ndarray]) -> list[list[np.ndarray]]:
    """Rings of every polygon of a geometry (outer ring first, then holes)."""
    if geom["type"] == "Polygon":
        return [[ring(arcs, r) for r in geom["arcs"]]]
    if geom["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in poly] for poly in geom["arcs"]]
    return []


def alpha2(numeric: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a numeric id (``"398"`` -> ``"KZ"``), by pycountry."""
    import pycountry

    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return None if country is None else str(country.alpha_2)


def pycountry_version() -> str:
    """Version of the installed pycountry, for provenance."""
    import pycountry

    return str(getattr(pycountry, "__version__", ""))


def write_npz(path: Path, arrays: dict[str, Any]) -> None:
    """Write ``arrays`` as an ``.npz`` whose bytes depend on the arrays only.

    A zip written entry by entry with fixed timestamps (``numpy.savez`` stamps the
    current time), so the same arrays give the same file.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asanyarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())
