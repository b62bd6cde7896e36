"""Figures of a run (matplotlib only; each function takes a result and returns a Figure).

One style for every figure: the Okabe-Ito colour-blind-safe palette, units on every
axis, a bold title that says what the figure shows, the run it comes from, and a
footnote that this is an educational model, not medical advice.

- :func:`load_curves` -- the fatigue cascade over a run: back-muscle load, muscle
  capacity, L5/S1 shear with its spike threshold, compensations;
- :func:`pool_depletion` -- slow- vs fast-twitch fibre pools: available capacity and
  energy store over the run, one panel per muscle;
- :func:`stride_forces` -- muscle forces within one stride, early vs late in the run
  (the redistribution made visible);
- :func:`compensation_angles` -- trunk lateral lean and extra anterior pelvic tilt over
  the run, and the lean within a stride early vs late;
- :func:`compare_runs` -- two or more runs on one figure.

Run time on the x axis is the time since the start of the run [min]. Muscle states
(capacity, energy) are drawn at the start of each checkpoint; per-stride loads at its
middle. Paired lumbar and abdominal muscles are the right-side muscle; the stride
starts at right heel strike.

The code lives in modules by concept; this module re-exports their names (public and
private), so ``sim.figures.plots`` (and ``sim.plots``) keep working:
:mod:`~sim.figures.figure_style` (palette, labels, :func:`finish_figure`),
:mod:`~sim.figures.run_axes` (time and distance axes, shading, onset marks),
:mod:`~sim.figures.run_cascade` (load curves, compensation angles),
:mod:`~sim.figures.run_muscles` (fibre pools, stride forces) and
:mod:`~sim.figures.run_compare` (several runs).

Examples
--------
>>> import matplotlib; matplotlib.use("Agg")
>>> import sim
>>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
>>> fig = load_curves(res)
>>> len(fig.axes)          # four panels and the pace strip
5
>>> [len(f.axes) for f in (pool_depletion(res), stride_forces(res), compensation_angles(res))]
[6, 6, 3]
"""
from __future__ import annotations

from .figure_style import (PALETTE, DISCLAIMER, MUSCLE_LABELS, _label, _figure, finish_figure,
                           _wrap_to_width)  # noqa: F401
from .run_axes import (_ST, _FT, _EARLY, _LATE, _RUN_COLOURS, _RUN_STYLES, _STANCE_FACE,
                       _REST_TEXT, _minutes, _end_min, time_to_distance, distance_axis, _states,
                       _caption, _shade_rest, _mark_onset, _stance_fraction, _early_late, _when,
                       _shade_stance)  # noqa: F401
from .run_cascade import load_curves, compensation_angles  # noqa: F401
from .run_muscles import (_POOL_TEXT, _POOL_MUSCLES, _STRIDE_MUSCLES, pool_depletion, _indices,
                          stride_forces)  # noqa: F401
from .run_compare import compare_runs  # noqa: F401

__all__ = ["PALETTE", "DISCLAIMER", "MUSCLE_LABELS", "time_to_distance", "distance_axis",
           "load_curves", "pool_depletion",
           "stride_forces", "compensation_angles", "compare_runs"]
