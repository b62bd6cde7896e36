"""Reference engine: the running model in plain NumPy/SciPy, slow and easy to read.

:func:`reference_run` advances one scenario from the same
:class:`~sim.core.scenario.ScenarioInputs` as the numba engine (:func:`sim.core.engine.run_kernel`)
and returns the same per-checkpoint quantities as :func:`sim.core.simulation.run_inputs`. It
implements the model equations of DESIGN §2 independently of the kernels: the demand
of each phase sample is built with array operations over the stride, every load-sharing
problem is solved with SciPy (bounded least squares, an exact active-set polish and a
HiGHS feasibility LP, as :func:`sim.physics.sharing.share_load_scipy` does, here with effort
weights apart from the bounds), and the fibre pools are stepped with the NumPy fatigue
equations of :mod:`sim.physics.fatigue.reference` (matrix exponentials). It is used by
``tests/test_reference.py`` to check the engine and is the baseline of the speed
benchmark; it takes seconds where the engine takes milliseconds.

One checkpoint (block mode)
---------------------------
A checkpoint is a block of strides (``block_s`` to ``max_block_s`` long, adapted as in the
engine, cut at pace-segment ends,
rest-break edges and the end of a policy stop), or a rest interval.

1. Capacities at the start of the block: pool capacity ``(1 - MF) g(E)`` and muscle
   capacity ``p_ST cap_ST + (1 - p_ST) cap_FT`` (DESIGN §2.3); the capacity force of a
   sharing column is ``C = F0 x capacity`` (``F0`` includes the strength multipliers),
   its effort weight ``W = rho C`` with ``rho`` the effort scale of a lumped muscle
   (:attr:`sim.physics.muscles.MuscleSet.effort_scale`); both columns of a paired trunk muscle
   share its one state.
2. Demand over the representative stride at the nearest template speed:

   * right stance: hip abduction demand times the knee-tracking gain
     ``1 + k max(0, 1 - c_quad)``, ``c_quad`` the F0-weighted quadriceps capacity;
   * hip-flexor tightness: limit ``rom - tightness`` (after stretching); the taut right
     hip flexors' passive moment ``M_end exp((min(x, limit) - limit) / x0)`` takes part of
     the hip flexion moment, and the passive psoas tension of both hips (the left hip is
     the right hip half a stride on) adds a lumbar flexion moment that the extensors
     must resist;
   * forward trunk lean ``d`` beyond the fresh posture (``sin d`` times the stance
     ground reaction's shift at hip, knee and ankle height, and the upper body's weight
     moment at L5/S1; :mod:`sim.physics.compensation`); its pelvic share ``p d`` takes hip
     extension off the stride (less passive hip-flexor tension) and tilts the disc;
   * trunk lean column (right stance): ``GRF_r m g h_eff`` of hip abduction relief and
     ``GRF_r m_ub g h_t`` of lumbar bending per radian; half a stride later (left
     stance) the mirror image of that lean loads the lumbar benders toward the right.

3. Load sharing at every phase sample, in phase order (the mirrored lean needs the
   first half's leans): ``min sum (f/W)^2 + w theta^2`` subject to
   ``A f + B theta = m`` and ``0 <= f <= C`` (DESIGN §2.4); a phase whose moments
   cannot be met, or whose lean exceeds the largest plausible one, flags the stride as
   infeasible.
4. L5/S1 loads per phase: upper-body load ``m_ub g GRF_total`` on a disc inclined by
   the sacral slope plus the held extra anterior pelvic tilt (the stride's largest
   hip-extension deficit), muscle tensions times their line-of-action factors (the left
   psoas is the right one half a stride on) and the passive psoas tension of both hips.
   After each solved stride the forward lean takes one damped Newton step on
   ``ln E + cost (d - home)^2 - anchor d`` (:func:`sim.core.engine.lean_update`); the rate of the
   stride's effort ``E`` is the phases' SciPy multipliers times the demand's change with
   the lean (central difference of the demand).
5. Fatigue: each muscle's right (or only) column over the stride is split between the
   pools by the size principle; each pool advances over the whole block with its
   stride-mean force target and the recovery rate ``R (f_rest r + 1 - f_rest)``,
   ``f_rest`` the fraction of the stride it rests (activation below the rest
   threshold), exactly (:func:`sim.physics.fatigue.reference.step_3ccr`), and its energy store
   with the block's mean activation (:func:`sim.physics.fatigue.reference.energy_step`).

A rest interval (planned break, or the stretch and lie-down stops of the in-run
sequence) steps every pool with zero target and recovery ``r R``; its energy drain is
that of the slowest template (only the decaying activation drains it, a negligible
amount). The pace policies then compare the configured back-load index with its
threshold and change stage once it has stayed above it for the hold (or wait) time.

Resolved mode (``model.mode = "resolved"``, for runs of a minute or less): every phase
sample of every stride is solved at the current capacities and every muscle is stepped
by one phase interval (:func:`sim.physics.fatigue.reference.simulate_muscle_states`).

Timing: almost all the time goes to the SciPy solves (about 1.5 ms per phase sample: a
HiGHS LP and a bounded least-squares problem); a 2-hour run with 30 s blocks and 64
phase samples takes about 20-25 s, several hundred times the numba engine. The
matrices are tiny, so a multithreaded BLAS only adds thread overhead; on a busy machine
it can slow the run several-fold. Time it with ``OPENBLAS_NUM_THREADS=1`` (or
``OMP_NUM_THREADS=1``) set before NumPy is imported.

Examples
--------
>>> from sim.config import load_config
>>> from sim.scenario import build_inputs
>>> cfg = load_config(None, {"run.duration_min": 2, "run.speed_mps": 3.0,
...                          "model.block_s": 60, "model.n_phase": 16})
>>> out = reference_run(build_inputs(cfg))
>>> out["time"].tolist(), out["stage"].tolist()
([0.0, 60.0], [0, 0])
>>> out["cap"].shape
(2, 18)
>>> float(out["cap"][0].min()), bool(out["cap"][1].min() < 1.0)      # fresh, then tiring
(1.0, True)
"""
from __future__ import annotations

