"""Stride timing of the gait demand: stance fraction, stride time, cadence, step-rate factors.

The stance fraction and stride time are the reference runner's own values [1]_, linearly
interpolated in speed; cadence is 120 / stride time, and a step rate changed by
``step_rate_scale`` divides the stride time by it, raises the stance fraction as measured
peak forces require [5]_, and scales three moment lobes by the factors fitted to
Heiderscheit et al. [3]_ and Lieberman et al. [4]_ (steps 3 and 4 of the
method in :mod:`sim.physics.gait`). The range checks of speed and step rate, the
bracketing reference speeds of a speed and the piecewise-linear warp between gait events
(step 2) live here too.

References
----------
.. [1] Hamner SR, Delp SL (2013) Muscle contributions to fore-aft and vertical body mass
   center accelerations over a range of running speeds. J Biomech 46(4):780–787.
.. [3] Heiderscheit BC, Chumanov ES, Michalski MP, Wille CM, Ryan MB (2011) Effects of
   step rate manipulation on joint mechanics during running. Med Sci Sports Exerc
   43(2):296–302.
.. [4] Lieberman DE, Warrener AG, Wang J, Castillo ER (2015) Effects of stride frequency
   and foot position at landing on braking force, hip torque, impact peak force and the
   metabolic cost of running in humans. J Exp Biol 218(21):3406–3414.
.. [5] Musgjerd T, Anason J, Rutherford D, Kernozek TW (2021) Effect of increasing running
   cadence on peak impact force in an outdoor environment. Int J Sports Phys Ther
   16(4):1076, doi:10.26603/001c.25166.
"""
from __future__ import annotations

import numpy as np

from .gait_reference import SPEED_RANGE_MPS, STEP_RATE_SCALE_RANGE, _Model, _model

__all__ = ["stance_fraction", "stride_time_s", "cadence_spm", "step_rate_factors"]


# --------------------------------------------------------------------------------------
# Checks, timing and interpolation weights
# --------------------------------------------------------------------------------------

def _check_speed(speed_mps) -> float:
    v = float(speed_mps)
    lo, hi = SPEED_RANGE_MPS
    if not (lo <= v <= hi):
        raise ValueError(f"speed_mps = {speed_mps!r} m/s is outside the range of the reference "
                         f"gait data [{lo:g}, {hi:g}] m/s; the gait demand is not extrapolated")
    return v


def _check_scale(step_rate_scale) -> float:
    s = float(step_rate_scale)
    lo, hi = STEP_RATE_SCALE_RANGE
    if not (lo <= s <= hi):
        raise ValueError(f"step_rate_scale = {step_rate_scale!r} is outside the allowed range "
                         f"[{lo:g}, {hi:g}] (1 = natural step rate)")
    return s


def _neighbours(m: _Model, v: float):
    """[(reference index, weight), ...] of the bracketing reference speeds, weights > 0."""
    i = int(np.searchsorted(m.speeds, v, side="right")) - 1
    i = min(max(i, 0), len(m.speeds) - 2)
    w = (v - m.speeds[i]) / (m.speeds[i + 1] - m.speeds[i])
    return [(k, wk) for k, wk in ((i, 1.0 - w), (i + 1, w)) if wk > 0.0]


def _warp(phase, s_from: float, s_to: float):
    """Piecewise-linear map of phase with gait events at s_from onto events at s_to.

    Knots: right heel strike 0, right toe-off s, left heel strike 0.5, left toe-off 0.5 + s.
    """
    return np.interp(phase, (0.0, s_from, 0.5, 0.5 + s_from, 1.0),
                     (0.0, s_to, 0.5, 0.5 + s_to, 1.0))


