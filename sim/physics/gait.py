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
   Stride time scales with 1/scale; the stance fraction and the joint angles are kept.
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
- Step rate changes stride time and the three moment lobes above only; vertical ground
  reaction force, stance fraction and joint angles (hence the hip extension needed)
  keep their natural-cadence values. The step-rate slopes are group results of other
  runners [3]_, [4]_ applied to this one; beyond ±10 % they are extrapolated linearly.
- Left-foot events are assumed at half a cycle after the right ones (symmetry).

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

Examples
--------
>>> d = demand(3.0)
>>> d.moments_Nm_per_kg.shape, d.dofs[1]
((64, 6), 'hip_abduction')
>>> round(d.cadence_spm)
166
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from . import params as _params

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

#: Degrees of freedom of the demand, in column order of ``moments_Nm_per_kg``. Each
#: moment is positive in the named direction (see the module docstring).
DOFS = (
    "hip_flexion",
    "hip_abduction",
    "knee_extension",
    "ankle_plantarflexion",
    "lumbar_extension",
    "lumbar_bending",
)
N_DOF = len(DOFS)

# Reference column and the sign that converts it to the DOF convention above.
_SOURCE_COLUMNS = (
    ("hip_flexion_moment", +1.0),
    ("hip_adduction_moment", -1.0),
    ("knee_moment", +1.0),
    ("ankle_moment", -1.0),
    ("lumbar_extension_moment", +1.0),
    ("lumbar_bending_moment", +1.0),
)
_HIP = DOFS.index("hip_flexion")
_HIP_ABD = DOFS.index("hip_abduction")
_KNEE = DOFS.index("knee_extension")

_P = _params.load("gait")

#: Speeds of the reference trials [m/s].
REFERENCE_SPEEDS_MPS = tuple(_P["reference"]["speed"])
#: Speeds the demand covers [m/s]; outside it :func:`demand` raises (no extrapolation).
SPEED_RANGE_MPS = (REFERENCE_SPEEDS_MPS[0], REFERENCE_SPEEDS_MPS[-1])
#: Allowed ``step_rate_scale`` (1 = natural cadence).
STEP_RATE_SCALE_RANGE = (_P["step_rate"]["scale_min"], _P["step_rate"]["scale_max"])


def _read_only(a):
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class GaitDemand:
    """Demand of one stride at one speed and step rate (returned by :func:`demand`).

    All arrays are read-only and sampled at ``phase``.

    Attributes
    ----------
    phase : ndarray, shape (n_phase,)
        Phase of the right gait cycle, ``i / n_phase`` in [0, 1); 0 = right heel strike [-].
    moments_Nm_per_kg : ndarray, shape (n_phase, n_dof)
        Net internal joint moments per kg body mass, columns in ``dofs`` order, each
        positive in the direction its DOF names [N·m/kg].
    dofs : tuple of str
        DOF names (:data:`DOFS`).
    grf_vertical_bw : ndarray, shape (n_phase,)
        Right-foot vertical ground reaction force, zero in swing [body weights].
    hip_extension_deg : ndarray, shape (n_phase,)
        Right hip extension angle, minus the flexion angle; positive = extension [deg].
    stance : ndarray of bool, shape (n_phase,)
        True while the right foot is on the ground (``phase < stance_fraction``).
    stance_fraction : float
        Right-foot stance as a fraction of the stride; toe-off phase [-].
    stride_time_s : float
        Duration of one stride (two steps) [s].
    cadence_spm : float
        Step rate [steps/min].
    speed_mps : float
        Running speed [m/s].
    step_rate_scale : float
        Step rate relative to the natural one at this speed [-].
    smoothed_or_capped : ndarray of bool, shape (n_phase, n_dof)
        True where the curve was changed beyond Fourier smoothing: the cycle-closure
        ramp before heel strike (all DOFs) and the toe-off window of the hip abduction
        cap. Outside these phases the demand at a reference speed reproduces the raw
        reference curve to within 0.05 N·m/kg RMS.

    Examples
    --------
    >>> d = demand(4.0, n_phase=100)
    >>> bool(d.moment("knee_extension")[d.stance].max() > 2.5)
    True
    >>> float(d.grf_vertical_bw[~d.stance].max())
    0.0
    """

    phase: np.ndarray
    moments_Nm_per_kg: np.ndarray
    dofs: tuple
    grf_vertical_bw: np.ndarray
    hip_extension_deg: np.ndarray
    stance: np.ndarray
    stance_fraction: float
    stride_time_s: float
    cadence_spm: float
    speed_mps: float
    step_rate_scale: float
    smoothed_or_capped: np.ndarray

    @property
    def n_phase(self) -> int:
        """Number of phase samples."""
        return self.phase.shape[0]

    @property
    def hip_extension_needed_deg(self) -> np.ndarray:
        """Hip extension the stride needs, ``max(0, hip_extension_deg)`` [deg].

        Examples
        --------
        >>> d = demand(3.0)
        >>> 10.0 < float(d.hip_extension_needed_deg.max()) < 12.0
        True
        """
        return np.maximum(self.hip_extension_deg, 0.0)

    def moment(self, dof: str) -> np.ndarray:
        """Moment curve of one DOF [N·m/kg].

        Parameters
        ----------
        dof : str
            One of :data:`DOFS`.

        Returns
        -------
        ndarray, shape (n_phase,)

        Examples
        --------
        >>> d = demand(3.0)
        >>> round(float(d.moment("ankle_plantarflexion").max()), 1)
        2.8
        """
        try:
            j = self.dofs.index(dof)
        except ValueError:
            raise ValueError(f"unknown DOF {dof!r}; expected one of "
                             f"{', '.join(self.dofs)}") from None
        return self.moments_Nm_per_kg[:, j]


