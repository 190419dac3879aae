"""Cheap coercion of command-line values, so a command does not import pydantic.

typer (0.29 and later) coerces each value of each parameter through a pydantic
``TypeAdapter`` that it builds when the command runs: importing pydantic and building
an adapter for each of the twenty-odd parameters of ``silkway plan`` took about 0.3 s,
more than loading the network and planning together.

The parameters of silkway's commands are plain: ``str``, ``int`` and ``float`` (with
``min``/``max``), an ``Enum`` choice, a ``Path``, and lists of these. :class:`FastCommand`
gives each such parameter a coercion that turns the ordinary, valid values into exactly
what typer's adapter returns (``tests/cli/test_fastparams.py`` checks that against typer
itself), and hands every other value — a malformed or out-of-range number, an unknown
choice, a path that cannot be read — to typer's own coercion, so every error message
stays typer's, word for word. A parameter of any other kind, or a typer whose internals
differ from what is expected here, simply keeps typer's coercion.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer.core import TyperCommand, TyperGroup

_MISS: Any = object()
"""Returned by a converter for a value it leaves to typer."""

Converter = Callable[[Any, Any], Any]
"""``(value, click context) -> coerced value``, or :data:`_MISS`."""

_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,17})?")


class FastCommand(TyperCommand):
    """A typer command whose plain parameters skip typer's pydantic coercion."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            install(param)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:  # made on first use
            install(option)
        return option


class FastGroup(TyperGroup):
    """The same for the top-level ``silkway`` group (its ``--version`` and ``--help``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            install(param)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            install(option)
        return option


class _Coercion:
    """Stands in for typer's runtime coercion of one parameter (``param.coerce``)."""

    __slots__ = ("convert", "multiple")

    def __init__(self, convert: Converter, multiple: bool) -> None:
        self.convert = convert
        self.multiple = multiple

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:  # as typer: nothing given
            return () if self.multiple else None
        if self.multiple:
            if isinstance(value, list | tuple):
                items = [self.convert(item, ctx) for item in value]
                if not any(item is _MISS for item in items):
                    return items
        else:
            out = self.convert(value, ctx)
            if out is not _MISS:
                return out
        # anything unusual: typer's own coercion (and its error messages)
        param._runtime_param = None
        return param.get_runtime_param().coerce(value, param=param, ctx=ctx)


def install(param: Any) -> bool:
    """Give ``param`` the cheap coercion if it is of a plain kind; whether it was."""
    descriptor = getattr(param, "type_descriptor", None)
    if (
        descriptor is None
        or getattr(param, "_runtime_param", _MISS) is not None
        or not callable(getattr(param, "get_runtime_param", None))
        or getattr(descriptor, "file_annotation", None) is not None
    ):
        return False
    info = descriptor.parameter_info
    if getattr(info, "parser", None) is not None:
        return False
    annotation = descriptor.annotation
    multiple = bool(param.multiple or param.nargs == -1)
    if get_origin(annotation) is list:
        if not multiple or len(get_args(annotation)) != 1:
            return False
        annotation = get_args(annotation)[0]
    elif multiple or param.nargs != 1:
        return False
    convert = converter(annotation, info)
    if convert is None:
        return False
    param._runtime_param = _Coercion(convert, multiple)
    return True


def converter(annotation: Any, info: Any) -> Converter | None:
    """The cheap converter for one value of type ``annotation``, or None for typer's."""
    if annotation is str:
        return _to_str
    if annotation is bool:
        return _to_bool
    if annotation is int or annotation is float:
        if getattr(info, "clamp", False):
            return None
        return _number(annotation, info.min, info.max)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation, info.case_sensitive)
    if annotation is Path:
        plain = (
            info.path_type is None
            and not info.exists
            and info.file_okay
            and info.dir_okay
            and not info.writable
            and not info.resolve_path
            and not info.allow_dash
        )
        return _to_path if plain else None
    return None


def _to_str(value: Any, ctx: Any) -> Any:
    return value if type(value) is str else _MISS


def _to_bool(value: Any, ctx: Any) -> Any:
    return value if type(value) is bool else _MISS


def _number(kind: type, low: float | None, high: float | None) -> Converter:
    pattern = _INT if kind is int else _FLOAT

    def convert(value: Any, ctx: Any) -> Any:
        if type(value) is str:
            if not pattern.fullmatch(value):
                return _MISS
            value = kind(value)
        elif type(value) is int:
            value = kind(value)
        elif type(value) is not kind:
            return _MISS
        if (low is not None and not value >= low) or (high is not None and not value <= high):
            return _MISS  # typer says what the range is
        return value

    return convert


def _choice(enum: type[Enum], case_sensitive: bool) -> Converter:
    by_value: dict[str, Enum] = {}
    for member in enum:
        by_value.setdefault(str(member.value), member)

    def convert(value: Any, ctx: Any) -> Any:
        if isinstance(value, enum):
            return value
        if (
            type(value) is str
            and case_sensitive
            and getattr(ctx, "token_normalize_func", None) is None
        ):
            return by_value.get(value, _MISS)
        return _MISS

    return convert


def _to_path(value: Any, ctx: Any) -> Any:
    if type(value) is not str or not value or "\0" in value:
        return _MISS
    path = Path(value)
    try:
        os.stat(path)
    except OSError:
        return path  # need not exist
    return path if os.access(path, os.R_OK) else _MISS  # typer says it is not readable
