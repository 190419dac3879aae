"""The cheap parameter coercion (``silkway.cli._fastparams``) against typer's own.

Every parameter of every command is coerced both ways on ordinary and odd values: the
results (or the error messages) must be the same, and the ordinary values must take
the cheap path. A fresh ``silkway plan`` on the bundled network must not import pydantic
(typer's coercion), numba, scipy or pandas.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import pytest
import typer
from _cli_util import script_env
from typer._coercion import build_runtime_param

from silkway.cli import _fastparams, _register, app


def _commands() -> dict[str, Any]:
    _register()
    group = typer.main.get_command(app)
    assert isinstance(group, _fastparams.FastGroup)
    return {"": group, **group.commands}  # type: ignore[attr-defined]


def _params() -> list[tuple[str, Any, Any]]:
    out = []
    for name, cmd in _commands().items():
        ctx = cmd.context_class(cmd, info_name=name or "silkway")
        help_option = cmd.get_help_option(ctx)
        for param in [*cmd.params, help_option]:
            out.append((name, cmd, param))
    return out


PARAMS = _params()


def _ids() -> list[str]:
    return [f"{name or 'silkway'}:{param.name}" for name, _, param in PARAMS]


def _samples(annotation: Any, tmp_path: Path) -> tuple[list[Any], list[Any]]:
    """(values the cheap path must take, other values) for one item of ``annotation``."""
    odd: list[Any] = [object(), b"bytes"]
    if annotation is str:
        return ["Xi'an", "Алматы", "", "a\udcff", " spaced "], [*odd, 5, Path("x")]
    if annotation is bool:
        return [True, False], [*odd, "true", "", 1]
    if annotation is int:
        return ["0", "1", "5", "20", "1000", "-1", 7], [
            *odd,
            "05",
            "+5",
            " 5",
            "5.0",
            "1_000",
            "abc",
            "١٢",
            "9" * 40,
            True,
            2.0,
            "21",
            "100001",
            "0",
        ]
    if annotation is float:
        return ["0", "10", "2.5", "0.001", 3, 2.5], [
            *odd,
            "-1",
            "1e3",
            "nan",
            "inf",
            " 2",
            ".5",
            "5.",
            "-0.5",
            True,
            float("nan"),
            -1.0,
        ]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        members = list(annotation)
        return [*members, *(str(m.value) for m in members)], [
            *odd,
            "nope",
            str(members[0].value).upper(),
        ]
    if annotation is Path:
        existing = tmp_path / "exists.txt"
        existing.write_text("x")
        return [
            "out.txt",
            str(existing),
            str(tmp_path),
            "/no/such/folder/x",
        ], [*odd, "", "-", "a\0b", existing]
    raise AssertionError(f"no samples for {annotation!r}")


def _outcome(param: Any, runtime: Any, value: Any, ctx: Any) -> tuple[str, Any]:
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the message is what the user sees
        return "error", (type(exc).__name__, str(exc))
    return "value", (type(result), result)


@pytest.mark.parametrize(("name", "cmd", "param"), PARAMS, ids=_ids())
def test_cheap_coercion_matches_typer(name: str, cmd: Any, param: Any, tmp_path: Path) -> None:
    fast = param._runtime_param
    assert isinstance(fast, _fastparams._Coercion), "every silkway parameter is plain"
    real = build_runtime_param(param.type_descriptor)
    ctx = cmd.context_class(cmd, info_name=name or "silkway")
    annotation = param.type_descriptor.annotation
    multiple = get_origin(annotation) is list
    item = get_args(annotation)[0] if multiple else annotation
    cheap, other = _samples(item, tmp_path)
    if item is int or item is float:  # out of range: typer's message
        info = param.type_descriptor.parameter_info
        low, high = info.min, info.max
        inside = [
            v
            for v in cheap
            if (low is None or float(v) >= low) and (high is None or float(v) <= high)
        ]
        other += [v for v in cheap if v not in inside]
        cheap = inside
    values: list[Any] = [None]
    if multiple:
        values += [(), (cheap[0],), tuple(cheap), ["x"] if item is str else list(cheap[:1])]
        values += [cheap[0], (cheap[0], other[0]), *[(o,) for o in other]]
    else:
        values += cheap + other
    for value in values:
        param._runtime_param = fast
        got = _outcome(param, fast, value, ctx)
        assert got == _outcome(param, real, value, ctx), f"{param.name}={value!r}"
        took_cheap = param._runtime_param is fast
        ordinary = (
            value is None
            or value in ((), [])
            or (multiple and value == tuple(cheap))
            or (not multiple and any(value is c for c in cheap))
        )
        assert took_cheap or not ordinary, f"{param.name}={value!r} left to typer"
    param._runtime_param = fast


class Custom:
    """A type typer coerces with a parser."""


def _other_kinds(
    when: Annotated[datetime | None, typer.Option()] = None,
    custom: Annotated[Custom | None, typer.Option(parser=lambda s: Custom())] = None,
    parsed: Annotated[str, typer.Option(parser=str.upper)] = "x",
    ranged: Annotated[int, typer.Option(min=1, max=5, clamp=True)] = 3,
    pair: Annotated[tuple[int, str] | None, typer.Option()] = None,
    existing: Annotated[Path | None, typer.Option(exists=True)] = None,
) -> None:
    """A command whose parameters the cheap path must leave to typer."""


def test_plain_kinds_only() -> None:
    """A parameter of another kind keeps typer's coercion."""
    command = _other_kinds

    local = typer.Typer(cls=_fastparams.FastGroup)
    local.command("x", cls=_fastparams.FastCommand)(command)
    local.command("y", cls=_fastparams.FastCommand)(command)
    group = typer.main.get_command(local)
    params = group.commands["x"].params  # type: ignore[attr-defined]
    assert len(params) == 6
    for param in params:
        assert param._runtime_param is None, param.name


def test_plan_imports_neither_pydantic_nor_numba() -> None:
    """A plan on the bundled network as a fresh process: no pydantic (typer's coercion),
    no numba (compiled search: from 500 places), no scipy, no pandas."""
    code = (
        "import sys, json\n"
        "from silkway.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pydantic', 'pydantic_core', 'numba', 'scipy', 'pandas'})\n"
        "print(json.dumps({'code': code, 'heavy': heavy}), file=sys.stderr)\n"
    )
    args = ["plan", "Xi'an", "Istanbul", "--avoid-country", "RU", "--depart", "2026-12-07"]
    proc = subprocess.run(
        [sys.executable, "-c", code, *args, "--cargo", "2xFEU", "-o", "/dev/null"],
        capture_output=True,
        text=True,
        env=script_env(),
        timeout=120,
        check=False,
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "heavy": []}, proc.stderr
