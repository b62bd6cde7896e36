"""Run figures of single muscles: fibre pools over the run, forces within a stride.

- :func:`pool_depletion` -- slow- vs fast-twitch fibre pools: available capacity and
  energy store over the run, one panel per muscle;
- :func:`stride_forces` -- muscle forces within one stride, early vs late in the run
  (the redistribution made visible).

Re-exported by :mod:`sim.figures.plots`, where they were defined before.
"""
from __future__ import annotations

import numpy as np

from .figure_style import PALETTE, _figure, _label, finish_figure
from .run_axes import (_EARLY, _FT, _LATE, _REST_TEXT, _ST, _STANCE_FACE, _caption, _early_late,
                       _end_min, _shade_rest, _shade_stance, _states, _when, distance_axis)

#: Legend texts of the fibre-pool figure (slow/fast capacity, whole muscle, slow/fast energy).
_POOL_TEXT = ("slow-twitch pool: capacity", "fast-twitch pool: capacity", "whole muscle: capacity",
              "slow-twitch pool: energy store", "fast-twitch pool: energy store")

_POOL_MUSCLES = ("gluteus_medius", "vasti", "soleus", "multifidus", "erector_spinae_deep",
                 "erector_spinae_superficial")
_STRIDE_MUSCLES = ("gluteus_medius", "gluteus_minimus", "vasti", "erector_spinae_superficial",
                   "erector_spinae_deep", "multifidus")


def pool_depletion(res, muscles=None):
    """Slow- vs fast-twitch fibre pools over the run: available capacity and energy store.

    One panel per muscle. Colour is the fibre pool (blue: slow-twitch, orange:
    fast-twitch); line style the quantity (solid: capacity available now, the
    three-compartment fatigue state times the energy factor; dashed: energy store,
    muscle glycogen). The whole-muscle capacity (the two pools weighted by the muscle's
    slow-twitch fraction) is the thin black line. All in % of fresh.

    Parameters
    ----------
    res : RunResult
    muscles : sequence of str, optional
        Muscle names (``res.muscles``); default gluteus medius, vasti, soleus,
        multifidus, deep and superficial erector spinae.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a muscle name is unknown.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import sim
    >>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
    >>> fig = pool_depletion(res, ["gluteus_medius", "soleus"])
    >>> [ax.get_title() for ax in fig.axes]
    ['gluteus medius', 'soleus']
    """
    muscles = list(_POOL_MUSCLES if muscles is None else muscles)
    idx = _indices(res, muscles)
    n = len(idx)
    ncols = min(3, n)
    nrows = -(-n // ncols)
    fig, axes = _figure(nrows, ncols, (4.0 * ncols + 0.6, 3.2 * nrows + 1.2),
                        sharex=True, sharey=True)
    flat = axes.ravel()
    for ax in flat[n:]:
        ax.remove()
    for ax, name, i in zip(flat, muscles, idx):
        t, pc = _states(res, 100 * res.pool_capacity[:, i, :])
        _, en = _states(res, 100 * res.energy[:, i, :])
        _, cap = _states(res, 100 * res.capacity[:, i])
        _shade_rest(ax, res)
        ax.plot(t, pc[:, 0], color=_ST, lw=2, ls="-", gid="st_capacity", label=_POOL_TEXT[0])
        ax.plot(t, pc[:, 1], color=_FT, lw=2, ls="-", gid="ft_capacity", label=_POOL_TEXT[1])
        ax.plot(t, en[:, 0], color=_ST, lw=1.6, ls="--", gid="st_energy", label=_POOL_TEXT[3])
        ax.plot(t, en[:, 1], color=_FT, lw=1.6, ls="--", gid="ft_energy", label=_POOL_TEXT[4])
        ax.plot(t, cap, color=PALETTE["black"], lw=0.9, gid="muscle_capacity",
                label=_POOL_TEXT[2])
        ax.set_title(_label(name).replace("\n", " "), fontsize=10)
        ax.set_ylim(0, 105)
        ax.set_xlim(0, _end_min(res))
        ax.grid(alpha=0.3, lw=0.5)
        if ax in flat[:ncols]:              # top row: distance scale
            distance_axis(ax, res)
    for j in range(n):
        if j % ncols == 0:
            flat[j].set_ylabel("capacity, energy [% of fresh]")
        if j + ncols >= n:  # lowest panel of its column
            flat[j].set_xlabel("run time [min]")
            flat[j].tick_params(labelbottom=True)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=_ST, lw=2, label=_POOL_TEXT[0]),
               Line2D([], [], color=_FT, lw=2, label=_POOL_TEXT[1]),
               Line2D([], [], color=PALETTE["black"], lw=0.9, label=_POOL_TEXT[2]),
               Line2D([], [], color=_ST, lw=1.6, ls="--", label=_POOL_TEXT[3]),
               Line2D([], [], color=_FT, lw=1.6, ls="--", label=_POOL_TEXT[4])]
    if np.any(res.speed_mps <= 0):
        from matplotlib.patches import Patch

        for ax in flat[:n]:
            for span in ax.patches:
                if span.get_gid() == "rest":
                    span.set_label(_REST_TEXT)
        handles.append(Patch(color="0.85", label=_REST_TEXT))
    notes = ["Capacity = force the pool can give now (fatigue state × energy factor); energy "
             "store = muscle glycogen. A pool the muscle does not recruit stays at 100 %.",
             "Recruitment is slow-twitch first (size principle): fast-twitch pools drain when "
             "the slow-twitch pool cannot meet the demand."]
    return finish_figure(fig, "Fibre pools: slow- vs fast-twitch capacity and energy over the run",
                   _caption(res), notes, handles, ncol=3)


