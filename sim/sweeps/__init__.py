"""Sweeps: many scenarios from one config, run in chunks that survive interruption.

:mod:`.sweep_spec` turns a ``[sweep]`` table into a scenario list, :mod:`.sweep` runs
it (locally or with Dask) and writes ``summary.csv``, :mod:`.sweep_series` the optional
time series.
"""
