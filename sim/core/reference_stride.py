"""Reference engine, one stride: the demand and its load sharing with SciPy, the spine.

The plain NumPy/SciPy mirror of :mod:`sim.core.engine_stride`, used by
:func:`sim.core.reference.reference_run` (steps 2-4 of its checkpoint):

* :func:`_stride_demand`: the demand of every phase sample of one stride (knee-tracking
  gain, taut hip flexors and passive psoas tension, forward lean, lateral-lean column),
  built with array operations over the stride;
* :func:`_share` (with :func:`_polish`): one phase's load sharing with SciPy (bounded
  least squares, an exact active-set polish and a HiGHS feasibility LP);
  :func:`_solve_stride` solves a stride phase by phase, the mirrored lean half a stride
  later included;
* :func:`_lean_rate`: the rate of the stride's effort with the forward lean (the phases'
  multipliers times a central difference of the demand), :func:`_phase_effort` the
  effort of one phase, :func:`_lean_step` the posture update after a feasible stride;
* :func:`_tilt` and :func:`_spine_loads`: the held extra pelvic tilt and the L5/S1
  compression and shear at every phase.
"""
from __future__ import annotations

import math

import numpy as np

from ..physics.sharing import (_ELASTIC_RHO, STATUS_INFEASIBLE, STATUS_MAX_ITER, STATUS_OK,
                               feasibility_lp)
from .engine_layout import DOF, SCALARS
from .engine_posture import bracket_curvature, lean_update, posture_search

_HIP_FLEX = DOF["hip_flexion"]
_HIP_ABD = DOF["hip_abduction"]
_LUMB_EXT = DOF["lumbar_extension"]
_KNEE_EXT = DOF["knee_extension"]
_ANKLE_PF = DOF["ankle_plantarflexion"]
_LUMB_BEND = DOF["lumbar_bending"]


def _checked_mode(p, mode):
    """The stepping mode (the scenario's when ``mode`` is None); a ValueError for a mode or
    an assumption switch the reference path does not have."""
    mode = mode or ("resolved" if p["mode"] > 0.5 else "block")
    if mode not in ("block", "resolved"):
        raise ValueError(f"mode={mode!r}; allowed: 'block', 'resolved'")
    if p["rescue_on"] > 0.5:
        raise ValueError("model.failed_stride_posture = 'search' is not in the reference "
                         "path; allowed: 'hold'")
    return mode


def _passive_moment(hip_ext_deg, limit_deg, moment_at_limit, angle_constant_deg):
    """Passive hip flexion moment of taut hip flexors [N·m] (array in, array out)."""
    reached = np.minimum(hip_ext_deg, limit_deg)
    return moment_at_limit * np.exp((reached - limit_deg) / angle_constant_deg)


