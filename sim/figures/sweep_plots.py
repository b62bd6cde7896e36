"""Figures of a parameter sweep: when does back loading spike, across scenarios?

Reads a sweep results directory (``results/<name>/``) and draws:

- :func:`onset_heatmap` -- spike onset [min] over two swept parameters (one panel per
  value of a third), "never" cells hatched grey, cells where the runner could not hold
  the pace outlined;
- :func:`onset_vs_parameter` -- spike onset [min] against one swept parameter, one line
  per value of another, one panel per value of a third; runs that never spiked sit in a
  "never" band above the end of the run, runs above the threshold from the start in a
  "start" band below 0 min, and no line joins a band to an onset;
- :func:`shear_heatmap` -- peak L5/S1 anterior shear [body weights], same layout;
- :func:`write_figures` -- all of the above that make sense for the sweep, written to
  ``figures/`` through :func:`sim.results.save_figure`.

Grid sweeps are drawn as heatmaps and lines; sampled sweeps (Latin hypercube, Sobol,
Saltelli) as scatter plots. Colours follow one rule: *hotter is worse* (an earlier spike,
more shear). Every figure states the question it answers and that this is an
educational model, not medical advice.

This module holds the figures themselves; their parts live in modules of their own (and
are re-exported here): :mod:`~sim.figures.heatmap_grid` and
:mod:`~sim.figures.heatmap_scatter` (the heatmaps' bodies, colour bars and notes),
:mod:`~sim.figures.onset_curves` (onset against one parameter),
:mod:`~sim.figures.sweep_panels` (colour maps, legends, panels) and
:mod:`~sim.figures.sweep_data` (reading ``summary.csv``, labels, levels).

Input layout (written by the sweep executor)::

    summary.csv   header, then one row per scenario: ``scenario`` (int), the swept keys
                  as dotted names, then the summary fields of :func:`sim.core.batch.summary_fields`;
                  NaN written ``nan`` (a NaN onset means "never spiked")
    sweep.json    {"kind": "grid" | "sample" | "sensitivity", "keys": [...]}
    config.toml   the resolved base configuration (``[run] duration_min`` labels "never")

Examples
--------
>>> import matplotlib; matplotlib.use("Agg")
>>> import json, tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> rows = ["scenario,scenario.hip_flexor_tightness_deg,run.speed_mps,spike_onset_s,"
...         "peak_shear_bw,infeasible_strides"]
>>> for i, (t, v) in enumerate([(t, v) for v in (3.0, 4.0) for t in (0.0, 20.0)]):
...     onset = "nan" if (t, v) == (0.0, 3.0) else str(6000 - 100 * t - 1000 * (v - 3))
...     rows.append(f"{i},{t},{v},{onset},{0.7 + 0.01 * t},0")
>>> _ = (d / "summary.csv").write_text("\\n".join(rows) + "\\n")
>>> _ = (d / "sweep.json").write_text(json.dumps(
...     {"kind": "grid", "keys": ["scenario.hip_flexor_tightness_deg", "run.speed_mps"]}))
>>> _ = (d / "config.toml").write_text("[run]\\nduration_min = 120.0\\n")
>>> [p.name for p in write_figures(d)]
['onset_heatmap.png', 'onset_vs_hip_flexor_tightness_deg.png', 'peak_shear_heatmap.png']
"""
from __future__ import annotations

from pathlib import Path

from .figure_style import PALETTE, finish_figure  # noqa: F401
from ..results import save_figure
# The sweep figures' data, parts, heatmap bodies and onset curves live in their own modules;
# their names are re-exported here, where they were before the split.
from .sweep_data import (_LABELS, _SUFFIX_UNITS, _SCHEMA_UNITS, _FIRST_FIELD, _ONSET_COLUMNS,
                         _NEVER_FACE, _NEVER_EDGE, _START_FACE, _START_MIN, _INFEASIBLE_TEXT,
                         _MISSING_FACE, _LINE_COLOURS, _MARKERS, _HEATMAP_ANNOTATE_MAX,
                         _FIGURE_COLUMNS, _HEATMAP_MAX_PANELS, _HEATMAP_PATCH_MAX, SweepDataError,
                         read_summary, _kept_columns, _is_full_grid, _name_unit, label,
                         _value_text, _fmt, _fmt_levels, _unit_suffix, _matches, _leaf,
                         _canon_array, _canon, _levels, _index_of, _check_data, _n_rows, _col,
                         _flag_col, _is_grid, _durations, _base_value, _fixed_rows, _onset_min,
                         _onset_definition, _start_note, _held_title, _held_text)  # noqa: F401
