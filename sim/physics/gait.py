"""Gait demand: the net joint moments a running stride asks for, by speed and step rate.

The demand is what the muscles must produce at each phase of a right gait cycle (right
heel strike at phase 0 to the next right heel strike at phase 1): net internal joint
moments per kg of body mass on six degrees of freedom (DOF), the right-foot vertical
ground reaction force, and the right hip angle (for the hip-extension range the stride
needs). It comes from one runner's inverse-dynamics curves at 2, 3, 4 and 5 m/s [1]_,
[2]_, cleaned of documented artefacts, aligned on gait events, interpolated in speed and
adjusted for step rate [3]_, [4]_.

Sign conventions
----------------
Each demanded net internal moment is positive in the direction its DOF names
(``DOFS``); the reference files use the source model's coordinate signs [2]_:

==========================  ============================================  ==============================
DOF                         + means (net internal moment)                 from the reference column
==========================  ============================================  ==============================
``hip_flexion``             hip flexor moment (− = extensor)              ``+hip_flexion_moment``
``hip_abduction``           hip abductor moment (− = adductor)            ``−hip_adduction_moment``
``knee_extension``          knee extensor moment (− = flexor)             ``+knee_moment``
``ankle_plantarflexion``    ankle plantarflexor moment (− = dorsiflexor)  ``−ankle_moment``
``lumbar_extension``        lumbar extensor moment (− = flexor)           ``+lumbar_extension_moment``
``lumbar_bending``          toward right lateral bending (− = left)       ``+lumbar_bending_moment``
==========================  ============================================  ==============================

Hip, knee and ankle are the right leg's joints. The lumbar joint is shared by both legs'
strides: its curves have one burst in right stance (phase ≈ 0–0.4) and one in left stance
(phase ≈ 0.5–0.9). For ``lumbar_bending`` + is toward the right, which is the stance side
while the right foot is on the ground; in the reference data the moment is negative in
right stance (≈ −0.5 N·m/kg) and positive in left stance, i.e. it acts toward the swing
side in each stance. ``hip_extension_deg`` is minus the hip flexion angle (positive =
hip extension, thigh behind the pelvis).

Method
------
1. *Artefacts* (per reference trial, before anything else; the phases touched are
   returned as ``smoothed_or_capped``):

   - Cycle closure: the one- or two-cycle averages do not end where they start (up to
     0.3 N·m/kg at 5 m/s). The mismatch is removed with a raised-cosine ramp over the
     last ``closure_window`` (6 %) of the cycle, before heel strike; all DOFs.
   - Frontal-plane hip moment around toe-off: at 4–5 m/s it swings from a
     0.8–0.95 N·m/kg adductor moment in the last samples of stance, where the vertical
     force is below 0.1 body weights (it would need a lever arm of metres), to a
     0.85–0.95 N·m/kg abductor moment in early swing. Between 8 % of the cycle before and
     18 % after toe-off, with 3 % raised-cosine tapers, the moment is soft-capped as
     ``cap·tanh(m/cap)`` with ``cap`` = 0.3 N·m/kg (about the inertial moment of a
     swinging leg; the 2–3 m/s trials stay within about 0.35 N·m/kg there).
   - Fourier smoothing: every moment and the hip angle are represented by a Fourier
     series truncated after 15 harmonics (≈ 19–24 Hz at the reference stride times),
     which removes sample-level jitter and lets the curves be evaluated at any phase.
     It trims the sharpest feature, the hip extensor transient at impact, by about
     0.07 N·m/kg (−1.64 → −1.57 N·m/kg at 3 m/s); 12 harmonics would cut it further
     and reach 0.05 N·m/kg RMS difference to the raw curves. The vertical ground
     reaction force is not smoothed (it is smooth, and must stay exactly zero in
     swing); it is linearly interpolated.

2. *Event alignment and speed interpolation.* Stance shrinks from 44 % of the cycle at
   2 m/s to 37 % at 4–5 m/s, so curves are not averaged at equal phase. Each reference
   curve is time-warped piecewise linearly so that its gait events land on common
   phases: right heel strike (0), right toe-off (stance fraction ``s``), left heel strike
   (0.5, by left–right symmetry) and left toe-off (0.5 + ``s``). The two reference
   speeds around the target are blended linearly in speed on that common phase, and
   the result is warped back to the target's stance fraction. Because both warps are
   piecewise linear with the same knots, the common phase cancels: each reference
   curve is evaluated at ``W(φ)``, the piecewise-linear map from the target's events to
   its own. At a reference speed this is the identity, so the demand reproduces the
   (cleaned, smoothed) reference curve. Speeds outside 2–5 m/s raise ``ValueError``.

3. *Timing.* Stance fraction and stride time are the reference runner's own values
   [1]_, linearly interpolated in speed, because the moment curves were measured with
   exactly that timing. Cadence [steps/min] = 120 / stride time. Group means from
   Fukuchi et al. [5]_ serve as a check: at 2.5, 3.5 and 4.5 m/s the model cadence is
   159, 171 and 186 steps/min (group means 162, 171, 183) and the stance fraction
   0.41, 0.38 and 0.37 (group means 0.39, 0.35, 0.33), i.e. this runner's contact is
   somewhat longer than average, within about one standard deviation of cohort values
   at preferred speed (0.39 ± 0.04; ``sim/data/gait.toml``).

4. *Step rate* (``step_rate_scale``, 1 = natural; cadence × scale at the same speed).
   Stride time scales with 1/scale. The contact shortens less than the step, so the
   stance fraction rises as ``scale^γ`` (:func:`stance_fraction`) and the curves are
   warped to it; the stride's vertical impulse is kept, so the vertical ground reaction
   is divided by the stance fraction's rise: its peak falls 5.6 % at +7.3 % as Musgjerd
   et al. [6]_ measured (γ = 0.82 is set by that number). The lumbar moments follow the
   vertical load the upper body carries, an assumption (``trunk_load_exponent`` = 1,
   the model's L5/S1 compression is built the same way): they are scaled by the same
   factor. The joint angles are kept.
   Heiderscheit et al. [3]_ (Table 3) measured peak hip abduction moments of 1.9 / 1.8 /
   1.7 N·m/kg and peak knee extension moments of 2.7 / 2.5 / 2.2 N·m/kg at step rates
   of −10 % / natural / +10 %. Relative to the natural value these are fitted by a line
   through 1 at the natural rate (least squares), giving slopes −0.56 (hip abduction)
   and −1.0 (knee extension) per unit of ``step_rate_scale`` − 1. The factor multiplies
   the whole positive lobe that holds the stance peak (for hip abduction this lobe
   starts in terminal swing), so the curve stays continuous. Lieberman et al. [4]_
   found the peak hip flexor moment in swing rises 5.8 % per +5 strides/min at 3 m/s;
   the positive hip flexion lobe holding the swing peak is scaled accordingly, with the
   natural stride frequency of the target speed. Step length at a given speed scales
   with 1/scale, and so, by assumption, does the sagittal hip excursion about its
   stride mean (``hip_excursion_exponent`` = 1): shorter steps need less hip extension
   at toe-off, which is what lets a higher step rate relieve tight hip flexors.

Limitations
-----------
- One runner, one or two cycles per speed [1]_, [2]_: a realistic shape and magnitude,
  not a population mean; moments per kg are used unchanged for any body mass.
- Links the source article draws that the demand leaves out: shoes and running surface,
  ankle mobility, calf and hamstring flexibility, and fatigue-induced changes of
  kinematics; by design (meta-analytic evidence that peak net moments do not change
  with running fatigue) fatigue changes *which muscles* carry these moments and the
  compensations modelled elsewhere, not the moments themselves.
- Transverse-plane moments (hip and lumbar rotation) are not part of the demand.
- Step rate changes stride time, stance fraction, the vertical ground reaction, the
  lumbar moments and the three moment lobes above; the hip extension and ankle moments
  keep their size (no published values at a changed step rate; Lenhart et al. computed
  a lower gluteus maximus peak) and the hip angle only its excursion. The step-rate
  slopes are group results of other runners [3]_, [4]_, [6]_ applied to this one; beyond
  ±10 % they are extrapolated.
- Left-foot events are assumed at half a cycle after the right ones (symmetry).

Code
----
This module builds the demand (:func:`demand`, :func:`hip_extension_needed_deg`): it blends
the event-aligned reference curves and applies the step rate. Its parts live in
:mod:`sim.physics.gait_types` (:data:`DOFS`, :class:`GaitDemand`, :class:`ReferenceCurves`),
:mod:`sim.physics.gait_reference` (reading, cleaning and smoothing the reference trials,
:func:`reference_curves`) and :mod:`sim.physics.gait_timing` (stance fraction, stride time,
cadence, step-rate factors, the event warp). Every name is importable from here as before.

References
----------
.. [1] Hamner SR, Delp SL (2013) Muscle contributions to fore-aft and vertical body mass
   center accelerations over a range of running speeds. J Biomech 46(4):780–787.
.. [2] Werling K et al. (2023) AddBiomechanics: automating model scaling, inverse
   kinematics, and inverse dynamics from human motion data through sequential
   optimization. PLOS ONE 18(11):e0295152.
.. [3] Heiderscheit BC, Chumanov ES, Michalski MP, Wille CM, Ryan MB (2011) Effects of
   step rate manipulation on joint mechanics during running. Med Sci Sports Exerc
   43(2):296–302.
.. [4] Lieberman DE, Warrener AG, Wang J, Castillo ER (2015) Effects of stride frequency
   and foot position at landing on braking force, hip torque, impact peak force and the
   metabolic cost of running in humans. J Exp Biol 218(21):3406–3414.
.. [5] Fukuchi RK, Fukuchi CA, Duarte M (2017) A public dataset of running biomechanics
   and the effects of running speed on lower extremity kinematics and kinetics. PeerJ
   5:e3298.
.. [6] Musgjerd T, Anason J, Rutherford D, Kernozek TW (2021) Effect of increasing running
   cadence on peak impact force in an outdoor environment. Int J Sports Phys Ther
   16(4):1076, doi:10.26603/001c.25166.

Examples
--------
>>> d = demand(3.0)
>>> d.moments_Nm_per_kg.shape, d.dofs[1]
((64, 6), 'hip_abduction')
>>> round(d.cadence_spm)
166
"""
from __future__ import annotations