def _stride_demand(inp, p, tpl, kgain, limit_deg, lean=0.0):
    """Demand of every phase sample of one stride.

    Parameters
    ----------
    inp : ScenarioInputs
    p : dict
        Named scalars (:data:`sim.core.engine.SCALARS`).
    tpl : int
        Template (speed) index.
    kgain : float
        Knee-tracking gain on the stance hip abduction demand [1].
    limit_deg : float
        Hip extension the hip flexors allow [deg].
    lean : float
        Forward trunk lean beyond the fresh posture [rad].

    Returns
    -------
    M : ndarray (n_phase, n_dof)
        Moments the muscles and the lean must make [N·m], before the mirrored lean cost.
    B : ndarray (n_phase, n_dof, 1)
        Lean column per phase [N·m/rad].
    demand : ndarray (n_phase, n_dof)
        Net joint moments of the stride (template with the knee-tracking gain) [N·m].
    mp : ndarray (n_phase,)
        Passive moment of the right hip flexors [N·m].
    """
    n = inp.tpl_m.shape[1]
    demand = inp.tpl_m[tpl].copy()
    demand[inp.tpl_stance[tpl] > 0.5, _HIP_ABD] *= kgain
    shift = p["pelvis_share"] * math.degrees(lean)
    mp = _passive_moment(inp.tpl_hipext[tpl] - shift, limit_deg, p["passive_moment_at_limit_Nm"],
                         p["passive_angle_constant_deg"])
    mp_left = np.roll(mp, -(n // 2))
    if lean != 0.0:
        weight = p["mass_kg"] * p["g"]
        dx = p["lean_lever_hip_m"] * math.sin(lean)
        f_r = inp.tpl_grf_r[tpl] * weight
        demand[:, _HIP_FLEX] -= f_r * dx * p["grf_z_hip"]
        demand[:, _KNEE_EXT] -= f_r * dx * p["grf_z_knee"]
        demand[:, _ANKLE_PF] += f_r * dx * p["grf_z_ankle"]
        demand[:, _LUMB_EXT] += (inp.tpl_grf_tot[tpl] * weight * p["upper_fraction"]
                                 * p["trunk_com_above_l5s1_m"] * math.sin(lean))
    M = demand.copy()
    M[:, _HIP_FLEX] -= mp
    M[:, _LUMB_EXT] += (mp + mp_left) * p["psoas_tension_per_Nm"] * p["psoas_lumbar_arm_m"]
    grf = inp.tpl_grf_r[tpl]
    B = np.zeros(M.shape + (1,))
    on = p["lateral_lean_on"]
    B[:, _HIP_ABD, 0] = grf * p["mass_kg"] * p["g"] * p["lean_lever_hip_m"] * on
    B[:, _LUMB_BEND, 0] = (grf * p["mass_kg"] * p["upper_fraction"] * p["g"]
                           * p["trunk_com_above_l5s1_m"] * on)
    return M, B, demand, mp


def _polish(K, rhs, v, lb, ub, n_bounded, atol=1e-9):
    """Exact minimum-norm solution of ``K v = rhs`` on the active set suggested by ``v``.

    The first ``n_bounded`` variables have bounds ``[lb, ub]``; those within ``atol`` of
    a bound are fixed there and the free ones solve the balance with least norm. A free
    variable leaving its box is fixed, a bound whose multiplier has the wrong sign is
    released, until the KKT conditions hold. Returns None if that does not settle.
    """
    lo = np.zeros(v.size, dtype=bool)
    hi = np.zeros(v.size, dtype=bool)
    lo[:n_bounded] = v[:n_bounded] <= lb[:n_bounded] + atol
    hi[:n_bounded] = v[:n_bounded] >= ub[:n_bounded] - atol
    for _ in range(2 * v.size + 2):
        free = ~(lo | hi)
        x = np.where(hi, ub, 0.0)
        x[lo] = lb[lo]
        x[free] = np.linalg.lstsq(K[:, free], rhs - K[:, ~free] @ x[~free], rcond=None)[0]
        out = free & ((x < lb - 1e-12) | (x > ub + 1e-12))
        if out.any():
            viol = np.where(out, np.maximum(lb - x, x - ub), 0.0)
            i = int(np.argmax(viol))
            (lo if x[i] < lb[i] else hi)[i] = True
            continue
        mu = np.linalg.lstsq(K[:, free].T, 2.0 * x[free], rcond=None)[0]
        g = K.T @ mu - 2.0 * x        # > 0 at a lower bound: the objective wants it higher
        wrong = (lo & (g > 1e-10)) | (hi & (g < -1e-10))
        if not wrong.any():
            return np.clip(x, lb, ub), mu
        i = int(np.argmax(np.where(wrong, np.abs(g), 0.0)))
        lo[i] = hi[i] = False
    return None


def _share(A, C, W, m, B, w):
    """Load sharing of one phase with SciPy.

    Solves ``min sum (f_i/W_i)^2 + w theta^2  s.t.  A f + B theta = m, 0 <= f <= C`` in
    the scaled variables ``y = f/W`` (bounds ``[0, C/W]``) and ``z = sqrt(w) theta``, so
    the objective is ``|y|^2 + |z|^2`` and the balance ``K [y; z] = m``:
    ``scipy.optimize.lsq_linear`` (BVLS) on the penalised problem
    ``|y|^2 + |z|^2 + rho |K [y; z] - m|^2 / |m|^2`` (``rho = 1e10``) finds the active
    bounds, then :func:`_polish` solves that active set exactly. Feasibility is decided
    by a HiGHS LP (:func:`sim.physics.sharing.feasibility_lp`); an infeasible phase gets the
    model's best-effort forces (:mod:`sim.physics.sharing`), the penalised solution with
    ``rho = 1e6``.

    Returns
    -------
    f : ndarray (n_col,)
        Column forces [N].
    theta : float
        Lean [rad].
    status : int
        :data:`sim.physics.sharing.STATUS_OK`, ``STATUS_INFEASIBLE`` or ``STATUS_MAX_ITER``.
    residual : float
        Relative moment residual ``|A f + B theta - m| / |m|``.
    lam : ndarray (n_dof,) or None
        Rate of the optimal effort with the demand ``m`` [1/(N m)] (the multipliers of the
        polished active set; None when the phase is infeasible or was not polished).
    """
    from scipy.optimize import lsq_linear

    act = np.flatnonzero(C > 0.0)
    na = act.size
    m_norm = max(float(np.linalg.norm(m)), 1e-9)
    K = np.hstack([A[:, act] * W[act], B / np.sqrt(w)]) / m_norm
    rhs = m / m_norm
    lb = np.zeros(na + w.size)
    ub = np.concatenate([C[act] / W[act], np.full(w.size, np.inf)])
    lb[na:] = -np.inf
    feasible = feasibility_lp(A, C, m, B)[0]
    rho = 1e10 if feasible else _ELASTIC_RHO
    v = lsq_linear(np.vstack([np.eye(na + w.size), math.sqrt(rho) * K]),
                   np.concatenate([np.zeros(na + w.size), math.sqrt(rho) * rhs]),
                   bounds=(lb, ub), method="bvls", tol=1e-15).x
    v = np.clip(v, lb, ub)
    lam = None
    if feasible:
        exact = _polish(K, rhs, v, lb, ub, na)
        if exact is not None:
            v, mu = exact
            lam = mu / m_norm
    f = np.zeros(A.shape[1])
    f[act] = v[:na] * W[act]
    theta = v[na:] / np.sqrt(w)
    residual = float(np.linalg.norm(A @ f + B @ theta - m)) / m_norm
    if not feasible:
        status = STATUS_INFEASIBLE
    else:
        status = STATUS_OK if residual <= 1e-6 else STATUS_MAX_ITER
    return f, float(theta[0]), status, residual, lam


def _solve_stride(A, C, W, M, B, w, max_lean_rad):
    """Load sharing over one stride with SciPy, phase by phase.

    From the middle of the stride on (left stance), the lean held half a stride earlier
    loads the lumbar benders toward the right: ``B[j - n/2, bend] * theta[j - n/2]`` is
    added to the bending demand.

    Returns
    -------
    F : ndarray (n_phase, n_col)
        Column forces [N].
    theta : ndarray (n_phase,)
        Trunk lean [rad].
    bad : bool
        Some phase was infeasible or leaned beyond ``max_lean_rad``.
    resid : float
        Largest relative moment residual of the other (feasible) phases [1].
    E : float
        Effort of the feasible phases, summed [1].
    Lam : ndarray (n_phase, n_dof)
        Multipliers per phase (NaN where not available).
    """
    n = M.shape[0]
    half = n // 2
    F = np.zeros((n, A.shape[1]))
    theta = np.zeros(n)
    Lam = np.zeros_like(M)
    bad = False
    resid = 0.0
    E = 0.0
    for j in range(n):
        m = M[j].copy()
        if j >= half:
            m[_LUMB_BEND] += B[j - half, _LUMB_BEND, 0] * theta[j - half]
        F[j], theta[j], status, residual, lam = _share(A, C, W, m, B[j], w)
        Lam[j] = np.nan if lam is None else lam
        if status != STATUS_OK or abs(theta[j]) > max_lean_rad:
            bad = True
        else:
            resid = max(resid, residual)
            E += _phase_effort(F[j], W, theta[j], w)
    return F, theta, bad, resid, E, Lam


def _phase_effort(f, W, theta, w):
    """The load-sharing objective of one solved phase [1]."""
    use = W > 0.0
    return float(np.sum((f[use] / W[use]) ** 2) + w[0] * theta * theta)


def _demand_rate(inp, p, tpl, kgain, limit, lean, eps=1e-6):
    """Rate of each phase's demand with the forward lean [N m/rad], by central differences.

    The demand has kinks in the lean (where a phase's hip extension reaches the taut
    flexors' limit); a phase whose forward and backward differences disagree has one
    within the step and is differenced again with a step ten times shorter (down to
    ``eps / 1000``), so that a lean just off a kink gets the rate of its own side, as the
    engine's derivative does."""
    M0 = _stride_demand(inp, p, tpl, kgain, limit, lean)[0]
    dM = np.zeros_like(M0)
    todo = np.ones(M0.shape[0], dtype=bool)
    h = eps
    while True:
        Mp = _stride_demand(inp, p, tpl, kgain, limit, lean + h)[0]
        Mm = _stride_demand(inp, p, tpl, kgain, limit, lean - h)[0]
        d = (Mp - Mm) / (2.0 * h)
        dM[todo] = d[todo]
        kink = todo & np.any(np.abs((Mp - M0) - (M0 - Mm)) > 1e-3 * h * (1.0 + np.abs(d)),
                             axis=1)
        if not kink.any() or h <= 1e-3 * eps:
            return dM
        todo, h = kink, 0.1 * h


def _lean_rate(inp, p, tpl, kgain, limit, lean, Lam):
    """Rate of the stride's effort with the forward lean [1/rad]: the multipliers times
    the demand's rate (:func:`_demand_rate`; the mirrored lateral lean is the same on both
    sides, so it cancels)."""
    dM = _demand_rate(inp, p, tpl, kgain, limit, lean)
    ok = np.all(np.isfinite(Lam), axis=1)
    return float(np.sum(Lam[ok] * dM[ok]))


def _lean_rate_by_joint(inp, speed, cap, lean, eps=1e-6):
    """The effort ``E`` of a stride at ``speed`` [m/s], capacities ``cap`` and ``lean``
    [rad], the lean's effort rate ``dE/dlean`` [1/rad] by joint (the multipliers times the
    demand's change) and whether a phase was infeasible: what the posture update weighs,
    taken apart (``experiments/lean_preference.py``); the scenario's own tightness."""
    p = {name: float(v) for name, v in zip(SCALARS, inp.sc)}
    tpl = int(np.argmin(np.abs(inp.tpl_speed - speed)))
    limit = p["rom_deg"] - p["tightness_deg"]
    kgain = 1.0 + p["knee_gain"] * max(0.0, 1.0 - float(inp.quad_w @ cap))
    C = inp.F0[inp.col_muscle] * cap[inp.col_muscle]
    M, B, _, _ = _stride_demand(inp, p, tpl, kgain, limit, lean)
    _, _, bad, _, E, Lam = _solve_stride(inp.A, C, inp.col_rho * C, M, B,
                                         np.array([p["lean_cost"]]), p["max_lean_rad"])
    dM = _demand_rate(inp, p, tpl, kgain, limit, lean, eps)
    return E, np.nansum(Lam * dM, axis=0), bad


def _tilt(inp, p, tpl, limit, lean):
    """Held extra anterior pelvic tilt [deg]: the pelvis's share of the forward lean plus
    the stride's largest hip-extension deficit left after it."""
    shift = p["pelvis_share"] * math.degrees(lean)
    return shift + max(0.0, float(np.max(inp.tpl_hipext[tpl] - shift - limit)))


def _spine_loads(inp, p, tpl, F, tilt_deg, mp):
    """L5/S1 compression and anterior shear [N] at every phase of a solved stride.

    Parameters
    ----------
    F : ndarray (n_phase, n_col)
        Column forces [N].
    tilt_deg : float
        Extra anterior pelvic tilt [deg].
    mp : ndarray (n_phase,)
        Passive moment of the right hip flexors [N·m].

    Returns
    -------
    comp, shear : ndarray (n_phase,)
    """
    n = F.shape[0]
    half = n // 2
    n_cols_of = np.bincount(inp.col_muscle)[inp.col_muscle]
    # an unpaired leg muscle reaching the spine (psoas): add the left leg's, half a stride on
    leg_to_spine = (inp.col_side == 0) & (inp.col_comp != 0.0) & (n_cols_of == 1)
    Fs = F.copy()
    Fs[:, leg_to_spine] += np.roll(F[:, leg_to_spine], -half, axis=0)
    psoas = (mp + np.roll(mp, -half)) * p["psoas_tension_per_Nm"]
    w_ub = p["mass_kg"] * p["upper_fraction"] * p["g"] * inp.tpl_grf_tot[tpl]
    incl = p["disc_inclination_rad"] + math.radians(tilt_deg)
    comp = w_ub * math.cos(incl) + psoas * p["psoas_compression_per_N"] + Fs @ inp.col_comp
    shear = w_ub * math.sin(incl) + psoas * p["psoas_shear_per_N"] + Fs @ inp.col_shear
    return comp, shear


def _lean_step(lean, rel, p, E, ctx):
    """One posture update after a feasible stride of effort ``E`` and relative effort rate
    ``rel`` (as :func:`sim.core.engine.lean_update` and the engine around it).

    The first feasible stride sets the posture preference ``lean["anchor"]``: its own
    ``rel``, or with ``anchor_flexible`` (and tight hip flexors) that of the same stride
    without them, at ``limit = rom_deg``; ``ctx = (inp, tpl, kgain, limit, C, w)`` is what
    that stride's solve needs. The lean cost is ``fwd_lean_cost``, or with
    ``fwd_lean_cost_fresh`` that times the first feasible stride's effort over ``E``.
    """
    if math.isnan(lean["anchor"]):
        lean["anchor"], lean["E0"] = rel, E     # the fresh posture is the optimum
        inp, tpl, kgain, limit, C, w = ctx
        if p["anchor_flexible"] > 0.5 and limit < p["rom_deg"]:
            M, B, _, _ = _stride_demand(inp, p, tpl, kgain, p["rom_deg"], lean["lean"])
            _, _, bad, _, E_f, Lam = _solve_stride(inp.A, C, inp.col_rho * C, M, B, w,
                                                   p["max_lean_rad"])
            if not bad and E_f > 0.0:
                lean["anchor"] = _lean_rate(inp, p, tpl, kgain, p["rom_deg"], lean["lean"],
                                            Lam) / E_f
    lean["cost"] = p["fwd_lean_cost"] * (lean["E0"] / E if p["fwd_lean_cost_fresh"] > 0.5
                                         else 1.0)
    new, lo, hi = lean_update(lean["lean"], rel, lean["anchor"], lean["cost"],
                              p["fwd_lean_curvature"], p["max_fwd_lean_rad"], p["lean_home_rad"],
                              lean["step"], lean["lo"], lean["hi"],
                              p["fwd_lean_jump_rad"])
    new = float(new)
    lean["lo"], lean["hi"] = float(lo), float(hi)
    lean["step"] = lean["lean"] - new
    lean["lean"] = new


def _search_posture(inp, p, tpl, limit, lean, C, w, kgain, d, rel, tol, always=False):
    """Move ``lean`` to within ``tol`` [rad] of the posture's optimum by probe strides at the
    capacity forces ``C`` (:func:`sim.core.engine_posture.posture_search`, as in the
    engine); ``d`` is the lean of the stride just solved and ``rel`` its relative effort
    rate. Unless ``always``, only where the damped update would move the lean by more
    than ``tol``, or the optimum's drift estimate ``lean["drift"]`` by more than
    ``lean_drift_search`` times it (block mode); returns whether it searched."""
    cost, home = lean["cost"], p["lean_home_rad"]
    x = d
    gx = rel - lean["anchor"] + 2.0 * cost * (x - home)
    if not (always or abs(gx) / (2.0 * cost + p["fwd_lean_curvature"]) > tol
            or abs(lean["drift"]) > p["lean_drift_search"] * tol > 0.0):
        return False
    prev, lo, g_lo, hi, g_hi = x, math.nan, 0.0, math.nan, 0.0
    for _ in range(int(p["max_probes"])):
        lo, g_lo, hi, g_hi, nxt, done = posture_search(
            x, gx, prev, lo, g_lo, hi, g_hi, max(2.0 * cost, 1e-3),
            tol, -0.5 * p["max_fwd_lean_rad"], p["max_fwd_lean_rad"],
            lean["curv"] if p["search_guess_on"] > 0.5 else math.nan)
        lean["lo"], lean["hi"] = float(lo), float(hi)
        if done:
            c_meas = float(bracket_curvature(lo, g_lo, hi, g_hi))
            if math.isfinite(c_meas):
                lean["curv"] = c_meas
            if not always and x != d and abs(x - nxt) <= 0.25 * tol:
                nxt = x         # block mode: the last probe is the block's stride
            lean["step"], lean["lean"] = d - float(nxt), float(nxt)
            break
        M, B, _, _ = _stride_demand(inp, p, tpl, kgain, limit, nxt)
        _, _, bad, _, E, Lam = _solve_stride(inp.A, C, inp.col_rho * C, M, B, w,
                                             p["max_lean_rad"])
        if bad or not E > 0.0:
            break
        prev, x = x, float(nxt)
        gx = _lean_rate(inp, p, tpl, kgain, limit, x, Lam) / E - lean["anchor"] \
            + 2.0 * cost * (x - home)
        lean["step"], lean["lean"] = d - x, x
    return True
