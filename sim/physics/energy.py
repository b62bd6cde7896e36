"""Calibrated slow constants of a runner: glycogen drain scale and slow force depression.

The per-pool glycogen drains of ``sim/data/fatigue.toml`` are per unit activation.
How fast a runner's stores empty also depends on how hard each muscle works at the
runner's pace, which comes out of the load sharing, and the load sharing works some
muscles (gluteus medius, iliopsoas) at two to three times the mean activation of the
others. The drains are therefore scaled per runner *and per muscle*, so that running at
the runner's marathon pace (``runner.marathon_pace_mps``, default 3.2 m/s) fresh and
flexible, the F0-weighted whole glycogen store (both fibre pools,
:func:`locomotor_store`) of the leg muscles (:data:`LOCOMOTOR_MUSCLES`: all twelve, each
working every stride) is down to 20 % near 30 km, i.e. after 30 km / marathon pace
(≈ 156 min at 3.2 m/s) [1]_ [2]_: the wall as a whole-body event, not one muscle's. The
split between muscles is fixed by letting every leg muscle's slow-twitch store reach
20 % at one common time, so that all run down alike and are at one level, nearly empty,
at 30 km (:func:`sim.calibration.wall.fit_drain_scales`, ``wall="level"``). Reading: a runner's
muscles are trained by running at that pace, each for its own load alike (training
raises oxidative capacity and spares glycogen in the muscles it loads); it also absorbs
the load sharing's high activations of the hip abductors and flexors, which exceed
published running EMG. The trunk muscles get the F0-weighted geometric mean of the leg
scales.

Why both fibre types: fast-twitch units join from 45 % of the slow-twitch pool's
available force (``[fibre] ft_onset`` 0.45) and drain 1.5 times as fast per unit activation, so at
marathon pace both fibre types lose glycogen from the start, as biopsies show at 75 %
VO2max (Vollestad, Vaage & Hermansen 1984), and in the prime movers the slow-twitch
fibres empty first (Gollnick et al. 1974; Vollestad & Blom 1985). Two earlier walls are
recalibrated in ``experiments/recruitment_onset.py``: every slow-twitch store at 20 %
with fast-twitch units recruited late left most fast-twitch pools nearly full (whole
store 0.43 at 30 km), and every muscle's whole store at 20 % needed per-muscle drain
scales up to 23 and made strength fall in a steep band of speeds.

Away from the marathon pace the drain per unit activation is further multiplied by
``(v / v_marathon) ** n`` (:func:`intensity_factor`): glycogen use rises more steeply
with relative intensity than muscle activation does, because the carbohydrate share of
energy supply rises with intensity [3]_. So faster running drains faster (more
activation, more fast-twitch recruitment, and a larger glycolytic share), and a fitter
runner (faster marathon pace) drains more slowly at any given speed. ``n`` is an
assumption (``sim/data/fatigue.toml``, ``[energy] intensity_exponent``).

:func:`drain_scale` interpolates log(s) linearly between the calibrated marathon paces.

References
----------
.. [1] Rapoport BI (2010) Metabolic factors limiting performance in marathon runners.
   PLoS Comput Biol 6(10):e1000960.
.. [2] Coyle EF, Coggan AR, Hemmert MK, Ivy JL (1986) Muscle glycogen utilization during
   prolonged strenuous exercise when fed carbohydrate. J Appl Physiol 61(1):165-172.
.. [3] Romijn JA, Coyle EF, Sidossis LS, et al. (1993) Regulation of endogenous fat and
   carbohydrate metabolism in relation to exercise intensity and duration. Am J Physiol
   265(3):E380-E391.

Examples
--------
>>> bool(np.all((0.01 < drain_scale(3.2)) & (drain_scale(3.2) < 100.0)))
True
>>> intensity_factor(3.0, 4.0) < 1.0 < intensity_factor(4.0, 3.0)
True
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import numpy as np

from . import params

__all__ = ["LOCOMOTOR_MUSCLES", "TARGET_STORE", "WALL_DISTANCE_M", "drain_scale",
           "slow_rate", "training_factors", "intensity_factor", "locomotor_store",
           "calibration", "clear_cache"]

#: Muscles whose stores define the wall, each scaled for the work it does: every leg muscle.
LOCOMOTOR_MUSCLES = ("gluteus_medius", "gluteus_minimus", "tensor_fasciae_latae",
                     "gluteus_maximus", "hip_adductors", "hamstrings", "iliopsoas",
                     "rectus_femoris", "vasti", "gastrocnemius", "soleus", "tibialis_anterior")
#: Store fraction at the wall [1] (reference/fatigue.md: "about 20 %").
TARGET_STORE = 0.20
#: Distance of the wall [m] ("near 30 km").
WALL_DISTANCE_M = 30_000.0
_FILE = "energy_calibration.json"


def clear_cache() -> None:
    """Forget the calibration read from disk (after writing a new one)."""
    calibration.cache_clear()
    _drain_scale.cache_clear()


@lru_cache(maxsize=1)
def calibration() -> dict:
    """The calibration file ``sim/data/energy_calibration.json`` as a dict."""
    path = params.data_path(_FILE)
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise RuntimeError(f"missing {_FILE}; run "
                           "experiments/calibrate_running_fatigue.py") from None


def slow_rate() -> float:
    """Rate of the slow force depression ``k_S`` [1/s] (per unit pool activation)."""
    return float(calibration()["slow_rate"])


def training_factors(scales, muscles, F0) -> np.ndarray:
    """Each muscle's drain scale over their F0-weighted geometric mean [1].

    The same factor multiplies the muscle's slow force-depression rate: per unit of
    activation, a muscle that works harder at the runner's marathon pace is trained to
    spend less glycogen *and* to accumulate less slow fatigue, so that at that pace every
    locomotor muscle reaches its wall and loses strength at about the same rate.

    Examples
    --------
    >>> names = list(LOCOMOTOR_MUSCLES)
    >>> training_factors(np.full(len(names), 2.0), names, np.ones(len(names))).round(12)[:2]
    array([1., 1.])
    """
    idx = [list(muscles).index(n) for n in LOCOMOTOR_MUSCLES]
    w = np.asarray(F0, dtype=float)[idx]
    gm = math.exp(float(np.log(np.asarray(scales)[idx]) @ (w / w.sum())))
    return np.asarray(scales, dtype=float) / gm


def drain_scale(marathon_pace_mps: float, muscles=None) -> np.ndarray:
    """Drain scale per muscle [1] for a runner with this marathon pace [m/s].

    Parameters
    ----------
    marathon_pace_mps : float
        Within the calibrated range.
    muscles : sequence of str, optional
        Muscle order of the result (default: the calibration file's).

    Returns
    -------
    ndarray (n_muscle,)
        Interpolated linearly in log between the calibrated paces.
    """
    return _drain_scale(float(marathon_pace_mps),
                        None if muscles is None else tuple(muscles)).copy()


@lru_cache(maxsize=256)
def _drain_scale(x, muscles):
    data = calibration()
    v = np.array(data["marathon_pace_mps"])
    logs = np.log(np.array(data["drain_scale"]))
    if not (v[0] - 1e-9 <= x <= v[-1] + 1e-9):
        raise ValueError(f"marathon_pace_mps = {x} outside the calibrated range "
                         f"[{v[0]:g}, {v[-1]:g}] m/s")
    out = np.exp([np.interp(x, v, logs[:, m]) for m in range(logs.shape[1])])
    if muscles is None:
        return out
    names = data["muscles"]
    return out[[names.index(m) for m in muscles]]


def intensity_factor(speed_mps: float, marathon_pace_mps: float) -> float:
    """Drain multiplier ``(v / v_marathon) ** n`` [1] of running at ``speed_mps``."""
    n = params.value("fatigue", "energy", "intensity_exponent")
    return float((speed_mps / marathon_pace_mps) ** n)


def locomotor_store(energy, p_st, F0, muscles, names=LOCOMOTOR_MUSCLES) -> np.ndarray:
    """F0-weighted glycogen store of :data:`LOCOMOTOR_MUSCLES` (or of ``names``) over time
    [1].

    Parameters
    ----------
    energy : ndarray (n, n_muscle, 2)
        Pool stores (ST, FT) [1].
    p_st : ndarray (n_muscle,)
        Slow-twitch fractions [1].
    F0 : ndarray (n_muscle,)
        Maximum forces [N] (the weights).
    muscles : sequence of str
        Muscle names.
    names : sequence of str
        The muscles averaged (default: the locomotor muscles).

    Examples
    --------
    >>> import numpy as np
    >>> names = list(LOCOMOTOR_MUSCLES)
    >>> e = np.full((1, len(names), 2), 0.5)
    >>> locomotor_store(e, np.full(len(names), 0.5), np.ones(len(names)), names).round(12)
    array([0.5])
    """
    idx = [list(muscles).index(n) for n in names]
    p = np.asarray(p_st)[idx]
    w = np.asarray(F0, dtype=float)[idx]
    e = np.asarray(energy)[:, idx, :]
    store = p * e[:, :, 0] + (1 - p) * e[:, :, 1]
    return store @ (w / w.sum())
