"""The web page's interface strings (``serve/static/i18n.js``): English, Russian and
Chinese have the same keys, every one translated, and every key the page uses exists.
Read from the JavaScript source as text (no browser needed)."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "src" / "silkway" / "serve" / "static"
LANGS = ("en", "ru", "zh")
# strings that are the same in every language: codes, units written the same way
SAME_EVERYWHERE = {"option.time.p50", "option.time.p90"}


def strings() -> dict[str, dict[str, str]]:
    """``STRINGS`` of i18n.js: language -> key -> text."""
    source = (STATIC / "i18n.js").read_text(encoding="utf-8")
    block = source[source.index("const STRINGS = {") : source.index("\n};\n")]
    tables: dict[str, dict[str, str]] = {}
    for lang, body in re.findall(r"\n  (\w+): \{\n(.*?)\n  \},", block, flags=re.S):
        pairs = re.findall(r'^\s+"([\w.]+)": "((?:[^"\\]|\\.)*)",$', body, flags=re.M)
        lines = [ln for ln in body.splitlines() if ln.strip()]
        assert len(pairs) == len(lines), f"{lang}: a line of i18n.js is not a plain pair"
        tables[lang] = dict(pairs)
    return tables


def test_every_language_has_every_string_translated() -> None:
    tables = strings()
    assert sorted(tables) == sorted(LANGS)
    en = tables["en"]
    assert len(en) > 100
    script = {"ru": re.compile("[А-Яа-яЁё]"), "zh": re.compile("[\u4e00-\u9fff]")}
    for lang in ("ru", "zh"):
        table = tables[lang]
        assert sorted(table) == sorted(en), f"{lang}: keys differ from English"
        for key, text in table.items():
            assert text.strip(), f"{lang}.{key} is empty"
            placeholders = sorted(re.findall(r"\{(\w+)\}", en[key]))
            assert sorted(re.findall(r"\{(\w+)\}", text)) == placeholders, f"{lang}.{key}"
            if key in SAME_EVERYWHERE:
                continue
            assert script[lang].search(text), f"{lang}.{key} is not translated: {text!r}"


def test_every_key_the_page_uses_exists() -> None:
    en = strings()["en"]
    used: set[str] = set()
    for module in STATIC.glob("*.js"):
        used |= set(re.findall(r'\bt\([^,()]+, "([\w.]+)"', module.read_text(encoding="utf-8")))
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    used |= set(re.findall(r'data-i18n(?:-\w+)?="([\w.]+)"', html))
    assert len(used) > 50
    assert sorted(used - set(en)) == []
