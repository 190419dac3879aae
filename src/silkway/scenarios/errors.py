"""The error a scenario file or a scenario's patch raises: :class:`ScenarioError`."""

from __future__ import annotations

from collections.abc import Sequence

from .._errors import Problem, SilkwayError


class ScenarioError(SilkwayError, ValueError):
    """A scenario file cannot be read, or one of its patches cannot be applied.

    The message names the scenario file, the line, the patch (its number and action)
    and the reason: an unknown selector key, a selector that matches nothing, a bad
    value, an unknown id, or the validation problems of the network the patch left.

    Attributes
    ----------
    file
        The scenario file, as shown to the user.
    line
        1-based line in it, or ``None`` for whole-file problems.
    patch
        ``"patch 3 (scale)"``, or ``""`` for problems outside the patches.
    reason
        What is wrong.
    problems
        The network's validation problems, when a patch breaks the network.
    """

    def __init__(
        self,
        file: str,
        line: int | None,
        reason: str,
        *,
        patch: str = "",
        problems: Sequence[Problem] = (),
    ) -> None:
        self.file = file
        self.line = line
        self.patch = patch
        self.reason = reason
        self.problems: tuple[Problem, ...] = tuple(problems)
        where = file if line is None else f"{file}:{line}"
        head = f"scenario {where}: " + (f"{patch}: " if patch else "")
        lines = [head + reason]
        lines += [f"  {p}" for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"  ... and {len(self.problems) - 20} more")
        super().__init__("\n".join(lines))
