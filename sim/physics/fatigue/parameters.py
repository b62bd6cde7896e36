"""Fatigue constants: joint classes, fibre-pool split, energy store, calibration lookup.

Constants come from the parameter file ``sim/data/fatigue.toml`` (every number with its
source) and the calibrated pool scales from ``sim/data/fibre_calibration.json``
(written by :mod:`sim.calibration.fibre_pools`). For a muscle of joint class ``joint`` with
slow-twitch fraction ``p_st``::

    F_ST = sF*F        F_FT = F_contrast*sF*F
    R_FT = sR*R        R_ST = R_contrast*sR*R

with ``sR = 1/(p_st*R_contrast + 1 - p_st)``, so that the fibre-weighted mean recovery
rate equals the joint's R, and ``sF`` fitted so that a sustained hold of the whole
muscle lasts as long as the joint class's single-pool model predicts. ``sF`` is
calibrated on a grid of ``p_st`` and interpolated linearly in ``log sF`` between grid
points; outside the grid the nearest grid value is used.

Examples
--------
>>> c = pool_constants("knee", 0.47)
>>> round(c.F_ft / c.F_st, 6), round(c.R_st / c.R_ft, 6)
(3.0, 1.5)
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np

from .. import params
from .pools import MUSCLE_PARAMS

__all__ = ["JOINT_CLASSES", "JointConstants", "PoolConstants", "joint_constants",
           "pool_constants", "recovery_scale", "split_rates", "load_calibration",
           "check_joint", "check_p_st", "joint_model_vector"]

#: Joint classes of Frey-Law, Looft & Heitsman (2012), Table 1.
JOINT_CLASSES = ("ankle", "knee", "trunk", "shoulder", "elbow", "hand", "general")


def check_joint(joint) -> str:
    """Return ``joint`` if it is a known joint class, else raise ValueError."""
    if joint not in JOINT_CLASSES:
        raise ValueError(f"joint={joint!r} is not a joint class; allowed: "
                         f"{', '.join(JOINT_CLASSES)} (hip muscles use 'general')")
    return joint


def check_p_st(p_st) -> float:
    """Return ``p_st`` as float if it lies in (0, 1), else raise ValueError."""
    try:
        p = float(p_st)
    except (TypeError, ValueError):
        raise ValueError(f"p_st={p_st!r} must be a number in (0, 1)") from None
    if not (0.0 < p < 1.0):
        raise ValueError(f"p_st={p_st!r} must be a slow-twitch fraction in (0, 1), "
                         "exclusive")
    return p


@dataclass(frozen=True)
class JointConstants:
    """Single-pool 3CC-r constants of a joint class.

    Attributes
    ----------
    joint : str
    F, R : float
        Fatigue and recovery rates [1/s] (Frey-Law et al. 2012, Table 1).
    r : float
        Rest recovery multiplier [1] (Looft et al. 2018).
    gain : float
        Default controller gain L [1/s] (Xia & Frey-Law 2008).
    rest_threshold : float
        Targets below this count as rest [1].
    """

    joint: str
    F: float
    R: float
    r: float
    gain: float
    rest_threshold: float


@dataclass(frozen=True)
class PoolConstants:
    """Constants of a two-pool (ST, FT) muscle; rates in [1/s], fractions in [1].

    ``as_vector(energy)`` gives the float64 parameter vector of the kernels in
    :mod:`sim.physics.fatigue.pools` (layout :data:`sim.physics.fatigue.pools.MUSCLE_PARAMS`); with
    ``energy=False`` the drains and the refill are zero and the stores stay full.
    """

    joint: str
    p_st: float
    F_st: float
    F_ft: float
    R_st: float
    R_ft: float
    r: float
    gain: float
    rest_threshold: float
    drain_st: float
    drain_ft: float
    refill: float
    g_min_st: float
    K: float
    kappa_st: float
    kappa_ft: float
    tau_isch_on: float
    tau_isch_off: float
    u_free: float
    u_occ: float
    drain_K: float
    slow_rate: float
    slow_recovery: float
    slow_delay: float
    g_min_ft: float
    fat_share: float
    ft_onset: float
    work_tau: float
    work_half: float
    rest_share: float
    rest_delay: float
    heavy_drain_exponent: float
    recovery_energy_share: float
    scale_F: float
    scale_R: float
    #: The muscle's share of the locomotor muscles' F0 (0 for the others), set per runner
    #: by :func:`sim.core.scenario.build_inputs`: the weight of its store in the whole-body
    #: store that critical speed follows (``[reserve] cs_glycogen_share``).
    wall_weight: float = 0.0

    def as_vector(self, energy: bool = True) -> np.ndarray:
        """Kernel vector; ``energy=False`` switches off the slow components (glycogen
        store and slow force depression), leaving the fast 3CC with perfusion."""
        d = asdict(self)
        for key in ("drain_st", "drain_ft", "refill", "slow_rate", "slow_recovery"):
            d[key] *= bool(energy)
        return np.array([d[name] for name in MUSCLE_PARAMS], dtype=np.float64)


@lru_cache(maxsize=None)
def _file():
    return params.load("fatigue")


def joint_constants(joint: str = "general") -> JointConstants:
    """Single-pool constants of a joint class.

    Parameters
    ----------
    joint : str
        One of :data:`JOINT_CLASSES`.

    Returns
    -------
    JointConstants

    Examples
    --------
    >>> joint_constants("knee").F
    0.015
    """
    p = _file()
    c = p["joint_class"][check_joint(joint)]
    return JointConstants(joint, c["F"], c["R"], c["r"], p["model"]["gain"],
                          p["model"]["rest_threshold"])


def recovery_scale(p_st: float, R_contrast: float | None = None) -> float:
    """Scale sR with ``p_st*R_contrast*sR + (1 - p_st)*sR = 1`` (mean R preserved).

    Examples
    --------
    >>> round(recovery_scale(0.5, 1.5), 6)
    0.8
    """
    if R_contrast is None:
        R_contrast = _file()["fibre"]["R_contrast"]
    return 1.0 / (p_st * R_contrast + 1.0 - p_st)


def split_rates(F, R, scale_F, scale_R, F_contrast=None, R_contrast=None):
    """Pool rates ``(F_st, F_ft, R_st, R_ft)`` [1/s] from joint rates and scales.

    Examples
    --------
    >>> [round(x, 6) for x in split_rates(0.01, 0.001, 0.5, 0.8, 3.0, 1.5)]
    [0.005, 0.015, 0.0012, 0.0008]
    """
    fib = _file()["fibre"]
    cF = fib["F_contrast"] if F_contrast is None else F_contrast
    cR = fib["R_contrast"] if R_contrast is None else R_contrast
    return scale_F * F, cF * scale_F * F, cR * scale_R * R, scale_R * R


def _pool_constants(joint, p_st, scale_F, gain=None) -> PoolConstants:
    """PoolConstants for a given fatigue scale (used by the calibration itself)."""
    jc = joint_constants(joint)
    f = _file()
    e, pf, sl = f["energy"], f["perfusion"], f["slow"]
    sR = recovery_scale(p_st)
    F_st, F_ft, R_st, R_ft = split_rates(jc.F, jc.R, scale_F, sR)
    return PoolConstants(joint, p_st, F_st, F_ft, R_st, R_ft, jc.r,
                         jc.gain if gain is None else float(gain), jc.rest_threshold,
                         e["drain_ST"], e["drain_FT"], e["refill"], e["g_min_ST"], e["K"],
                         pf["kappa_ST"], pf["kappa_FT"], pf["tau_on"], pf["tau_off"],
                         pf["u_free"], pf["u_occ"], e["drain_K"], sl["rate"],
                         sl["recovery"], sl["delay"], e["g_min_FT"], pf["fat_share"],
                         _file()["fibre"]["ft_onset"], sl["work_tau"], sl["work_half"],
                         sl["rest_share"], sl["rest_delay"],
                         _file()["heavy"]["drain_exponent"], pf["recovery_energy_share"],
                         scale_F, sR)


@lru_cache(maxsize=None)
def load_calibration() -> dict:
    """The calibration file ``sim/data/fibre_calibration.json`` as a dict.

    Examples
    --------
    >>> "general" in load_calibration()["joint_class"]
    True
    """
    with params.data_path("fibre_calibration.json").open("r", encoding="utf-8") as fh:
        return json.load(fh)


def pool_constants(joint: str = "general", p_st: float = 0.5, gain: float | None = None
                   ) -> PoolConstants:
    """Calibrated two-pool constants of a muscle.

    Parameters
    ----------
    joint : str
        Joint class (:data:`JOINT_CLASSES`).
    p_st : float
        Slow-twitch fraction [1], in (0, 1).
    gain : float, optional
        Controller gain L [1/s]; default from the parameter file (10).

    Returns
    -------
    PoolConstants

    Examples
    --------
    >>> c = pool_constants("general", 0.55)
    >>> c.F_st < 0.0097 < c.F_ft, c.R_st > c.R_ft
    (True, True)
    """
    check_joint(joint)
    p = check_p_st(p_st)
    cal = load_calibration()["joint_class"][joint]
    grid = np.asarray(cal["p_st"], dtype=float)
    log_s = np.log(np.asarray(cal["scale_F"], dtype=float))
    scale_F = math.exp(float(np.interp(p, grid, log_s)))
    return _pool_constants(joint, p, scale_F, gain)


def joint_model_vector(joint: str = "general", gain: float | None = None,
                       energy: bool = False, p_st: float = 0.5) -> np.ndarray:
    """Kernel parameter vector of the single-pool joint model (``p_st`` slot = 1).

    The joint model is the published 3CC-r: a one-pool muscle with the joint class's F
    and R and Looft's 1 % rest threshold (no perfusion, no slow force depression). With
    ``energy=True`` its store drains at the fibre-weighted mean
    ``p_st*drain_ST + (1 - p_st)*drain_FT``.

    Examples
    --------
    >>> v = joint_model_vector("knee")
    >>> v[0], v[1], v[2]
    (np.float64(1.0), np.float64(0.015), np.float64(0.00149))
    """
    jc = joint_constants(joint)
    e = _file()["energy"]
    drain = (p_st * e["drain_ST"] + (1.0 - p_st) * e["drain_FT"]) if energy else 0.0
    values = {"p_st": 1.0, "F_st": jc.F, "R_st": jc.R, "F_ft": jc.F, "R_ft": jc.R,
              "r": jc.r, "gain": jc.gain if gain is None else float(gain),
              "rest_threshold": jc.rest_threshold, "drain_st": drain, "drain_ft": 0.0,
              "refill": e["refill"] if energy else 0.0, "g_min_st": e["g_min_ST"], "K": e["K"],
              "kappa_st": 0.0, "kappa_ft": 0.0, "tau_isch_on": 0.0, "tau_isch_off": 0.0,
              "u_free": 0.0, "u_occ": 1.0, "drain_K": e["drain_K"] if energy else 0.0,
              "slow_rate": 0.0, "slow_recovery": 0.0, "slow_delay": 0.0,
              "g_min_ft": e["g_min_ST"], "fat_share": 0.0, "ft_onset": 1.0,
              "work_tau": 0.0, "work_half": 0.0, "rest_share": 1.0, "rest_delay": 0.0,
              "heavy_drain_exponent": 1.0, "recovery_energy_share": 0.0, "wall_weight": 0.0}
    return np.array([values[n] for n in MUSCLE_PARAMS], dtype=np.float64)