from .sweep_panels import (_onset_cmap, _shear_cmap, _onset_norm, _text_colour, _new_figure,
                           _legend_never, _legend_infeasible, _duration_text, _set_level_ticks,
                           _facet_rows, _others_vary, _marker_size, _sample_panels)  # noqa: F401
from .onset_curves import (onset_vs_parameter, _band_patch, _dodge, _with_breaks,
                           _onset_curves_grid, _has_segment, _onset_curves_sample,
                           _censored_trend)  # noqa: F401
from .heatmap_grid import _grid_cells, _heatmap, _bulk_marks  # noqa: F401
from .heatmap_scatter import (_onset_colorbar, _metric_label, _mark_threshold, _shear_note,
                              _heatmap_sample)  # noqa: F401

__all__ = [
    "SweepDataError",
    "read_summary",
    "label",
    "onset_heatmap",
    "onset_vs_parameter",
    "shear_heatmap",
    "write_figures",
]


def onset_heatmap(data, x_key, y_key, facet_key=None, *, column="spike_onset_s", fixed=None):
    """Spike onset [min] over two swept parameters: when does back loading spike?

    Grid sweeps: one cell per (x, y) pair, coloured by onset with *earlier = hotter*
    (dark red) on a fixed scale from 0 min to the end of the run; cells that never spiked are hatched light grey and labelled "never";
    cells where some strides were infeasible (``infeasible_strides > 0``: the runner
    could not keep the pace) get a black outline. With ``facet_key``, one panel per
    value of that key, on a shared colour scale. Sampled sweeps (``kind`` "sample" or
    "sensitivity"): a scatter of x against y coloured by onset, "never" points as open
    grey circles, infeasible ones ringed in black (a ``facet_key`` splits the points
    into terciles of that key).

    Parameters
    ----------
    data : dict
        From :func:`read_summary`.
    x_key, y_key : str
        Swept dotted keys on the horizontal and vertical axes.
    facet_key : str, optional
        Swept key with one panel per value.
    column : str
        Onset column [s]: ``"spike_onset_s"`` (the configured index, default),
        ``"onset_shear_bw_s"`` or ``"onset_superficial_load_s"``.
    fixed : dict, optional
        Grid sweeps: value of each other swept key to show (default: its base-config
        value if swept, else its middle value); named in the footnote.

    Returns
    -------
    matplotlib.figure.Figure
        Grid: each panel holds one :class:`~matplotlib.collections.QuadMesh` (gid
        ``"onset"``) whose array is the onset [min], masked where the run never spiked
        or was not run; rows are ``y`` levels, columns ``x`` levels (sorted).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> x, y = "scenario.hip_flexor_tightness_deg", "run.speed_mps"
    >>> data = {"keys": [x, y], "kind": "grid", "duration_min": 60.0,
    ...         x: np.array([0.0, 10.0, 0.0, 10.0]), y: np.array([3.0, 3.0, 4.0, 4.0]),
    ...         "spike_onset_s": np.array([np.nan, 3000.0, 2400.0, 1200.0]),
    ...         "infeasible_strides": np.array([0.0, 0.0, 0.0, 5.0])}
    >>> fig = onset_heatmap(data, x, y)
    >>> mesh = fig.axes[0].collections[0]
    >>> mesh.get_array()
    masked_array(
      data=[[--, 50.0],
            [40.0, 20.0]],
      mask=[[ True, False],
            [False, False]],
      fill_value=1e+20)
    >>> fig.axes[0].get_xlabel()
    'hip-flexor tightness [deg]'
    """
    return _heatmap(data, column, x_key, y_key, facet_key, fixed, onset=True)


