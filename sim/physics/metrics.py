"""Back-load indices and spike onset.

A back-load index is sampled once per stride (or per block of strides: the block's mean,
:class:`sim.core.simulation.RunResult`) and holds its value until the next sample. The *spike onset* of an index is the start of the first
interval in which the index stays above an **absolute** threshold for at least a hold
time; NaN when that never happens. An absolute threshold is used on purpose: a
baseline relative to the run's own first minutes would hide hip-flexor tightness (which
raises the baseline) and flag the normal early settling of the three-compartment
states as a spike.

Examples
--------
>>> import numpy as np
>>> t = np.arange(0.0, 600.0, 60.0)                 # one sample a minute
>>> x = np.array([0, 1, 0, 0, 1, 1, 1, 1, 0, 0.])    # above 0.5 from 240 s to 480 s
>>> float(spike_onset(t, x, threshold=0.5, hold_s=120.0, t_end=600.0))
240.0
>>> bool(np.isnan(spike_onset(t, x, threshold=0.5, hold_s=300.0, t_end=600.0)))
True
"""
from __future__ import annotations

import numpy as np

from ..jit import kernel

__all__ = ["spike_onset", "spike_onset_kernel", "running_at", "running_at_kernel"]


@kernel
def spike_onset_kernel(time_s, index, threshold, hold_s, t_end):
    """Numba kernel of :func:`spike_onset` (same arguments, float64 arrays)."""
    n = time_s.shape[0]
    start = np.nan
    for k in range(n):
        if index[k] > threshold:
            if np.isnan(start):
                start = time_s[k]
            t_next = time_s[k + 1] if k + 1 < n else t_end
            if t_next - start >= hold_s:
                return start
        else:
            start = np.nan
    return np.nan


@kernel
def running_at_kernel(time_s, duration_s, speed_mps, t):
    """Numba kernel of :func:`running_at` (float64 arrays)."""
    run_s = 0.0
    dist = 0.0
    if not np.isfinite(t):
        return np.nan, np.nan
    for k in range(time_s.shape[0]):
        if time_s[k] >= t:
            break
        if speed_mps[k] > 0.0:
            run_s += duration_s[k]
            dist += speed_mps[k] * duration_s[k]
    return run_s, dist / 1000.0


def running_at(time_s, duration_s, speed_mps, t):
    """Running time [s] and distance [km] covered before run time ``t`` (a checkpoint start).

    Rest breaks and stops (checkpoints at speed 0) do not count: an onset in running time
    says how much running it took, however the run was split.

    Examples
    --------
    >>> running_at([0, 60, 120, 180], [60, 60, 60, 60], [3.0, 0.0, 3.0, 3.0], 180.0)
    (120.0, 0.36)
    >>> running_at([0, 60], [60, 60], [3.0, 3.0], float("nan"))
    (nan, nan)
    """
    s, km = running_at_kernel(np.asarray(time_s, dtype=np.float64),
                              np.asarray(duration_s, dtype=np.float64),
                              np.asarray(speed_mps, dtype=np.float64), float(t))
    return float(s), float(round(km, 12))


def spike_onset(time_s, index, threshold, hold_s, t_end=None):
    """Start of the first interval where ``index`` stays above ``threshold`` for ``hold_s``.

    Parameters
    ----------
    time_s : array_like, shape (n,)
        Sample times [s], increasing; sample ``k`` holds over ``[time_s[k], time_s[k+1])``.
    index : array_like, shape (n,)
        Back-load index (e.g. peak anterior shear [BW]); NaN counts as not above.
    threshold : float
        Absolute threshold, in the index's unit.
    hold_s : float
        Time the index must stay above the threshold [s]; 0 means the first sample above.
    t_end : float, optional
        End of the last sample's interval [s] (the run's end); default: the last sample
        time plus the last sample spacing.

    Returns
    -------
    float
        Onset time [s], or NaN when the index never stays above the threshold that long.
    """
    t = np.ascontiguousarray(time_s, dtype=np.float64)
    x = np.ascontiguousarray(index, dtype=np.float64)
    if t.shape != x.shape or t.ndim != 1:
        raise ValueError(f"time_s and index must be 1-D of equal length, got {t.shape} and {x.shape}")
    if t.size == 0:
        return np.nan
    if t_end is None:
        t_end = t[-1] + (t[-1] - t[-2] if t.size > 1 else 0.0)
    return float(spike_onset_kernel(t, x, float(threshold), float(hold_s), float(t_end)))