import numpy as np

from .gait_reference import (_P, _SOURCE_COLUMNS, REFERENCE_SPEEDS_MPS,  # noqa: F401
                             SPEED_RANGE_MPS, STEP_RATE_SCALE_RANGE, _Model, _fourier, _model,
                             _raised_cosine, _read_csv, _step_rate_slope, reference_curves)
from .gait_timing import (_check_scale, _check_speed, _neighbours, _warp,  # noqa: F401
                          cadence_spm, stance_fraction, step_rate_factors, stride_time_s)
from .gait_types import (_HIP, _HIP_ABD, _KNEE, _LUMBAR, DOFS, N_DOF, GaitDemand,  # noqa: F401
                         ReferenceCurves, _read_only)

__all__ = [
    "DOFS",
    "N_DOF",
    "REFERENCE_SPEEDS_MPS",
    "SPEED_RANGE_MPS",
    "STEP_RATE_SCALE_RANGE",
    "GaitDemand",
    "ReferenceCurves",
    "demand",
    "reference_curves",
    "stance_fraction",
    "stride_time_s",
    "cadence_spm",
    "step_rate_factors",
    "hip_extension_needed_deg",
]

# doctest.testmod(gait) skips objects defined elsewhere; these are the module's public ones.
__test__ = {
    "GaitDemand": GaitDemand,
    "GaitDemand.moment": GaitDemand.moment,
    "ReferenceCurves": ReferenceCurves,
    "reference_curves": reference_curves,
    "stance_fraction": stance_fraction,
    "stride_time_s": stride_time_s,
    "cadence_spm": cadence_spm,
    "step_rate_factors": step_rate_factors,
}


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------

