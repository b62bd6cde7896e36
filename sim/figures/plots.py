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

import numpy as np

__all__ = ["PALETTE", "DISCLAIMER", "MUSCLE_LABELS", "time_to_distance", "distance_axis",
           "load_curves", "pool_depletion",
           "stride_forces", "compensation_angles", "compare_runs"]

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
DISCLAIMER = "Educational model, not medical advice."

#: Readable muscle names for legends and panel titles.
MUSCLE_LABELS = {
    "gluteus_medius": "gluteus medius", "gluteus_minimus": "gluteus minimus",
    "tensor_fasciae_latae": "tensor fasciae latae", "gluteus_maximus": "gluteus maximus",
    "hip_adductors": "hip adductors", "hamstrings": "hamstrings", "iliopsoas": "iliopsoas",
    "rectus_femoris": "rectus femoris", "vasti": "vasti (quadriceps)",
    "gastrocnemius": "gastrocnemius", "soleus": "soleus",
    "tibialis_anterior": "tibialis anterior", "multifidus": "multifidus",
    "quadratus_lumborum": "quadratus lumborum",
    "erector_spinae_deep": "erector spinae, deep\n(lumbar fascicles)",
    "erector_spinae_superficial": "erector spinae, superficial\n(thoracic fascicles)",
    "rectus_abdominis": "rectus abdominis", "obliques": "obliques",
}

#: Colours with a fixed meaning in every run figure.
_ST, _FT = PALETTE["blue"], PALETTE["orange"]          # slow- / fast-twitch pool
_EARLY, _LATE = PALETTE["blue"], PALETTE["vermillion"]  # early / late in the run
_RUN_COLOURS = [PALETTE[c] for c in ("blue", "vermillion", "green", "orange", "purple", "sky",
                                     "black")]
_RUN_STYLES = ["-", "--", "-.", ":"]
_STANCE_FACE = "0.92"
_REST_TEXT = "not running (rest / stretch)"
#: Legend texts of the fibre-pool figure (slow/fast capacity, whole muscle, slow/fast energy).
_POOL_TEXT = ("slow-twitch pool: capacity", "fast-twitch pool: capacity", "whole muscle: capacity",
              "slow-twitch pool: energy store", "fast-twitch pool: energy store")

_POOL_MUSCLES = ("gluteus_medius", "vasti", "soleus", "multifidus", "erector_spinae_deep",
                 "erector_spinae_superficial")
_STRIDE_MUSCLES = ("gluteus_medius", "gluteus_minimus", "vasti", "erector_spinae_superficial",
                   "erector_spinae_deep", "multifidus")


# --------------------------------------------------------------------------- helpers
def _label(name: str) -> str:
    return MUSCLE_LABELS.get(name, name.replace("_", " "))


def _minutes(res):
    """Checkpoint mid-times [min] (states are at the start; loads describe the block)."""
    return (res.time_s + 0.5 * res.duration_s) / 60.0


def _end_min(res) -> float:
    """End of the run [min]."""
    return float(res.time_s[-1] + res.duration_s[-1]) / 60.0 if res.time_s.size else 0.0


def time_to_distance(res):
    """Functions run time [min] -> distance [km] and back, for a run (flat while resting).

    Examples
    --------
    >>> import sim
    >>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10, "run.speed_mps": 3.0}))
    >>> km, minutes = time_to_distance(res)
    >>> round(float(km(10.0)), 6), round(float(minutes(0.9)), 6)
    (1.8, 5.0)
    """
    t_min = np.append(res.time_s, res.time_s[-1] + res.duration_s[-1]) / 60.0
    km = np.append(res.distance_km,
                   res.distance_km[-1] + res.speed_mps[-1] * res.duration_s[-1] / 1000.0)
    # strictly increasing copy for the inverse (distance is flat while resting)
    km_inv = km + np.arange(km.size) * 1e-9

    def forward(t):
        return np.interp(t, t_min, km)

    def inverse(d):
        return np.interp(d, km_inv, t_min)

    return forward, inverse