import math

import numpy as np

from .engine import DOF, SCALARS, lean_update
from ..physics.fatigue.pools import fresh_state
from ..physics.fatigue.reference import (energy_factor, energy_step, ischaemia_step, occlusion,
                                         simulate_muscle_states, slow_step, step_3ccr)
from .scenario import n_checkpoints_max
from ..physics.sharing import (_ELASTIC_RHO, STATUS_INFEASIBLE, STATUS_MAX_ITER, STATUS_OK,
                               feasibility_lp)

__all__ = ["reference_run"]

_HIP_FLEX = DOF["hip_flexion"]
_HIP_ABD = DOF["hip_abduction"]
_LUMB_EXT = DOF["lumbar_extension"]
_KNEE_EXT = DOF["knee_extension"]
_ANKLE_PF = DOF["ankle_plantarflexion"]
_LUMB_BEND = DOF["lumbar_bending"]


# ----------------------------------------------------------------------------------------
# small model pieces (NumPy versions of sim.compensation / sim.pace)
# ----------------------------------------------------------------------------------------
def _passive_moment(hip_ext_deg, limit_deg, moment_at_limit, angle_constant_deg):
    """Passive hip flexion moment of taut hip flexors [N·m] (array in, array out)."""
    reached = np.minimum(hip_ext_deg, limit_deg)
    return moment_at_limit * np.exp((reached - limit_deg) / angle_constant_deg)


def _tightness(t, p, applied_stretch):
    """Tightness left at run time ``t`` after the pre-run and in-run stretches [deg]."""
    remaining = max(0.0, 1.0 - t / p["stretch_fade_s"]) if p["stretch_fade_s"] > 0 else 1.0
    tight = max(0.0, p["tightness_deg"] - p["stretch_deg"] * remaining)
    return max(0.0, tight - applied_stretch)


