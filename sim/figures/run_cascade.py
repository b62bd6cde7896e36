"""Run figures of the fatigue cascade and the compensations it brings.

- :func:`load_curves` -- back-muscle load, muscle capacity, L5/S1 shear with its spike
  threshold, compensations and the pace over the run;
- :func:`compensation_angles` -- trunk lateral lean and extra anterior pelvic tilt over
  the run, and the lean within a stride early vs late.

Re-exported by :mod:`sim.figures.plots`, where they were defined before.
"""
from __future__ import annotations

import numpy as np

from .figure_style import PALETTE, _figure, finish_figure
from .run_axes import (_EARLY, _LATE, _caption, _early_late, _end_min, _mark_onset, _minutes,
                       _shade_rest, _shade_stance, _states, _when, distance_axis)


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
