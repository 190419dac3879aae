"""The silkway error family.

Every error a user can cause derives from :class:`SilkwayError`, and also from the
builtin it resembles (``ValueError`` or ``LookupError``), so callers may catch either.
The command line turns each into a one-paragraph message and exit status 2; it never
prints a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SEVERITIES: tuple[str, ...] = ("error", "warning")
"""Problem severities: an ``error`` makes a network unusable, a ``warning`` does not."""


class SilkwayError(Exception):
    """Base class of all errors silkway raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a network folder.

    Attributes
    ----------
    file
        File name relative to the network folder, e.g. ``links.csv``.
    line
        1-based line number (the header is line 1), or ``None`` for whole-file problems.
    field
        Column name, or ``None``.
    message
        What is wrong and, where possible, what to do.
    code
        Stable machine-readable problem kind, e.g. ``unknown-id``.
    severity
        ``"error"`` (default): the network cannot be used until it is fixed; or
        ``"warning"``: worth knowing, but the network loads (for example a place an
        overlay leaves without links).

    Raises
    ------
    ValueError
        If ``severity`` is not one of :data:`SEVERITIES`.
    """

    file: str
    line: int | None
    field: str | None
    message: str
    code: str
    severity: str = "error"

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(
                f"problem severity must be one of {', '.join(SEVERITIES)}, not {self.severity!r}"
            )

    @classmethod
    def at(
        cls,
        origin: object,
        fallback: str,
        field: str | None,
        message: str,
        code: str,
        severity: str = "error",
    ) -> Problem:
        """A problem at a record's origin (its ``file`` and ``line``), or in the file
        ``fallback`` when the record has none (built in code, not read)."""
        if origin is None:
            return cls(fallback, None, field, message, code, severity)
        return cls(
            getattr(origin, "file", fallback),
            getattr(origin, "line", None),
            field,
            message,
            code,
            severity,
        )

    @property
    def is_error(self) -> bool:
        """Whether this problem is an error (as opposed to a warning)."""
        return self.severity == "error"

    def location(self) -> str:
        """Return ``file:line [field]`` for messages."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return where

    def __str__(self) -> str:
        if self.is_error:
            return f"{self.location()}: {self.message}"
        return f"{self.location()}: {self.severity}: {self.message}"


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that are errors, in order; warnings left out.

    Parameters
    ----------
    problems
        Problems as returned by :func:`silkway.validate_folder`.

    Returns
    -------
    list of Problem
        Those whose :attr:`Problem.severity` is ``"error"``. A network is valid, and
        ``silkway validate`` should exit 0, exactly when this list is empty.
    """
    return [p for p in problems if p.is_error]


class NetworkError(SilkwayError, ValueError):
    """A network folder cannot be read or is not valid.

    Carries every :class:`Problem` found, so a user fixes them all in one go.
    """

    def __init__(self, problems: Sequence[Problem], *, folder: str = "") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.folder = folder
        head = f"network {folder!s} has " if folder else "network has "
        n = len(self.problems)
        lines = [f"{head}{n} problem{'s' if n != 1 else ''}:"]
        lines += [f"  {p}" for p in self.problems[:50]]
        if n > 50:
            lines.append(f"  ... and {n - 50} more (run `silkway validate` for all)")
        super().__init__("\n".join(lines))


CLI_SEARCH_HINT = " (run `silkway places QUERY` to search)"
"""How an unknown-place message tells a command-line user to search."""


class UnknownPlaceError(SilkwayError, LookupError):
    """A place name or id matches no place; ``suggestions`` lists the closest ones."""

    def __init__(self, query: str, suggestions: Sequence[str]) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        msg = f"unknown place {query!r}"
        if self.suggestions:
            msg += "; closest matches: " + ", ".join(self.suggestions)
        msg += CLI_SEARCH_HINT
        super().__init__(msg)

    def __str__(self) -> str:  # LookupError would repr() the message otherwise
        return str(self.args[0])


class AmbiguousPlaceError(SilkwayError, LookupError):
    """A name matches several places; ``candidates`` lists them."""

    def __init__(self, query: str, candidates: Sequence[str]) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        super().__init__(
            f"place name {query!r} is ambiguous; it matches: {', '.join(self.candidates)}. "
            "Use the place id instead."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class QueryError(SilkwayError, ValueError):
    """A planning query is malformed: a bad date, cargo, mode or option."""


class NoRouteError(SilkwayError, ValueError):
    """No route satisfies the query; the message names the blocking constraint."""


class AssignmentError(SilkwayError, ValueError):
    """An assignment cannot run: a bad demand table, config or option; the message says
    which row, key or value, and why."""


class SchedulerError(SilkwayError):
    """A distributed run could not start: the Dask scheduler cannot be reached, or the
    local cluster failed to start (see :mod:`silkway.distributed`)."""