def _curves(m: _Model, v: float, phase, s: float):
    """Blend of the event-aligned neighbours: (curves, grf, modified-mask)."""
    n = phase.shape[0]
    curves = np.zeros((n, N_DOF + 1))
    grf = np.zeros(n)
    closure = np.zeros(n, bool)
    capped = np.zeros(n, bool)
    for k, w in _neighbours(m, v):
        pk = _warp(phase, s, m.stance[k])
        curves += w * _fourier(m, k, pk)
        r = m.raw[k]
        grf += w * np.interp(pk, r.phase, r.grf_vertical_bw)
        closure |= pk >= m.closure_start
        capped |= (pk > m.cap_window[k, 0]) & (pk < m.cap_window[k, 1])
    return curves, grf, closure, capped


def _lobe(y: np.ndarray, i: int) -> np.ndarray:
    """Indices of the positive run of periodic samples ``y`` that contains index ``i``."""
    n = y.shape[0]
    if y[i] <= 0.0:
        return np.empty(0, dtype=np.intp)
    pos = np.roll(y > 0.0, -i)
    if pos.all():
        return np.arange(n)
    fwd = int(np.argmin(pos))                 # first non-positive sample after i
    bwd = int(np.argmin(pos[::-1]))           # first non-positive sample before i
    return (i + np.arange(-bwd, fwd)) % n


