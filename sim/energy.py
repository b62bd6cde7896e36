"""Energy-store calibration against marathon pace (the "wall" near 30 km).

The per-pool glycogen drains of ``sim/data/fatigue.toml`` are per unit activation.
How fast a runner's stores empty also depends on how hard the muscles work at the
runner's pace, which comes out of the load sharing. So the drains are scaled per runner
by one factor ``s`` chosen so that, running at the runner's marathon pace
(``runner.marathon_pace_mps``, default 3.2 m/s) fresh and flexible, the stores of the
main locomotor muscles reach 20 % near 30 km, i.e. after 30 km / marathon pace
(≈ 156 min at 3.2 m/s) [1]_ [2]_. "The stores" is read as the lowest fibre-weighted
store among the main locomotor muscles (:data:`LOCOMOTOR_MUSCLES`): the muscles do not
work equally hard (iliopsoas and gluteus medius run at the highest fraction of their
capacity), and calibrating on a mean would let the hardest-working muscle run empty
long before 30 km, so that a runner could not hold the marathon pace that defines them.

Away from the marathon pace the drain per unit activation is further multiplied by
``(v / v_marathon) ** n`` (:func:`intensity_factor`): glycogen use rises more steeply
with relative intensity than muscle activation does, because the carbohydrate share of
energy supply rises with intensity [3]_. So faster running drains faster (more
activation, more fast-twitch recruitment, and a larger glycolytic share), and a fitter
runner (faster marathon pace) drains more slowly at any given speed. ``n`` is an
assumption (``sim/data/fatigue.toml``, ``[energy] intensity_exponent``).

The factor is calibrated on a grid of marathon paces by :func:`calibrate` (re-runnable,
``experiments/calibrate_energy.py``) and stored with provenance in
``sim/data/energy_calibration.json``; :func:`drain_scale` interpolates log(s) linearly.

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
>>> 0.1 < drain_scale(3.2) < 10.0
True
>>> intensity_factor(3.0, 4.0) < 1.0 < intensity_factor(4.0, 3.0)
True
"""
from __future__ import annotations

import json
import math
import time
from functools import lru_cache

import numpy as np

from . import params

__all__ = ["LOCOMOTOR_MUSCLES", "TARGET_STORE", "WALL_DISTANCE_M", "drain_scale",
           "intensity_factor",
           "locomotor_store", "calibrate"]

#: Muscles whose stores define the wall.
LOCOMOTOR_MUSCLES = ("gluteus_maximus", "gluteus_medius", "iliopsoas", "vasti", "hamstrings",
                     "gastrocnemius", "soleus")
#: Store fraction at the wall [1] (reference/fatigue.md: "about 20 %").
TARGET_STORE = 0.20
#: Distance of the wall [m] ("near 30 km").
WALL_DISTANCE_M = 30_000.0
_FILE = "energy_calibration.json"


@lru_cache(maxsize=1)
def _table():
    path = params.data_path(_FILE)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise RuntimeError(f"missing {_FILE}; run experiments/calibrate_energy.py") from None
    return np.array(data["marathon_pace_mps"]), np.log(np.array(data["drain_scale"]))


def drain_scale(marathon_pace_mps: float) -> float:
    """Drain scale ``s`` [1] for a runner with this marathon pace [m/s] (log-linear)."""
    v, logs = _table()
    x = float(marathon_pace_mps)
    if not (v[0] - 1e-9 <= x <= v[-1] + 1e-9):
        raise ValueError(f"marathon_pace_mps = {x} outside the calibrated range "
                         f"[{v[0]:g}, {v[-1]:g}] m/s")
    return float(math.exp(np.interp(x, v, logs)))


def intensity_factor(speed_mps: float, marathon_pace_mps: float) -> float:
    """Drain multiplier ``(v / v_marathon) ** n`` [1] of running at ``speed_mps``."""
    n = params.load("fatigue")["energy"]["intensity_exponent"]
    return float((speed_mps / marathon_pace_mps) ** n)


def locomotor_store(res) -> np.ndarray:
    """Lowest fibre-weighted energy store among :data:`LOCOMOTOR_MUSCLES` over time [1]."""
    from .scenario import build_inputs

    idx = [res.muscles.index(n) for n in LOCOMOTOR_MUSCLES]
    p = build_inputs(res.config).prm[0, idx, 0]
    e = res.energy[:, idx, :]
    return (p * e[:, :, 0] + (1 - p) * e[:, :, 1]).min(axis=1)


def _store_at_wall(v, scale):
    """Locomotor store at the wall distance for marathon pace ``v`` and drain scale."""
    from .config import load_config
    from .scenario import build_inputs
    from .simulation import run_inputs

    t_wall = WALL_DISTANCE_M / v
    cfg = load_config(None, {"run.speed_mps": v, "runner.marathon_pace_mps": v,
                             "run.duration_min": t_wall / 60.0 + 1.0})
    inp = build_inputs(cfg)
    inp.prm[:, :, 8:10] *= scale / inp.meta["drain_scale"]
    n, out, _ = run_inputs(inp, store=False)
    idx = [inp.muscles.index(m) for m in LOCOMOTOR_MUSCLES]
    p = inp.prm[0, idx, 0]
    e = out["energy"][:n][:, idx, :]
    store = (p * e[:, :, 0] + (1 - p) * e[:, :, 1]).min(axis=1)
    return float(np.interp(t_wall, out["time"][:n], store))


def calibrate(paces=None, write=True) -> dict:
    """Fit the drain scale on a grid of marathon paces (scipy ``brentq`` on log s).

    Parameters
    ----------
    paces : sequence of float, optional
        Marathon paces [m/s]; default 2.0 to 5.0 in steps of 0.25.
    write : bool
        Store the table in ``sim/data/energy_calibration.json``.
    """
    from scipy.optimize import brentq

    from . import __version__
    from .results import atomic_write_text

    paces = np.round(np.arange(2.0, 5.0001, 0.25), 3) if paces is None else np.asarray(paces)
    scales, stores = [], []
    t0 = time.perf_counter()
    for v in paces:
        f = lambda logs: _store_at_wall(v, math.exp(logs)) - TARGET_STORE  # noqa: E731
        logs = brentq(f, math.log(1e-3), math.log(1e3), xtol=1e-4)
        scales.append(math.exp(logs))
        stores.append(_store_at_wall(v, math.exp(logs)))
    data = {
        "description": "Drain scale of the fibre-pool energy stores per marathon pace: at the "
                       "marathon pace, the lowest fibre-weighted store among the main locomotor "
                       f"muscles {list(LOCOMOTOR_MUSCLES)} reaches {TARGET_STORE} at "
                       f"{WALL_DISTANCE_M / 1000:g} km (fresh, flexible 75 kg runner).",
        "source": "Rapoport 2010 (PLoS Comput Biol 6:e1000960); Coyle et al. 1986 "
                  "(J Appl Physiol 61:165): the marathon 'wall' near 30 km",
        "method": "scipy.optimize.brentq on log(scale), block-mode engine with default settings",
        "package_version": __version__,
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": round(time.perf_counter() - t0, 1),
        "marathon_pace_mps": [float(v) for v in paces],
        "drain_scale": [round(s, 6) for s in scales],
        "store_at_wall": [round(s, 5) for s in stores],
    }
    if write:
        atomic_write_text(params.data_path(_FILE), json.dumps(data, indent=2) + "\n")
        _table.cache_clear()
    return data
