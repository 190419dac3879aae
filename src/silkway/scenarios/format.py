"""Reading scenario files: YAML with line numbers, checked into :class:`Scenario`.

A scenario file is a YAML mapping::

    title: Border dwell halved           # one line
    rationale: >-                        # why, in a few sentences
      ...
    sources:                             # optional: sources.csv rows the patches cite
      - {id: unece_etir, kind: sourced, title: eTIR, publisher: UNECE, url: ...}
    patches:
      - scale: {kind: crossing, mode: rail}
        by: {median_hours: 0.5, p90_hours: 0.5}
        source: unece_etir

Everything that can be checked without a network is checked here (structure, keys,
selectors, field names, numbers); ids, matches and the patched network's validity are
checked when the scenario is applied (:mod:`.patching`). Every error is a
:class:`ScenarioError` naming the file, the line and the patch.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import Problem
from ..model.records import Origin, Source
from .errors import ScenarioError
from .fields import FIELDS, WHOLE_NUMBERS, column
from .select import Selector, SelectorError, parse_selector

ACTIONS: tuple[str, ...] = ("open", "close", "include", "add", "scale", "set")
"""What a patch does; each patch has exactly one of these keys."""
STATUS_KINDS: tuple[str, ...] = ("link", "place", "crossing", "service")
"""What ``open`` and ``close`` apply to."""
ADD_KINDS: dict[str, str] = {
    "place": "places.csv",
    "link": "links.csv",
    "crossing": "crossings.csv",
    "service": "services.csv",
    "transfer": "transfers.csv",
}
"""What ``add`` adds -> the CSV file whose columns its record has."""
NUMBER_KINDS: tuple[str, ...] = (
    "link",
    "crossing",
    "service",
    "transfer",
    "train_rule",
    "parameter",
)
"""What ``scale`` and ``set`` apply to."""
PATCH_KEYS: dict[str, frozenset[str]] = {
    "open": frozenset(),
    "close": frozenset(),
    "include": frozenset({"year"}),
    "add": frozenset({"record"}),
    "scale": frozenset({"by"}),
    "set": frozenset({"to"}),
}
"""Keys a patch of each action takes besides its action, ``source`` and ``reason``."""
TOP_KEYS: frozenset[str] = frozenset({"name", "title", "rationale", "sources", "patches"})
_NAME = re.compile(r"[A-Za-z0-9_\-]+")


class _Located(dict[Any, Any]):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int
    lines: dict[Any, int]


class _LocatedList(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    lines: list[int]


def _loader() -> type[Any]:
    """A safe YAML loader that builds :class:`_Located` mappings (made per call: no
    module-level state is changed)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: Loader, node: yaml.MappingNode) -> _Located:
        loader.flatten_mapping(node)
        out = _Located()
        out.line = node.start_mark.line + 1
        out.lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if isinstance(key, (list, dict)):
                raise ScenarioError("", line, "a key must be a name, not a list or mapping")
            if key in out:
                raise ScenarioError("", line, f"duplicate key {key!r}")
            out[key] = loader.construct_object(value_node, deep=True)
            out.lines[key] = line
        return out

    def sequence(loader: Loader, node: yaml.SequenceNode) -> _LocatedList:
        out = _LocatedList(loader.construct_object(n, deep=True) for n in node.value)
        out.lines = [n.start_mark.line + 1 for n in node.value]
        return out

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    return Loader


@dataclass(frozen=True, slots=True)
class Patch:
    """One change a scenario makes.

    Attributes
    ----------
    number
        Position in the file, from 1.
    action
        One of :data:`ACTIONS`.
    line
        Line of the patch in the file.
    selector
        What it changes (every action but ``add``).
    values
        ``scale``: field -> factor; ``set``: field -> new value.
    add_kind
        ``add``: the kind of record added.
    record
        ``add``: the record's cells as CSV text, column -> text.
    year
        ``include``: the year the scenario takes the planned link to open, or ``None``
        to keep the link's own ``open_year``.
    source, reason
        The source id the change relies on and/or why it is made (one at least).
    """

    number: int
    action: str
    line: int
    selector: Selector | None = None
    values: tuple[tuple[str, float], ...] = ()
    add_kind: str = ""
    record: tuple[tuple[str, str], ...] = ()
    year: int | None = None
    source: str = ""
    reason: str = ""

    @property
    def label(self) -> str:
        """``patch 3 (scale)``, for messages."""
        return f"patch {self.number} ({self.action})"

    def summary(self) -> str:
        """What the patch does, in one line (``scale median_hours x0.5 of {...}``)."""
        if self.action == "add":
            rec = dict(self.record)
            return f"add {self.add_kind} {rec.get('id', '?')}"
        what = f"{self.action} {self.selector}"
        if self.action == "scale":
            what += " by " + ", ".join(f"{k} x{v:g}" for k, v in self.values)
        elif self.action == "set":
            what += " to " + ", ".join(f"{k} = {v:g}" for k, v in self.values)
        elif self.action == "include" and self.year is not None:
            what += f" from {self.year}"
        return what


