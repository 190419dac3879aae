"""The error a bad demand table raises: every problem of the file at once."""

from __future__ import annotations

from collections.abc import Sequence

from .._errors import Problem, SilkwayError


class DemandError(SilkwayError, ValueError):
    """A demand table (a user's file or the bundled trade table) cannot be used.

    Parameters
    ----------
    problems
        Every problem found, each naming the file, the row (its CSV line number; for
        Parquet the data row number plus one, so that the first data row is 2 in both)
        and the reason.
    file
        The file the table was read from.

    Attributes
    ----------
    problems : tuple of Problem
        As given.
    file : str
        As given.
    """

    def __init__(self, problems: Sequence[Problem], *, file: str) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.file = file
        n = len(self.problems)
        lines = [f"demand table {file} has {n} problem{'s' if n != 1 else ''}:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))