def stance_fraction(speed_mps: float, step_rate_scale: float = 1.0) -> float:
    """Right-foot stance as a fraction of the stride at a given speed and step rate.

    The reference runner's own stance fractions [1]_ (0.444, 0.385, 0.366, 0.366 at 2, 3,
    4, 5 m/s), linearly interpolated in speed, times ``step_rate_scale ** γ``. Quicker
    steps shorten the flight more than the contact, so the stance fraction rises; γ
    (0.82) is set so that the peak vertical force, which varies as 1 / stance fraction
    at a fixed impulse, falls as Musgjerd et al. [5]_ measured (−5.6 % at +7.3 %); the
    contact time then varies as ``step_rate_scale ** (γ − 1)`` (−1.7 % at +10 %).

    Parameters
    ----------
    speed_mps : float
        Running speed in [2, 5] [m/s].
    step_rate_scale : float, default 1.0
        Step rate relative to the natural one, in ``STEP_RATE_SCALE_RANGE`` [-].

    Returns
    -------
    float
        Stance fraction = toe-off phase [-].

    Raises
    ------
    ValueError
        If the speed or step rate lies outside its range.

    Examples
    --------
    >>> stance_fraction(3.0)
    0.385
    >>> round(stance_fraction(2.5), 4)
    0.4145
    >>> round(stance_fraction(3.0, 1.1), 4)
    0.4162
    """
    m = _model()
    s = float(np.interp(_check_speed(speed_mps), m.speeds, m.stance))
    scale = _check_scale(step_rate_scale)
    return s if scale == 1.0 else s * scale ** m.stance_exponent


def stride_time_s(speed_mps: float, step_rate_scale: float = 1.0) -> float:
    """Duration of one stride (two steps) [s].

    The reference runner's stride times [1]_ linearly interpolated in speed, divided by
    ``step_rate_scale``.

    Parameters
    ----------
    speed_mps : float
        Running speed in [2, 5] [m/s].
    step_rate_scale : float, default 1.0
        Step rate relative to the natural one, in ``STEP_RATE_SCALE_RANGE`` [-].

    Returns
    -------
    float
        Stride time [s].

    Examples
    --------
    >>> stride_time_s(3.0)
    0.722
    >>> round(stride_time_s(3.0, step_rate_scale=1.1), 3)
    0.656
    """
    m = _model()
    natural = float(np.interp(_check_speed(speed_mps), m.speeds, m.stride_time))
    return natural / _check_scale(step_rate_scale)


def cadence_spm(speed_mps: float, step_rate_scale: float = 1.0) -> float:
    """Step rate [steps/min] = 120 / stride time.

    Parameters
    ----------
    speed_mps : float
        Running speed in [2, 5] [m/s].
    step_rate_scale : float, default 1.0
        Step rate relative to the natural one [-].

    Returns
    -------
    float
        Cadence [steps/min].

    Examples
    --------
    >>> round(cadence_spm(3.5))
    171
    """
    return 120.0 / stride_time_s(speed_mps, step_rate_scale)


def step_rate_factors(speed_mps: float, step_rate_scale: float) -> dict:
    """Multipliers of the moment lobes that step rate changes.

    ``hip_abduction`` and ``knee_extension`` (stance lobes): ``1 + β (scale − 1)`` with β
    fitted to Heiderscheit et al. [3]_ Table 3 (β ≈ −0.56 and −1.0). ``hip_flexion``
    (the flexor lobe holding the swing peak): ``1 + 0.058/5 · Δf`` with Δf the change in
    stride frequency [strides/min] at this speed (Lieberman et al. [4]_).

    Parameters
    ----------
    speed_mps : float
        Running speed in [2, 5] [m/s] (sets the natural stride frequency).
    step_rate_scale : float
        Step rate relative to the natural one [-].

    Returns
    -------
    dict
        ``{"hip_flexion": k, "hip_abduction": k, "knee_extension": k}`` [-].

    Examples
    --------
    >>> f = step_rate_factors(3.0, 1.1)
    >>> round(f["hip_abduction"], 3), round(f["knee_extension"], 3)
    (0.944, 0.9)
    """
    m = _model()
    s = _check_scale(step_rate_scale)
    strides_per_min = 60.0 / stride_time_s(speed_mps)
    return {
        "hip_flexion": 1.0 + m.hip_flexor_gain_per_spm * strides_per_min * (s - 1.0),
        "hip_abduction": 1.0 + m.beta_hip_abd * (s - 1.0),
        "knee_extension": 1.0 + m.beta_knee * (s - 1.0),
    }
