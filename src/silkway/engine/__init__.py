"""The engine: a checked query in, ranked and explained options out.

``query`` checks inputs; ``pricing`` prices elements for the cargo; ``reach`` checks
reachability and computes lower bounds; ``search`` is the kernel (``_jit`` its compiled
twin for large networks); ``uncertainty`` replays routes by Monte Carlo; ``diversify``
picks options by corridor; ``assemble`` builds them leg by leg; ``planner`` runs the
pipeline. Imports nothing from the CLI or the API.
"""
