"""``silkway serve``: the REST API (FastAPI) and the web page it serves.

:func:`silkway.serve.app.create_app` builds the ASGI app; each module owns one part:
``limits`` (body size, compute bound, the compute pool), ``problems`` (RFC 9457
problem+json errors), ``middleware`` (request log, body bound, the last-resort 500),
``state`` (the per-worker network and its caches), ``models`` (pydantic schemas),
``geojson`` (the network and basemap as GeoJSON) and the ``routes_*`` modules (the
endpoints under ``/api/v1``). Importing this package imports nothing else: FastAPI is
loaded only when a server is built.
"""