def _planned_speed(t, seg_end, seg_speed):
    k = int(np.searchsorted(seg_end, t, side="right"))
    return float(seg_speed[min(k, seg_speed.size - 1)])


def _may_cross(value, previous, threshold, dt_prev, dt_next):
    """Could an index cross its threshold within the next block (linear extrapolation)?"""
    if not (math.isfinite(value) and math.isfinite(previous)):
        return True
    rate = abs(value - previous) / dt_prev
    return abs(value - threshold) <= 2.0 * rate * dt_next + 1e-3 * threshold


def _in_break(t, starts, ends):
    return bool(np.any((starts <= t) & (t < ends)))


def _next_event(t, t_end, times):
    later = times[(times > t + 1e-9) & (times < t_end)]
    return float(later.min()) if later.size else t_end


def _activation(force_target, g):
    """Activation target of a pool: force target / energy factor, at most 1."""
    if not force_target > 0.0:
        return 0.0
    return 1.0 if force_target >= g else force_target / g


# ----------------------------------------------------------------------------------------
# one stride
# ----------------------------------------------------------------------------------------
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


def _lean_rate(inp, p, tpl, kgain, limit, lean, Lam, eps=1e-6):
    """Rate of the stride's effort with the forward lean [1/rad]: the multipliers times a
    central difference of the demand (the mirrored lateral lean is the same on both sides,
    so it cancels)."""
    Mp = _stride_demand(inp, p, tpl, kgain, limit, lean + eps)[0]
    Mm = _stride_demand(inp, p, tpl, kgain, limit, lean - eps)[0]
    ok = np.all(np.isfinite(Lam), axis=1)
    return float(np.sum(Lam[ok] * (Mp[ok] - Mm[ok]))) / (2.0 * eps)


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


# ----------------------------------------------------------------------------------------
# fatigue
# ----------------------------------------------------------------------------------------
def _recruit_stride(u, p_st, cap_st, cap_ft, onset):
    """Size-principle split of muscle targets ``u`` (array) into pool force targets
    (as :func:`sim.physics.fatigue.pools.recruit`).

    Examples
    --------
    >>> st, ft = _recruit_stride(np.array([0.0, 0.3, 0.6]), 0.5, 0.8, 1.0, 1.0)
    >>> st.tolist(), np.round(ft, 6).tolist()
    ([0.0, 0.6, 0.8], [0.0, 0.0, 0.4])
    """
    u = np.clip(u, 0.0, 1.0)
    avail_st = p_st * cap_st
    if p_st >= 1.0:
        return np.minimum(u, avail_st) / p_st, np.zeros_like(u)
    avail_ft = (1.0 - p_st) * cap_ft
    first = min(max(onset, 0.0), 1.0) * avail_st
    room = avail_st - first + avail_ft
    extra = np.clip(np.minimum(u, avail_st + avail_ft) - first, 0.0, None)
    if not room > 0.0:
        return np.minimum(u, first) / p_st, np.zeros_like(u)
    share_st = np.minimum(u, first) + extra * (avail_st - first) / room
    share_ft = extra * avail_ft / room
    return share_st / p_st, np.maximum(share_ft, 0.0) / (1.0 - p_st)


def _stride_perfusion(u, dt, isch0, tau_on, tau_off, u_free, u_occ):
    """Periodic mean perfusion per phase sample over a stride of muscle targets ``u``
    (the ischaemia filter run over the stride until its end value repeats)."""
    isch = isch0
    perf = np.zeros(u.size)
    for _ in range(200):
        start = isch
        for j, uj in enumerate(u):
            isch, mean = ischaemia_step(isch, occlusion(uj, u_free, u_occ), tau_on, tau_off, dt)
            perf[j] = 1.0 - mean
        if abs(isch - start) < 1e-12:
            break
    return perf, isch


