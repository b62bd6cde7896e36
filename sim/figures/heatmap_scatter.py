"""Heatmaps of sampled sweeps (a scatter), and the colour bars and notes of every heatmap.

A sampled sweep (Latin hypercube, Sobol, Saltelli) has no grid of cells: its "heatmap"
(:func:`_heatmap_sample`) is a scatter of x against y coloured by the value, "never"
points as open grey circles, infeasible ones ringed in black. The colour bar of an onset
heatmap (:func:`_onset_colorbar`: earlier is worse, the top is the end of the run) and of
a shear heatmap (:func:`_metric_label`, :func:`_mark_threshold`: the spike threshold
marked), and the shear footnote (:func:`_shear_note`), are shared with the grid heatmaps
of :mod:`sim.figures.heatmap_grid`.

Re-exported by :mod:`sim.figures.sweep_plots`, where they were defined before.
"""
from __future__ import annotations

import numpy as np

from .figure_style import finish_figure, PALETTE
from .sweep_levels import _fmt_levels, label
from .sweep_columns import _col, _durations, _n_rows, _onset_definition, _onset_min, _start_note
from .sweep_data import _INFEASIBLE_TEXT
from .sweep_panels import (_duration_text, _legend_infeasible, _marker_size, _new_figure,
                           _onset_cmap, _onset_norm, _others_vary, _sample_panels, _shear_cmap)


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
