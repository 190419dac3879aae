"""Corridor performance monitoring: shipment event logs, CAREC CPMM indicators, calibration.

Event logs (CSV, JSON Lines, Parquet) are validated and stored in an embedded DuckDB
file or a shared PostgreSQL database; the CPMM trade facilitation indicators (TFI1 to
TFI4) are computed in the store, in SQL; the observed dwell and wait distributions can
be fitted and fed back to the planner. :mod:`.schema` holds the event vocabulary and
the store's tables, the contract every other module here builds on.
"""