@dataclass(frozen=True, slots=True)
class Scenario:
    """A scenario file, read and checked.

    Attributes
    ----------
    name
        Its name (the file's ``name``, else the file name without ``.yaml``).
    file
        The file as named in messages (a bundled one as ``scenarios/NAME.yaml``).
    path
        The file's full path.
    title, rationale
        One line, and why: both shown by ``silkway scenario list`` and ``show``.
    sources
        The sources the file defines (added to the network's sources when applied).
    patches
        The patches, in order.
    digest
        SHA-256 of the file's bytes (part of the compiled-network cache key).
    """

    name: str
    file: str
    path: str
    title: str
    rationale: str
    sources: tuple[Source, ...]
    patches: tuple[Patch, ...]
    digest: str

    def error(self, line: int | None, reason: str, patch: Patch | None = None) -> ScenarioError:
        """A :class:`ScenarioError` at ``line`` of this file (in ``patch``)."""
        return ScenarioError(self.file, line, reason, patch=patch.label if patch else "")


def bundled_folder() -> Path:
    """The folder of the bundled scenarios."""
    return Path(__file__).resolve().parent.parent / "data" / "scenarios"


def bundled_scenarios() -> tuple[str, ...]:
    """Names of the bundled scenarios, ``baseline`` first, then alphabetically."""
    names = sorted(p.stem for p in bundled_folder().glob("*.yaml"))
    return tuple(sorted(names, key=lambda n: (n != "baseline", n)))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Read a bundled scenario by name, or a scenario file by path.

    Parameters
    ----------
    name_or_path
        A bundled name (``cku-open``; see :func:`bundled_scenarios`) or the path of a
        YAML file. A value that names an existing file, ends in ``.yaml``/``.yml`` or
        contains a path separator is a path.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        If the file cannot be read, is not valid YAML, or is not a valid scenario
        (the message names the file, the line and the patch).
    """
    text = str(name_or_path)
    as_path = Path(text)
    is_path = (
        isinstance(name_or_path, Path)
        or as_path.suffix in (".yaml", ".yml")
        or "/" in text
        or "\\" in text
        or as_path.is_file()
    )
    if is_path:
        path, shown = as_path, text
    else:
        path = bundled_folder() / f"{text}.yaml"
        shown = f"scenarios/{text}.yaml"
        if not path.is_file():
            import difflib

            names = bundled_scenarios()
            close = difflib.get_close_matches(text, names, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ScenarioError(
                text,
                None,
                f"no bundled scenario is called {text!r} and no such file exists; bundled: "
                f"{', '.join(names)}.{hint}",
            )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(shown, None, f"cannot be read: {exc.strerror}") from None
    return parse_scenario(data, file=shown, path=str(path.resolve()), default_name=path.stem)


def parse_scenario(data: bytes, *, file: str, path: str, default_name: str) -> Scenario:
    """Read a scenario from the bytes of a YAML file (see :func:`load_scenario`).

    Also the way to make a scenario in code, e.g. one per value of a sweep: write its
    YAML text and parse it, so it is checked exactly as a file is.

    Parameters
    ----------
    data
        The YAML text, UTF-8.
    file
        The name messages give the file.
    path
        Its full path (part of the compiled-network cache key; any unique text will do).
    default_name
        The scenario's name if the text gives none.

    Raises
    ------
    ScenarioError
        As :func:`load_scenario`.
    """
    import yaml

    try:
        doc = yaml.load(data.decode("utf-8-sig"), Loader=_loader())  # a SafeLoader subclass
    except UnicodeDecodeError:
        raise ScenarioError(file, None, "is not UTF-8 text") from None
    except ScenarioError as exc:  # a duplicate key, raised by the loader
        raise ScenarioError(file, exc.line, exc.reason) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = str(getattr(exc, "problem", None) or exc)
        raise ScenarioError(file, line, f"is not valid YAML: {reason}") from None
    if not isinstance(doc, _Located):
        raise ScenarioError(file, 1, "a scenario is a mapping with title, rationale, patches")
    for key in doc:
        if key not in TOP_KEYS:
            raise ScenarioError(
                file,
                doc.lines[key],
                f"unknown key {key!r}; a scenario has: {', '.join(sorted(TOP_KEYS))}",
            )
    name = _text(doc, "name", file) or default_name
    if not _NAME.fullmatch(name):
        raise ScenarioError(
            file,
            doc.lines.get("name", 1),
            f"scenario name {name!r} may hold letters, digits, '_' and '-' only "
            "(it is part of the ids of the sources the scenario makes); give 'name'",
        )
    sources = _sources(doc.get("sources"), file, doc.lines.get("sources", doc.line))
    raw_patches = doc.get("patches")
    if raw_patches is None:  # no patches: the network as it is
        raw_patches = _LocatedList()
        raw_patches.lines = []
    if not isinstance(raw_patches, _LocatedList):
        raise ScenarioError(file, doc.lines["patches"], "'patches' is a list of patches")
    patches = tuple(
        _patch(raw, number, line, file)
        for number, (raw, line) in enumerate(zip(raw_patches, raw_patches.lines, strict=True), 1)
    )
    return Scenario(
        name=name,
        file=file,
        path=path,
        title=_text(doc, "title", file),
        rationale=" ".join(_text(doc, "rationale", file).split()),
        sources=sources,
        patches=patches,
        digest=hashlib.sha256(data).hexdigest(),
    )


def _text(doc: _Located, key: str, file: str) -> str:
    value = doc.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ScenarioError(file, doc.lines[key], f"{key!r} is text, not {value!r}")
    return str(value).strip()


def cell(value: object) -> str:
    """A YAML value as the text of a CSV cell: lists joined by ``;``, booleans
    ``true``/``false``, a provenance mapping as ``field=source`` entries."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(cell(v) for v in value)
    if isinstance(value, Mapping):
        return " ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _cells(raw: _Located) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), cell(v)) for k, v in raw.items())


