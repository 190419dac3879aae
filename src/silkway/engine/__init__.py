"""The engine: time, uncertainty, cargo pricing, the search kernel and the planner.

Imports nothing from the CLI or the API.
"""
