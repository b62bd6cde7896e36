"""Reference engine: the running model in plain NumPy/SciPy, slow and easy to read.

:func:`reference_run` advances one scenario from the same
:class:`~sim.core.scenario.ScenarioInputs` as the numba engine
(:func:`sim.core.engine.run_kernel`) and returns the same per-checkpoint quantities as
:func:`sim.core.simulation.run_inputs`, implementing the model equations of DESIGN §2
independently of the kernels: each phase sample's demand is built with array operations over
the stride, every load-sharing problem is solved with SciPy (bounded least squares, an exact
active-set polish and a HiGHS feasibility LP, as
:func:`sim.physics.sharing.share_load_scipy` does, here with effort weights apart from the
bounds), and the fibre pools are stepped with the NumPy fatigue equations of
:mod:`sim.physics.fatigue.reference` (matrix exponentials). One stride's mechanics are in
:mod:`sim.core.reference_stride`, the fatigue stepping in :mod:`sim.core.reference_fatigue`;
this module runs the loop. ``tests/core/test_reference.py`` checks the engine with it and
the speed benchmark times it (seconds where the engine takes milliseconds).

One checkpoint (block mode)
---------------------------
A checkpoint is a block of strides (``block_s`` to ``max_block_s``, adapted as in the engine,
cut at pace-segment ends, rest-break edges and policy stops), or a rest interval.

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
   ``ln E + cost (d - home)^2 - anchor d``, kept within the bracket of the optimum the
   earlier steps found (:func:`sim.core.engine.lean_update`); the rate of the
   stride's effort ``E`` is the phases' SciPy multipliers times the demand's change with
   the lean (central difference of the demand).
5. Fatigue: each muscle's right (or only) column over the stride is split between the
   pools by the size principle; each pool advances over the whole block with its
   stride-mean force target and the recovery rate ``R (f_rest r + 1 - f_rest)``,
   ``f_rest`` the fraction of the stride it rests (activation below the rest
   threshold), exactly (:func:`sim.physics.fatigue.reference.step_3ccr`), and its energy store
   with the block's mean activation (:func:`sim.physics.fatigue.reference.energy_step`).
6. After the run, a block's stride values become the block's mean: the trapezoid of its
   stride and the next block's, where that block runs on at the same speed (the peak
   force per muscle: the larger; :func:`sim.core.reference_blocks._block_means`).

A rest interval (planned break, or the stretch and lie-down stops of the in-run sequence)
steps every pool with zero target and recovery ``r R``; its energy drain is that of the
slowest template (only the decaying activation drains it, a negligible amount). The pace
policies then compare the configured back-load index with its threshold and change stage
once it has stayed above it for the hold (or wait) time.

Resolved mode (``model.mode = "resolved"``, runs of a minute or less): every phase sample
solved, every muscle (:mod:`sim.physics.fatigue.reference`) and the reserve stepped by one
phase interval, the posture at its optimum after each stride (probe strides).

Timing: almost all of it goes to the SciPy solves (about 1.5 ms a phase sample: a HiGHS LP
and a bounded least-squares problem); a 2-hour run with 30-s blocks and 64 phase samples
takes 20-25 s, thousands of times the engine's (``runfatigue bench``). The matrices are
tiny, so a multithreaded BLAS only adds overhead: time it with ``OPENBLAS_NUM_THREADS=1``
set before NumPy is imported.

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

from .engine import SCALARS
from ..physics.fatigue.pools import X, fresh_state
from ..physics.fatigue.reference import simulate_muscle_states
from .reference_fatigue import (_activation, _block_step, _capacities,  # noqa: F401
                                _cs_now, _force_factors, _heavy_strain, _pool_block,
                                _recruit_stride, _reserve_spent_at, _reserve_step, _rest_step,
                                _stride_perfusion)
from .reference_stride import (_LUMB_BEND, _lean_rate, _lean_step, _search_posture,  # noqa: F401
                               _checked_mode, _passive_moment, _phase_effort, _polish, _share,
                               _solve_stride, _spine_loads, _stride_demand, _tilt)
from .reference_blocks import (_block_means, _carry_drift, _in_break,  # noqa: F401
                               _may_cross, _next_event, _planned_speed, _tightness)
from .scenario import n_checkpoints_max
from ..physics.sharing import STATUS_OK

__all__ = ["reference_run"]


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
        The keys of :func:`sim.core.simulation.run_inputs`'s output, a row per checkpoint:
        ``time``, ``dt`` [s], ``speed`` [m/s], ``stage``, ``cap``, ``pcap``, ``energy``
        (at the checkpoint's start), ``fpeak``, ``fmean`` [N] (right columns), ``comp``,
        ``shear`` [N], ``sup``, ``lean``, ``tilt`` [deg], ``infeas``, ``strides``,
        ``resid`` (largest relative moment residual of the feasible phases), the stride
        curves ``sforce`` [N], ``sdemand`` [N·m], ``slean`` [deg], ``sshear`` [N] (zeros
        while resting); plus ``state``, the final pool states.
    """
    p = {name: float(v) for name, v in zip(SCALARS, inp.sc)}
    mode = _checked_mode(p, mode)
    resolved = mode == "resolved"
    n_m = inp.F0.size
    n_ph, n_dof = inp.tpl_m.shape[1:]
    right_col = np.array([np.flatnonzero((inp.col_muscle == i) & (inp.col_side == 0))[0]
                          for i in range(n_m)])
    state = np.tile(fresh_state(), (n_m, 1)) if state0 is None else np.array(state0, float)
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
    lean = dict(lean=p["lean_home_rad"], anchor=math.nan, on=p["fwd_lean_on"] > 0.5, step=0.0,
                drift=0.0,
                lo=math.nan, hi=math.nan, E0=math.nan, cost=p["fwd_lean_cost"], curv=math.nan)
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
        state[:, X.strain] = 1.0 if resting else _heavy_strain(speed, p)
        pcap, cap = _capacities(state, inp.prm[0])
        d_start = state[0, X.reserve]                   # the reserve at the window's start
        row = dict(time=t, dt=dt, stage=stage, cap=cap, pcap=pcap,
                   energy=state[:, [X.E_st, X.E_ft]].copy(), fpeak=np.zeros(n_m),
                   fmean=np.zeros(n_m),
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
            lean["drift"] = 0.0
        else:
            tpl = int(np.argmin(np.abs(inp.tpl_speed - speed)))
            stride_s = inp.tpl_stride_s[tpl]
            tight = _tightness(t, p, applied_stretch)
            limit = p["rom_deg"] - tight
            if resolved:
                strides, state, carry, resid = _resolved_window(
                    inp, p, tpl, limit, lean, state, right_col, w, t, t_next, carry, speed)
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
                # the posture's optimum searched and the stride re-solved there, once (engine;
                # where it adopts the last probe, the lean is that probe's)
                settle, searched = int(dt / stride_s) - 1, False
                lean_start = lean["lean"]
                while not reuse:
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
                    if not (lean["on"] and not bad and E > 0.0):
                        break
                    rel = _lean_rate(inp, p, tpl, kgain, limit, d, Lam) / E
                    _lean_step(lean, rel, p, E, (inp, tpl, kgain, limit, C, w))
                    if searched or settle <= 0 or not _search_posture(
                            inp, p, tpl, limit, lean, C, w, kgain, d, rel, p["lean_settle_rad"]):
                        break
                    searched, settle = True, settle - 1
                _carry_drift(lean, p, lean_start, solved["stride"]["bad"], reuse)
                F, resid = solved["stride"]["F"], solved["resid"]
                tilt = solved["tilt"]
                strides = [solved["stride"]]
                state = _block_step(state, inp.prm[tpl], inp.F0, right_col, F, stride_s / n_ph, dt)
                # next block: as long as capacities change by at most the tolerance
                change = float(np.max(np.abs(_capacities(state, inp.prm[0])[1] - cap)))
                grow = p["block_tolerance"] * dt / change if change > 0 else p["max_block_s"]
                next_block = min(max(grow, p["block_s"]), p["max_block_s"],
                                 2.0 * max(dt, p["block_s"]))
            if strides:
                s0 = strides[0]
                row.update(sforce=s0["F"][:, right_col], sdemand=s0["demand"],
                           slean=np.degrees(s0["theta"]), sshear=s0["shear"])
                per = np.array([(s["comp"].max(), s["shear"].max(),
                                 s["F"][:, inp.sup_col].max() / inp.sup_F0,
                                 min(np.abs(s["theta"]).max(), p["max_lean_rad"]))
                                for s in strides])
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
            move = max(abs(value - v_prev), abs(v_other - v_prev_other)) / dt_prev  # nan at first
            if not resolved and move > 0 and p["index_tolerance"] > 0:  # indices move <= it
                grow = math.floor(p["index_tolerance"] / move)           # whole seconds
                next_block = min(next_block, max(grow, p["block_s"]))
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
        if resting or not resolved:     # (resolved mode steps it with the muscles)
            state[:, X.reserve] = _reserve_step(state[0, X.reserve], row["speed"], _cs_now(
                state, inp.prm[0], p), p["d_prime_m"], dt, p["reserve_floor"])
        # above critical speed the run ends when the reserve is spent, at its linear fall's
        # end (as in the engine: the critical speed at the window's end)
        if not resting and not exhausted and state[0, X.reserve] <= p["reserve_floor"] + 1e-12:
            t_spent = _reserve_spent_at(d_start, row["speed"], _cs_now(state, inp.prm[0], p),
                                        p["d_prime_m"], p["reserve_floor"], t, t_next)
            if not math.isnan(t_spent):
                exhausted, exh = True, t_spent
        if stage in (2, 4) and resting and t_next >= stage_end - 1e-9:
            if stage == 2:
                applied_stretch = p["in_run_stretch_deg"]
            stage, stage_end = stage + 1, math.inf
        t = t_next
        if exhausted:
            break

    if not resolved:
        _block_means(rows)
    out = {key: np.array([r[key] for r in rows]) for key in rows[0]} if rows else {}
    out["stage"] = out["stage"].astype(np.int64)
    out["state"] = state
    out["exh"] = np.array([exh])
    return out


def _resolved_window(inp, p, tpl, limit, lean, state, right_col, w, t, t_next, carry, speed):
    """Resolved mode: every phase sample of a window, each muscle and the reserve (at
    ``speed`` [m/s] and the critical speed of the stride's start) stepped per phase.

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
        carry["cs"] = _cs_now(state, inp.prm[0], p) if j == 0 else carry["cs"]
        state[:, X.reserve] = _reserve_step(state[0, X.reserve], speed, carry["cs"],
                                            p["d_prime_m"], dtp, p["reserve_floor"])
        carry["j"] = (j + 1) % n_ph
        if carry["j"] == 0:
            comp, shear = _spine_loads(inp, p, tpl, carry["F"], carry["tilt"], mp)
            strides.append(dict(F=carry["F"], theta=carry["theta"], bad=carry["bad"],
                                comp=comp, shear=shear, demand=demand, lean=d))
            if lean["on"] and not carry["bad"] and carry["E"] > 0.0:
                _, cap = _capacities(state, inp.prm[0])     # the next stride at the optimum
                C, rel = inp.F0[inp.col_muscle] * cap[inp.col_muscle], carry["G"] / carry["E"]
                _lean_step(lean, rel, p, carry["E"], (inp, tpl, carry["kgain"], limit, C, w))
                _search_posture(inp, p, tpl, limit, lean, C, w, carry["kgain"], d, rel,
                                p["probe_settle_rad"], always=True)
    return strides, state, carry, resid