def shear_heatmap(data, x_key, y_key, facet_key=None, *, column="peak_shear_bw", fixed=None):
    """Peak L5/S1 anterior shear [body weights] over two swept parameters.

    Same layout as :func:`onset_heatmap` (grid: cells with the value written in; sampled
    sweeps: scatter), coloured with *higher = hotter*; the shear spike threshold of the
    base configuration is marked on the colour bar. There is no "never" here: every run
    has a peak shear.

    Parameters
    ----------
    data : dict
        From :func:`read_summary`.
    x_key, y_key : str
        Swept dotted keys on the horizontal and vertical axes.
    facet_key : str, optional
        Swept key with one panel per value (shared colour scale).
    column : str
        Summary column to show (default ``"peak_shear_bw"``; e.g. ``"peak_shear_N"``,
        ``"peak_superficial_load"`` work too).
    fixed : dict, optional
        As in :func:`onset_heatmap`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> data = {"keys": ["a.x_deg", "a.y_mps"], "kind": "grid", "duration_min": 60.0,
    ...         "a.x_deg": np.array([0.0, 10.0, 0.0, 10.0]),
    ...         "a.y_mps": np.array([3.0, 3.0, 4.0, 4.0]),
    ...         "peak_shear_bw": np.array([0.7, 0.8, 0.75, 0.9])}
    >>> fig = shear_heatmap(data, "a.x_deg", "a.y_mps")
    >>> fig.axes[0].collections[0].get_array().tolist()
    [[0.7, 0.8], [0.75, 0.9]]
    """
    _check_data(data, column)
    return _heatmap(data, column, x_key, y_key, facet_key, fixed, onset=False)


def write_figures(directory) -> list:
    """Draw the sweep's figures into ``directory/figures`` and return their paths.

    Defaults: heatmaps of the first two swept keys (x, y), faceted by the third if there
    is one (grid: one panel per value, further keys held at their base value; sampled
    sweeps: one panel per tercile of the third key); onset against the first key,
    grouped by the second. A one-key sweep gets only the curve.
    Files (written atomically through :func:`sim.results.save_figure`):
    ``onset_heatmap.png``, ``onset_vs_<key>.png`` (``<key>``: the last part of the
    dotted key, e.g. ``onset_vs_hip_flexor_tightness_deg.png``) and
    ``peak_shear_heatmap.png``.

    Parameters
    ----------
    directory : str or pathlib.Path
        Sweep results directory (see :func:`read_summary`).

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    SweepDataError
        If the directory cannot be read, has no swept keys or no rows yet.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "summary.csv").write_text(
    ...     "scenario,run.speed_mps,spike_onset_s,peak_shear_bw,infeasible_strides\\n"
    ...     "0,3.0,nan,0.8,0\\n1,3.5,5400,0.9,0\\n2,4.0,3600,1.0,3\\n")
    >>> [p.name for p in write_figures(d)]
    ['onset_vs_speed_mps.png']
    """
    import matplotlib.pyplot as plt

    directory = Path(directory)
    data = read_summary(directory, columns=_FIGURE_COLUMNS)
    keys = data["keys"]
    if not keys:
        raise SweepDataError(f"{directory / 'summary.csv'}: no swept keys (sweep.json 'keys' "
                             "is empty and no columns precede the summary fields)")
    _check_data(data)
    out = directory / "figures"
    jobs = []
    facet = keys[2] if len(keys) >= 3 else None
    if len(keys) >= 2:
        jobs.append(("onset_heatmap.png", lambda: onset_heatmap(data, keys[0], keys[1], facet)))
    jobs.append((f"onset_vs_{_leaf(keys[0])}.png",
                 lambda: onset_vs_parameter(data, keys[0], keys[1] if len(keys) >= 2 else None,
                                            facet)))
    if len(keys) >= 2 and "peak_shear_bw" in data:
        jobs.append(("peak_shear_heatmap.png", lambda: shear_heatmap(data, keys[0], keys[1], facet)))
    paths = []
    for name, make in jobs:
        fig = make()
        try:
            paths.append(save_figure(fig, out / name))
        finally:
            plt.close(fig)
    return paths