def _pool_block(s, o, tl, perf, f_mult, F, R, r, L, drain, refill, q, prm, dt):
    """Advance pool at offset ``o`` of state ``s`` in place (stride-averaged rates)."""
    act = _activation(float(np.mean(tl)), q)
    R_eff = R * (1.0 + (r - 1.0) * perf)
    # r = 1 makes step_3ccr recover at R_eff whatever the target
    ma, mr, mf, ma_mean = step_3ccr(s[o], s[o + 1], s[o + 2], act, F * f_mult, R_eff, 1.0, L,
                                    0.0, dt)
    q_ = o // 4
    e = energy_step(s[o + 3], ma_mean, drain * s[14], refill, dt, prm[19])
    z, sd = slow_step(s[12 + q_], s[9 + q_], ma_mean, prm[20] * s[14], prm[21], prm[22], dt)
    s[o:o + 4] = ma, mr, mf, e
    s[9 + q_], s[12 + q_] = sd, z


def _force_factors(s, prm):
    """Force per active fibre of the ST and FT pools, ``g(E)(1 - S)`` (times D for FT)."""
    K = prm[12]
    q_st = energy_factor(s[3], prm[11], K) * (1.0 - np.clip(s[9], 0.0, 1.0))
    q_ft = energy_factor(s[7], prm[23], K) * (1.0 - np.clip(s[10], 0.0, 1.0)) * s[11]
    return np.array([q_st, q_ft])


def _block_step(state, prm, F0, right_col, F, dtp, dt):
    """Advance every muscle over a block of ``dt`` seconds from one solved stride.

    Parameters
    ----------
    state : ndarray (n_muscle, N_STATE)
        Pool states (:data:`sim.physics.fatigue.pools.STATE`); a new array is returned.
    prm : ndarray (n_muscle, N_PARAMS)
        Pool parameters at the stride's speed.
    F0 : ndarray (n_muscle,)
        Fresh maximum forces [N].
    right_col : ndarray of int (n_muscle,)
        Right (or only) column of each muscle.
    F : ndarray (n_phase, n_col)
        Column forces over the stride [N].
    dtp : float
        Duration of one phase sample [s].
    dt : float
        Block length [s].
    """
    new = state.copy()
    for i, s in enumerate(new):
        p, F_st, R_st, F_ft, R_ft, r, L, thr, d_st, d_ft, refill = prm[i, :11]
        K = prm[i, 12]
        q = _force_factors(state[i], prm[i])
        cap = (1.0 - state[i, [2, 6]]) * q
        u = F[:, right_col[i]] / F0[i]
        tl = _recruit_stride(u, p, cap[0], cap[1], prm[i, 25])
        perfused = prm[i, 15] > 0.0
        if perfused:
            P, s[8] = _stride_perfusion(u, dtp, state[i, 8], *prm[i, 15:19])
        pools = [(0, F_st, R_st, d_st), (4, F_ft, R_ft, d_ft)][:1 if p >= 1.0 else 2]
        for qi, (o, Fq, Rq, drain) in enumerate(pools):
            if perfused:
                h = energy_factor(state[i, o + 3], prm[i, 24], K)
                perf = float(np.mean(P))
                mean_tl = float(np.mean(tl[qi]))
                f_mult = (float(np.mean(tl[qi] * (1.0 - prm[i, 13 + qi] * h * P))) / mean_tl
                          if mean_tl > 0 else 1.0)
            else:
                perf = float(np.mean(tl[qi] / q[qi] < thr))
                f_mult = 1.0
            _pool_block(s, o, tl[qi], perf, f_mult, Fq, Rq, r, L, drain, refill, q[qi], prm[i],
                        dt)
    return new


def _rest_step(state, prm, dt):
    """Advance every pool over ``dt`` seconds at rest (zero target, recovery r·R)."""
    new = state.copy()
    for i, s in enumerate(new):
        _, F_st, R_st, F_ft, R_ft, r, L, _, d_st, d_ft, refill = prm[i, :11]
        s[8] = s[8] * math.exp(-dt / prm[i, 16]) if prm[i, 16] > 0 else 0.0
        q = _force_factors(state[i], prm[i])
        for qi, (o, Fq, Rq, drain) in enumerate(((0, F_st, R_st, d_st), (4, F_ft, R_ft, d_ft))):
            _pool_block(s, o, np.zeros(1), 1.0, 1.0, Fq, Rq, r, L, drain, refill, q[qi], prm[i],
                        dt)
    return new