def _indices(res, muscles):
    out = []
    for name in muscles:
        if name not in res.muscles:
            raise ValueError(f"unknown muscle {name!r}; choose from {', '.join(res.muscles)}")
        out.append(res.muscles.index(name))
    return out


def stride_forces(res, muscles=None):
    """Muscle forces within one stride, early vs late in the run.

    The first and the last stored stride (``res.stride_force_N``) of each muscle over the
    gait cycle [%] from right heel strike; right-foot stance is shaded. Where the late
    curve lies below the early one the muscle hands load to others; where it lies above,
    it takes load over: the redistribution made visible. Each panel states the peak
    force early and late.

    Parameters
    ----------
    res : RunResult
    muscles : sequence of str, optional
        Default gluteus medius, gluteus minimus, vasti, superficial and deep erector
        spinae, multifidus.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a muscle name is unknown or the run stored no stride.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import sim
    >>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
    >>> fig = stride_forces(res, ["gluteus_medius"])
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('gait cycle [% of stride, from right heel strike]', 'force [N]')
    """
    muscles = list(_STRIDE_MUSCLES if muscles is None else muscles)
    idx = _indices(res, muscles)
    slots, times = _early_late(res)
    n = len(idx)
    ncols = min(3, n)
    nrows = -(-n // ncols)
    fig, axes = _figure(nrows, ncols, (4.0 * ncols + 0.6, 3.3 * nrows + 1.3), sharex=True)
    flat = axes.ravel()
    for ax in flat[n:]:
        ax.remove()
    x = 100.0 * np.append(res.stride_phase, 1.0)  # close the cycle at 100 %
    styles = [(_EARLY, "-", 2.0), (_LATE, "--", 2.0)]
    whens = [f"early: {_when(times[0], True)}", f"late: {_when(times[-1], False)}"]
    for j, (ax, name, i) in enumerate(zip(flat, muscles, idx)):
        _shade_stance(ax, res, slots)
        peaks = []
        for s, (colour, ls, lw), when in zip(slots, styles, whens):
            y = res.stride_force_N[s, :, i]
            ax.plot(x, np.append(y, y[0]), color=colour, ls=ls, lw=lw, gid=f"slot{s}", label=when)
            peaks.append(float(y.max()))
        text = f"peak {peaks[0]:.0f} N"
        if len(peaks) > 1:
            change = (100.0 * (peaks[1] / peaks[0] - 1.0)) if peaks[0] > 0 else float("nan")
            text = f"peak {peaks[0]:.0f} → {peaks[1]:.0f} N" + (
                f" ({change:+.0f} %)" if np.isfinite(change) else "")
        ax.text(0.98, 0.96, text, transform=ax.transAxes, ha="right", va="top", fontsize=8.5,
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1.5))
        ax.set_title(_label(name), fontsize=10)
        ax.set_xlim(0, 100)
        top = float(res.stride_force_N[list(slots), :, i].max())
        ax.set_ylim(0, 1.25 * top if top > 0 else 1.0)
        ax.grid(alpha=0.3, lw=0.5)
        if j % ncols == 0:
            ax.set_ylabel("force [N]")
        if j + ncols >= n:
            ax.set_xlabel("gait cycle [% of stride, from right heel strike]")
            ax.tick_params(labelbottom=True)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], color=_EARLY, lw=2, label=whens[0])]
    if len(slots) > 1:
        handles.append(Line2D([], [], color=_LATE, lw=2, ls="--", label=whens[1]))
    handles.append(Patch(facecolor=_STANCE_FACE, label="right-foot stance"))
    notes = ["Forces of the right-side muscle (the left one is the same curve shifted by half a "
             "stride). Each panel has its own force scale, starting at 0 N.",
             "The demanded net joint moments are almost the same early and late (hip abduction "
             "rises a little as the quadriceps tire): what changes is which muscles carry them."]
    return finish_figure(fig, "Within one stride, early vs late: who carries the load",
                   _caption(res), notes, handles, ncol=3)
