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

import math
from pathlib import Path

import numpy as np

from .plots import PALETTE, finish_figure
from ..results import save_figure
# The sweep figures' data, parts and onset curves live in their own modules; their names
# are re-exported here, where they were before the split.
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

__all__ = [
    "SweepDataError",
    "read_summary",
    "label",
    "onset_heatmap",
    "onset_vs_parameter",
    "shear_heatmap",
    "write_figures",
]


def _grid_cells(data, value, worse, x_key, y_key, facet_key, rows):
    """Cell values (facet, y, x) from the selected rows.

    Several runs in one cell are reduced to the worst (``worse="low"``: smallest, NaN
    counted as +inf, i.e. the earliest onset; ``"high"``: largest). Returns levels,
    values, a 'filled' mask, an 'infeasible' mask and the largest number of runs per cell.
    """
    xs, ys = _levels(data[x_key][rows]), _levels(data[y_key][rows])
    fs = _levels(data[facet_key][rows]) if facet_key else [None]
    xi, yi = _index_of(data[x_key][rows], xs), _index_of(data[y_key][rows], ys)
    fi = _index_of(data[facet_key][rows], fs) if facet_key else np.zeros(xi.size, np.int64)
    ok = (xi >= 0) & (yi >= 0) & (fi >= 0)
    shape = (len(fs), len(ys), len(xs))
    flat = np.ravel_multi_index((fi[ok], yi[ok], xi[ok]), shape)
    v = np.asarray(value, dtype=float)[rows][ok]
    count = np.zeros(math.prod(shape), np.int64)
    np.add.at(count, flat, 1)
    if worse == "low":
        acc = np.full(count.size, np.inf)
        np.minimum.at(acc, flat, np.where(np.isnan(v), np.inf, v))
        acc[acc == np.inf] = np.nan
    else:
        acc = np.full(count.size, -np.inf)
        np.maximum.at(acc, flat, np.where(np.isnan(v), -np.inf, v))
        acc[acc == -np.inf] = np.nan
    infeasible = np.zeros(count.size, bool)
    np.logical_or.at(infeasible, flat, _col(data, "infeasible_strides", 0.0)[rows][ok] > 0)
    censored = np.zeros(count.size, bool)
    np.logical_or.at(censored, flat, _flag_col(data, "spike_censored")[rows][ok])
    return (xs, ys, fs, acc.reshape(shape), (count > 0).reshape(shape),
            infeasible.reshape(shape), int(count.max(initial=0)), censored.reshape(shape))