def distance_axis(ax, res):
    """Add a distance scale [km] on top of a run-time axis [min] (flat while resting).

    Examples
    --------
    >>> import sim, matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10, "run.speed_mps": 3.0}))
    >>> fig, ax = plt.subplots()
    >>> ax.set_xlim(0, 10)
    (0.0, 10.0)
    >>> top = distance_axis(ax, res)
    >>> top.get_xlabel()
    'distance [km]'
    >>> plt.close(fig)
    """
    top = ax.secondary_xaxis("top", functions=time_to_distance(res))
    top.set_xlabel("distance [km]", fontsize=9)
    top.tick_params(labelsize=8)
    return top


def _states(res, values):
    """Start-of-checkpoint times [min] and values, with the end of the run appended
    (the last state held), so a state curve spans the whole run."""
    t = np.append(res.time_s / 60.0, _end_min(res))
    v = np.asarray(values)
    return t, np.concatenate([v, v[-1:]], axis=0)


def _caption(res) -> str:
    """One line naming the run: name, length, distance, pace."""
    cfg = res.config
    running = res.speed_mps[res.speed_mps > 0]
    if running.size and np.ptp(running) < 1e-9:
        pace = f"even {running[0]:.1f} m/s"
    elif running.size:
        pace = f"{running.min():.1f}–{running.max():.1f} m/s"
    else:
        pace = "no running"
    name = getattr(cfg, "name", "run")
    return (f"run '{name}': {_end_min(res):.0f} min, {res.summary()['distance_km']:.1f} km, "
            f"{pace}")


def _figure(nrows, ncols, figsize, **kw):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained",
                             squeeze=False, **kw)
    return fig, axes


def finish_figure(fig, title, subtitle=None, notes=(), handles=None, ncol=3):
    """Bold title and a subtitle (the run), an optional figure legend below the panels,
    then notes and the disclaimer as a footnote.

    Legend and footnote are measured and the constrained layout keeps the strip they need
    free, so nothing overlaps at any figure size. Notes are wrapped, and the legend gets
    fewer columns, until they fit the width of the figure: text wider than the figure
    would widen the saved image (``bbox_inches="tight"``) and leave an empty strip beside
    the panels.
    """
    if subtitle is None:
        fig.suptitle(title, fontsize=13, fontweight="bold")
    else:
        # title in bold just above the figure, the run in normal weight below it; the
        # layout keeps a strip free for the subtitle (``top``)
        fig.suptitle(title, fontsize=13, fontweight="bold", y=1.0, va="bottom")
        fig.text(0.5, 1.0, subtitle, ha="center", va="top", fontsize=10, color="0.25",
                 gid="subtitle")
    h = fig.get_figheight()
    pad = 0.06  # [in]
    avail = (fig.get_figwidth() - 3 * pad) * fig.dpi  # [px] the width text may use
    lines = [n for n in notes if n] + [DISCLAIMER]
    foot = fig.text(0.01, pad / h, "\n".join(lines), ha="left", va="bottom", fontsize=8,
                    color="0.3", linespacing=1.4, gid="footnote")
    _wrap_to_width(foot, lines, avail)
    bottom = pad + foot.get_window_extent().height / fig.dpi + pad
    if handles:
        ncol = min(ncol, len(handles))
        while True:
            leg = fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, bottom / h),
                             ncol=ncol, fontsize=9, frameon=False)
            if ncol == 1 or leg.get_window_extent().width <= avail:
                break
            leg.remove()
            ncol -= 1
        bottom += leg.get_window_extent().height / fig.dpi
    top = (0.3 / h) if subtitle is not None else 0.0
    frac = min(bottom / h, 0.5)
    fig.get_layout_engine().set(rect=(0.0, frac, 1.0, 1.0 - frac - top))
    return fig


def _wrap_to_width(text, lines, width_px):
    """Wrap each of ``lines`` so that the text artist is at most ``width_px`` wide."""
    import textwrap

    chars = max(len(s) for s in lines)
    while text.get_window_extent().width > width_px and chars > 30:
        chars = int(chars * min(0.95, width_px / text.get_window_extent().width))
        text.set_text("\n".join(textwrap.fill(s, chars) for s in lines))


