"""Parts shared by the sweep figures: colour maps, legends, panel grids and facets.
"""
from __future__ import annotations

import math

import numpy as np

from .sweep_data import (_HEATMAP_MAX_PANELS, _INFEASIBLE_TEXT, _NEVER_EDGE, _NEVER_FACE,
                         _durations, _fmt_levels, _index_of, _levels, _name_unit, _value_text,
                         label)


def _onset_cmap():
    """Early (worse) = dark red, late = pale yellow: hotter is worse. Colour-blind safe."""
    import matplotlib as mpl
    from matplotlib.colors import ListedColormap

    base = mpl.colormaps["YlOrRd"]
    return ListedColormap(base(np.linspace(0.97, 0.12, 256)), name="onset_hot_early")


def _shear_cmap():
    import matplotlib as mpl
    from matplotlib.colors import ListedColormap

    base = mpl.colormaps["YlOrRd"]
    return ListedColormap(base(np.linspace(0.08, 0.97, 256)), name="shear_hot_high")


def _onset_norm(values, duration):
    """Colour scale from the start (0 min) to the end of the run.

    Fixed, not fitted to the data, so that a colour means the same minute in every
    figure: a sweep whose earliest spike is at 85 min does not paint it as dark as a
    spike at 10 min elsewhere.
    """
    from matplotlib.colors import Normalize

    finite = values[np.isfinite(values)]
    top = float(np.nanmax(np.append(np.asarray(duration, dtype=float), finite)))
    return Normalize(0.0, top if top > 0 else 1.0)


def _text_colour(rgba) -> str:
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


def _new_figure(n_panels, panel_w=3.7, panel_h=3.3, extra_w=1.4, ncols_max=3):
    import matplotlib.pyplot as plt

    if n_panels == 1:
        panel_w, panel_h = 5.0, 4.2
    ncols = min(n_panels, ncols_max)
    nrows = math.ceil(n_panels / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_w * ncols + extra_w, panel_h * nrows + 1.6),
                             squeeze=False, sharex=True, sharey=True, layout="constrained")
    axes = axes.ravel()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, list(axes[:n_panels])


def _legend_never(duration_text, exhausted=False):
    from matplotlib.patches import Patch

    label = f"never spiked within the {duration_text} run"
    if exhausted:
        label += " (\"exh.\": the runner was exhausted before the index crossed)"
    return Patch(facecolor=_NEVER_FACE, edgecolor=_NEVER_EDGE, hatch="///", label=label)


def _legend_infeasible(kind="cell"):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    text = _INFEASIBLE_TEXT
    if kind == "cell":
        return Patch(facecolor="none", edgecolor="black", linewidth=2.0, label=text)
    return Line2D([], [], ls="none", marker="o", markersize=11, markerfacecolor="none",
                  markeredgecolor="black", markeredgewidth=1.5, label=text)


def _duration_text(data):
    d = _durations(data)
    lo, hi = float(np.nanmin(d)), float(np.nanmax(d))
    return f"{lo:g}-min" if lo == hi else f"{lo:g}–{hi:g}-min"


def _set_level_ticks(axis, levels, max_labels=9):
    n = len(levels)
    step = max(1, math.ceil(n / max_labels))
    pos = np.arange(0, n, step)
    texts = _fmt_levels(levels)
    axis.set_ticks(pos)
    axis.set_ticklabels([texts[i] for i in pos])


def _facet_rows(data, facet_key, rows):
    """Rows of at most :data:`_HEATMAP_MAX_PANELS` evenly spaced facet levels, and a note.

    A grid with more facet levels than that would draw unreadable panels (and take minutes
    and gigabytes at 10^5 scenarios); the first and last levels are always shown."""
    if not facet_key:
        return rows, ""
    levels = _levels(data[facet_key][rows])
    if len(levels) <= _HEATMAP_MAX_PANELS:
        return rows, ""
    pick = np.unique(np.round(np.linspace(0, len(levels) - 1, _HEATMAP_MAX_PANELS)).astype(int))
    shown = [levels[i] for i in pick]
    keep = np.isin(_index_of(data[facet_key], levels), pick)
    name, _ = _name_unit(facet_key)
    return rows & keep, (f"{len(shown)} of the {len(levels)} swept values of {name} are shown, "
                         "evenly spaced.")


def _others_vary(others, otherwise) -> str:
    if not others:
        return otherwise
    names = ", ".join(_name_unit(k)[0] for k in others)
    return f"{names} also {'varies' if len(others) == 1 else 'vary'} between points."


def _marker_size(n):
    return float(np.clip(4000.0 / max(n, 1), 10.0, 70.0))


def _sample_panels(data, facet_key, n):
    """Row masks and titles of the panels of a sampled sweep (facet in terciles)."""
    if not facet_key:
        return [np.ones(n, bool)], [None]
    col = data[facet_key]
    if col.dtype.kind in "US":
        levels = _levels(col)
        return [col == lv for lv in levels], [_value_text(facet_key, lv) for lv in levels]
    edges = np.nanquantile(col, [0, 1 / 3, 2 / 3, 1])
    name, unit = _name_unit(facet_key)
    masks, titles = [], []
    for i in range(3):
        m = (col >= edges[i]) & ((col < edges[i + 1]) if i < 2 else (col <= edges[i + 1]))
        masks.append(m)
        titles.append(f"{name} {edges[i]:.3g}–{edges[i + 1]:.3g}"
                      + (f" {unit}" if unit not in ("", "-") else ""))
    return masks, titles