def _heatmap(data, column, x_key, y_key, facet_key, fixed, *, onset):
    """Shared body of the onset and shear heatmaps (grid: cells; sample: scatter)."""
    _check_data(data, x_key, y_key, facet_key, column if not onset else None)
    if len({x_key, y_key, facet_key} - {None}) < (3 if facet_key else 2):
        raise ValueError("x_key, y_key and facet_key must be different keys")
    if not _is_grid(data):
        return _heatmap_sample(data, column, x_key, y_key, facet_key, onset=onset)

    from matplotlib.patches import Rectangle

    rows, held = _fixed_rows(data, {x_key, y_key, facet_key}, fixed)
    if onset:
        values = _onset_min(data, column)
        cmap, worse = _onset_cmap(), "low"
    else:
        values = _col(data, column)
        cmap, worse = _shear_cmap(), "high"
    rows, facet_note = _facet_rows(data, facet_key, rows)
    xs, ys, fs, Z, filled, infeasible, per_cell, censored = _grid_cells(
        data, values, worse, x_key, y_key, facet_key, rows)
    never = filled & np.isnan(Z) if onset else np.zeros_like(filled)
    missing = ~filled | (np.isnan(Z) & ~never)
    if onset:
        norm = _onset_norm(Z, _durations(data)[rows])
    else:
        from matplotlib.colors import Normalize

        finite = Z[np.isfinite(Z)]
        thr = data.get("config", {}).get("spike", {}).get("shear_threshold_bw")
        pts = np.append(finite, thr) if thr is not None and column == "peak_shear_bw" else finite
        lo, hi = (float(pts.min()), float(pts.max())) if pts.size else (0.0, 1.0)
        norm = Normalize(lo, hi if hi > lo else lo + 1e-3)

    # legend texts, also set on the drawn cells they describe
    never_text = _legend_never(_duration_text(data),
                               exhausted=bool((never & censored).any())).get_label()
    missing_text = "not run (no result)"
    fig, axes = _new_figure(len(fs))
    annotate = len(xs) <= _HEATMAP_ANNOTATE_MAX and len(ys) <= _HEATMAP_ANNOTATE_MAX
    per_cell_marks = len(xs) * len(ys) <= _HEATMAP_PATCH_MAX
    mesh = None
    xe, ye = np.arange(len(xs) + 1) - 0.5, np.arange(len(ys) + 1) - 0.5
    for f, ax in enumerate(axes):
        z = np.ma.masked_array(Z[f], mask=never[f] | missing[f])
        mesh = ax.pcolormesh(xe, ye, z, cmap=cmap, norm=norm, shading="flat",
                             edgecolors="white" if per_cell_marks else "face",
                             linewidth=0.6 if per_cell_marks else 0.0)
        mesh.set_gid("onset" if onset else column)
        ax.set_facecolor(_MISSING_FACE)
        if not per_cell_marks:
            # large panels: "never" as one flat layer, infeasible cells as small squares
            _bulk_marks(ax, xe, ye, never[f], infeasible[f] & filled[f], missing[f],
                        (never_text, _INFEASIBLE_TEXT, missing_text))
            ys_loop = ()
        else:
            ys_loop = range(len(ys))
        for j in ys_loop:
            for i in range(len(xs)):
                if never[f, j, i]:
                    ax.add_patch(Rectangle((i - 0.5, j - 0.5), 1, 1, facecolor=_NEVER_FACE,
                                           edgecolor=_NEVER_EDGE, hatch="///", linewidth=0,
                                           gid="never", label=never_text))
                    if annotate:
                        # a run that ended in exhaustion first: not reached, not "never"
                        word = "exh." if censored[f, j, i] else "never"
                        ax.text(i, j, word, ha="center", va="center", fontsize=8,
                                color="0.25", gid="exhausted" if censored[f, j, i] else "never",
                                fontstyle="italic",
                                bbox=dict(boxstyle="round,pad=0.15", fc=_NEVER_FACE, ec="none"))
                elif missing[f, j, i]:
                    ax.add_patch(Rectangle((i - 0.5, j - 0.5), 1, 1, facecolor=_MISSING_FACE,
                                           edgecolor="none", gid="missing", label=missing_text))
                    if annotate:
                        ax.text(i, j, "not run", ha="center", va="center", fontsize=7,
                                color="0.5", gid="missing")
                elif annotate:
                    txt = (("start" if Z[f, j, i] < _START_MIN else f"{Z[f, j, i]:.0f}") if onset
                           else f"{Z[f, j, i]:.2f}")
                    ax.text(i, j, txt, ha="center", va="center", fontsize=8,
                            color=_text_colour(cmap(norm(Z[f, j, i]))), gid="value")
                if infeasible[f, j, i] and filled[f, j, i]:
                    ax.add_patch(Rectangle((i - 0.42, j - 0.42), 0.84, 0.84, fill=False,
                                           edgecolor="black", linewidth=2.0, gid="infeasible",
                                           label=_INFEASIBLE_TEXT))
        ax.set_xlim(-0.5, len(xs) - 0.5)
        ax.set_ylim(-0.5, len(ys) - 0.5)
        _set_level_ticks(ax.xaxis, xs)
        _set_level_ticks(ax.yaxis, ys)
        ax.tick_params(labelbottom=True, labelleft=True, labelsize=9)
        ax.set_xlabel(label(x_key), fontsize=10)
        ax.set_ylabel(label(y_key), fontsize=10)
        if facet_key:
            ax.set_title(_value_text(facet_key, fs[f], _fmt_levels(fs)[f]), fontsize=11)
        elif held:
            ax.set_title(_held_title(data, held), fontsize=10)
    cbar = fig.colorbar(mesh, ax=axes, shrink=0.9, pad=0.02)
    handles = []
    if onset:
        _onset_colorbar(cbar, data)
        if never.any():
            handles.append(_legend_never(_duration_text(data),
                                         exhausted=bool((never & censored).any())))
    else:
        cbar.set_label(_metric_label(column), fontsize=10)
        _mark_threshold(cbar, data, column)
    if infeasible[filled].any():
        handles.append(_legend_infeasible("cell"))
    if missing.any():
        from matplotlib.patches import Patch

        handles.append(Patch(facecolor=_MISSING_FACE, edgecolor="0.6", label=missing_text))
    notes = [_onset_definition(data, column) if onset else _shear_note(data),
             _start_note(Z) if onset else "", _held_text(data, held), facet_note]
    if per_cell > 1:
        notes.append(f"Cells holding several runs show the {'earliest onset' if onset else 'highest value'}.")
    title = ("When does back loading spike?" if onset
             else "How much does the lower back get sheared?")
    return finish_figure(fig, title, notes=notes, handles=handles)


