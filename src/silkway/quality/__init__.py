"""How good the data is: provenance weighted by influence, and the relations it is measured on.

* :mod:`.relations`: the bundled long-haul relations, defined once (the benchmarks and
  ``silkway info`` use them);
* :mod:`.influence`: the share of planned hours and cost that comes from sourced,
  derived and estimated parameters over those relations.
"""
