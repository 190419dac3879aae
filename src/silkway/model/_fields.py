"""Cell parsers for the network CSV files.

Each parser turns one cell's text into a typed value or raises ``_CellError`` with a
reason that names what was expected. The loader adds file, line and field.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import math
import re
import zoneinfo

from .countries import is_country, unknown_country_message
from .records import SELECTOR_KINDS, WEEKDAYS, AdvisoryDate, Selector

_ID_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")
_HHMM_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Unicode category Cc, which is exactly these 65 code points (a stable property)."""


class CellError(Exception):
    """A cell could not be parsed; the message says why."""

    def __init__(self, reason: str, *, code: str = "bad-value") -> None:
        super().__init__(reason)
        self.code = code


def parse_id(text: str) -> str:
    """An identifier: letters, digits, ``_``, ``-`` and ``.``."""
    if not _ID_RE.match(text):
        raise CellError(f"{text!r} is not a valid id (letters, digits, '_', '-', '.' only)")
    return text


def parse_float(text: str) -> float:
    """A finite decimal number."""
    try:
        value = float(text)
    except ValueError:
        raise CellError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise CellError(f"{text!r} is not a finite number")
    return value


def parse_nonneg(text: str) -> float:
    """A finite number >= 0."""
    value = parse_float(text)
    if value < 0:
        raise CellError(f"{text} is negative; it must be zero or more", code="negative")
    return value


def parse_positive(text: str) -> float:
    """A finite number > 0."""
    value = parse_float(text)
    if value <= 0:
        raise CellError(f"{text} must be greater than zero", code="non-positive")
    return value


def parse_int(text: str) -> int:
    """A whole number."""
    try:
        return int(text)
    except ValueError:
        raise CellError(f"{text!r} is not a whole number") from None


def parse_bool(text: str) -> bool:
    """``true``/``false`` (also yes/no, 1/0)."""
    low = text.strip().lower()
    if low in ("true", "yes", "1"):
        return True
    if low in ("false", "no", "0"):
        return False
    raise CellError(f"{text!r} is not true or false")


def parse_enum(
    text: str, allowed: tuple[str, ...], *, what: str, code: str = "unknown-value"
) -> str:
    """One of ``allowed``."""
    if text not in allowed:
        raise CellError(
            f"unknown {what} {text!r}; expected one of: {', '.join(allowed)}", code=code
        )
    return text


