"""Test helpers: PNG files read back (size from the header, pixels by matplotlib), and
the check that a page opens offline."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CKU_LINKS = ("R_KSG_TOR_CKU", "R_TOR_MAK_CKU", "R_MAK_JAL_CKU", "R_JAL_AND_CKU")
"""The planned links of the China-Kyrgyzstan-Uzbekistan railway in the bundled network."""


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk; fails unless the file is a PNG."""
    data = path.read_bytes()
    assert data[:8] == SIGNATURE and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def pixels(path: Path) -> NDArray[np.float32]:
    """The image as an (h, w, 4) RGBA array in 0..1."""
    from matplotlib.image import imread

    return np.asarray(imread(path), dtype=np.float32)


def colours(path: Path) -> int:
    """How many distinct colours the image has."""
    rgb = (pixels(path)[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
    return len(np.unique(rgb, axis=0))


def share(path: Path, *, red: bool) -> float:
    """Share of the pixels strongly red (or strongly blue)."""
    p = pixels(path)
    r, g, b = p[..., 0], p[..., 1], p[..., 2]
    mask = (r - b > 0.25) & (r - g > 0.25) if red else (b - r > 0.25) & (b - g > 0.1)
    return float(mask.mean())


def assert_offline(text: str) -> None:
    """The page fetches nothing: no remote URL, images as data URIs, links relative,
    no script, no stylesheet or font from elsewhere."""
    assert "http://" not in text and "https://" not in text
    sources = re.findall(r'src="([^"]*)"', text)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    for href in re.findall(r'href="([^"]*)"', text):
        assert ":" not in href and not href.startswith("/"), href
    assert "<script" not in text and "<link" not in text
    assert "@import" not in text and "url(" not in text
