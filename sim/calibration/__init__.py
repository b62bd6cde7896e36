"""Calibration: fits on named data that write ``sim/data/*.json`` with provenance.

:mod:`.fibre_pools` (the two-pool split on endurance times), :mod:`.running` (slow
fatigue, glycogen drains and the heavy domain on running data), :mod:`.lean` (the
forward-lean cost on fatigued runners' lean). Run-time modules only read the files
(``tests/test_architecture.py`` checks that none imports this package); the
``experiments/calibrate_*.py`` scripts run the fits.
"""