def _shade_rest(ax, res, label=False):
    """Grey spans where the runner was not running (rest, stretching)."""
    first = True
    for k in np.flatnonzero(res.speed_mps <= 0):
        t0 = res.time_s[k] / 60.0
        ax.axvspan(t0, t0 + res.duration_s[k] / 60.0, color="0.85", lw=0, zorder=0, gid="rest",
                   label=_REST_TEXT if (label and first) else None)
        first = False


def _mark_onset(ax, res, label=True, index=None):
    """Shade the run from the spike onset of ``index`` (default: the configured one) on.

    A light span from the onset to the end of the run, and a dashed line at the onset
    when it lies within the run. A spike from the start shades the whole run: a line or a
    marker at 0 min would sit on the axis, where it cannot be seen.
    """
    from matplotlib.colors import to_rgba

    index = res.config.spike.index if index is None else index
    onset = res.spike_onsets[index]
    if not np.isfinite(onset):
        return
    colour = PALETTE["vermillion"]
    when = "from the start" if onset < 1.0 else f"at {onset / 60:.0f} min"
    what = {"shear_bw": "shear", "superficial_load": "superficial load"}.get(index, index)
    ax.axvspan(onset / 60.0, _end_min(res), facecolor=to_rgba(colour, 0.09), edgecolor="none",
               zorder=0, gid="after_onset",
               label=f"shaded: after the spike onset ({what}, {when})" if label else None)
    if onset >= 1.0:
        ax.axvline(onset / 60.0, color=colour, ls="--", lw=1.2, gid="onset")


def _stance_fraction(speed_mps: float) -> float:
    from ..physics.gait import stance_fraction

    return stance_fraction(float(speed_mps))


def _early_late(res):
    """Stored stride slots (first, last) and their start times [min]."""
    k = np.asarray(res.stride_checkpoints)
    if k.size == 0:
        raise ValueError("the run stored no within-stride curves (no running checkpoint)")
    slots = (0, k.size - 1) if k.size > 1 else (0,)
    return slots, [float(res.time_s[k[s]]) / 60.0 for s in slots]


def _when(t_min: float, first: bool) -> str:
    return "fresh start (0 min)" if first and t_min < 0.5 else f"{t_min:.0f} min into the run"


def _shade_stance(ax, res, slots):
    """Shade right-foot stance [% of the stride] (one span, or one per stride if the
    speed, and so the stance fraction, differs)."""
    k = np.asarray(res.stride_checkpoints)
    fr = [_stance_fraction(res.speed_mps[k[s]]) for s in slots]
    ax.axvspan(0.0, 100.0 * fr[0], color=_STANCE_FACE, lw=0, zorder=0, label="right-foot stance")
    if len(fr) > 1 and abs(fr[-1] - fr[0]) > 0.005:
        ax.axvline(100.0 * fr[-1], color="0.5", ls=":", lw=1, zorder=0,
                   label="toe-off, late stride")