def _bulk_marks(ax, xe, ye, never, infeasible, missing, texts):
    """'Never' and 'not run' cells as flat layers, infeasible cells as small open squares
    (``texts``: their legend labels, in that order)."""
    from matplotlib.colors import ListedColormap

    for cells, face, gid, text in ((never, _NEVER_FACE, "never", texts[0]),
                                   (missing, _MISSING_FACE, "missing", texts[2])):
        if cells.any():
            layer = np.ma.masked_array(np.ones(cells.shape), mask=~cells)
            ax.pcolormesh(xe, ye, layer, cmap=ListedColormap([face]), shading="flat", gid=gid,
                          label=text)
    if infeasible.any():
        jj, ii = np.nonzero(infeasible)
        ax.scatter(ii, jj, s=6, marker="s", facecolors="none", edgecolors="black",
                   linewidths=0.6, gid="infeasible", label=texts[1])


def _onset_colorbar(cbar, data):
    """Label the onset colour bar; its top is the end of the run.

    Tick labels are plain numbers (a long tick label would push the bar's label away from
    the bar); the label says that the top is the end of the run.
    """
    lo, hi = cbar.norm.vmin, cbar.norm.vmax
    end = np.nanmax(_durations(data)) == hi
    cbar.set_label("spike onset [min into the run]" + ("\n(top: end of the run)" if end else ""),
                   fontsize=10)
    ticks = [t for t in cbar.get_ticks() if lo <= t <= hi - 0.08 * (hi - lo)] + [hi]
    cbar.set_ticks(ticks, labels=[f"{t:g}" for t in ticks])
    cbar.ax.tick_params(labelsize=9)
    cbar.ax.text(0.5, -0.02, "earlier\n(worse)", transform=cbar.ax.transAxes,
                 ha="center", va="top", fontsize=8, color=PALETTE["vermillion"])


def _metric_label(column):
    return {"peak_shear_bw": "peak L5/S1 anterior shear [body weights]",
            "peak_shear_N": "peak L5/S1 anterior shear [N]",
            "peak_compression_N": "peak L5/S1 compression [N]",
            "peak_superficial_load": "peak superficial lumbar load [× fresh capacity]",
            "peak_trunk_lean_deg": "peak trunk lateral lean [deg]",
            "peak_pelvic_tilt_deg": "peak extra anterior pelvic tilt [deg]",
            "peak_trunk_flexion_deg": "peak forward trunk lean [deg]"}.get(column, column)


