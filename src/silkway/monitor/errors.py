"""Errors of the monitoring subpackage: unreadable event logs, rate tables and stores.

Both derive from :class:`silkway._errors.SilkwayError` (and ``ValueError``), so the
command line reports them as one message with exit status 2.
"""

from __future__ import annotations

from .._errors import SilkwayError


class MonitorError(SilkwayError, ValueError):
    """An event log or a rate table cannot be read at all; the message names the file
    (and, where known, the line and field) and says why. Rows that can be read but are
    wrong are quarantined, not raised."""


class StoreError(MonitorError):
    """A store cannot be opened or does not answer: a bad URL, a DuckDB file that is
    locked or not a database, a PostgreSQL server that refuses the connection."""