def parse_list(text: str) -> tuple[str, ...]:
    """A ``;``-separated list with blanks removed."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


def parse_enum_list(
    text: str, allowed: tuple[str, ...], *, what: str, code: str = "unknown-value"
) -> tuple[str, ...]:
    """A ``;``-separated list whose items are each one of ``allowed``."""
    items = parse_list(text)
    if not items:
        raise CellError(f"empty {what} list", code="missing-value")
    for item in items:
        parse_enum(item, allowed, what=what, code=code)
    return items


def parse_gauge(text: str, allowed: tuple[int, ...]) -> int:
    """A rail gauge in millimetres, one of ``allowed``."""
    value = parse_int(text)
    if value not in allowed:
        raise CellError(
            f"unknown gauge {text} mm; expected one of: {', '.join(map(str, allowed))}",
            code="unknown-gauge",
        )
    return value


def parse_hhmm(text: str) -> float:
    """``HH:MM`` as hours after midnight."""
    m = _HHMM_RE.match(text.strip())
    if not m:
        raise CellError(f"{text!r} is not a time HH:MM")
    hours, minutes = int(m.group(1)), int(m.group(2))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise CellError(f"{text!r} is not a time of day")
    return hours + minutes / 60.0


def parse_hours_range(text: str) -> tuple[float, float]:
    """``HH:MM-HH:MM`` opening hours (UTC); the end may be ``24:00``."""
    parts = text.split("-")
    if len(parts) != 2:
        raise CellError(f"{text!r} is not an opening-hours range HH:MM-HH:MM")
    start, end = parse_hhmm(parts[0]), parse_hhmm(parts[1])
    if end <= start:
        raise CellError(f"opening hours {text!r} end before they start")
    return (start, end)


def _weekday(text: str) -> int:
    name = text.strip()[:3].title()
    if name not in WEEKDAYS or len(text.strip()) < 3:
        raise CellError(f"{text!r} is not a weekday (Mon, Tue, ... Sun)")
    return WEEKDAYS.index(name)


def parse_days(text: str) -> tuple[int, ...]:
    """Opening days: ``Mon-Fri`` ranges or a ``;`` list; Monday is 0."""
    days: set[int] = set()
    for part in parse_list(text):
        if "-" in part:
            lo_text, hi_text = part.split("-", 1)
            lo, hi = _weekday(lo_text), _weekday(hi_text)
            if hi < lo:
                raise CellError(f"day range {part!r} runs backwards")
            days.update(range(lo, hi + 1))
        else:
            days.add(_weekday(part))
    if not days:
        raise CellError("no opening days given", code="missing-value")
    return tuple(sorted(days))


def parse_departures(text: str) -> tuple[float, ...]:
    """Weekly departures ``Mon 06:00;Thu 18:30`` as hours since Monday 00:00."""
    out: list[float] = []
    for part in parse_list(text):
        bits = part.split()
        if len(bits) != 2:
            raise CellError(f"departure {part!r} is not 'Day HH:MM'")
        hour = parse_hhmm(bits[1])
        if hour >= 24:
            raise CellError(f"departure time {bits[1]!r} must be before 24:00")
        out.append(_weekday(bits[0]) * 24.0 + hour)
    if not out:
        raise CellError("no departures given", code="missing-value")
    return tuple(sorted(out))


_DAY_RE = re.compile(r"^(?:(\d{4})-)?(\d{2})-(\d{2})$")


def parse_day(text: str) -> tuple[int, int, int]:
    """A closure day: ``YYYY-MM-DD`` (that date) or ``MM-DD`` (that day every year).

    Returns ``(year, month, day)`` with year ``0`` for a day of every year.
    """
    m = _DAY_RE.match(text.strip())
    if not m:
        raise CellError(f"{text!r} is not a date YYYY-MM-DD or a yearly day MM-DD")
    year = int(m.group(1)) if m.group(1) else 0
    month, day = int(m.group(2)), int(m.group(3))
    try:
        datetime.date(year or 2024, month, day)  # 2024: a leap year, so 02-29 is a day
    except ValueError:
        raise CellError(f"{text!r} is not a day of the calendar") from None
    if year and not 1970 <= year <= 2200:
        raise CellError(f"{text!r} is outside the years 1970-2200", code="out-of-range")
    return (year, month, day)


def parse_provenance(text: str) -> dict[str, str]:
    """``km=src1 lat+lon=src2 *=src3`` as a field -> source-id dict (``*`` kept).

    Several fields may share a source, joined by ``+`` (or ``,`` in a quoted cell).
    """
    out: dict[str, str] = {}
    for token in text.split():
        if "=" not in token:
            raise CellError(
                f"provenance entry {token!r} is not 'field=source_id'", code="bad-provenance"
            )
        fields, source = token.split("=", 1)
        if not source:
            raise CellError(f"provenance entry {token!r} names no source", code="bad-provenance")
        for name in fields.replace("+", ",").split(","):
            if name:
                out[name] = source
    return out


def parse_timezone(text: str) -> str:
    """An IANA time zone name such as ``Asia/Almaty``, known to :mod:`zoneinfo`.

    Every part of an IANA name starts with a capital letter; requiring that also keeps
    out files of a system's zone folder that are not portable zone names
    (``posixrules``, ``right/UTC``) and other spellings that only a case-insensitive
    file system finds (``asia/almaty``).
    """
    if all(part[:1].isascii() and part[:1].isupper() for part in text.split("/")):
        try:
            zoneinfo.ZoneInfo(text)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            pass
        else:
            return text
    zones = _time_zones()
    hint = ""
    folded = {z.casefold(): z for z in zones}
    close = [folded[text.casefold()]] if text.casefold() in folded else []
    close += difflib.get_close_matches(text, sorted(zones), n=3, cutoff=0.8)
    if close:
        hint = "; did you mean " + " or ".join(dict.fromkeys(close)) + "?"
    elif not zones:
        hint = " (no time zone database found: install the tzdata package)"
    raise CellError(
        f"unknown IANA time zone {text!r}{hint} (e.g. Asia/Almaty; leave empty for UTC)",
        code="unknown-timezone",
    )


@functools.cache
def _time_zones() -> frozenset[str]:
    """Every zone name the time zone database knows (read once, only for hints)."""
    return frozenset(zoneinfo.available_timezones())


def parse_country_list(text: str) -> tuple[str, ...]:
    """A ``;``-separated list of ISO 3166-1 alpha-2 codes, upper-cased, no repeats."""
    codes: list[str] = []
    for item in parse_list(text):
        code = item.upper()
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise CellError(f"{item!r} is not a two-letter ISO 3166-1 alpha-2 country code")
        if not is_country(code):
            raise CellError(unknown_country_message(item), code="unknown-country")
        if code in codes:
            raise CellError(f"country {code} is listed twice", code="inconsistent-value")
        codes.append(code)
    return tuple(codes)


def parse_country(text: str) -> str:
    """One ISO 3166-1 alpha-2 code, upper-cased."""
    codes = parse_country_list(text)
    if len(codes) != 1:
        raise CellError(f"{text!r} is not one two-letter country code")
    return codes[0]


def parse_line(text: str) -> tuple[tuple[float, float], ...]:
    """A line: ``;``-separated points ``lon lat`` (WGS84 degrees, longitude first)."""
    points: list[tuple[float, float]] = []
    for i, item in enumerate(text.split(";"), start=1):
        parts = item.split()
        if len(parts) != 2:
            raise CellError(
                f"point {i} {item.strip()!r} is not 'lon lat' (two numbers, longitude first)"
            )
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except ValueError:
            raise CellError(f"point {i} {item.strip()!r} is not two numbers") from None
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise CellError(f"point {i} {item.strip()!r} is not finite")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise CellError(
                f"point {i} {item.strip()!r} is off the globe: longitude must lie within "
                "-180..180 and latitude within -90..90 (longitude comes first)",
                code="coordinates-out-of-range",
            )
        points.append((lon, lat))
    if len(points) < 2:
        raise CellError("a line needs at least two points")
    return tuple(points)


def _country(item: str) -> str:
    code = item.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise CellError(f"{item!r} is not a two-letter ISO 3166-1 alpha-2 country code")
    if not is_country(code):
        raise CellError(unknown_country_message(item), code="unknown-country")
    return code


def parse_selectors(text: str) -> tuple[Selector, ...]:
    """A ``;``-separated list of ``kind:value`` selectors (see :class:`Selector`):
    ``country:RU``, ``place:PL_MAL``, ``link:R_BRE_MAL``, ``crossing:X_...`` or
    ``border:BY-PL``. Country codes are checked here, ids by the validator."""
    out: list[Selector] = []
    for item in parse_list(text):
        kind, sep, value = item.partition(":")
        kind, value = kind.strip(), value.strip()
        if not sep or not value:
            raise CellError(
                f"selector {item!r} is not 'kind:value'; kinds: {', '.join(SELECTOR_KINDS)}"
            )
        if kind not in SELECTOR_KINDS:
            raise CellError(
                f"unknown selector kind {kind!r}; expected one of: {', '.join(SELECTOR_KINDS)}",
                code="unknown-value",
            )
        if kind == "country":
            value = _country(value)
        elif kind == "border":
            pair = value.split("-")
            if len(pair) != 2:
                raise CellError(f"border {value!r} is not two country codes like 'BY-PL'")
            a, b = sorted(_country(c) for c in pair)
            if a == b:
                raise CellError(f"border {value!r} names one country twice")
            value = f"{a}-{b}"
        else:
            value = parse_id(value)
        sel = Selector(kind, value)
        if sel in out:
            raise CellError(f"selector {sel} is listed twice", code="inconsistent-value")
        out.append(sel)
    if not out:
        raise CellError("no selector given", code="missing-value")
    return tuple(out)


_DATE_RE = re.compile(r"^(?:(\d{4})|-)-(\d{2})-(\d{2})$")


def parse_advisory_date(text: str) -> AdvisoryDate:
    """A day ``YYYY-MM-DD``, or the same day every year ``--MM-DD`` (ISO 8601)."""
    m = _DATE_RE.match(text)
    if m is None:
        raise CellError(f"{text!r} is not a date YYYY-MM-DD or a yearly date --MM-DD")
    year = int(m.group(1)) if m.group(1) else None
    month, day = int(m.group(2)), int(m.group(3))
    try:  # 2000 is a leap year, so --02-29 is a valid yearly date
        datetime.date(year if year is not None else 2000, month, day)
    except ValueError:
        raise CellError(f"{text!r} is not a real date") from None
    if year is not None and not 1800 <= year <= 2200:
        raise CellError(f"year {year} is outside 1800 to 2200", code="out-of-range")
    return AdvisoryDate(year, month, day)


def control_characters(text: str) -> list[str]:
    """The control characters (Unicode category Cc) in ``text``, as ``U+0009`` names."""
    return [f"U+{ord(c):04X}" for c in _CONTROL_RE.findall(text)]