def _mark_threshold(cbar, data, column):
    """A black line and a labelled tick for the shear spike threshold on the colour bar.

    The ticks go on the bar's left (between the panels and the bar) and its label on the
    right, so the long threshold tick label does not push the label away from the bar.
    """
    thr = data.get("config", {}).get("spike", {}).get("shear_threshold_bw")
    if column != "peak_shear_bw" or thr is None:
        return
    lo, hi = cbar.norm.vmin, cbar.norm.vmax
    if lo <= thr <= hi:
        cbar.ax.axhline(thr, color="black", lw=2.5)
        ticks = [t for t in cbar.get_ticks() if lo <= t <= hi and abs(t - thr) > 0.07 * (hi - lo)]
        ticks = sorted(ticks + [thr])
        texts = _fmt_levels(ticks)
        cbar.set_ticks(ticks, labels=[txt if t != thr else f"spike threshold {txt}"
                                      for t, txt in zip(ticks, texts)])
        cbar.ax.yaxis.set_ticks_position("left")
        cbar.ax.yaxis.set_label_position("right")
        cbar.ax.tick_params(labelsize=9)


def _shear_note(data):
    thr = data.get("config", {}).get("spike", {}).get("shear_threshold_bw")
    base = "Highest L5/S1 anterior shear of any stride in the run, in multiples of body weight."
    return base + (f" The spike threshold ({thr:g} body weights) is marked on the colour bar."
                   if thr is not None else "")


def _heatmap_sample(data, column, x_key, y_key, facet_key, *, onset):
    """Scatter version of a heatmap for sampled sweeps."""
    n = _n_rows(data)
    masks, titles = _sample_panels(data, facet_key, n)
    x = np.asarray(data[x_key], dtype=float)
    y = np.asarray(data[y_key], dtype=float)
    infeasible = _col(data, "infeasible_strides", 0.0) > 0
    if onset:
        v, cmap = _onset_min(data, column), _onset_cmap()
        norm = _onset_norm(v, _durations(data))
    else:
        from matplotlib.colors import Normalize

        v, cmap = _col(data, column), _shear_cmap()
        finite = v[np.isfinite(v)]
        norm = Normalize(float(finite.min()) if finite.size else 0.0,
                         float(finite.max()) if finite.size else 1.0)
    never = np.isnan(v)
    never_text = f"never spiked within the {_duration_text(data)} run"
    s = _marker_size(n)
    fig, axes = _new_figure(len(masks))
    sc = None
    for ax, m, t in zip(axes, masks, titles):
        hit = m & ~never
        sc = ax.scatter(x[hit], y[hit], c=v[hit], cmap=cmap, norm=norm, s=s,
                        edgecolors="white", linewidths=0.4, gid="onset" if onset else column)
        if onset:
            ax.scatter(x[m & never], y[m & never], s=s, facecolors="none",
                       edgecolors="0.55", linewidths=1.0, gid="never", label=never_text)
        bad = m & infeasible
        ax.scatter(x[bad], y[bad], s=s * 2.6, facecolors="none", edgecolors="black",
                   linewidths=1.3, gid="infeasible", label=_INFEASIBLE_TEXT)
        ax.set_xlabel(label(x_key), fontsize=10)
        ax.set_ylabel(label(y_key), fontsize=10)
        ax.tick_params(labelbottom=True, labelleft=True, labelsize=9)
        if t:
            ax.set_title(t, fontsize=11)
    if sc is not None and sc.get_array() is None:
        sc.set_array(np.zeros(0))
    cbar = fig.colorbar(sc, ax=axes, shrink=0.9, pad=0.02)
    from matplotlib.lines import Line2D

    handles = []
    if onset:
        _onset_colorbar(cbar, data)
        if never.any():
            handles.append(Line2D([], [], ls="none", marker="o", markerfacecolor="none",
                                  markeredgecolor="0.55", label=never_text))
    else:
        cbar.set_label(_metric_label(column), fontsize=10)
        _mark_threshold(cbar, data, column)
    if infeasible.any():
        handles.append(_legend_infeasible("point"))
    others = [k for k in data["keys"] if k not in (x_key, y_key, facet_key)]
    notes = [_onset_definition(data, column) if onset else _shear_note(data),
             _start_note(v[np.logical_or.reduce(masks)]) if onset else "",
             f"One point per sampled scenario ({n}); " + _others_vary(others, "no other swept keys.")]
    title = ("When does back loading spike?" if onset
             else "How much does the lower back get sheared?")
    return finish_figure(fig, title, notes=notes, handles=handles)


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
