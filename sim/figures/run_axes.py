"""The parts every run figure shares: its time axis, what it shades, how it names the run.

- run time [min] on the x axis (:func:`_minutes`, :func:`_end_min`, :func:`_states`) with
  a distance scale [km] on top (:func:`time_to_distance`, :func:`distance_axis`);
- grey spans where the runner was not running (:func:`_shade_rest`) and a light span
  after the spike onset (:func:`_mark_onset`);
- within-stride plots: the first and last stored stride (:func:`_early_late`,
  :func:`_when`) with right-foot stance shaded (:func:`_shade_stance`);
- the one-line caption naming the run (:func:`_caption`) and the colours with a fixed
  meaning in every run figure.

Re-exported by :mod:`sim.figures.plots`, where they were defined before.
"""
from __future__ import annotations

import numpy as np

from .figure_style import PALETTE

#: Colours with a fixed meaning in every run figure.
_ST, _FT = PALETTE["blue"], PALETTE["orange"]          # slow- / fast-twitch pool
_EARLY, _LATE = PALETTE["blue"], PALETTE["vermillion"]  # early / late in the run
_RUN_COLOURS = [PALETTE[c] for c in ("blue", "vermillion", "green", "orange", "purple", "sky",
                                     "black")]
_RUN_STYLES = ["-", "--", "-.", ":"]
_STANCE_FACE = "0.92"
_REST_TEXT = "not running (rest / stretch)"


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


def _stance_fraction(speed_mps: float, step_rate_scale: float = 1.0) -> float:
    from ..physics.gait import stance_fraction

    return stance_fraction(float(speed_mps), float(step_rate_scale))


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
    cfg = getattr(res, "config", None)
    scale = 1.0 if cfg is None else cfg.scenario.step_rate_scale
    fr = [_stance_fraction(res.speed_mps[k[s]], scale) for s in slots]
    ax.axvspan(0.0, 100.0 * fr[0], color=_STANCE_FACE, lw=0, zorder=0, label="right-foot stance")
    if len(fr) > 1 and abs(fr[-1] - fr[0]) > 0.005:
        ax.axvline(100.0 * fr[-1], color="0.5", ls=":", lw=1, zorder=0,
                   label="toe-off, late stride")