def demand(speed_mps: float, step_rate_scale: float = 1.0, n_phase: int = 64) -> GaitDemand:
    """Gait demand of one stride at a given speed and step rate.

    Reference curves [1]_, [2]_ cleaned of documented artefacts, aligned on gait events
    and linearly interpolated between the two neighbouring reference speeds, then
    adjusted for step rate [3]_, [4]_ (see the module docstring for each step).

    Parameters
    ----------
    speed_mps : float
        Running speed in [2, 5] m/s; outside it a ``ValueError`` is raised [m/s].
    step_rate_scale : float, default 1.0
        Step rate relative to the natural one at this speed, in
        ``STEP_RATE_SCALE_RANGE`` (0.85–1.15) [-].
    n_phase : int, default 64
        Number of phase samples over the stride, at ``i / n_phase`` (at least 16).

    Returns
    -------
    GaitDemand
        Moments, vertical ground reaction force, hip extension, stance mask, timing and
        the mask of smoothed or capped phases.

    Raises
    ------
    ValueError
        If the speed, step rate or ``n_phase`` is out of range.

    Examples
    --------
    >>> d = demand(3.0)
    >>> round(float(d.moment("hip_abduction")[d.stance].max()), 1)
    1.4
    >>> fast_steps = demand(3.0, step_rate_scale=1.1)
    >>> bool(fast_steps.moment("knee_extension").max() < d.moment("knee_extension").max())
    True
    """
    v = _check_speed(speed_mps)
    scale = _check_scale(step_rate_scale)
    if isinstance(n_phase, bool) or int(n_phase) != n_phase or n_phase < 16:
        raise ValueError(f"n_phase = {n_phase!r} must be an integer >= 16")
    n_phase = int(n_phase)
    m = _model()

    phase = np.arange(n_phase) / n_phase
    s = stance_fraction(v, scale)
    curves, grf, closure, capped = _curves(m, v, phase, s)
    moments = curves[:, :N_DOF].copy()
    stance = phase < s
    # the stride's vertical impulse is kept: a longer stance lowers the force curve
    peak_factor = stance_fraction(v) / s
    grf = np.where(stance, np.maximum(grf, 0.0), 0.0) * peak_factor
    moments[:, _LUMBAR] *= peak_factor ** m.trunk_load_exponent

    if scale != 1.0:
        f = step_rate_factors(v, scale)
        for j, name, where in ((_HIP_ABD, "hip_abduction", stance),
                               (_KNEE, "knee_extension", stance),
                               (_HIP, "hip_flexion", ~stance)):
            y = moments[:, j]
            peak = int(np.flatnonzero(where)[np.argmax(y[where])])
            y[_lobe(y, peak)] *= f[name]

    hip_ext = curves[:, N_DOF].copy()
    if scale != 1.0:
        # shorter steps at the same speed need a smaller sagittal hip excursion
        mid = hip_ext.mean()
        hip_ext = mid + (hip_ext - mid) * scale ** (-_P["step_rate"]["hip_excursion_exponent"])

    mask = np.repeat(closure[:, None], N_DOF, axis=1)
    mask[:, _HIP_ABD] |= capped
    stride_t = float(np.interp(v, m.speeds, m.stride_time)) / scale
    return GaitDemand(
        phase=_read_only(phase),
        moments_Nm_per_kg=_read_only(moments),
        dofs=DOFS,
        grf_vertical_bw=_read_only(grf),
        hip_extension_deg=_read_only(hip_ext),
        stance=_read_only(stance),
        stance_fraction=s,
        stride_time_s=stride_t,
        cadence_spm=120.0 / stride_t,
        speed_mps=v,
        step_rate_scale=scale,
        smoothed_or_capped=_read_only(mask),
    )


def hip_extension_needed_deg(speed_mps: float, phase) -> np.ndarray:
    """Hip extension the stride needs at given phases, ``max(0, −hip flexion)`` [deg].

    From the smoothed, event-aligned hip angle of the reference runner [1]_. It peaks
    just after toe-off and grows with speed (≈ 5° at 2 m/s, ≈ 11–12° at 3–5 m/s). In
    running part of the thigh extension comes from pelvic motion, so this exceeds
    typical passive hip-extension ranges. Step rate does not change it (see Limitations
    in the module docstring).

    Parameters
    ----------
    speed_mps : float
        Running speed in [2, 5] [m/s].
    phase : float or array_like
        Phase of the right gait cycle; taken modulo 1 [-].

    Returns
    -------
    ndarray
        Hip extension needed, same shape as ``phase`` [deg].

    Examples
    --------
    >>> x = hip_extension_needed_deg(4.0, [0.0, 0.4])
    >>> float(x[0]), 10.0 < float(x[1]) < 13.0
    (0.0, True)
    """
    v = _check_speed(speed_mps)
    m = _model()
    ph = np.asarray(phase, dtype=float)
    flat = np.mod(ph.ravel(), 1.0)
    s = float(np.interp(v, m.speeds, m.stance))
    curves, _, _, _ = _curves(m, v, flat, s)
    return np.maximum(curves[:, N_DOF], 0.0).reshape(ph.shape)
