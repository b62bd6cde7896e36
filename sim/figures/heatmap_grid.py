"""The heatmaps' shared body and its grid-sweep version: one cell per pair of levels.

:func:`_heatmap` checks the keys and draws an onset or a shear heatmap: for a grid sweep
one cell per (x, y) pair and one panel per facet level, the worst run of a cell shown
(:func:`_grid_cells`), "never" cells hatched grey, cells not run left white and cells
where the runner could not hold the pace outlined (on large panels as flat layers,
:func:`_bulk_marks`); sampled sweeps are handed to
:func:`sim.figures.heatmap_scatter._heatmap_sample`.

Re-exported by :mod:`sim.figures.sweep_plots`, where they were defined before.
"""
from __future__ import annotations

import math

import numpy as np

from .figure_style import finish_figure
from .sweep_levels import _fmt_levels, _index_of, label, _levels, _value_text
from .sweep_columns import (_check_data, _col, _durations, _fixed_rows, _flag_col, _held_text,
                            _held_title, _is_grid, _onset_definition, _onset_min, _START_MIN,
                            _start_note)
from .sweep_data import (_HEATMAP_ANNOTATE_MAX, _HEATMAP_PATCH_MAX, _INFEASIBLE_TEXT,
                         _MISSING_FACE, _NEVER_EDGE, _NEVER_FACE)
from .sweep_panels import (_duration_text, _facet_rows, _legend_infeasible, _legend_never,
                           _new_figure, _onset_cmap, _onset_norm, _set_level_ticks, _shear_cmap,
                           _text_colour)
from .heatmap_scatter import (_heatmap_sample, _mark_threshold, _metric_label, _onset_colorbar,
                              _shear_note)


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