def _raise_problems(file: str, problems: list[Problem], patch: Patch | None = None) -> None:
    if problems:
        first = problems[0]
        raise ScenarioError(
            file,
            first.line,
            f"{first.field or 'record'}: {first.message}",
            patch=patch.label if patch else "",
            problems=problems[1:],
        )


def _sources(raw: object, file: str, line: int) -> tuple[Source, ...]:
    from ..model.loader import parse_records

    if raw is None:
        return ()
    if not isinstance(raw, _LocatedList) or not all(isinstance(r, _Located) for r in raw):
        raise ScenarioError(file, line, "'sources' is a list of source records (as sources.csv)")
    rows = [(Origin(file, r.line), dict(_cells(r))) for r in raw]
    built, problems = parse_records("sources.csv", rows)
    _raise_problems(file, _at_keys(problems, raw))
    return tuple(built.values())


def _at_keys(problems: list[Problem], records: list[_Located]) -> list[Problem]:
    """Problems moved from a record's first line to the line of the key at fault."""
    by_line = {r.line: r for r in records}
    out = []
    for p in problems:
        rec = by_line.get(p.line or -1)
        line = rec.lines.get(p.field, p.line) if rec is not None and p.field else p.line
        out.append(Problem(p.file, line, p.field, p.message, p.code, p.severity))
    return out


def _patch(raw: object, number: int, line: int, file: str) -> Patch:
    if not isinstance(raw, _Located):
        raise ScenarioError(
            file, line, f"patch {number} is not a mapping (e.g. close: {{kind: link, id: X}})"
        )
    actions = [k for k in raw if k in ACTIONS]
    if len(actions) != 1:
        raise ScenarioError(
            file,
            raw.line,
            f"patch {number} needs exactly one action key of: {', '.join(ACTIONS)}"
            + (f" (has {', '.join(map(str, actions))})" if actions else ""),
        )
    action = str(actions[0])
    head = Patch(number, action, raw.line)
    allowed = PATCH_KEYS[action] | {action, "source", "reason"}
    for key in raw:
        if key not in allowed:
            raise ScenarioError(
                file,
                raw.lines[key],
                f"unknown key {key!r} in a {action} patch; it takes: {', '.join(sorted(allowed))}",
                patch=head.label,
            )
    source = _plain(raw, "source", file, head)
    reason = _plain(raw, "reason", file, head)
    if not source and not reason:
        raise ScenarioError(
            file,
            raw.line,
            "every patch needs a 'source' (a source id) or a 'reason' (why the change is made)",
            patch=head.label,
        )
    kwargs: dict[str, Any] = {"source": source, "reason": reason}
    if action == "add":
        kwargs |= _add(raw, file, head)
    else:
        kinds = {
            "open": STATUS_KINDS,
            "close": STATUS_KINDS,
            "include": ("link",),
        }.get(action, NUMBER_KINDS)
        try:
            selector = parse_selector(raw[action], line=raw.lines[action], kinds=kinds)
        except SelectorError as exc:
            sel = raw[action]
            at = sel.lines.get(exc.key, sel.line) if isinstance(sel, _Located) else None
            raise ScenarioError(file, at or raw.lines[action], str(exc), patch=head.label) from None
        kwargs["selector"] = selector
        if action in ("scale", "set"):
            kwargs["values"] = _numbers(raw, action, selector.kind, file, head)
        if action == "include" and "year" in raw:
            kwargs["year"] = _year(raw, file, head)
    return Patch(number, action, raw.line, **kwargs)