def _capacities(state, prm):
    """Pool capacities (n_muscle, 2) and muscle capacities (n_muscle,) [1]."""
    p = prm[:, 0]
    q = np.array([_force_factors(state[i], prm[i]) for i in range(state.shape[0])])
    pcap = (1.0 - state[:, [2, 6]]) * q
    cap = np.where(p < 1.0, p * pcap[:, 0] + (1.0 - p) * pcap[:, 1], p * pcap[:, 0])
    return pcap, cap


def _reserve_step(d, speed, cs, d_prime, dt):
    """Reserve fraction D after ``dt`` at ``speed`` (as :func:`sim.physics.fatigue.pools.reserve_step`)."""
    if not d_prime > 0 or not dt > 0:
        return d
    if speed > cs:
        return max(d - (speed - cs) * dt / d_prime, 0.0)
    return 1.0 - (1.0 - d) * math.exp(-(cs - speed) * dt / d_prime)


def _heavy_strain(speed, p):
    """Heavy-domain strain H (as :func:`sim.physics.fatigue.pools.heavy_strain`)."""
    onset, cs, gain = p["heavy_onset_mps"], p["critical_speed_mps"], p["heavy_gain"]
    if not (gain > 0 and cs > onset and speed > onset):
        return 1.0
    return 1.0 + gain * ((speed - onset) / (cs - onset)) ** p["heavy_power"]