@dataclass(frozen=True, eq=False)
class ReferenceCurves:
    """Raw reference curves of one trial (returned by :func:`reference_curves`).

    Not smoothed, capped or closed; only converted to the DOF sign convention. Arrays
    are read-only.

    Attributes
    ----------
    speed_mps : float
        Trial speed [m/s].
    phase : ndarray, shape (101,)
        0, 0.01, ..., 1.0; the last row is the next right heel strike [-].
    moments_Nm_per_kg : ndarray, shape (101, n_dof)
        Net internal moments in the :data:`DOFS` convention [N·m/kg].
    dofs : tuple of str
        DOF names.
    grf_vertical_bw : ndarray, shape (101,)
        Right-foot vertical ground reaction force [body weights].
    hip_extension_deg : ndarray, shape (101,)
        Minus the hip flexion angle [deg].
    stance_fraction : float
        Toe-off phase of the trial [-].
    stride_time_s : float
        Stride time of the trial [s].
    cycles_averaged : int
        Number of gait cycles averaged in the file.

    Examples
    --------
    >>> r = reference_curves(2.0)
    >>> r.moments_Nm_per_kg.shape, r.cycles_averaged
    ((101, 6), 1)
    """

    speed_mps: float
    phase: np.ndarray
    moments_Nm_per_kg: np.ndarray
    dofs: tuple
    grf_vertical_bw: np.ndarray
    hip_extension_deg: np.ndarray
    stance_fraction: float
    stride_time_s: float
    cycles_averaged: int


# --------------------------------------------------------------------------------------
# Loading and cleaning the reference data (once per process)
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class _Model:
    speeds: np.ndarray          # (n_ref,)
    stance: np.ndarray          # (n_ref,)
    stride_time: np.ndarray     # (n_ref,)
    raw: tuple                  # ReferenceCurves per speed
    coef: np.ndarray            # (n_ref, 2H+1, n_dof+1): Fourier coefficients, cos then sin
    harmonics: np.ndarray       # (H,) = 1..H
    closure_start: float        # modified phases of every DOF: [closure_start, 1]
    cap_window: np.ndarray      # (n_ref, 2): hip abduction cap window in each trial's phase
    beta_hip_abd: float         # relative change per unit (step_rate_scale - 1)
    beta_knee: float
    hip_flexor_gain_per_spm: float  # relative change per stride/min


def _raised_cosine(x):
    """0 for x <= 0, 1 for x >= 1, smooth raised-cosine ramp between."""
    x = np.clip(x, 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * x)


