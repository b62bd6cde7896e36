"""Spike onset against one swept parameter: one curve per group, one panel per facet.

:func:`onset_vs_parameter` draws ``onset_vs_<key>.png`` of a sweep: onsets within the
run as points joined by lines, "never" and "from the start" as bands above and below the
run with markers dodged so equal onsets stay visible, a censored trend for sampled
sweeps.
"""
from __future__ import annotations

import math

import numpy as np

from .plots import PALETTE, finish_figure
from .sweep_data import (_INFEASIBLE_TEXT, _LINE_COLOURS, _MARKERS, _NEVER_FACE, _START_FACE,
                         _START_MIN, _check_data, _col, _durations, _fixed_rows, _fmt_levels,
                         _held_text, _held_title, _index_of, _is_grid, _levels, _matches, _n_rows,
                         _onset_definition, _onset_min, _start_note, _value_text, label)
from .sweep_panels import (_duration_text, _facet_rows, _legend_infeasible, _marker_size,
                           _others_vary, _sample_panels)


def onset_vs_parameter(data, x_key, group_key=None, facet_key=None, *, column="spike_onset_s",
                       fixed=None):
    """Spike onset [min] against one swept parameter: when does back loading spike?

    Onsets within the run are values on the y axis. The two other outcomes are
    categories with bands of their own: runs that never spiked sit in a grey "never" band
    above the end of the run (a dashed line at the run length), runs above the threshold
    from their first stride in a "start" band below 0 min; one row per group in each
    band, open markers for "never", filled ones for "start". Lines join only onsets
    within the run (and break where a band value lies between them), so the figure shows
    no gradual change that is not in the data. Infeasible runs (the runner could not
    keep the pace) are ringed.

    Grid sweeps: one panel per value of ``facet_key`` (shared axes; further swept keys
    held fixed), in each one line per value of ``group_key`` (Okabe-Ito colours,
    distinct markers). The groups are shifted sideways by a few points (dodged), so
    equal onsets of several groups, e.g. all from the start, stay visible side by side.
    Sampled sweeps (``kind`` "sample" or "sensitivity"): one point per scenario
    (coloured by ``group_key`` if given; one panel per tercile of ``facet_key``) and a
    trend on top, the median onset in bins of x, counting "never" as later than the run;
    a bin whose median is "never" or "start" is a diamond in the band's second row, above
    or below the scenarios' own row.

    Parameters
    ----------
    data : dict
        From :func:`read_summary`.
    x_key : str
        Swept dotted key on the horizontal axis.
    group_key : str, optional
        Swept key with one line (grid) or one colour (sample) per value.
    facet_key : str, optional
        Swept key with one panel per value (grid; at most nine, evenly spaced) or per
        tercile (sample).
    column : str
        Onset column [s] (see :func:`onset_heatmap`).
    fixed : dict, optional
        Grid sweeps: value of each other swept key (see :func:`onset_heatmap`).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel (then a colour bar, for a sampled sweep coloured by a number).
        Each panel's lines have gids ``"onset"`` (values within the run), ``"start"``,
        ``"never"`` (band markers) and ``"infeasible"`` (rings); the y tick labelled
        ``"never"`` marks the never band, ``"start"`` the start band (shown when a run
        spiked from the start).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np
    >>> data = {"keys": ["a.x_deg"], "kind": "grid", "duration_min": 60.0,
    ...         "a.x_deg": np.array([0.0, 10.0, 20.0]),
    ...         "spike_onset_s": np.array([np.nan, 3000.0, 0.0])}
    >>> fig = onset_vs_parameter(data, "a.x_deg")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][-2:]
    ['never', 'start']
    >>> [ln.get_ydata().tolist() for ln in fig.axes[0].lines if ln.get_gid() == "onset"]
    [[50.0]]
    """
    _check_data(data, x_key, group_key, facet_key)
    if group_key == x_key:
        raise ValueError("group_key must differ from x_key")
    if facet_key is not None and facet_key in (x_key, group_key):
        raise ValueError("facet_key must differ from x_key and group_key")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    onset = _onset_min(data, column)
    top = float(np.nanmax(_durations(data)))
    step = 0.055 * top  # height of one row of a band
    infeasible = _col(data, "infeasible_strides", 0.0) > 0
    grid = _is_grid(data)
    if grid:
        rows, held = _fixed_rows(data, {x_key, group_key, facet_key}, fixed)
        rows, facet_note = _facet_rows(data, facet_key, rows)
        if facet_key:
            levels = _levels(data[facet_key][rows])
            masks = [rows & _matches(data[facet_key], f) for f in levels]
            titles = [_value_text(facet_key, f, t) for f, t in zip(levels, _fmt_levels(levels))]
        else:
            masks, titles = [rows], [None]
        n_band = len(_levels(data[group_key][rows])) if group_key else 1
    else:
        held, facet_note = {}, ""
        masks, titles = _sample_panels(data, facet_key, _n_rows(data))
        rows = np.logical_or.reduce(masks)
        n_band = 2  # the scenarios' row, then the trend's
    shown = onset[rows]
    any_start = bool(np.any(np.isfinite(shown) & (shown < _START_MIN)))
    any_never = bool(np.any(np.isnan(shown)))
    dur = _duration_text(data)
    never_label = f"grey band: never spiked within the {dur} run (open markers)"
    start_label = "band below 0: above the threshold from the start (filled markers)"
    bands = dict(top=top, step=step, never_label=never_label, start_label=start_label)

    n = len(masks)
    ncols = min(n, 3)
    nrows = math.ceil(n / ncols)
    size = (7.6, 5.4) if n == 1 else (4.4 * ncols + 0.8, 4.0 * nrows + 1.8)
    fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False, sharex=True,
                             sharey=True, layout="constrained")
    axes = list(axes.ravel())
    for ax in axes[n:]:
        ax.set_visible(False)
    axes = axes[:n]
    if grid:
        handles = _onset_curves_grid(fig, axes, masks, data, onset, infeasible, x_key,
                                     group_key, rows, bands)
    else:
        handles = _onset_curves_sample(fig, axes, masks, data, onset, infeasible, x_key,
                                       group_key, bands)
        others = [k for k in data["keys"] if k not in (x_key, group_key, facet_key)]
        notes_sample = (f"One point per sampled scenario ({_n_rows(data)}); "
                        + _others_vary(others, "no other swept keys."))

    # the bands: "never" above the end of the run, "start" below 0
    band_top = top + step * (n_band + 1)
    band_bottom = -step * (n_band + 1) if any_start else -0.03 * top
    for k, ax in enumerate(axes):
        ax.axhline(top, color="0.3", ls="--", lw=1.2, gid="end_of_run",
                   label=f"end of the {dur} run")
        ax.axhspan(top, band_top, facecolor=_NEVER_FACE, zorder=0, lw=0, gid="never_band",
                   label=never_label)
        if any_start:
            ax.axhspan(band_bottom, 0.0, facecolor=_START_FACE, zorder=0, lw=0,
                       gid="start_band", label=start_label)
        ax.set_ylim(band_bottom, band_top)
        if not grid:
            ax.margins(x=0.04)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=10, labelbottom=True)
        if k >= n - ncols:
            ax.set_xlabel(label(x_key), fontsize=11)
        if k % ncols == 0:
            ax.set_ylabel("spike onset [min into the run]", fontsize=11)
        if titles[k]:
            ax.set_title(titles[k], fontsize=11)
        elif held:
            ax.set_title(_held_title(data, held), fontsize=10, loc="left")
    ax = axes[0]
    ticks = [t for t in ax.get_yticks() if 0 <= t <= top - 0.08 * top] + [top]
    texts = [f"{t:g}" for t in ticks] + ["never"] + (["start"] if any_start else [])
    ticks = ticks + [top + step * (n_band + 1) / 2] + ([band_bottom / 2] if any_start else [])
    ax.set_yticks(ticks, texts)
    for ax in axes:
        for t in ax.get_yticklabels():
            if t.get_text() in ("never", "start"):
                t.set_fontstyle("italic")
                t.set_fontweight("bold")

    notes = [_onset_definition(data, column)]
    if not grid:
        notes.append(notes_sample)
    notes.append(_start_note(shown))
    if grid:
        if n > 1:
            notes.append(_held_text(data, held))
        notes.append(facet_note)
        if n_band > 1:
            notes.append("Markers of the groups are shifted sideways a little so that equal "
                         "onsets stay visible.")
    handles.append(Line2D([], [], color="0.3", ls="--", lw=1.2, label=f"end of the {dur} run"))
    if any_never:
        handles.append(_band_patch(_NEVER_FACE, never_label))
    if any_start:
        handles.append(_band_patch(_START_FACE, start_label))
    if np.any(infeasible & rows):
        handles.append(_legend_infeasible("point"))
    return finish_figure(fig, "When does back loading spike?", "lower = earlier spike (worse)",
                         notes=notes, handles=handles, ncol=2)