def _plain(raw: _Located, key: str, file: str, head: Patch) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ScenarioError(
            file, raw.lines[key], f"{key!r} is text, not {value!r}", patch=head.label
        )
    return " ".join(value.split())


def _add(raw: _Located, file: str, head: Patch) -> dict[str, Any]:
    from ..model.loader import parse_records

    kind = raw["add"]
    if not isinstance(kind, str) or kind not in ADD_KINDS:
        raise ScenarioError(
            file,
            raw.lines["add"],
            f"'add' names what is added, one of: {', '.join(ADD_KINDS)} (got {kind!r})",
            patch=head.label,
        )
    record = raw.get("record")
    if not isinstance(record, _Located):
        raise ScenarioError(
            file,
            raw.lines.get("record", raw.line),
            f"an add patch needs 'record', a mapping of {ADD_KINDS[kind]} columns to values",
            patch=head.label,
        )
    cells = _cells(record)
    # parse once now, for the file's own mistakes (unknown columns, bad values); the
    # record is built again, with its provenance, when the scenario is applied
    _, problems = parse_records(ADD_KINDS[kind], [(Origin(file, record.line), dict(cells))])
    problems = [p for p in problems if p.code != "missing-provenance"]
    _raise_problems(file, _at_keys(problems, [record]), head)
    return {"add_kind": str(kind), "record": cells}


def _numbers(
    raw: _Located, action: str, kind: str, file: str, head: Patch
) -> tuple[tuple[str, float], ...]:
    from ..model.schema import out_of_range

    key = "by" if action == "scale" else "to"
    values = raw.get(key)
    if not isinstance(values, _Located) or not values:
        what = "field: factor" if action == "scale" else "field: value"
        raise ScenarioError(
            file,
            raw.line,
            f"a {action} patch needs '{key}', a mapping of {what} "
            f"(fields of a {kind}: {', '.join(FIELDS[kind])})",
            patch=head.label,
        )
    out: list[tuple[str, float]] = []
    for name, value in values.items():
        line = values.lines[name]
        if name not in FIELDS[kind] or (action == "scale" and name in WHOLE_NUMBERS):
            usable = [f for f in FIELDS[kind] if action == "set" or f not in WHOLE_NUMBERS]
            raise ScenarioError(
                file,
                line,
                f"unknown field {name!r} for a {kind}; a {action} patch can change: "
                f"{', '.join(usable)}",
                patch=head.label,
            )
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioError(file, line, f"{name}: {value!r} is not a number", patch=head.label)
        number = float(value)
        if not math.isfinite(number):
            raise ScenarioError(file, line, f"{name}: {value!r} is not finite", patch=head.label)
        col = column(kind, name)
        if action == "scale":
            from ..model import _fields

            positive = col.parse is _fields.parse_positive
            if number < 0 or (positive and number == 0):
                must = "greater than zero" if positive else "zero or more"
                raise ScenarioError(
                    file,
                    line,
                    f"{name}: factor {number:g} is not allowed; it must be {must}",
                    patch=head.label,
                )
        else:
            from ..model._fields import CellError

            text = str(int(number)) if name in WHOLE_NUMBERS and number.is_integer() else str(value)
            try:
                col.parse(text)
            except CellError as exc:
                raise ScenarioError(file, line, f"{name}: {exc}", patch=head.label) from None
            bad = out_of_range(col, number)
            if bad is not None:
                raise ScenarioError(file, line, bad, patch=head.label)
        out.append((str(name), number))
    return tuple(out)


def _year(raw: _Located, file: str, head: Patch) -> int:
    value = raw["year"]
    if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= 2200:
        raise ScenarioError(
            file,
            raw.lines["year"],
            f"'year' is a year such as 2030, not {value!r}",
            patch=head.label,
        )
    return value