# ----------------------------------------------------------------------------------------
# the run
# ----------------------------------------------------------------------------------------
def reference_run(inp, mode=None, state0=None):
    """Run one scenario with the plain NumPy/SciPy model.

    Parameters
    ----------
    inp : ScenarioInputs
        From :func:`sim.core.scenario.build_inputs`.
    mode : {"block", "resolved"}, optional
        Default: the scenario's ``model.mode``. ``"resolved"`` solves every phase of
        every stride (thousands of SciPy solves a minute): for runs of a minute or less.
    state0 : ndarray (n_muscle, N_STATE), optional
        Initial pool states (default fresh).

    Returns
    -------
    dict
        The keys of :func:`sim.core.simulation.run_inputs`'s output, each with one row per
        checkpoint: ``time``, ``dt`` [s], ``speed`` [m/s], ``stage``, ``cap``,
        ``pcap``, ``energy`` (at the checkpoint's start), ``fpeak``, ``fmean`` [N]
        (right columns), ``comp``, ``shear`` [N], ``sup``, ``lean``, ``tilt`` [deg],
        ``infeas``, ``strides``, ``resid`` (largest relative moment residual of the
        feasible phases), and the stride curves ``sforce`` [N], ``sdemand``
        [N·m], ``slean`` [deg], ``sshear`` [N] (zeros while resting); plus ``state``,
        the final pool states.
    """
    p = {name: float(v) for name, v in zip(SCALARS, inp.sc)}
    if mode is None:
        mode = "resolved" if p["mode"] > 0.5 else "block"
    if mode not in ("block", "resolved"):
        raise ValueError(f"mode={mode!r}; allowed: 'block', 'resolved'")
    resolved = mode == "resolved"
    n_m = inp.F0.size
    n_ph, n_dof = inp.tpl_m.shape[1:]
    right_col = np.array([np.flatnonzero((inp.col_muscle == i) & (inp.col_side == 0))[0]
                          for i in range(n_m)])
    state = np.tile(fresh_state(), (n_m, 1)) if state0 is None \
        else np.array(state0, dtype=float)
    w = np.array([p["lean_cost"]])
    bw = p["mass_kg"] * p["g"]
    duration, policy = p["duration_s"], int(p["policy"])
    spike_sup = p["spike_index"] > 0.5
    thr = p["superficial_threshold"] if spike_sup else p["shear_threshold_bw"]
    n_max = n_checkpoints_max(inp)

    rows = []
    t, stage, stage_end = 0.0, 0, math.inf
    run_start = math.nan
    applied_stretch = 0.0
    next_block, confirmed = p["block_s"], False          # adaptive block length
    solved = None                                        # last solved stride (block mode)
    v_prev = v_prev_other = math.nan
    dt_prev = p["block_s"]
    last = (math.nan,) * 4                  # compression, shear, superficial, lean
    carry = None                            # resolved mode: a stride left unfinished
    bad_start, exhausted, exh = math.nan, False, math.nan
    lean = dict(lean=p["lean_home_rad"], anchor=math.nan, on=p["fwd_lean_on"] > 0.5, step=0.0)
    last_flex = 0.0
    while t < duration - 1e-9 and len(rows) < n_max:
        resting = _in_break(t, inp.brk_start, inp.brk_end) or stage in (2, 4)
        t_next = min(t + (p["block_s"] if resolved else next_block), duration,
                     _next_event(t, duration, inp.seg_end),
                     _next_event(t, duration, inp.brk_start),
                     _next_event(t, duration, inp.brk_end))
        if stage in (2, 4):
            t_next = min(t_next, stage_end)
        dt = t_next - t
        speed = _planned_speed(t, inp.seg_end, inp.seg_speed)
        if stage >= 1:
            speed = min(speed, p["jog_speed_mps"])
        state[:, 14] = 1.0 if resting else _heavy_strain(speed, p)
        pcap, cap = _capacities(state, inp.prm[0])
        row = dict(time=t, dt=dt, stage=stage, cap=cap, pcap=pcap,
                   energy=state[:, [3, 7]].copy(), fpeak=np.zeros(n_m), fmean=np.zeros(n_m),
                   sforce=np.zeros((n_ph, n_m)), sdemand=np.zeros((n_ph, n_dof)),
                   slean=np.zeros(n_ph), sshear=np.zeros(n_ph))
        if resting:
            state = _rest_step(state, inp.prm[0], dt)
            row.update(speed=0.0, comp=math.nan, shear=math.nan, sup=math.nan,
                       lean=math.nan, tilt=math.nan, flex=math.nan, infeas=0.0, strides=0.0,
                       resid=0.0)
            run_start = math.nan
            bad_start = math.nan
            carry = None
        else:
            tpl = int(np.argmin(np.abs(inp.tpl_speed - speed)))
            stride_s = inp.tpl_stride_s[tpl]
            tight = _tightness(t, p, applied_stretch)
            limit = p["rom_deg"] - tight
            if resolved:
                strides, state, carry, resid = _resolved_window(
                    inp, p, tpl, limit, lean, state, right_col, w, t, t_next, carry)
                tilt = carry["tilt"]
            else:
                C = inp.F0[inp.col_muscle] * cap[inp.col_muscle]
                # the last solved stride still holds if nothing it depends on moved by more
                # than the reuse tolerance (as in the engine)
                reuse = False
                if (solved is not None and solved["tpl"] == tpl
                        and abs(solved["limit"] - limit) < 1e-12
                        and abs(solved["lean"] - lean["lean"]) < 1e-4):
                    with np.errstate(divide="ignore", invalid="ignore"):
                        rel = np.where(solved["C"] > 0, np.abs(C / solved["C"] - 1.0),
                                       np.where(C > 0, np.inf, 0.0))
                    reuse = float(rel.max()) <= p["reuse_tolerance"]
                if not reuse:
                    kgain = 1.0 + p["knee_gain"] * max(0.0, 1.0 - float(inp.quad_w @ cap))
                    d = lean["lean"]
                    M, B, demand, mp = _stride_demand(inp, p, tpl, kgain, limit, d)
                    F, theta, bad, resid, E, Lam = _solve_stride(
                        inp.A, C, inp.col_rho * C, M, B, w, p["max_lean_rad"])
                    tilt_s = _tilt(inp, p, tpl, limit, d)
                    comp, shear = _spine_loads(inp, p, tpl, F, tilt_s, mp)
                    solved = dict(tpl=tpl, limit=limit, C=C.copy(), lean=d, tilt=tilt_s,
                                  stride=dict(F=F, theta=theta, bad=bad, comp=comp,
                                              shear=shear, demand=demand, lean=d), resid=resid)
                    if lean["on"] and not bad and E > 0.0:
                        _lean_step(lean, _lean_rate(inp, p, tpl, kgain, limit, d, Lam) / E, p)
                F, resid = solved["stride"]["F"], solved["resid"]
                tilt = solved["tilt"]
                strides = [solved["stride"]]
                state = _block_step(state, inp.prm[tpl], inp.F0, right_col, F, stride_s / n_ph, dt)
                # next block: as long as capacities change by at most the tolerance
                change = float(np.max(np.abs(_capacities(state, inp.prm[0])[1] - cap)))
                grow = p["block_tolerance"] * dt / change if change > 0 else p["max_block_s"]
                next_block = min(max(grow, p["block_s"]), p["max_block_s"], 2.0 * dt)
            if strides:
                s0 = strides[0]
                row.update(sforce=s0["F"][:, right_col], sdemand=s0["demand"],
                           slean=np.degrees(s0["theta"]), sshear=s0["shear"])
                per = np.array([(s["comp"].max(), s["shear"].max(),
                                 s["F"][:, inp.sup_col].max() / inp.sup_F0,
                                 np.abs(s["theta"]).max()) for s in strides])
                last = tuple(per.mean(axis=0))
                last_flex = float(np.mean([s["lean"] for s in strides])) - p["lean_home_rad"]
                frac_bad = float(np.mean([s["bad"] for s in strides]))
                Fr = np.array([s["F"][:, right_col] for s in strides])
                row.update(fpeak=Fr.max(axis=(0, 1)), fmean=Fr.mean(axis=1).mean(axis=0))
            else:                                 # window shorter than a stride
                frac_bad = 0.0
            row.update(speed=speed, comp=last[0], shear=last[1], sup=last[2],
                       lean=math.degrees(last[3]), tilt=tilt, flex=math.degrees(last_flex),
                       infeas=frac_bad * dt / stride_s, strides=dt / stride_s, resid=resid)
            # pace policies: the configured index held above its threshold
            value = row["sup"] if spike_sup else row["shear"] / bw
            v_other = row["shear"] / bw if spike_sup else row["sup"]
            thr_other = p["shear_threshold_bw"] if spike_sup else p["superficial_threshold"]
            # finest blocks where an index may cross its threshold, or while a hold runs
            if (_may_cross(value, v_prev, thr, dt_prev, next_block)
                    or _may_cross(v_other, v_prev_other, thr_other, dt_prev, next_block)
                    or (value > thr and (not confirmed or stage in (1, 3)))
                    or frac_bad > 0.0):
                next_block = p["block_s"]
            # exhaustion: most strides cannot be made, for exhaustion_hold_s in a row
            if strides and frac_bad >= 0.5:
                if math.isnan(bad_start):
                    bad_start = t
                if t_next - bad_start >= p["exhaustion_hold_s"] - 1e-9:
                    exhausted, exh = True, bad_start
            elif strides:
                bad_start = math.nan
            v_prev, v_prev_other, dt_prev = value, v_other, dt
            if value > thr:
                if math.isnan(run_start):
                    run_start = t
                held = t_next - run_start
                if held >= p["hold_s"]:
                    confirmed = True
                if stage == 0 and policy >= 1 and held >= p["hold_s"]:
                    stage, run_start = 1, math.nan
                elif stage in (1, 3) and policy == 2 and held >= p["wait_s"]:
                    stage += 1
                    stage_end = t_next + (p["stretch_s"] if stage == 2 else p["rest_s"])
                    run_start = math.nan
            else:
                run_start = math.nan
        rows.append(row)
        d_res = _reserve_step(state[0, 11], row["speed"], p["critical_speed_mps"],
                              p["d_prime_m"], dt)
        state[:, 11] = d_res
        if stage in (2, 4) and resting and t_next >= stage_end - 1e-9:
            if stage == 2:
                applied_stretch = p["in_run_stretch_deg"]
            stage, stage_end = stage + 1, math.inf
        t = t_next
        if exhausted:
            break

    out = {key: np.array([r[key] for r in rows]) for key in rows[0]} if rows else {}
    out["stage"] = out["stage"].astype(np.int64)
    out["state"] = state
    out["exh"] = np.array([exh])
    return out


