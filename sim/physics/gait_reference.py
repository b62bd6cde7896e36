"""The reference trials behind the gait demand: reading, cleaning and Fourier smoothing.

One runner's inverse-dynamics curves at 2, 3, 4 and 5 m/s [1]_, [2]_ are read from
``sim/data/gait/`` once per process (:func:`_model`), converted to the DOF sign convention,
closed over the cycle, soft-capped in the frontal-plane hip moment around toe-off and
represented by truncated Fourier series (step 1, "Artefacts", of the method in
:mod:`sim.physics.gait`); :func:`_fourier` evaluates a trial's smoothed curves at any
phase. The constants come from ``sim/data/gait.toml``. :func:`reference_curves` returns
a trial's raw curves, for validation and plots.

References
----------
.. [1] Hamner SR, Delp SL (2013) Muscle contributions to fore-aft and vertical body mass
   center accelerations over a range of running speeds. J Biomech 46(4):780–787.
.. [2] Werling K et al. (2023) AddBiomechanics: automating model scaling, inverse
   kinematics, and inverse dynamics from human motion data through sequential
   optimization. PLOS ONE 18(11):e0295152.
"""
from __future__ import annotations

import math

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from . import params as _params
from .gait_types import _HIP_ABD, DOFS, ReferenceCurves, _read_only

__all__ = ["REFERENCE_SPEEDS_MPS", "SPEED_RANGE_MPS", "STEP_RATE_SCALE_RANGE",
           "reference_curves"]

# Reference column and the sign that converts it to the DOF convention (:data:`DOFS`).
_SOURCE_COLUMNS = (
    ("hip_flexion_moment", +1.0),
    ("hip_adduction_moment", -1.0),
    ("knee_moment", +1.0),
    ("ankle_moment", -1.0),
    ("lumbar_extension_moment", +1.0),
    ("lumbar_bending_moment", +1.0),
)

_P = _params.load("gait")

#: Speeds of the reference trials [m/s].
REFERENCE_SPEEDS_MPS = tuple(_P["reference"]["speed"])
#: Speeds the demand covers [m/s]; outside it :func:`demand` raises (no extrapolation).
SPEED_RANGE_MPS = (REFERENCE_SPEEDS_MPS[0], REFERENCE_SPEEDS_MPS[-1])
#: Allowed ``step_rate_scale`` (1 = natural cadence).
STEP_RATE_SCALE_RANGE = (_P["step_rate"]["scale_min"], _P["step_rate"]["scale_max"])


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
    stance_exponent: float      # stance fraction x step_rate_scale ** stance_exponent
    trunk_load_exponent: float  # lumbar moments x (peak-force factor) ** trunk_load_exponent


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


def _stance_exponent(peak_change, step_rate_change) -> float:
    """Exponent γ of ``stance ∝ step_rate_scale^γ`` that lowers the peak vertical force as
    measured.

    A stride's vertical impulse is fixed (its mean vertical force is body weight), so with
    the force curve's shape kept, its peak varies as 1 / stance fraction: a peak changed by
    ``peak_change`` at a step rate changed by ``step_rate_change`` gives
    ``γ = −ln(1 + peak_change) / ln(1 + step_rate_change)``.
    """
    g = -math.log1p(peak_change) / math.log1p(step_rate_change)
    if not (0.0 <= g < 2.0):
        raise _params.ParameterError(f"gait.toml [step_rate]: peak_force_change = {peak_change!r} "
                                     f"at {step_rate_change!r} gives a stance exponent {g:.3g}; "
                                     "allowed [0, 2): the peak force falls as the step rate rises")
    return g


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
        stance_exponent=_stance_exponent(sr["peak_force_change"], sr["peak_force_step_rate_change"]),
        trunk_load_exponent=float(sr["trunk_load_exponent"]),
    )


def _fourier(m: _Model, k: int, phase) -> np.ndarray:
    """Smoothed curves of trial k (moments, then hip extension) at its own phase."""
    arg = (2.0 * np.pi) * np.outer(phase, m.harmonics)
    c = m.coef[k]
    n_h = m.harmonics.shape[0]
    return c[0] + np.cos(arg) @ c[1:n_h + 1] + np.sin(arg) @ c[n_h + 1:]


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
