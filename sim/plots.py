"""Figures of a run (matplotlib only; each function takes a result and returns a Figure).

One style for every figure: the Okabe-Ito colour-blind-safe palette, units on every
axis, and a footnote that this is an educational model, not medical advice.

Examples
--------
>>> import matplotlib; matplotlib.use("Agg")
>>> import sim
>>> res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
>>> fig = load_curves(res)
>>> len(fig.axes)          # four panels and the speed axis
5
"""
from __future__ import annotations

import numpy as np

__all__ = ["PALETTE", "load_curves", "DISCLAIMER"]

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
DISCLAIMER = "Educational model, not medical advice."


def _minutes(res):
    """Checkpoint mid-times [min] (states are at the start; loads describe the block)."""
    return (res.time_s + 0.5 * res.duration_s) / 60.0


def _mark_onset(ax, res, label=True):
    onset = res.spike_onset_s
    if np.isfinite(onset):
        ax.axvline(onset / 60.0, color=PALETTE["vermillion"], ls="--", lw=1.2,
                   label=f"spike onset ({onset / 60:.0f} min)" if label else None)


def load_curves(res):
    """The fatigue cascade over a run: who carries the back load, and when it spikes.

    Panels: (1) peak force of the superficial and deep lumbar extensors as a fraction of
    their fresh capacity; (2) capacity of gluteus medius and the quadriceps; (3) peak L5/S1
    anterior shear in body weights with its spike threshold; (4) compensations (trunk
    lean, extra pelvic tilt). The spike onset of the configured index is marked.

    Parameters
    ----------
    res : RunResult

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    cfg = res.config
    t = _minutes(res)
    t0 = res.time_s / 60.0
    fig, axes = plt.subplots(4, 1, figsize=(8.5, 10), sharex=True, constrained_layout=True)
    m = res.muscles

    ax = axes[0]
    deep = [m.index(n) for n in res.groups["lumbar_deep"]]
    sup = m.index("erector_spinae_superficial")
    ax.plot(t, res.superficial_load_index, color=PALETTE["vermillion"], lw=2,
            label="superficial erector spinae (thoracic fascicles)")
    from .scenario import build_inputs  # fresh capacities for the deep group

    F0 = build_inputs(cfg).F0
    deep_load = res.peak_force_N[:, deep].sum(axis=1) / F0[deep].sum()
    ax.plot(t, deep_load, color=PALETTE["blue"], lw=2,
            label="deep lumbar muscles (multifidus, quadratus lumborum, lumbar fascicles)")
    if cfg.spike.index == "superficial_load":
        ax.axhline(cfg.spike.superficial_threshold, color="0.4", ls=":", lw=1,
                   label="spike threshold")
    ax.set_ylabel("peak force / fresh capacity [-]")
    ax.set_title("Back muscles: peak load per stride")
    _mark_onset(ax, res)
    ax.legend(fontsize=8, loc="best")
    del sup

    ax = axes[1]
    for name, colour, label in (("hip_abductors", PALETTE["orange"], "hip abductors (gluteus medius, minimus, TFL)"),
                                ("knee_extensors", PALETTE["sky"], "quadriceps"),
                                ("lumbar_deep", PALETTE["blue"], "deep lumbar muscles"),
                                ("lumbar_superficial", PALETTE["vermillion"], "superficial lumbar muscles")):
        ax.plot(t0, 100 * res.group_capacity(name), color=colour, lw=2, label=label)
    ax.set_ylabel("capacity [% of fresh]")
    ax.set_title("Muscle capacity (fatigue and energy stores)")
    ax.legend(fontsize=8, loc="lower left")
    _mark_onset(ax, res, label=False)

    ax = axes[2]
    ax.plot(t, res.shear_bw, color=PALETTE["black"], lw=2, label="peak anterior shear")
    if cfg.spike.index == "shear_bw":
        ax.axhline(cfg.spike.shear_threshold_bw, color="0.4", ls=":", lw=1,
                   label=f"spike threshold ({cfg.spike.shear_threshold_bw:g} BW, "
                         f"held {cfg.spike.hold_s:g} s)")
    ax.set_ylabel("L5/S1 anterior shear [body weights]")
    ax.set_title("Lumbar spine load per stride")
    _mark_onset(ax, res)
    ax.legend(fontsize=8, loc="best")

    ax = axes[3]
    ax.plot(t, res.trunk_lean_deg, color=PALETTE["green"], lw=2, label="trunk lateral lean")
    ax.plot(t, res.pelvic_tilt_deg, color=PALETTE["purple"], lw=2,
            label="extra anterior pelvic tilt (tight hip flexors)")
    ax2 = ax.twinx()
    ax2.step(t0, res.speed_mps, where="post", color="0.5", lw=1)
    ax2.set_ylabel("speed [m/s]", color="0.4")
    ax.set_ylabel("angle [deg]")
    ax.set_xlabel("run time [min]")
    ax.set_title("Compensations (and pace, grey)")
    ax.legend(fontsize=8, loc="upper left")
    _mark_onset(ax, res, label=False)

    fig.suptitle(f"{cfg.name}: {res.summary()['distance_km']:.1f} km", fontsize=12)
    fig.text(0.01, 0.0, DISCLAIMER, fontsize=7, color="0.4")
    return fig