# --------------------------------------------------------------------------- figures
def load_curves(res):
    """The fatigue cascade over a run: who carries the back load, and when it spikes.

    Panels: (1) peak force of the superficial and deep lumbar extensors as a fraction of
    their fresh capacity; (2) capacity of the hip abductors, quadriceps and lumbar
    muscles; (3) peak L5/S1 anterior shear in body weights with its spike threshold;
    (4) compensations (trunk lean, extra pelvic tilt); (5) the pace.
    The spike onset of the configured index is marked. Every y axis starts at zero so
    that sizes of change are not exaggerated.

    Parameters
    ----------
    res : RunResult

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import sim
    >>> fig = load_curves(sim.simulate(sim.load_config(None, {"run.duration_min": 10})))
    >>> fig.axes[2].get_ylabel()
    'L5/S1 anterior shear [body weights]'
    """
    from ..core.scenario import build_inputs  # fresh capacities for the deep group

    cfg = res.config
    t = _minutes(res)
    fig, axes = _figure(5, 1, (8.5, 12), sharex=True,
                        gridspec_kw={"height_ratios": [1, 1, 1, 1, 0.4]})
    axes = axes[:, 0]
    m = res.muscles
    t_end = _end_min(res)

    ax = axes[0]
    deep = [m.index(n) for n in res.groups["lumbar_deep"]]
    ax.plot(t, res.superficial_load_index, color=PALETTE["vermillion"], lw=2,
            label="superficial erector spinae (thoracic fascicles)")
    F0 = build_inputs(cfg).F0
    deep_load = res.peak_force_N[:, deep].sum(axis=1) / F0[deep].sum()
    ax.plot(t, deep_load, color=PALETTE["blue"], lw=2,
            label="deep lumbar muscles (multifidus, quadratus lumborum, lumbar fascicles)")
    if cfg.spike.index == "superficial_load":
        ax.axhline(cfg.spike.superficial_threshold, color="0.4", ls=":", lw=1,
                   label=f"spike threshold ({cfg.spike.superficial_threshold:g}, "
                         f"held {cfg.spike.hold_s:g} s)")
    ax.set_ylabel("peak force / fresh capacity [1]")
    ax.set_title("Back muscles: peak force per stride, as a fraction of fresh capacity")
    _mark_onset(ax, res)
    ax.set_ylim(0, max(1.05, np.nanmax(np.append(res.superficial_load_index, 0)) * 1.1))
    ax.legend(fontsize=8, loc="best")  # placed where it covers no curve

    ax = axes[1]
    for name, colour, label in (("hip_abductors", PALETTE["orange"], "hip abductors (gluteus medius, minimus, TFL)"),
                                ("knee_extensors", PALETTE["sky"], "quadriceps"),
                                ("lumbar_deep", PALETTE["blue"], "deep lumbar muscles"),
                                ("lumbar_superficial", PALETTE["vermillion"], "superficial lumbar muscles")):
        ax.plot(*_states(res, 100 * res.group_capacity(name)), color=colour, lw=2, label=label)
    ax.set_ylabel("capacity [% of fresh]")
    ax.set_ylim(0, 105)
    ax.set_title("Muscle capacity (fatigue and energy stores; group mean)")
    ax.legend(fontsize=8, loc="best", ncol=2)
    _mark_onset(ax, res, label=False)

    ax = axes[2]
    ax.plot(t, res.shear_bw, color=PALETTE["black"], lw=2, label="peak anterior shear per stride")
    if cfg.spike.index == "shear_bw":
        ax.axhline(cfg.spike.shear_threshold_bw, color="0.4", ls=":", lw=1.2,
                   label=f"spike threshold ({cfg.spike.shear_threshold_bw:g} BW, "
                         f"held {cfg.spike.hold_s:g} s)")
    ax.set_ylabel("L5/S1 anterior shear [body weights]")
    ax.set_title("Lumbar spine: peak anterior shear at L5/S1")
    _mark_onset(ax, res)
    top = np.nanmax(np.append(res.shear_bw, cfg.spike.shear_threshold_bw))
    ax.set_ylim(0, 1.15 * top)
    ax.legend(fontsize=8, loc="best")

    ax = axes[3]
    ax.plot(t, res.trunk_lean_deg, color=PALETTE["green"], lw=2,
            label="trunk lateral lean (peak per stride)")
    ax.plot(t, res.pelvic_tilt_deg, color=PALETTE["purple"], lw=2,
            label="extra anterior pelvic tilt (tight hip flexors, forward lean)")
    ax.plot(t, res.trunk_flexion_deg, color=PALETTE["orange"], lw=2, ls="--",
            label="forward trunk lean beyond the fresh posture")
    ax.set_ylabel("angle [deg]")
    angles = np.concatenate([res.trunk_lean_deg, res.pelvic_tilt_deg, res.trunk_flexion_deg,
                             [0.0]])
    ax.set_ylim(min(0.0, 1.4 * float(np.nanmin(angles))),
                max(2.0, 1.4 * float(np.nanmax(angles))))
    ax.set_title("Compensations")
    ax.legend(fontsize=8, loc="best", ncol=2)
    _mark_onset(ax, res, label=False)

    ax = axes[4]
    ax.step(*_states(res, res.speed_mps), where="post", color=PALETTE["black"], lw=1.5)
    ax.set_ylim(0, 1.2 * max(float(np.max(res.speed_mps)), 1.0))
    ax.set_ylabel("speed [m/s]")
    ax.set_title("Pace", fontsize=10)
    ax.set_xlabel("run time [min]")
    for a in axes:
        _shade_rest(a, res)
        a.grid(alpha=0.3, lw=0.5)
    ax.set_xlim(0, t_end)
    distance_axis(axes[0], res)

    return finish_figure(fig, "The fatigue cascade over the run", _caption(res))


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