def _band_patch(face, text):
    from matplotlib.patches import Patch

    return Patch(facecolor=face, edgecolor="none", label=text)


def _dodge(n):
    """Sideways shifts [points] of ``n`` groups, centred on 0."""
    d = 7.0 if n <= 5 else max(2.5, 28.0 / (n - 1))
    return (np.arange(n) - (n - 1) / 2.0) * d


def _with_breaks(x, y, keep):
    """x, y of a line through the points ``keep`` (in x order), with a NaN where points
    that are not kept lie between them, so the line breaks there."""
    idx = np.flatnonzero(keep)
    if idx.size == 0:
        return np.zeros(0), np.zeros(0)
    span = np.arange(idx[0], idx[-1] + 1)
    return np.asarray(x, dtype=float)[span], np.where(keep[span], y[span], np.nan)


def _onset_curves_grid(fig, axes, masks, data, onset, infeasible, x_key, group_key, rows, bands):
    """Draw the grid panels of :func:`onset_vs_parameter`; return the legend handles."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation

    top, step = bands["top"], bands["step"]
    xs = _levels(data[x_key][rows])
    categorical = data[x_key].dtype.kind in "US"
    xpos = np.arange(len(xs)) if categorical else np.array(xs, dtype=float)
    groups = _levels(data[group_key][rows]) if group_key else [None]
    colours = (plt.get_cmap("viridis")(np.linspace(0, 0.9, len(groups)))
               if len(groups) > len(_LINE_COLOURS) else _LINE_COLOURS[:len(groups)])
    texts = _fmt_levels(groups) if group_key else [""]
    names = [_value_text(group_key, g, t) for g, t in zip(groups, texts)] if group_key \
        else ["spike onset"]
    shifts = _dodge(len(groups))
    drawn_line = np.zeros(len(groups), bool)
    for ax, mask in zip(axes, masks):
        for k, (g, colour) in enumerate(zip(groups, colours)):
            marker = _MARKERS[k % len(_MARKERS)]
            shift = ax.transData + ScaledTranslation(shifts[k] / 72.0, 0.0, fig.dpi_scale_trans)
            sel = mask & (_matches(data[group_key], g) if group_key else True)
            xi = _index_of(data[x_key][sel], xs)
            # one value per x level: the earliest onset (NaN = never counts as latest)
            y = np.full(len(xs), np.inf)
            np.minimum.at(y, xi, np.where(np.isnan(onset[sel]), np.inf, onset[sel]))
            bad = np.zeros(len(xs), bool)
            np.logical_or.at(bad, xi, infeasible[sel])
            has = np.zeros(len(xs), bool)
            has[xi] = True
            start = has & np.isfinite(y) & (y < _START_MIN)
            within = has & np.isfinite(y) & ~start
            never = has & ~np.isfinite(y)
            never_y, start_y = top + step * (k + 1), -step * (k + 1)
            xl, yl = _with_breaks(xpos[has], y[has], within[has])
            ax.plot(xl, yl, color=colour, marker=marker, lw=2, ms=7, gid="onset",
                    label=names[k], transform=shift)
            drawn_line[k] |= _has_segment(yl)
            ax.plot(xpos[start], np.full(start.sum(), start_y), ls="none", marker=marker, ms=7,
                    color=colour, gid="start", label=names[k], transform=shift)
            ax.plot(xpos[never], np.full(never.sum(), never_y), ls="none", marker=marker, ms=8,
                    markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.8,
                    gid="never", label=names[k], transform=shift)
            yb = np.select([within, start], [y, np.full(len(xs), start_y)], never_y)
            ring = bad & has
            ax.plot(xpos[ring], yb[ring], ls="none", marker="o", ms=15, markerfacecolor="none",
                    markeredgecolor="black", markeredgewidth=1.4, gid="infeasible",
                    label=_INFEASIBLE_TEXT, transform=shift)
        if categorical or len(xs) <= 12:
            ax.set_xticks(xpos, _fmt_levels(xs))
        # the shifted markers are not in the data limits: room for them at both ends
        lo, hi = (float(xpos.min()), float(xpos.max())) if xpos.size else (0.0, 1.0)
        pad = 0.5 if categorical or hi == lo else 0.08 * (hi - lo)
        ax.set_xlim(lo - pad, hi + pad)
    # a group whose onsets are all in the bands has no line: its legend entry shows none
    return [Line2D([], [], color=c, marker=_MARKERS[k % len(_MARKERS)], ms=7, label=nm,
                   lw=2, ls="-" if drawn_line[k] else "none")
            for k, (c, nm) in enumerate(zip(colours, names))]


def _has_segment(y) -> bool:
    """True if a line through ``y`` draws a segment (two neighbouring finite values)."""
    ok = np.isfinite(np.asarray(y, dtype=float))
    return bool(np.any(ok[1:] & ok[:-1]))


def _onset_curves_sample(fig, axes, masks, data, onset, infeasible, x_key, group_key, bands):
    """Draw the sampled-sweep panels of :func:`onset_vs_parameter`; return legend handles."""
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
    from matplotlib.colors import Normalize, to_rgba
    from matplotlib.lines import Line2D

    top, step = bands["top"], bands["step"]
    x = np.asarray(data[x_key], dtype=float)
    never = np.isnan(onset)
    start = np.isfinite(onset) & (onset < _START_MIN)
    within = ~never & ~start
    # spread the band points a little within their row so they do not hide each other
    wobble = 0.3 * np.sin(np.arange(x.size) * 2.399)
    ypos = np.select([within, start], [onset, -step * (1 + wobble)], top + step * (1 + wobble))
    s = _marker_size(x.size)
    numeric = bool(group_key) and data[group_key].dtype.kind == "f"
    if numeric:
        g = np.asarray(data[group_key], dtype=float)
        cmap = plt.get_cmap("viridis")
        norm = Normalize(float(np.nanmin(g)), float(np.nanmax(g)))
        colour = cmap(norm(g))
    else:
        colour = np.tile(np.array(to_rgba(PALETTE["blue"])), (x.size, 1))
    one = "one sampled scenario"
    trend_text = "trend: median onset in bins of x (never counts as later)"
    trend_never = "trend: most runs in this bin never spiked"
    trend_start = "trend: most runs in this bin spiked from the start"
    halo = [patheffects.withStroke(linewidth=5.0, foreground="white")]
    sc = None
    shown_never = shown_start = shown_line = False
    for ax, m in zip(axes, masks):
        pick = m & within
        sc = ax.scatter(x[pick], onset[pick], c=g[pick] if numeric else colour[pick],
                        cmap=cmap if numeric else None, norm=norm if numeric else None, s=s,
                        alpha=0.85, gid="onset", label=one)
        pick = m & start
        ax.scatter(x[pick], ypos[pick], color=colour[pick], s=s, alpha=0.85, gid="start",
                   label=bands["start_label"])
        pick = m & never
        ax.scatter(x[pick], ypos[pick], s=s, facecolors="none", edgecolors=colour[pick],
                   linewidths=1.0, gid="never", label=bands["never_label"])
        bad = m & infeasible
        ax.scatter(x[bad], ypos[bad], s=s * 2.6, facecolors="none", edgecolors="black",
                   linewidths=1.2, gid="infeasible", label=_INFEASIBLE_TEXT)
        xc, med = _censored_trend(x[m], onset[m])
        b_never = ~np.isfinite(med)
        b_start = np.isfinite(med) & (med < _START_MIN)
        b_within = np.isfinite(med) & ~b_start
        xl, yl = _with_breaks(xc, med, b_within)
        ax.plot(xl, yl, color="black", lw=2.5, zorder=6, path_effects=halo, gid="trend",
                label=trend_text)
        shown_line |= _has_segment(yl)
        style = dict(ls="none", marker="D", ms=7, markerfacecolor="white",
                     markeredgecolor="black", markeredgewidth=1.8, zorder=6)
        # the trend's band rows lie clear of the scenarios' rows (1 +- 0.3)
        ax.plot(xc[b_never], np.full(b_never.sum(), top + 2.3 * step), gid="trend_never",
                label=trend_never, **style)
        ax.plot(xc[b_start], np.full(b_start.sum(), -2.3 * step), gid="trend_start",
                label=trend_start, **style)
        shown_never |= bool(b_never.any())
        shown_start |= bool(b_start.any())
    handles = []
    if numeric:
        fig.colorbar(sc, ax=axes, pad=0.02).set_label(label(group_key), fontsize=10)
    else:
        handles.append(Line2D([], [], ls="none", marker="o", color=PALETTE["blue"], label=one))
    if shown_line:
        handles.append(Line2D([], [], color="black", lw=2.5, label=trend_text))
    diamond = dict(ls="none", marker="D", ms=7, markerfacecolor="white", markeredgecolor="black",
                   markeredgewidth=1.8)
    if shown_never:
        handles.append(Line2D([], [], label=trend_never, **diamond))
    if shown_start:
        handles.append(Line2D([], [], label=trend_start, **diamond))
    return handles


def _censored_trend(x, onset, nbins=None):
    """Bin centres and median onset per bin; NaN (never) counts as +inf (censored)."""
    finite_x = x[np.isfinite(x)]
    if finite_x.size < 2:
        return np.zeros(0), np.zeros(0)
    nbins = nbins or int(np.clip(round(math.sqrt(finite_x.size / 2)), 3, 12))
    edges = np.quantile(finite_x, np.linspace(0, 1, nbins + 1))
    edges = np.unique(edges)
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, edges.size - 2)
    centres, med = [], []
    for b in range(edges.size - 1):
        m = idx == b
        if not m.any():
            continue
        centres.append(float(np.median(x[m])))
        med.append(float(np.median(np.where(np.isnan(onset[m]), np.inf, onset[m]))))
    med = np.array(med)
    med[~np.isfinite(med)] = np.nan
    return np.array(centres), med
