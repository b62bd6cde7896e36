"""Scenario inputs: a configuration turned into the plain arrays of the engine.

This is the one place where configuration keys meet model parameters:

* the muscle set scaled to the runner's mass (:mod:`sim.physics.muscles`), with the strength
  multipliers of the scenario (``glute_med_strength`` on gluteus medius,
  ``quad_strength`` on the knee extensors, ``core_strength`` on the deep lumbar muscles);
* fibre-pool parameters per muscle (:mod:`sim.physics.fatigue`), with the energy drain scaled
  by the marathon-pace calibration (:mod:`sim.physics.energy`);
* demand templates for every speed the run can use (:mod:`sim.physics.gait`);
* the pace plan (:mod:`sim.physics.pace`) and the scalar vector :data:`sim.core.engine.SCALARS`.

Examples
--------
>>> from sim.config import load_config
>>> inp = build_inputs(load_config(None, {"run.duration_min": 30}))
>>> inp.tpl_m.shape[1:], inp.F0.shape
((64, 6), (18,))
>>> float(inp.scalar("duration_s"))
1800.0
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..physics import gait, params
from ..physics.energy import (LOCOMOTOR_MUSCLES, drain_scale, intensity_factor, slow_rate,
                              training_factors)
from ..physics.energy import calibration as energy_calibration
from .engine import SCALARS, MuscleSet, Plan, Templates
from ..physics.fatigue import muscle_parameters
from ..physics.fatigue.pools import MUSCLE_PARAMS
from ..physics.muscles import DOFS, muscle_set, sharing_columns
from ..physics.pace import pace_plan
from ..physics.reserve import (critical_speed, cs_glycogen_share, d_prime_m, heavy_domain,
                               reserve_floor)

__all__ = ["ScenarioInputs", "build_inputs", "STRENGTH_TARGETS", "n_checkpoints_max",
           "clear_template_cache"]

#: Scenario strength keys and the muscles (or groups) they multiply.
STRENGTH_TARGETS = {
    "glute_med_strength": ("gluteus_medius",),
    "quad_strength": ("knee_extensors",),
    "core_strength": ("lumbar_deep",),
}


@dataclass(frozen=True, eq=False)
class ScenarioInputs:
    """Everything :func:`sim.core.engine.run_kernel` needs for one scenario (SI units)."""

    tpl_speed: np.ndarray
    tpl_m: np.ndarray
    tpl_grf_r: np.ndarray
    tpl_grf_tot: np.ndarray
    tpl_hipext: np.ndarray
    tpl_stance: np.ndarray
    tpl_stride_s: np.ndarray
    F0: np.ndarray
    prm: np.ndarray          # (n_tpl, n_muscle, 13)
    quad_w: np.ndarray
    sup_col: np.ndarray
    sup_F0: float
    A: np.ndarray
    col_muscle: np.ndarray
    col_side: np.ndarray
    col_comp: np.ndarray
    col_shear: np.ndarray
    col_rho: np.ndarray
    seg_end: np.ndarray
    seg_speed: np.ndarray
    brk_start: np.ndarray
    brk_end: np.ndarray
    sc: np.ndarray
    muscles: tuple
    groups: dict
    dofs: tuple
    meta: dict = field(default_factory=dict)

    def scalar(self, name: str) -> float:
        """Value of a named scalar of :data:`sim.core.engine.SCALARS`."""
        return self.sc[SCALARS.index(name)]

    def kernel_bundles(self):
        """The inputs of :func:`sim.core.engine.run_kernel` before ``state``: templates, muscle
        set, pace plan and scalars."""
        return (Templates(self.tpl_speed, self.tpl_m, self.tpl_grf_r, self.tpl_grf_tot,
                          self.tpl_hipext, self.tpl_stance, self.tpl_stride_s),
                MuscleSet(self.F0, self.prm, self.quad_w, self.sup_col, self.sup_F0, self.A,
                          self.col_muscle, self.col_side, self.col_comp, self.col_shear,
                          self.col_rho),
                Plan(self.seg_end, self.seg_speed, self.brk_start, self.brk_end), self.sc)

    def kernel_args(self):
        """The same inputs flat, in the order of :meth:`kernel_bundles` (for experiments that
        call the engine's inner kernels, e.g. ``experiments/profile_engine.py``)."""
        return (self.tpl_speed, self.tpl_m, self.tpl_grf_r, self.tpl_grf_tot, self.tpl_hipext,
                self.tpl_stance, self.tpl_stride_s, self.F0, self.prm, self.quad_w,
                self.sup_col, self.sup_F0, self.A, self.col_muscle, self.col_side,
                self.col_comp, self.col_shear, self.col_rho, self.seg_end, self.seg_speed, self.brk_start,
                self.brk_end, self.sc)


def n_checkpoints_max(inp: ScenarioInputs) -> int:
    """Upper bound on the checkpoints of a run (blocks plus pace and break events)."""
    n = math.ceil(inp.scalar("duration_s") / inp.scalar("block_s") - 1e-9)
    return n + inp.seg_end.size + 2 * inp.brk_start.size + 8


@lru_cache(maxsize=4096)
def _demand(speed, step_rate_scale, n_phase):
    return gait.demand(speed, step_rate_scale, n_phase)


def clear_template_cache() -> None:
    """Forget the gait templates computed so far (kept per speed and step rate; for a
    benchmark that times new scenarios)."""
    _demand.cache_clear()


@lru_cache(maxsize=256)
def _muscles(mass_kg):
    ms = muscle_set(mass_kg)
    return ms, sharing_columns(ms)


@lru_cache(maxsize=64)
def _base_prm(gain):
    ms, _ = _muscles(75.0)
    prm = np.array([muscle_parameters(ms.fatigue_class[i], float(ms.p_st[i]), "muscle", gain, True)
                    for i in range(len(ms.names))])
    prm.setflags(write=False)
    return prm


@lru_cache(maxsize=8)
def _params(name):
    return params.load(name)


def _templates(speeds, step_rate_scale, n_phase, mass_kg):
    tm, gr, gt, he, st, ss = [], [], [], [], [], []
    for v in speeds:
        d = _demand(float(v), float(step_rate_scale), int(n_phase))
        tm.append(d.moments_Nm_per_kg * mass_kg)
        grf = np.asarray(d.grf_vertical_bw, dtype=np.float64)
        gr.append(grf)
        gt.append(grf + np.roll(grf, -(n_phase // 2)))
        he.append(d.hip_extension_deg)
        st.append(d.stance.astype(np.float64))
        ss.append(d.stride_time_s)
    return tuple(np.ascontiguousarray(np.array(a, dtype=np.float64)) for a in (tm, gr, gt, he, st, ss))


@dataclass(frozen=True, eq=False)
class _Runner:
    """What the scenarios of one runner share (read-only arrays): the muscles each
    strength key multiplies, the drain scales, the pool parameters before the intensity
    of each speed, and the muscle indices the engine reads."""

    strength_of: tuple        # per STRENGTH_TARGETS key: the muscles it multiplies
    scale: np.ndarray
    prm: np.ndarray           # (n_muscle, N_PARAMS)
    frozen: tuple
    quad_w: np.ndarray
    sup_col: np.ndarray
    col_rho: np.ndarray
    reserve: dict             # the runner's critical speed, reserve and heavy domain
    calibration: dict         # the energy calibration these were built from


@lru_cache(maxsize=256)
def _runner(mass, marathon_pace, gain, fatigue_on, deep_on, size_power, cal_id):
    # cal_id: id of the energy calibration in use (a new object after
    # energy.clear_cache()); the entry keeps that object, so the id is not reused while
    # the entry lives
    ms, cols = _muscles(mass)
    names = ms.names
    strength_of = tuple(tuple(names.index(name) for t in targets
                              for name in ms.groups.get(t, (t,)))
                        for targets in STRENGTH_TARGETS.values())
    scale = drain_scale(marathon_pace, names)
    prm = np.array(_base_prm(gain))
    prm[:, MUSCLE_PARAMS.index("slow_rate")] = slow_rate() * training_factors(scale, names,
                                                                             ms.F0)
    loco = [names.index(n) for n in LOCOMOTOR_MUSCLES]
    prm[loco, MUSCLE_PARAMS.index("wall_weight")] = ms.F0[loco] / ms.F0[loco].sum()
    deep = set(ms.groups["lumbar_deep"])
    frozen = tuple(i for i, n in enumerate(names) if not fatigue_on or (not deep_on and n in deep))
    quad = [names.index(n) for n in ms.groups["knee_extensors"]]
    quad_w = np.zeros(len(names))
    quad_w[quad] = ms.F0[quad] / ms.F0[quad].sum()
    sup = names.index("erector_spinae_superficial")
    sup_col = np.array([c for c in range(cols.n_columns) if cols.column_muscle[c] == sup],
                       dtype=np.int64)
    out = _Runner(strength_of=strength_of, scale=scale, prm=prm, frozen=frozen, quad_w=quad_w,
                  sup_col=sup_col,
                  col_rho=np.ascontiguousarray(effort_scale(cols, ms, size_power)),
                  reserve={"critical_speed_mps": critical_speed(marathon_pace),
                           "d_prime_m": d_prime_m(), "reserve_floor": reserve_floor(),
                           "cs_glycogen_share": cs_glycogen_share(),
                           **heavy_domain(marathon_pace)},
                  calibration=energy_calibration())
    for a in (out.scale, out.prm, out.quad_w, out.sup_col, out.col_rho):
        a.setflags(write=False)
    return out


def build_inputs(cfg) -> ScenarioInputs:
    """Arrays of one scenario from a :class:`~sim.config.Config`.

    What depends only on the runner (mass, marathon pace, the model switches) and on the
    energy calibration is built once and kept (``_runner``; a new calibration after
    :func:`sim.physics.energy.clear_cache` is a new key); each scenario gets its own
    copies. A sweep's scenarios then cost about 0.25 ms each here, most of it the gait
    templates of a new speed (:func:`sim.physics.gait.demand`).

    Raises
    ------
    ValueError
        If the model layers reject a value (e.g. a speed outside the gait data).
    """
    runner, scn, model, spike = cfg.runner, cfg.scenario, cfg.model, cfg.spike
    mass = runner.mass_kg
    ms, cols = _muscles(mass)
    names = ms.names
    mp = runner.marathon_pace_mps
    rn = _runner(mass, mp, model.activation_gain_per_s, model.fatigue,
                 model.deep_core_fatigue, model.trunk_size_power, id(energy_calibration()))
    strength = np.ones(len(names))
    for key, members in zip(STRENGTH_TARGETS, rn.strength_of):
        mult = getattr(scn, key)
        for i in members:
            strength[i] *= mult
    sup = names.index("erector_spinae_superficial")

    plan = pace_plan(cfg)
    speeds = plan.speeds()
    tpl = _templates(speeds, scn.step_rate_scale, model.n_phase, mass)
    # energy drains per template speed: runner scale x intensity relative to marathon pace
    prm = np.repeat(rn.prm[None], len(speeds), axis=0)
    for k, v in enumerate(speeds):
        prm[k, :, 8:10] *= (rn.scale * intensity_factor(v, mp))[:, None]
    if rn.frozen:
        frozen = list(rn.frozen)
        prm[:, frozen, :] = freeze_fatigue(prm[:, frozen, :])

    body = _params("body")
    mus = _params("muscles")
    pf, scl = mus["passive_hip_flexors"], mus["scaling"]
    mass_ratio = mass / scl["reference_mass"]
    psoas_arm = pf["psoas_moment_arm"] * mass_ratio ** scl["moment_arm_exponent"]
    seg = body["segments"]
    fl = body["forward_lean"]
    values = {
        "mass_kg": mass,
        "duration_s": plan.duration_s,
        "block_s": model.block_s,
        "mode": 1.0 if model.mode == "resolved" else 0.0,
        "rom_deg": runner.hip_extension_rom_deg,
        "tightness_deg": scn.hip_flexor_tightness_deg,
        "stretch_deg": plan.stretch_deg,
        "stretch_fade_s": plan.stretch_fade_s,
        "in_run_stretch_deg": plan.in_run_stretch_deg,
        "policy": float(plan.policy),
        "jog_speed_mps": plan.jog_speed_mps,
        "wait_s": plan.wait_s,
        "stretch_s": plan.stretch_s,
        "rest_s": plan.rest_s,
        "lean_cost": model.lean_cost,
        "knee_gain": model.knee_tracking_gain,
        "shear_threshold_bw": spike.shear_threshold_bw,
        "superficial_threshold": spike.superficial_threshold,
        "hold_s": spike.hold_s,
        "spike_index": 1.0 if spike.index == "superficial_load" else 0.0,
        "upper_fraction": seg["upper_body_mass_fraction"],
        "g": seg["g"],
        "lean_lever_hip_m": seg["hat_mass_fraction"] * seg["hat_com_above_hip"],
        "trunk_com_above_l5s1_m": seg["trunk_com_above_l5s1"],
        "disc_inclination_rad": math.radians(body["l5s1"]["disc_inclination_deg"]),
        "passive_moment_at_limit_Nm": pf["end_range_moment"] * mass_ratio,
        "passive_angle_constant_deg": pf["angle_constant"],
        "psoas_tension_per_Nm": pf["psoas_share"] / psoas_arm,
        "psoas_compression_per_N": pf["psoas_compression_per_N"],
        "psoas_shear_per_N": pf["psoas_shear_per_N"],
        "psoas_lumbar_arm_m": body["psoas"]["lumbar_flexion_moment_arm"],
        "max_lean_rad": math.radians(body["lean"]["max_lean_deg"]),
        "max_block_s": max(model.max_block_s, model.block_s),
        "block_tolerance": model.block_tolerance,
        "reuse_tolerance": model.reuse_tolerance,
        "lean_settle_rad": math.radians(model.lean_settle_deg),
        "index_tolerance": model.index_tolerance,
        "exhaustion_hold_s": model.exhaustion_hold_s,
        **rn.reserve,
        "fwd_lean_on": 1.0 if model.forward_lean else 0.0,
        "fwd_lean_cost": (forward_lean_cost() if model.forward_lean_cost is None
                          else model.forward_lean_cost),
        "pelvis_share": fl["pelvis_share"],
        "grf_z_hip": fl["grf_height_ratio_hip"],
        "grf_z_knee": fl["grf_height_ratio_knee"],
        "grf_z_ankle": fl["grf_height_ratio_ankle"],
        "max_fwd_lean_rad": math.radians(fl["max_lean_deg"]),
        "fwd_lean_curvature": fl["newton_curvature"],
        "fwd_lean_jump_rad": math.radians(fl["bracket_jump_deg"]),
        "probe_settle_rad": math.radians(fl["probe_settle_deg"]),
        "max_probes": float(fl["max_probes"]),
        "search_guess_on": 1.0 if fl["search_guess"] else 0.0,
        "lean_drift_gain": fl["drift_gain"],
        "lean_drift_search": fl["drift_search"],
        "rescue_step_rad": math.radians(fl["rescue_step_deg"]),
        "rescue_on": 1.0 if model.failed_stride_posture == "search" else 0.0,
        "lateral_lean_on": 1.0 if model.lateral_lean else 0.0,
        "fwd_lean_cost_fresh": 1.0 if model.forward_lean_cost_of == "fresh" else 0.0,
        "anchor_flexible": 1.0 if model.lean_preference == "flexible" else 0.0,
        "lean_home_rad": math.radians(scn.forward_lean_deg),
    }
    assert set(values) == set(SCALARS), set(SCALARS) ^ set(values)
    sc = np.array([values[n] for n in SCALARS], dtype=np.float64)
    return ScenarioInputs(
        tpl_speed=speeds, tpl_m=tpl[0], tpl_grf_r=tpl[1], tpl_grf_tot=tpl[2], tpl_hipext=tpl[3],
        tpl_stance=tpl[4], tpl_stride_s=tpl[5], F0=np.ascontiguousarray(ms.F0 * strength),
        prm=np.ascontiguousarray(prm),
        quad_w=rn.quad_w.copy(), sup_col=rn.sup_col.copy(), sup_F0=float(ms.F0[sup]),
        A=np.ascontiguousarray(cols.A), col_muscle=np.ascontiguousarray(cols.column_muscle),
        col_side=np.ascontiguousarray(cols.column_side),
        col_comp=np.ascontiguousarray(cols.compression_per_N),
        col_shear=np.ascontiguousarray(cols.shear_per_N),
        col_rho=rn.col_rho.copy(),
        seg_end=plan.segment_end_s, seg_speed=plan.segment_speed_mps,
        brk_start=plan.break_start_s, brk_end=plan.break_end_s, sc=sc,
        muscles=names, groups={k: tuple(v) for k, v in ms.groups.items()}, dofs=DOFS,
        meta={"drain_scale": rn.scale.copy(), "strength": strength,
              "column_names": cols.names},
    )


#: Rates that make a fibre pool tire; zero in :func:`freeze_fatigue`.
FATIGUE_RATES = ("F_st", "F_ft", "drain_st", "drain_ft", "slow_rate")


def freeze_fatigue(prm: np.ndarray) -> np.ndarray:
    """Muscle parameters (last axis :data:`sim.physics.fatigue.pools.MUSCLE_PARAMS`) of muscles that
    do not tire: no fast fatigue, no glycogen drain, no slow force depression. Used by
    ``model.fatigue = false`` and ``model.deep_core_fatigue = false`` (to ask what fatigue,
    or the deep core's fatigue, adds to a result).

    Examples
    --------
    >>> from sim.fatigue.pools import N_PARAMS
    >>> freeze_fatigue(np.ones(N_PARAMS))[list(map(MUSCLE_PARAMS.index, FATIGUE_RATES))].tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0]
    """
    out = np.array(prm, dtype=np.float64)
    for name in FATIGUE_RATES:
        out[..., MUSCLE_PARAMS.index(name)] = 0.0
    return out


def forward_lean_cost() -> float:
    """Calibrated cost of a forward lean [1/rad^2] (``sim/data/forward_lean_calibration.json``,
    written by ``experiments/calibrate_forward_lean.py``)."""
    path = params.data_path("forward_lean_calibration.json")
    return _lean_cost(str(path), os.stat(str(path)).st_mtime_ns)   # read again if rewritten


@lru_cache(maxsize=4)
def _lean_cost(path, mtime_ns):
    import json

    with open(path, encoding="utf-8") as fh:
        return float(json.load(fh)["cost_per_rad2"])


#: Muscle groups whose effort weighting follows ``model.trunk_size_power``.
TRUNK_GROUPS = ("lumbar_deep", "lumbar_superficial", "abdominals")


def effort_scale(cols, ms, size_power: float) -> np.ndarray:
    """Effort scale ``rho`` of each load-sharing column (effort weight = ``rho`` × capacity).

    The load sharing minimises ``Σ (f_i / (rho_i C_i))^2`` (DESIGN §2.4); ``rho`` is 1 but
    for lumped columns (their own scale, :attr:`sim.physics.muscles.MuscleSet.effort_scale`) and
    for the trunk muscles, whose weights are multiplied by ``(mean F0 / F0_i)^((1 - q)/2)``
    with ``q = size_power`` (fresh reference forces, mean over the trunk columns). A fresh
    muscle's activation then grows with its size as ``F0^q`` times its moment arm:

    - ``q = 1``: the plain capacity-weighted criterion, activation proportional to size
      (the largest back muscle, the superficial erector spinae, works hardest);
    - ``q = 0``: size-neutral, activation set by moment arm and remaining capacity alone;
    - ``q = 1/2``: the size dependence of Crowninshield & Brand's (1981) cubic criterion,
      ``min Σ (f_i / C_i)^3``, whose activations go as ``(C_i (A^T λ)_i)^(1/2)``.

    The choice and its evidence: ``experiments/effort_criterion.py``.
    """
    if not 0.0 <= size_power <= 1.0:
        raise ValueError(f"size_power={size_power}; allowed: 0 to 1")
    rho = np.array(cols.effort_scale, dtype=np.float64)
    trunk = {m for g in TRUNK_GROUPS for m in ms.groups[g]}
    names = list(ms.names)
    idx = np.asarray(cols.column_muscle)
    sel = np.array([names[i] in trunk for i in idx])
    f0 = np.asarray(ms.F0, dtype=np.float64)[idx]
    rho[sel] *= (f0[sel].mean() / f0[sel]) ** (0.5 * (1.0 - size_power))
    return rho
