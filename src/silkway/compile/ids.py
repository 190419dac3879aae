"""The one mapping between string ids and array indexes.

Nothing else in silkway turns an id into an array index or back: every compiled table
carries an :class:`IdIndex`, and code that needs a position asks it.
"""

from __future__ import annotations

from collections.abc import Iterable


class IdIndex:
    """A fixed, ordered mapping between string ids and array indexes.

    Parameters
    ----------
    ids
        Ids in index order; must be unique.
    """

    __slots__ = ("_ids", "_index")

    def __init__(self, ids: Iterable[str]) -> None:
        self._ids: tuple[str, ...] = tuple(ids)
        self._index: dict[str, int] = {k: i for i, k in enumerate(self._ids)}
        if len(self._index) != len(self._ids):
            raise ValueError("ids must be unique")

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def index(self, key: str) -> int:
        """Array index of ``key`` (raises ``KeyError`` if unknown)."""
        return self._index[key]

    def id(self, index: int) -> str:
        """Id at array index ``index``."""
        return self._ids[index]

    @property
    def ids(self) -> tuple[str, ...]:
        """All ids in index order."""
        return self._ids