def _read_csv(name: str) -> dict:
    with resources.files("sim").joinpath("data", "gait", name).open("r", encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
        data = np.loadtxt(fh, delimiter=",", ndmin=2)
    return {h: data[:, i] for i, h in enumerate(header)}


def _step_rate_slope(change, peaks) -> float:
    """Least-squares slope of peak/peak(natural) − 1 against step-rate change (through 0)."""
    x = np.asarray(change, float)
    y = np.asarray(peaks, float)
    y0 = y[np.argmin(np.abs(x))]
    return float(np.sum(x * (y / y0 - 1.0)) / np.sum(x * x))


@lru_cache(maxsize=None)
def _model() -> _Model:
    ref = _P["reference"]
    smooth = _P["smoothing"]
    cap_p = _P["hip_abduction_cap"]
    sr = _P["step_rate"]
    speeds = np.asarray(ref["speed"], float)
    stance = np.asarray(ref["stance_fraction"], float)
    stride_time = np.asarray(ref["stride_time"], float)
    if not (np.all(np.diff(speeds) > 0) and np.all((stance > 0) & (stance < 0.5))):
        raise _params.ParameterError("gait.toml: reference speeds must increase and stance "
                                     "fractions lie in (0, 0.5) (running has a flight phase)")
    n_h = int(smooth["n_harmonics"])
    delta = smooth["closure_window"]
    cap = cap_p["cap"]
    a, b, t = cap_p["start_before_toe_off"], cap_p["end_after_toe_off"], cap_p["taper"]

    raw, coefs, windows = [], [], []
    for k, fname in enumerate(ref["files"]):
        d = _read_csv(fname)
        pct = d["pct"]
        if pct.shape[0] != 101 or not np.allclose(pct, np.arange(101)):
            raise _params.ParameterError(f"gait/{fname}: expected rows pct = 0..100")
        phase = pct / 100.0
        m = np.column_stack([sign * d[col] for col, sign in _SOURCE_COLUMNS])
        hip_ext = -d["hip_flexion"]
        raw.append(ReferenceCurves(
            speed_mps=float(speeds[k]), phase=_read_only(phase), moments_Nm_per_kg=_read_only(m),
            dofs=DOFS, grf_vertical_bw=_read_only(d["grf_vertical_bw"]),
            hip_extension_deg=_read_only(hip_ext), stance_fraction=float(stance[k]),
            stride_time_s=float(stride_time[k]), cycles_averaged=int(ref["cycles_averaged"][k])))

        y = np.column_stack([m, hip_ext])                       # (101, n_dof + 1)
        # 1. cycle closure: ramp the end-to-start mismatch in over the last `delta`
        y = y + (y[0] - y[-1]) * _raised_cosine((phase - (1.0 - delta)) / delta)[:, None]
        # 2. soft cap of the frontal-plane hip moment around toe-off
        lo, hi = stance[k] - a, stance[k] + b
        w = np.minimum(_raised_cosine((phase - lo) / t), _raised_cosine((hi - phase) / t))
        y[:, _HIP_ABD] = (1.0 - w) * y[:, _HIP_ABD] + w * cap * np.tanh(y[:, _HIP_ABD] / cap)
        windows.append((lo, hi))
        # 3. truncated Fourier series on the 100 periodic samples
        n = 100
        spec = np.fft.rfft(y[:n], axis=0) / n
        c = np.empty((2 * n_h + 1, y.shape[1]))
        c[0] = spec[0].real
        c[1:n_h + 1] = 2.0 * spec[1:n_h + 1].real
        c[n_h + 1:] = -2.0 * spec[1:n_h + 1].imag
        coefs.append(c)

    return _Model(
        speeds=speeds, stance=stance, stride_time=stride_time, raw=tuple(raw),
        coef=np.stack(coefs), harmonics=np.arange(1, n_h + 1, dtype=float),
        closure_start=1.0 - delta, cap_window=np.asarray(windows),
        beta_hip_abd=_step_rate_slope(sr["heiderscheit_change"], sr["hip_abduction_peak"]),
        beta_knee=_step_rate_slope(sr["heiderscheit_change"], sr["knee_extension_peak"]),
        hip_flexor_gain_per_spm=sr["hip_flexor_peak_gain"] / sr["hip_flexor_peak_per"],
    )


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


def stance_fraction(speed_mps: float) -> float:
    """Right-foot stance as a fraction of the stride at a given speed.

    The reference runner's own stance fractions [1]_ (0.444, 0.385, 0.366, 0.366 at 2, 3,
    4, 5 m/s), linearly interpolated in speed. Step rate does not change it.

    Parameters
    ----------
    speed_mps : float
        Running speed in [2, 5] [m/s].

    Returns
    -------
    float
        Stance fraction = toe-off phase [-].

    Raises
    ------
    ValueError
        If the speed lies outside the reference range.

    Examples
    --------
    >>> stance_fraction(3.0)
    0.385
    >>> round(stance_fraction(2.5), 4)
    0.4145
    """
    return float(np.interp(_check_speed(speed_mps), _model().speeds, _model().stance))


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


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------

def _fourier(m: _Model, k: int, phase) -> np.ndarray:
    """Smoothed curves of trial k (moments, then hip extension) at its own phase."""
    arg = (2.0 * np.pi) * np.outer(phase, m.harmonics)
    c = m.coef[k]
    n_h = m.harmonics.shape[0]
    return c[0] + np.cos(arg) @ c[1:n_h + 1] + np.sin(arg) @ c[n_h + 1:]


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
    s = float(np.interp(v, m.speeds, m.stance))
    curves, grf, closure, capped = _curves(m, v, phase, s)
    moments = curves[:, :N_DOF].copy()
    stance = phase < s
    grf = np.where(stance, np.maximum(grf, 0.0), 0.0)

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


def reference_curves(speed_mps: float) -> ReferenceCurves:
    """Raw reference curves of the trial at a reference speed, in the DOF sign convention.

    For validation and plots: no smoothing, closure or cap (compare with
    :func:`demand`, which applies them).

    Parameters
    ----------
    speed_mps : float
        One of :data:`REFERENCE_SPEEDS_MPS` (2, 3, 4, 5) [m/s].

    Returns
    -------
    ReferenceCurves

    Raises
    ------
    ValueError
        If ``speed_mps`` is not a reference speed.

    Examples
    --------
    >>> r = reference_curves(5.0)
    >>> round(float(r.moments_Nm_per_kg[:, 1].min()), 2)  # early-swing artefact, abductor sign
    -0.95
    """
    m = _model()
    v = float(speed_mps)
    hit = np.flatnonzero(np.isclose(m.speeds, v, rtol=0.0, atol=1e-9))
    if hit.size == 0:
        allowed = ", ".join(f"{x:g}" for x in m.speeds)
        raise ValueError(f"speed_mps = {speed_mps!r} m/s is not a reference speed; "
                         f"expected one of {allowed} m/s")
    return m.raw[int(hit[0])]
