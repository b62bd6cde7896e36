"""Pace profiles, rest breaks and in-run pace policies.

A run's *planned* pace is a list of segments (duration, speed) whose last speed is held
to the end; ``run.speed_mps`` (a constant pace) overrides the segments. Rest breaks are
intervals in which the runner stops (every muscle at zero target, so fatigue recovers
at r·R, the 3CC-r rest rate). Pace *policies* react to the back-load index inside the
run; the engine runs them, this module only encodes them as numbers:

``none``
    Follow the plan.
``slow_down``
    The article's first advice: once the configured back-load index is above its spike
    threshold, slow to a moderate jog (``intervention.slow_down_speed_mps``) for the rest
    of the run (never faster than the plan).
``in_run_sequence``
    The article's in-run sequence: slow down; if the index is still above threshold
    ``policy_wait_min`` later, stop and stretch the hip flexors (``stretch_duration_min``,
    a rest for the muscles that also removes ``stretch_before_deg`` of tightness, or 5°
    when that is 0, an assumption); if it is still high ``policy_wait_min`` after that,
    lie down and rest (``rest_duration_min``); then carry on at the jog.

Examples
--------
>>> from sim.config import load_config
>>> cfg = load_config(None, {"run.segments": [{"duration_min": 10, "speed_mps": 3.8},
...                                           {"duration_min": 50, "speed_mps": 3.0}]})
>>> p = pace_plan(cfg)
>>> p.segment_end_s.tolist(), p.segment_speed_mps.tolist()
([600.0, inf], [3.8, 3.0])
>>> float(planned_speed(700.0, p.segment_end_s, p.segment_speed_mps))
3.0
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..jit import kernel

__all__ = ["POLICIES", "PacePlan", "pace_plan", "planned_speed", "in_interval", "pace_text"]

#: Policy names and the integer codes the engine uses.
POLICIES = {"none": 0, "slow_down": 1, "in_run_sequence": 2}

#: Tightness removed by the in-run stretch when no pre-run stretch amount is set [deg];
#: assumption (of the order of the acute effect of static hip-flexor stretching on
#: passive hip extension, a few degrees).
DEFAULT_IN_RUN_STRETCH_DEG = 5.0


@dataclass(frozen=True)
class PacePlan:
    """Pace and interventions of one run as arrays and scalars (SI units).

    Attributes
    ----------
    duration_s : float
        Run length [s].
    segment_end_s, segment_speed_mps : ndarray
        Planned pace: speed ``segment_speed_mps[i]`` until ``segment_end_s[i]`` [s]; the
        last end is ``inf``.
    break_start_s, break_end_s : ndarray
        Planned rest breaks [s], sorted.
    policy : int
        Code from :data:`POLICIES`.
    jog_speed_mps : float
        Speed the policies slow to.
    wait_s, stretch_s, rest_s : float
        Policy timings [s].
    stretch_deg, stretch_fade_s : float
        Tightness removed by stretching before the run [deg] and the time over which the
        effect fades linearly to nothing [s] (0: it lasts the whole run).
    in_run_stretch_deg : float
        Tightness removed by the in-run stretch of the sequence policy [deg].
    """

    duration_s: float
    segment_end_s: np.ndarray
    segment_speed_mps: np.ndarray
    break_start_s: np.ndarray
    break_end_s: np.ndarray
    policy: int
    jog_speed_mps: float
    wait_s: float
    stretch_s: float
    rest_s: float
    stretch_deg: float
    stretch_fade_s: float
    in_run_stretch_deg: float

    def speeds(self) -> np.ndarray:
        """Every speed this run can use [m/s] (plan and policy), sorted and unique."""
        s = list(self.segment_speed_mps)
        if self.policy:
            s += [min(self.jog_speed_mps, float(np.min(self.segment_speed_mps)))]
            s += [min(self.jog_speed_mps, v) for v in self.segment_speed_mps]
        return np.unique(np.asarray(s, dtype=np.float64))


def pace_plan(cfg) -> PacePlan:
    """Build the :class:`PacePlan` of a :class:`~sim.config.Config`."""
    run, iv = cfg.run, cfg.intervention
    if run.speed_mps is not None:
        ends, speeds = [np.inf], [run.speed_mps]
    else:
        ends, speeds, t = [], [], 0.0
        for seg in run.segments:
            t += seg["duration_min"] * 60.0
            ends.append(t)
            speeds.append(seg["speed_mps"])
        ends[-1] = np.inf
    breaks = sorted((b["at_min"] * 60.0, (b["at_min"] + b["duration_min"]) * 60.0)
                    for b in iv.rest_breaks)
    starts = np.array([b[0] for b in breaks], dtype=np.float64)
    stops = np.array([b[1] for b in breaks], dtype=np.float64)
    return PacePlan(
        duration_s=run.duration_min * 60.0,
        segment_end_s=np.array(ends, dtype=np.float64),
        segment_speed_mps=np.array(speeds, dtype=np.float64),
        break_start_s=starts,
        break_end_s=stops,
        policy=POLICIES[iv.pace_policy],
        jog_speed_mps=iv.slow_down_speed_mps,
        wait_s=iv.policy_wait_min * 60.0,
        stretch_s=iv.stretch_duration_min * 60.0,
        rest_s=iv.rest_duration_min * 60.0,
        stretch_deg=iv.stretch_before_deg,
        stretch_fade_s=iv.stretch_fade_min * 60.0,
        in_run_stretch_deg=iv.stretch_before_deg or DEFAULT_IN_RUN_STRETCH_DEG,
    )


@kernel
def planned_speed(t, segment_end_s, segment_speed_mps):
    """Planned speed [m/s] at run time ``t`` [s]."""
    for i in range(segment_end_s.shape[0]):
        if t < segment_end_s[i]:
            return segment_speed_mps[i]
    return segment_speed_mps[segment_speed_mps.shape[0] - 1]


@kernel
def in_interval(t, starts, ends):
    """True if ``starts[i] <= t < ends[i]`` for some ``i``."""
    for i in range(starts.shape[0]):
        if starts[i] <= t < ends[i]:
            return True
    return False


def pace_text(run) -> str:
    """The planned pace of a config's ``[run]`` section, for progress lines.

    Examples
    --------
    >>> import sim
    >>> pace_text(sim.load_config(None, {"run.speed_mps": 3.2}).run)
    '3.2 m/s'
    >>> pace_text(sim.load_config(None, {"run.segments": [
    ...     {"duration_min": 10, "speed_mps": 3.4}, {"duration_min": 20, "speed_mps": 3.0}]}).run)
    '2 pace segments (3-3.4 m/s)'
    """
    if run.speed_mps is not None:
        return f"{run.speed_mps:g} m/s"
    speeds = [float(seg["speed_mps"]) for seg in run.segments]
    return (f"{len(speeds)} pace segment{'s' if len(speeds) != 1 else ''} "
            f"({min(speeds):g}-{max(speeds):g} m/s)")