def compensation_angles(res):
    """Compensations over the run: trunk lateral lean and extra anterior pelvic tilt.

    Panels: (1) peak trunk lateral lean per stride over the run [deg], with the hip
    abductors' capacity it compensates for on a right-hand axis; (2) extra anterior
    pelvic tilt over the run [deg] (from tight hip flexors; 0 when hip extension is
    never limited); (3) trunk lean within the stride early vs late (positive toward the
    stance hip), right-foot stance shaded.

    Parameters
    ----------
    res : RunResult

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import sim
    >>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
    >>> fig = compensation_angles(res)
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['trunk lateral lean [deg]', 'forward lean and pelvic tilt [deg]', 'trunk lateral lean [deg]']
    """
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(11, 7.8), layout="constrained")
    gs = fig.add_gridspec(2, 2)
    ax_lean = fig.add_subplot(gs[0, 0])
    ax_tilt = fig.add_subplot(gs[0, 1], sharex=ax_lean)
    ax_str = fig.add_subplot(gs[1, :])
    t = _minutes(res)
    t_end = _end_min(res)

    ax = ax_lean
    _shade_rest(ax, res, label=bool(np.any(res.speed_mps <= 0)))
    ax.plot(t, res.trunk_lean_deg, color=PALETTE["green"], lw=2,
            label="largest lean per stride (either direction)")
    ax.set_ylabel("trunk lateral lean [deg]")
    ax.set_xlabel("run time [min]")
    ax.set_title("Trunk lateral lean over the run\n(as the hip abductors tire)", fontsize=10)
    ax.set_ylim(0, max(1.0, 1.2 * float(np.nanmax(np.append(res.trunk_lean_deg, 0)))))
    ax.set_xlim(0, t_end)
    distance_axis(ax, res)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(fontsize=8, loc="lower right")

    ax = ax_tilt
    _shade_rest(ax, res)
    ax.plot(t, res.pelvic_tilt_deg, color=PALETTE["purple"], lw=2,
            label="extra anterior pelvic tilt (tightness + the pelvis's share of the lean)")
    ax.plot(t, res.trunk_flexion_deg, color=PALETTE["orange"], lw=2, ls="--",
            label="forward trunk lean beyond the fresh posture")
    ax.set_ylabel("forward lean and pelvic tilt [deg]")
    ax.set_xlabel("run time [min]")
    ax.set_title("Forward lean and pelvic tilt over the run\n(tired legs: lean forward; tight "
                 "hip flexors: pelvis tilts, lumbar spine extends)", fontsize=10)
    peak = float(np.nanmax(np.append(np.append(res.pelvic_tilt_deg, res.trunk_flexion_deg), 0)))
    low = float(np.nanmin(np.append(np.append(res.pelvic_tilt_deg, res.trunk_flexion_deg), 0)))
    ax.set_ylim(min(0.0, 1.2 * low), max(5.0, 1.2 * peak))
    ax.grid(alpha=0.3, lw=0.5)
    if peak <= 0:
        ax.text(0.5, 0.5, "no extra tilt or lean in this run:\nthe hip flexors never limit "
                "hip extension", transform=ax.transAxes, ha="center", va="center", fontsize=9,
                color="0.3")
    ax.legend(fontsize=8, loc="best")  # placed where it covers no curve

    ax = ax_str
    slots, times = _early_late(res)
    _shade_stance(ax, res, slots)
    x = 100.0 * np.append(res.stride_phase, 1.0)
    for s, colour, ls, when, first in zip(slots, (_EARLY, _LATE), ("-", "--"), times,
                                          (True, False)):
        y = res.stride_lean_deg[s]
        ax.plot(x, np.append(y, y[0]), color=colour, ls=ls, lw=2, gid=f"slot{s}",
                label=("early: " if first else "late: ") + _when(when, first))
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("gait cycle [% of stride, from right heel strike]")
    ax.set_ylabel("trunk lateral lean [deg]")
    ax.set_title("Trunk lean within one stride, early vs late "
                 "(+ toward the stance hip, − away from it)", fontsize=10)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(fontsize=8, loc="upper right")
    notes = ["Lean is used only in right-foot stance. Toward the stance hip it lowers the hip "
             "abduction moment the muscles must produce; away from it, it supplies part of the "
             "lumbar side-bending moment",
             "instead (at the hip abductors' cost). How readily the model leans (its cost) is an "
             "assumption.",
             "Pelvic tilt is a posture held over the stride: one degree per degree of hip "
             "extension the tight hip flexors do not allow (model default)."]
    return finish_figure(fig, "Compensations: trunk lean and pelvic tilt", _caption(res), notes)


