"""The engine: one run and many.

A configuration becomes plain arrays (:mod:`.scenario`); the time loop runs them
(:mod:`.engine`, through :mod:`.run_loop`); one run becomes a
:class:`~.simulation.RunResult` (:mod:`.simulation`), many runs summary rows
(:mod:`.batch`). :mod:`.reference` is the same model in plain NumPy/SciPy;
:mod:`.warmup` compiles the kernels once per process; :mod:`.ranges` holds every
reported quantity to its physical range.
"""