def _lean_step(lean, rel, p):
    """One posture update after a feasible stride (as :func:`sim.core.engine.lean_update`)."""
    if math.isnan(lean["anchor"]):
        lean["anchor"] = rel               # the fresh posture is the optimum
    new = float(lean_update(lean["lean"], rel, lean["anchor"], p["fwd_lean_cost"],
                            p["fwd_lean_curvature"], p["max_fwd_lean_rad"], p["lean_home_rad"],
                            lean["step"]))
    lean["step"] = lean["lean"] - new
    lean["lean"] = new


def _resolved_window(inp, p, tpl, limit, lean, state, right_col, w, t, t_next, carry):
    """Resolved mode: every phase sample of a window, each muscle stepped per phase.

    Capacities are re-evaluated at every phase; the knee-tracking gain once per stride.
    A stride that the window's end cuts is carried into the next window (``carry``).
    Returns the completed strides, the new state, the carry and the largest relative
    moment residual of the feasible phases solved.
    """
    n_ph = inp.tpl_m.shape[1]
    half = n_ph // 2
    dtp = inp.tpl_stride_s[tpl] / n_ph
    # phase steps until within half a step of the window's end (at least one)
    n_steps = max(1, math.ceil((t_next - t) / dtp - 0.5))
    strides = []
    resid = 0.0
    if carry is None:
        carry = dict(j=0)
    for _ in range(n_steps):
        j = carry["j"]
        _, cap = _capacities(state, inp.prm[0])
        if j == 0:
            kgain = 1.0 + p["knee_gain"] * max(0.0, 1.0 - float(inp.quad_w @ cap))
            d = lean["lean"]
            carry.update(kgain=kgain, bad=False, F=np.zeros((n_ph, inp.A.shape[1])),
                         theta=np.zeros(n_ph), lean=d, tilt=_tilt(inp, p, tpl, limit, d),
                         E=0.0, G=0.0)
        d = carry["lean"]
        M, B, demand, mp = _stride_demand(inp, p, tpl, carry["kgain"], limit, d)
        m = M[j].copy()
        if j >= half:
            m[_LUMB_BEND] += B[j - half, _LUMB_BEND, 0] * carry["theta"][j - half]
        C = inp.F0[inp.col_muscle] * cap[inp.col_muscle]
        W = inp.col_rho * C
        f, theta, status, residual, lam = _share(inp.A, C, W, m, B[j], w)
        carry["F"][j] = f
        carry["theta"][j] = theta
        if status != STATUS_OK or abs(theta) > p["max_lean_rad"]:
            carry["bad"] = True
        else:
            resid = max(resid, residual)
            if lean["on"] and lam is not None:
                Lj = np.full_like(M, np.nan)
                Lj[j] = lam
                carry["E"] += _phase_effort(f, W, theta, w)
                carry["G"] += _lean_rate(inp, p, tpl, carry["kgain"], limit, d, Lj)
        for i in range(state.shape[0]):
            u = f[right_col[i]] / inp.F0[i]
            state[i] = simulate_muscle_states([u], dtp, inp.prm[tpl, i], state[i])[-1]
        carry["j"] = (j + 1) % n_ph
        if carry["j"] == 0:
            comp, shear = _spine_loads(inp, p, tpl, carry["F"], carry["tilt"], mp)
            strides.append(dict(F=carry["F"], theta=carry["theta"], bad=carry["bad"],
                                comp=comp, shear=shear, demand=demand, lean=d))
            if lean["on"] and not carry["bad"] and carry["E"] > 0.0:
                _lean_step(lean, carry["G"] / carry["E"], p)
    return strides, state, carry, resid