def compare_runs(results, labels=None):
    """Two or more runs on one figure.

    Panels sharing the run-time axis: (1) peak L5/S1 anterior shear [BW] with the spike
    threshold and each run's shear spike onset marked (a triangle on its curve and a
    dashed line in its colour; a spike from the start gets the triangle only, just inside
    the axis); (2) superficial erector spinae load [fraction of fresh capacity] with its
    onsets; (3) hip-abductor capacity [% of fresh]; (4) speed [m/s]. Each run keeps one
    colour and line style in every panel.

    Parameters
    ----------
    results : sequence of RunResult
        At least two runs.
    labels : sequence of str, optional
        One label per run; default the configuration names.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If fewer than two runs or a wrong number of labels are given.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import sim
    >>> runs = [sim.simulate(sim.load_config(None, {"run.duration_min": 10,
    ...                                             "run.speed_mps": v})) for v in (3.0, 4.0)]
    >>> fig = compare_runs(runs, ["3 m/s", "4 m/s"])
    >>> len(fig.axes)
    4
    """
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation

    results = list(results)
    if len(results) < 2:
        raise ValueError(f"compare_runs needs at least two runs, got {len(results)}")
    if labels is None:
        labels = [getattr(r.config, "name", f"run {i + 1}") for i, r in enumerate(results)]
        if len(set(labels)) < len(labels):
            labels = [f"{lab} ({i + 1})" for i, lab in enumerate(labels)]
    labels = [str(s) for s in labels]
    if len(labels) != len(results):
        raise ValueError(f"{len(labels)} labels for {len(results)} runs")

    fig, axes = _figure(4, 1, (9, 11), sharex=True)
    axes = axes[:, 0]
    t_end = max(_end_min(r) for r in results)
    thresholds = {"shear_bw": set(), "superficial_load": set()}
    handles = []
    for j, (res, lab) in enumerate(zip(results, labels)):
        colour = _RUN_COLOURS[j % len(_RUN_COLOURS)]
        ls = _RUN_STYLES[j % len(_RUN_STYLES)]
        t = _minutes(res)
        kw = dict(color=colour, ls=ls, lw=2, gid=f"run{j}")
        shear_on = res.spike_onsets["shear_bw"]
        when = ("no shear spike" if not np.isfinite(shear_on) else
                "shear spike from the start" if shear_on < 1.0 else
                f"shear spike at {shear_on / 60:.0f} min")
        name = f"{lab} ({when})"
        axes[0].plot(t, res.shear_bw, label=name, **kw)
        axes[1].plot(t, res.superficial_load_index, **kw)
        axes[2].plot(*_states(res, 100 * res.group_capacity("hip_abductors")), **kw)
        axes[3].step(*_states(res, res.speed_mps), where="post", **kw)
        thresholds["shear_bw"].add(res.config.spike.shear_threshold_bw)
        thresholds["superficial_load"].add(res.config.spike.superficial_threshold)
        for ax, index, y in ((axes[0], "shear_bw", res.shear_bw),
                             (axes[1], "superficial_load", res.superficial_load_index)):
            onset = res.spike_onsets[index]
            if np.isfinite(onset):
                k = int(np.clip(np.searchsorted(res.time_s, onset, side="right") - 1, 0,
                                res.time_s.size - 1))
                shift = ax.transData
                if onset >= 1.0:
                    ax.axvline(onset / 60.0, color=colour, ls=(0, (4, 3)), lw=1, alpha=0.8)
                else:
                    # from the start: no line (it would lie on the axis); the triangle is
                    # moved right by its half width, so that it stays inside the panel
                    shift = shift + ScaledTranslation(4.5 / 72.0, 0.0, fig.dpi_scale_trans)
                ax.plot([onset / 60.0], [y[k]], marker="v", ms=9, color=colour, mec="white",
                        ls="none", gid=f"onset{j}", clip_on=False, zorder=5, transform=shift)
        handles.append(Line2D([], [], color=colour, ls=ls, lw=2, label=name))
    hold = sorted({r.config.spike.hold_s for r in results})
    hold_txt = "/".join(f"{h:g}" for h in hold)
    for ax, index, unit in ((axes[0], "shear_bw", " BW"), (axes[1], "superficial_load", "")):
        for thr in sorted(thresholds[index]):
            ax.axhline(thr, color="0.4", ls=":", lw=1.2)
            ax.annotate(f"spike threshold {thr:g}{unit} (held {hold_txt} s)", (1.0, thr),
                        xycoords=("axes fraction", "data"), xytext=(-4, 3),
                        textcoords="offset points", ha="right", va="bottom", fontsize=8,
                        color="0.3")
    top0 = max(float(np.nanmax(np.append(r.shear_bw, 0))) for r in results)
    axes[0].set_ylim(0, 1.2 * max(top0, *thresholds["shear_bw"]))
    top1 = max(float(np.nanmax(np.append(r.superficial_load_index, 0))) for r in results)
    axes[1].set_ylim(0, 1.2 * max(top1, *thresholds["superficial_load"]))
    axes[2].set_ylim(0, 105)
    axes[3].set_ylim(0, 1.15 * max(float(np.max(r.speed_mps)) for r in results))
    axes[0].set_ylabel("L5/S1 anterior shear\n[body weights]")
    axes[0].set_title("Lumbar spine: peak anterior shear at L5/S1 per stride "
                      "(▼ and dashed line: spike onset)", fontsize=10)
    axes[1].set_ylabel("superficial load\n[peak force / fresh capacity]")
    axes[1].set_title("Superficial erector spinae (thoracic fascicles): peak load per stride "
                      "(▼: spike onset)", fontsize=10)
    axes[2].set_ylabel("capacity [% of fresh]")
    axes[2].set_title("Hip abductors (gluteus medius, minimus, TFL): capacity", fontsize=10)
    axes[3].set_ylabel("speed [m/s]")
    axes[3].set_title("Pace", fontsize=10)
    axes[3].set_xlabel("run time [min]")
    axes[3].set_xlim(0, t_end)
    for ax in axes:
        ax.grid(alpha=0.3, lw=0.5)
    notes = ["Spike onset: the first time the index stays above its threshold for the hold "
             "time; \"from the start\" means the run is above it in its first minutes."]
    return finish_figure(fig, f"Comparing {len(results)} runs", None, notes, handles,
                   ncol=1 if len(results) > 3 else min(2, len(results)))
