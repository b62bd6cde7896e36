"""The time loop of one run: load sharing within the stride, fatigue over the run.

Length: about 680 lines. This module holds :func:`run_kernel` only (about 610 lines):
it is one compiled loop
whose locals (workspaces, warm starts, the reused stride, the adaptive block length, the
pace-policy stage) live across checkpoints, and it is kept whole because cutting it into
further compiled functions would change the code numba compiles for the hot path (more
arguments passed per call, and what LLVM inlines) for no gain in behaviour. The kernels it
calls are in :mod:`sim.core.engine_stride` (one stride: demand, load sharing, lean, spine
loads) and :mod:`sim.core.engine_blocks` (the fatigue time scale: capacities, pool steps,
block ends), the declarations in :mod:`sim.core.engine_layout`; all are re-exported here.

:func:`run_kernel` advances one scenario from the start to the end of the run. Its
inputs are plain arrays built by :mod:`sim.core.scenario`; it writes into preallocated
outputs, one row per *checkpoint* (a block of strides, or a rest interval), so a batch
kernel can call it for many scenarios in parallel.

Two time scales
---------------
Fatigue states change over minutes, loads within a stride. In ``block`` mode (default)
each checkpoint re-solves one representative stride at the current capacities (a
load-sharing problem at every phase sample, :mod:`sim.physics.sharing`; the phases of
each half stride together, :mod:`sim.physics.sharing_phases`), turns the forces into
each fibre pool's stride-mean force target and rest fraction (size-principle
recruitment, :func:`sim.physics.fatigue.pools.recruit`) and advances the pools over the whole
block with those stride-averaged rates (:func:`sim.physics.fatigue.pools.pool_block_step`,
exact over any block length); after the run each block's values become its mean, the
trapezoid of its stride and the next block's (:func:`sim.core.engine_blocks._block_means`).
In ``resolved`` mode every phase sample of every stride is
solved and every pool stepped (:func:`sim.physics.fatigue.pools.muscle_step`), the whole-body
reserve above critical speed with them (block mode steps it once a block), and each stride
starts at the forward lean's optimum (probe strides,
:func:`sim.core.engine_posture.posture_search`); it is the check of the block mode, which
searches that optimum only where a damped posture update would move the lean by more
than ``model.lean_settle_deg``, or where its estimate of how far the optimum moves in a
block (each block's whole lean correction feeds it; ``forward_lean.drift_gain`` in
``sim/data/body.toml``) is more than ``drift_search`` times that, and carries the lean on
by that estimate into the next block, so that it follows an optimum that moves for
minutes instead of trailing it. A stride the muscles cannot make moves no posture, unless
``model.failed_stride_posture = "search"`` (an assumption switch, off by default) has it
probe other leans for one they can make (``experiments/posture_stranding.py``). What
happens within a stride (demand, tightness, leans, paired trunk muscles, infeasible
phases) is described in :mod:`sim.core.engine_stride`.

Pace policies
-------------
``slow_down`` and ``in_run_sequence`` (:mod:`sim.physics.pace`) react to the configured
back-load index held above its threshold for the hold time (the spike definition of
:mod:`sim.physics.metrics`).

Notes
-----
Kernels take every parameter as an argument; the layout of the scalar vector is
:data:`SCALARS` (kept in one place, :mod:`sim.core.engine_layout`, used by
:mod:`sim.core.scenario`).
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit, types

from ..jit import external
from ..physics.compensation import effective_tightness_deg, knee_tracking_gain, tilt_deficit_deg
from ..physics.fatigue.pools import (N_STATE, P, X, critical_speed_factor, heavy_strain,
                                     pool_capacity, reserve_spent_at, reserve_step)
from ..physics.pace import in_interval, planned_speed
from ..physics.sharing import STATUS_OK, column_structure
from ..physics.sharing_phases import phases_workspace_size, solve_phases_warm
from ..physics.sharing_solver import solve_sharing_columns
from .engine_blocks import (_block_fatigue, _block_means, _capacities, _may_cross,  # noqa: F401
                            _next_event, _rest_fatigue, _step_muscles)
from .engine_layout import (DOF, S, SCALARS, STAGES, MuscleSet, Outputs, Plan,  # noqa: F401
                            Templates, _HIP_ABD)
from .engine_posture import bracket_curvature, lean_update, posture_search  # noqa: F401
from .engine_stride import (_lean_demand, _lean_rates, _passive_stride,  # noqa: F401
                            _stride_demand, _stride_metrics, _tpl_index,
                            probe_half_demand, probe_half_rates, probe_outcome)

# the load-sharing solves, called as compiled on their own (sim.jit.external), with what
# they return: a second process compiles them while this one compiles the rest, the run
# loop included (sim.core.warmup)
_solve_phases = external(solve_phases_warm, types.none)
_solve_columns = external(solve_sharing_columns, types.Tuple((types.int64, types.int64,
                                                               types.float64)))

__all__ = ["SCALARS", "S", "DOF", "STAGES", "Templates", "MuscleSet", "Plan", "Outputs",
           "run_kernel"]


@njit(cache=True, nogil=True)
def run_kernel(tpl, mus, plan, sc, state, out):
    """Run one scenario; returns the number of checkpoints written.

    Parameters
    ----------
    tpl : Templates
        The demand templates (fields below, without the ``tpl_`` prefix).
    mus : MuscleSet
        The muscle set: ``F0`` ... ``col_rho`` below.
    plan : Plan
        ``seg_end``, ``seg_speed``, ``brk_start``, ``brk_end`` below.
    sc : ndarray
        Scalars laid out as :data:`SCALARS` (read as ``sc[S.name]``).
    state : ndarray (n_m, N_STATE)
        Initial fibre-pool states; overwritten with the final state.
    out : Outputs
        ``store_at`` and the ``o_*`` arrays below, without the ``o_`` prefix.

    The fields:

    tpl_speed : ndarray (n_tpl,)
        Speeds of the demand templates [m/s].
    tpl_m : ndarray (n_tpl, n_phase, n_dof)
        Demanded net joint moments [N·m] (already scaled by body mass and step rate).
    tpl_grf_r, tpl_grf_tot : ndarray (n_tpl, n_phase)
        Right-foot and total vertical ground reaction force [BW].
    tpl_hipext : ndarray (n_tpl, n_phase)
        Right hip extension the stride needs [deg] (positive = extension).
    tpl_stance : ndarray (n_tpl, n_phase)
        1 in right stance, 0 in swing.
    tpl_stride_s : ndarray (n_tpl,)
        Stride time [s].
    F0 : ndarray (n_m,)
        Fresh maximum force with strength multipliers [N].
    prm : ndarray (n_tpl, n_m, N_PARAMS)
        Fibre-pool parameters per template speed and muscle
        (:data:`sim.physics.fatigue.pools.MUSCLE_PARAMS`); only the energy drains differ between
        speeds (:mod:`sim.physics.energy`).
    quad_w : ndarray (n_m,)
        Weights of the quadriceps capacity (sum 1) for the knee-tracking gain.
    sup_col : ndarray of int (2,)
        Right and left columns of the superficial erector spinae.
    sup_F0 : float
        Fresh capacity of the superficial erector spinae [N] (index denominator).
    A, col_muscle, col_side, col_comp, col_shear, col_rho : ndarray
        Load-sharing columns (:class:`sim.physics.muscles.SharingColumns`); ``col_rho`` is the
        effort scale of lumped muscles (effort weight = ``col_rho`` × capacity).
    seg_end, seg_speed, brk_start, brk_end : ndarray
        Pace plan and rest breaks [s], [m/s].
    store_at : ndarray of int (n_ck_max,)
        Slot in the within-stride outputs for each checkpoint, or -1.
    o_* : ndarray
        Outputs, first axis the checkpoint (see :mod:`sim.core.simulation`); ``o_exh`` (1,)
        receives the exhaustion time [s], NaN if the runner was not exhausted; ``o_flex``
        the forward trunk lean beyond the runner's fresh posture (``scenario.forward_lean_deg``)
        [deg] (mean over the checkpoint's solved strides); ``o_work`` (2,) counts the
        work done: phase samples solved and strides solved (a reused stride is not solved; the
        resolved mode's posture probes are).

    Returns
    -------
    int
        Number of checkpoints written. The run ends early at exhaustion: the first time
        the muscles cannot make the stride for ``exhaustion_hold_s`` of running in a row
        (the exhaustion time is the start of that stretch), or, above critical speed, when
        the reserve is spent (:func:`sim.physics.fatigue.pools.reserve_spent_at`).
    """
    tpl_speed, tpl_m, tpl_grf_r, tpl_grf_tot, tpl_hipext, tpl_stance, tpl_stride_s = tpl
    (F0, prm, quad_w, sup_col, sup_F0, A, col_muscle, col_side, col_comp, col_shear,
     col_rho) = mus
    seg_end, seg_speed, brk_start, brk_end = plan
    (store_at, o_time, o_dt, o_speed, o_stage, o_cap, o_pcap, o_energy, o_fpeak, o_fmean,
     o_comp, o_shear, o_sup, o_lean, o_tilt, o_flex, o_infeas, o_strides, o_resid, o_sforce,
     o_sdemand, o_slean, o_sshear, o_exh, o_work) = out
    n_m = F0.shape[0]
    n_dof, n_col = A.shape
    n_ph = tpl_m.shape[1]
    n_ck_max = o_time.shape[0]
    mass, duration, block_s = sc[S.mass_kg], sc[S.duration_s], sc[S.block_s]
    resolved = sc[S.mode] > 0.5
    policy, jog, wait_s = int(sc[S.policy]), sc[S.jog_speed_mps], sc[S.wait_s]
    thr_shear, thr_sup = sc[S.shear_threshold_bw], sc[S.superficial_threshold]
    hold_s, spike_sup = sc[S.hold_s], sc[S.spike_index] > 0.5
    bw = mass * sc[S.g]

    # workspaces
    Ai, Av = column_structure(A)
    C = np.zeros(n_col)
    W = np.zeros(n_col)
    IW = np.zeros(n_col)        # 1 / W (0 where W is 0): a phase's effort multiplies by it
    cap = np.zeros(n_m)
    Lam = np.zeros((n_ph, n_dof))   # multipliers per phase: warm start of the next stride
    lam_seen = np.zeros(n_ph, dtype=np.bool_)
    w = np.array([sc[S.lean_cost]])
    work = np.zeros(64 * (n_col + n_dof + 4) + 8 * (n_dof + 2) * (n_dof + 2))
    # phases solved together (sim.physics.sharing_phases): demands, lateral-lean columns,
    # lateral leans, status and residual per phase, the workspace of half a stride
    Mb = np.zeros((n_ph, n_dof))
    Bb = np.zeros((n_ph, n_dof, 1))
    Tb = np.zeros((n_ph, 1))
    Stb = np.zeros(n_ph, dtype=np.int64)
    Rb = np.zeros(n_ph)
    wk = np.zeros(phases_workspace_size(n_dof, n_col, 1, n_ph - n_ph // 2))
    Fp = np.zeros((n_ph, n_col))            # a probe stride's forces (not run)
    Pas = np.zeros(n_ph)        # the stride's passive hip-flexor moments [N m]
    Pp = np.zeros(n_ph)         # ... a probe stride's
    Lam_keep = np.zeros((n_ph, n_dof))
    Gph = np.zeros(n_ph)        # each phase's effort rate with the lean [1/rad]
    Gp = np.zeros(n_ph)         # ... a probe stride's
    acc_p = np.zeros(2)         # ... and its effort and effort rate
    together = False
    Fs = np.zeros((n_ph, n_col))
    Th = np.zeros(n_ph)
    Th_keep = np.zeros(n_ph)
    Tilt = np.zeros(n_ph)
    Dem = np.zeros((n_ph, n_dof))
    Shear = np.zeros(n_ph)
    last_c = np.nan
    last_s = np.nan
    last_sup = np.nan
    last_lean = np.nan
    last_flex = 0.0
    kgain = 1.0
    bad = False
    f_tmp = np.zeros(5 * n_ph)     # _stride_metrics' workspace
    # leg muscles (one column, no left twin) that reach the spine: the psoas
    leg_spine = np.zeros(n_col, dtype=np.bool_)
    for c in range(n_col):
        if col_side[c] == 0 and col_comp[c] != 0.0:
            leg_spine[c] = True
            for c2 in range(n_col):
                if c2 != c and col_muscle[c2] == col_muscle[c]:
                    leg_spine[c] = False
    ustate = np.zeros(N_STATE)
    U = np.zeros((n_ph, n_m))      # each muscle's targets over the solved stride
    Pw = np.zeros((n_ph, n_m))     # ... its periodic perfusion
    Occ = np.zeros((n_ph, n_m))    # ... and its occlusion
    pwork = np.zeros(8 * n_m)

    t = 0.0
    cs_str = sc[S.critical_speed_mps]     # resolved mode: the stride's critical speed [m/s]
    k = 0
    stage = 0
    stage_end = np.inf
    run_start = np.nan      # start of the current above-threshold run (configured index)
    applied_stretch = 0.0
    # next phase sample (resolved mode carries it across windows); np.int64, not a bare 0,
    # so that numba types it int64 from the start and compiles the kernels that take the
    # phase index once (a literal 0 made it compile them twice)
    phase_pos = np.int64(0)
    next_block = block_s    # block mode: adaptive block length
    solved_tpl = -1         # block mode: what the last solved stride was solved for
    solved_limit = np.nan
    C_solved = np.zeros(n_col)
    confirmed = False       # the configured index has held above its threshold once
    v_prev = np.nan         # previous block's index values (adaptive blocks)
    v_prev_other = np.nan
    dt_prev = block_s
    cap_prev = np.zeros(n_m)
    bad_start = np.nan      # start of the current stretch of strides the muscles cannot make
    exhausted = False
    # forward trunk lean: one posture per solved stride, updated from the multipliers
    fwd_on = sc[S.fwd_lean_on] > 0.5
    lean_f = sc[S.lean_home_rad]         # beyond the reference runner's posture [rad]
    lean_anchor = np.nan    # relative effort rate of the first feasible stride [1/rad]
    lean_E0 = 0.0           # that stride's effort
    cost_fresh = sc[S.fwd_lean_cost_fresh] > 0.5
    lean_cost = sc[S.fwd_lean_cost]     # the cost relative to the current stride's effort
    lean_solved = np.nan    # block mode: the lean the last solved stride was solved at
    lean_used = lean_f      # the lean of the stride being run
    lean_step = 0.0         # the last update (lean - new lean) [rad]
    lean_curv = np.nan      # the curvature the last posture search measured [1/rad^2]
    lean_drift = 0.0        # block mode: the optimum's estimated move in a block [rad]
    lean_start = lean_f     # block mode: the lean the block started at [rad]
    lean_lo = np.nan        # latest leans with the optimum above / below [rad]
    lean_hi = np.nan
    settle = sc[S.lean_settle_rad]
    lean_E = 0.0
    lean_G = 0.0
    shift = 0.0
    sin_d = 0.0
    cos_d = 1.0
    o_exh[0] = np.nan
    o_work[0] = 0.0
    o_work[1] = 0.0
    keep_strides = False    # any checkpoint's stride stored (a batch stores none)
    for kk in range(store_at.shape[0]):
        if store_at[kk] >= 0:
            keep_strides = True
    while t < duration - 1e-9 and k < n_ck_max:
        resting = in_interval(t, brk_start, brk_end) or stage == 2 or stage == 4
        t_next = min(t + (block_s if resolved else next_block), duration)
        t_next = min(t_next, _next_event(t, duration, seg_end))
        t_next = min(t_next, _next_event(t, duration, brk_start))
        t_next = min(t_next, _next_event(t, duration, brk_end))
        if stage == 2 or stage == 4:
            t_next = min(t_next, stage_end)
        dt = t_next - t
        speed = planned_speed(t, seg_end, seg_speed)
        if stage >= 1:
            speed = min(speed, jog)
        _capacities(state, prm[0], F0, col_muscle, col_rho, cap, C, W, IW)
        d_start = state[0, X.reserve]       # the reserve at the checkpoint's start
        o_time[k] = t
        o_dt[k] = dt
        o_stage[k] = stage
        for i in range(n_m):
            o_cap[k, i] = cap[i]
            for q in range(2):
                g_min_q = prm[0, i, P.g_min_ft] if q == 1 else prm[0, i, P.g_min_st]
                o_pcap[k, i, q] = pool_capacity(state[i, X.MF_st + 4 * q],
                                                state[i, X.E_st + 4 * q], state[i, X.S_st + q],
                                                g_min_q, prm[0, i, P.K],
                                                state[i, X.reserve] if q == 1 else 1.0)
                o_energy[k, i, q] = state[i, X.E_st + 4 * q]
        # whole-body heavy-domain strain on glycogen drain and slow load (1 at rest)
        strain = 1.0 if resting else heavy_strain(speed, sc[S.heavy_onset_mps],
                                                  sc[S.critical_speed_mps], sc[S.heavy_gain],
                                                  sc[S.heavy_power])
        for i in range(n_m):
            state[i, X.strain] = strain
        if resting:
            o_speed[k] = 0.0
            _rest_fatigue(state, prm[0], dt)
            o_comp[k] = np.nan
            o_shear[k] = np.nan
            o_sup[k] = np.nan
            o_lean[k] = np.nan
            o_tilt[k] = np.nan
            o_flex[k] = np.nan
            o_strides[k] = 0.0
            o_infeas[k] = 0.0
            o_resid[k] = 0.0
            for i in range(n_m):
                o_fpeak[k, i] = 0.0
                o_fmean[k, i] = 0.0
            run_start = np.nan
            bad_start = np.nan
            phase_pos = np.int64(0)
            lean_drift = 0.0
        else:
            o_speed[k] = speed
            tpl = _tpl_index(speed, tpl_speed)
            stride_s = tpl_stride_s[tpl]
            tight = effective_tightness_deg(t, sc[S.tightness_deg], sc[S.stretch_deg],
                                            sc[S.stretch_fade_s])
            tight = max(0.0, tight - applied_stretch)
            limit = sc[S.rom_deg] - tight
            # extra anterior pelvic tilt: the stride's largest hip-extension deficit, held
            # as a posture over the stride (pelvic tilt varies by only a few degrees within
            # a running stride; the between-runner difference is the posture, Schache 2000)
            # A forward lean carried by the pelvis (share S.pelvis_share) tilts it that much more
            # and takes as much hip extension off the stride.
            dtp = stride_s / n_ph
            t_loc = t
            n_settle = 0
            searched = False
            rescued = False
            adopt = False           # the block's stride is the posture search's last probe
            max_settle = int(dt / stride_s) - 1     # the block's further strides
            # block mode: the last solved stride still holds if nothing it depends on moved
            # by more than the reuse tolerance (capacities, speed template, tightness)
            reuse = False
            lean_start = lean_f
            if not resolved and solved_tpl == tpl and abs(solved_limit - limit) < 1e-12:
                change = 0.0
                for c in range(n_col):
                    if C_solved[c] > 0.0:
                        change = max(change, abs(C[c] / C_solved[c] - 1.0))
                    elif C[c] > 0.0:
                        change = np.inf
                reuse = change <= sc[S.reuse_tolerance] and abs(lean_f - lean_solved) < 1e-4
            restart = True
            while True:
                if restart:     # the window's strides (block mode: its stride, re-solved)
                    acc_c = 0.0
                    acc_s = 0.0
                    acc_sup = 0.0
                    acc_lean = 0.0
                    acc_flex = 0.0
                    n_str = 0.0
                    n_bad = 0.0
                    stored = False
                    worst = 0.0
                    for i in range(n_m):
                        o_fpeak[k, i] = 0.0
                        o_fmean[k, i] = 0.0
                    restart = False
                j = phase_pos
                if resolved:
                    _capacities(state, prm[0], F0, col_muscle, col_rho, cap, C, W, IW)
                if j == 0:
                    if not reuse:
                        kq = 0.0
                        for i in range(n_m):
                            kq += quad_w[i] * cap[i]
                        kgain = knee_tracking_gain(kq, sc[S.knee_gain])
                        bad = False
                        lean_used = lean_f
                        sin_d = math.sin(lean_f)
                        cos_d = math.cos(lean_f)
                        shift = sc[S.pelvis_share] * lean_f * 180.0 / math.pi
                        _passive_stride(tpl, tpl_hipext, sc, limit, shift, Pas)
                        tilt = 0.0
                        for jj in range(n_ph):
                            tilt = max(tilt, tilt_deficit_deg(tpl_hipext[tpl, jj] - shift,
                                                              sc[S.rom_deg], tight))
                        for jj in range(n_ph):
                            Tilt[jj] = tilt + shift
                        lean_E = 0.0
                        lean_G = 0.0
                if not reuse:
                    if j == 0:
                        # block mode, every phase warm-started from the previous stride:
                        # the stride's phases are solved together (same results)
                        together = not resolved
                        for jj in range(n_ph):
                            together = together and lam_seen[jj]
                    # each half stride at its first phase (the second reads the first's
                    # lateral lean), else this phase alone, warm-started from this phase in
                    # the previous stride, else from the previous phase
                    if not together or j == 0 or j == n_ph // 2:
                        hi = (n_ph // 2 if j == 0 else n_ph) if together else j + 1
                        if adopt:
                            # the search's last probe was solved at this lean and
                            # capacities: its forces and effort rates are the stride's (its
                            # lateral leans, statuses, residuals and multipliers are
                            # already in place)
                            for jj in range(j, hi):
                                for c in range(n_col):
                                    Fs[jj, c] = Fp[jj, c]
                                Gph[jj] = Gp[jj]
                        else:
                            jw = j if lam_seen[j] else (j - 1) % n_ph
                            _stride_demand(j, hi, tpl, tpl_m, tpl_grf_r, tpl_grf_tot, tpl_stance,
                                           sc, kgain, Pas, sin_d, Th, Mb, Bb)
                            if together or lam_seen[j]:
                                _solve_phases(Ai, Av, C, W, Bb[j:hi], w, Mb[j:hi],
                                              Lam[jw:jw + hi - j], Fs[j:hi], Tb[j:hi],
                                              Lam[j:hi], Stb[j:hi], Rb[j:hi], wk, work)
                            else:
                                # a run's first stride, each phase warm-started from the one
                                # before: the general solver at once (for one phase sample the
                                # half-stride solve's loops cost more than the general solve;
                                # experiments/first_stride.py)
                                Stb[j], _, Rb[j] = _solve_columns(
                                    Ai, Av, C, W, Bb[j], w, Mb[j], Lam[jw], Fs[j], Tb[j], Lam[j],
                                    work, 1e-10, 100)
                            for jj in range(j, hi):
                                Th[jj] = Tb[jj, 0]
                            if fwd_on:
                                _lean_rates(j, hi, tpl, tpl_grf_r, tpl_grf_tot, tpl_hipext, sc,
                                            limit, shift, Pas, cos_d, Lam, Gph)
                    # the phase's status, residual and lateral lean (its forces are Fs[j])
                    st, resid, th_j = Stb[j], Rb[j], Tb[j, 0]
                    lam_seen[j] = True
                    if not adopt:
                        o_work[0] += 1.0
                        if j == 0:
                            o_work[1] += 1.0
                    if st != STATUS_OK or abs(th_j) > sc[S.max_lean_rad]:
                        bad = True
                    else:
                        worst = max(worst, resid)
                        if fwd_on:
                            e = w[0] * th_j * th_j
                            for c in range(n_col):
                                x = Fs[j, c] * IW[c]
                                e += x * x
                            lean_E += e
                            lean_G += Gph[j]
                if keep_strides:            # the demand is only read to store a stride
                    for d in range(n_dof):
                        Dem[j, d] = tpl_m[tpl, j, d]
                    if tpl_stance[tpl, j] > 0.5:
                        Dem[j, _HIP_ABD] *= kgain
                    if sin_d != 0.0:
                        _lean_demand(j, tpl, tpl_grf_r, tpl_grf_tot, sc, sin_d, Dem[j])
                if resolved:
                    _step_muscles(state, prm[tpl], F0, col_muscle, col_side, Fs[j], dtp, ustate)
                    # the reserve too, phase sample by phase sample (at the critical speed of
                    # the stride's start): stepped once a checkpoint, it would drop the
                    # fast-twitch capacity at each checkpoint's end, and the run would
                    # depend on the checkpoint spacing (experiments/reference_windows.py)
                    if j == 0:
                        cs_str = sc[S.critical_speed_mps] * critical_speed_factor(
                            state, prm[0], sc[S.cs_glycogen_share])
                    d_res = reserve_step(state[0, X.reserve], speed, cs_str, sc[S.d_prime_m],
                                         dtp, sc[S.reserve_floor])
                    for i in range(n_m):
                        state[i, X.reserve] = d_res
                    t_loc += dtp
                phase_pos = (j + 1) % n_ph
                if phase_pos == 0:
                    # a stride is complete
                    adopt = False
                    pk_c, pk_s, pk_sup, pk_lean = _stride_metrics(
                        tpl, Fs, Th, Tilt, tpl_grf_tot, leg_spine, col_comp, col_shear, sup_col,
                        sup_F0, sc, Pas, f_tmp, Shear)
                    acc_c += pk_c
                    acc_s += pk_s
                    acc_sup += pk_sup
                    acc_lean += pk_lean
                    acc_flex += lean_used - sc[S.lean_home_rad]
                    # the next stride's posture (a reused stride keeps its lean)
                    if fwd_on and not reuse and not bad and lean_E > 0.0:
                        rel = lean_G / lean_E
                        if np.isnan(lean_anchor):
                            lean_anchor = rel      # the fresh posture is the optimum
                            lean_E0 = lean_E
                            if sc[S.anchor_flexible] > 0.5 and limit < sc[S.rom_deg]:
                                # ... of the same runner without tight hip flexors (a probe
                                # stride, at the capacities now; the stride's lean kept)
                                if resolved:
                                    _capacities(state, prm[0], F0, col_muscle, col_rho, cap,
                                                C, W, IW)
                                # (element by element: a slice assignment compiles
                                # numba's shape-mismatch message, 1.4 s of a cold compile)
                                for jj in range(n_ph):
                                    Th_keep[jj] = Th[jj]
                                # a probe stride, solved half a stride at a time (not run)
                                fail = 0
                                for h0, h1 in ((0, n_ph // 2), (n_ph // 2, n_ph)):
                                    probe_half_demand(h0, h1, tpl, tpl_m, tpl_grf_r, tpl_grf_tot,
                                                      tpl_hipext, tpl_stance, sc, kgain,
                                                      sc[S.rom_deg], lean_f, Th, Lam, Mb, Bb,
                                                      Lam_keep, Pp, acc_p)
                                    _solve_phases(Ai, Av, C, W, Bb[h0:h1], w, Mb[h0:h1],
                                                  Lam[h0:h1], Fp[h0:h1], Tb[h0:h1], Lam[h0:h1],
                                                  Stb[h0:h1], Rb[h0:h1], wk, work)
                                    fail = probe_half_rates(h0, h1, tpl, tpl_grf_r, tpl_grf_tot,
                                                            tpl_hipext, sc, sc[S.rom_deg], lean_f,
                                                            Th, w, IW, Lam, Fp, Tb, Stb, Lam_keep,
                                                            Gp, Pp, acc_p)
                                    if fail > 0:
                                        break
                                ok, rel_f, n_sol = probe_outcome(acc_p, fail, n_ph)
                                o_work[0] += n_sol
                                for jj in range(n_ph):
                                    Th[jj] = Th_keep[jj]
                                if ok:
                                    lean_anchor = rel_f
                        if cost_fresh:             # a cost of the fresh effort's size
                            lean_cost = sc[S.fwd_lean_cost] * lean_E0 / lean_E
                        lean_solved = lean_f
                        new, lean_lo, lean_hi = lean_update(
                            lean_f, rel, lean_anchor, lean_cost,
                            sc[S.fwd_lean_curvature], sc[S.max_fwd_lean_rad],
                            sc[S.lean_home_rad], lean_step, lean_lo, lean_hi,
                            sc[S.fwd_lean_jump_rad])
                        lean_step = lean_f - new
                        lean_f = new
                    n_str += 1.0
                    if bad:
                        n_bad += 1.0
                    # (phase sample outer: each muscle's sums in phase order, side by side)
                    for jj in range(n_ph):
                        for c in range(n_col):
                            if col_side[c] == 0:
                                i = col_muscle[c]
                                o_fpeak[k, i] = max(o_fpeak[k, i], Fs[jj, c])
                                o_fmean[k, i] += Fs[jj, c] / n_ph
                    if not stored and store_at[k] >= 0:
                        slot = store_at[k]
                        for jj in range(n_ph):
                            for c in range(n_col):
                                if col_side[c] == 0:
                                    o_sforce[slot, jj, col_muscle[c]] = Fs[jj, c]
                            for d in range(n_dof):
                                o_sdemand[slot, jj, d] = Dem[jj, d]
                            o_slean[slot, jj] = Th[jj] * 180.0 / math.pi
                            o_sshear[slot, jj] = Shear[jj]
                        stored = True
                    # the posture's optimum, searched with probe strides (solved, not run):
                    # in resolved mode after every stride, at the current capacities, so
                    # that the posture does not trail a moving optimum by an amount the
                    # update's step size sets; in block mode once per block, where the
                    # damped update would move the lean by more than model.lean_settle_deg,
                    # to within that, and the block's stride re-solved at the optimum (or,
                    # where the last probe lies within a quarter of that of the optimum
                    # found, that probe's stride taken as the block's)
                    tol = sc[S.probe_settle_rad] if resolved else settle
                    cost2 = max(2.0 * lean_cost, 1e-3)
                    x = lean_used
                    gx = 0.0
                    if fwd_on and not bad and lean_E > 0.0:
                        gx = lean_G / lean_E - lean_anchor + 2.0 * lean_cost * (
                            x - sc[S.lean_home_rad])
                    if (fwd_on and not bad and lean_E > 0.0
                            and (resolved or (not reuse and not searched
                                              and n_settle < max_settle
                                              and (abs(gx) / (2.0 * lean_cost
                                                              + sc[S.fwd_lean_curvature])
                                                   > tol
                                                   or abs(lean_drift)
                                                   > sc[S.lean_drift_search] * tol
                                                   > 0.0)))):
                        if resolved:
                            _capacities(state, prm[0], F0, col_muscle, col_rho, cap, C, W, IW)
                        prev = x
                        s_lo, g_lo, s_hi, g_hi = np.nan, 0.0, np.nan, 0.0
                        for _ in range(int(sc[S.max_probes])):
                            s_lo, g_lo, s_hi, g_hi, nxt, done = posture_search(
                                x, gx, prev, s_lo, g_lo, s_hi, g_hi, cost2, tol,
                                -0.5 * sc[S.max_fwd_lean_rad], sc[S.max_fwd_lean_rad],
                                lean_curv if sc[S.search_guess_on] > 0.5 else np.nan)
                            lean_lo, lean_hi = s_lo, s_hi
                            if done:
                                c_meas = bracket_curvature(s_lo, g_lo, s_hi, g_hi)
                                if np.isfinite(c_meas):
                                    lean_curv = c_meas
                                if (not resolved and x != lean_used
                                        and abs(x - nxt) <= 0.25 * tol):
                                    # block mode: the last probe, within a quarter of the
                                    # tolerance of the answer, is the block's stride (not
                                    # solved again: 5 % fewer strides a run)
                                    adopt = True
                                    nxt = x
                                lean_step = lean_used - nxt
                                lean_f = nxt
                                break
                            # a probe stride, solved half a stride at a time (not run)
                            fail = 0
                            for h0, h1 in ((0, n_ph // 2), (n_ph // 2, n_ph)):
                                probe_half_demand(h0, h1, tpl, tpl_m, tpl_grf_r, tpl_grf_tot,
                                                  tpl_hipext, tpl_stance, sc, kgain, limit, nxt,
                                                  Th, Lam, Mb, Bb, Lam_keep, Pp, acc_p)
                                _solve_phases(Ai, Av, C, W, Bb[h0:h1], w, Mb[h0:h1],
                                              Lam[h0:h1], Fp[h0:h1], Tb[h0:h1], Lam[h0:h1],
                                              Stb[h0:h1], Rb[h0:h1], wk, work)
                                fail = probe_half_rates(h0, h1, tpl, tpl_grf_r, tpl_grf_tot,
                                                        tpl_hipext, sc, limit, nxt, Th, w, IW, Lam,
                                                        Fp, Tb, Stb, Lam_keep, Gp, Pp, acc_p)
                                if fail > 0:
                                    break
                            ok, rel, n_sol = probe_outcome(acc_p, fail, n_ph)
                            o_work[0] += n_sol
                            o_work[1] += 1.0
                            if not ok:
                                break
                            prev = x
                            x = nxt
                            gx = rel - lean_anchor + 2.0 * lean_cost * (
                                x - sc[S.lean_home_rad])
                            lean_step = lean_used - x
                            lean_f = x
                        if not resolved:
                            # block mode: re-solve the block's stride at the optimum found
                            # (or take the last probe's, above)
                            searched = True
                            n_settle += 1
                            restart = True
                            continue
                    # a stride the muscles cannot make at its posture, with
                    # model.failed_stride_posture = "search": look for a lean at which they
                    # can, nearest first, on the side the lean last moved to first (block
                    # mode: once a block, and the block's stride re-solved there; resolved
                    # mode: the next stride runs there)
                    if (sc[S.rescue_on] > 0.5 and fwd_on and bad and not rescued and not reuse
                            and (resolved or n_settle < max_settle)
                            and np.isfinite(lean_anchor)):
                        rescued = not resolved
                        if resolved:
                            _capacities(state, prm[0], F0, col_muscle, col_rho, cap, C, W, IW)
                        side = -1.0 if lean_step > 0.0 else 1.0
                        if lean_step == 0.0 and lean_used > sc[S.lean_home_rad]:
                            side = -1.0
                        lo_b = -0.5 * sc[S.max_fwd_lean_rad]
                        hi_b = sc[S.max_fwd_lean_rad]
                        for q in range(int(sc[S.max_probes])):
                            off = sc[S.rescue_step_rad] * 2.0 ** (q // 2)
                            nxt = lean_used + (side if q % 2 == 0 else -side) * off
                            if nxt < lo_b or nxt > hi_b:
                                if lean_used - off < lo_b and lean_used + off > hi_b:
                                    break
                                continue
                            # a probe stride, solved half a stride at a time (not run)
                            fail = 0
                            for h0, h1 in ((0, n_ph // 2), (n_ph // 2, n_ph)):
                                probe_half_demand(h0, h1, tpl, tpl_m, tpl_grf_r, tpl_grf_tot,
                                                  tpl_hipext, tpl_stance, sc, kgain, limit, nxt,
                                                  Th, Lam, Mb, Bb, Lam_keep, Pp, acc_p)
                                _solve_phases(Ai, Av, C, W, Bb[h0:h1], w, Mb[h0:h1],
                                              Lam[h0:h1], Fp[h0:h1], Tb[h0:h1], Lam[h0:h1],
                                              Stb[h0:h1], Rb[h0:h1], wk, work)
                                fail = probe_half_rates(h0, h1, tpl, tpl_grf_r, tpl_grf_tot,
                                                        tpl_hipext, sc, limit, nxt, Th, w, IW, Lam,
                                                        Fp, Tb, Stb, Lam_keep, Gp, Pp, acc_p)
                                if fail > 0:
                                    break
                            ok, rel, n_sol = probe_outcome(acc_p, fail, n_ph)
                            o_work[0] += n_sol
                            o_work[1] += 1.0
                            if ok:
                                lean_step = lean_used - nxt
                                lean_f = nxt
                                lean_lo = np.nan
                                lean_hi = np.nan
                                if not resolved:
                                    n_settle += 1
                                    restart = True
                                break
                        if restart:
                            continue
                    if not resolved:
                        break
                if resolved and t_loc >= t_next - 0.5 * dtp:
                    break
            # block mode: the optimum's drift, estimated from the block's whole lean
            # correction (update and search), carries the lean on into the next block
            # (S.lean_drift_gain; a stride the muscles cannot make drops the estimate)
            if not resolved and fwd_on and sc[S.lean_drift_gain] > 0.0:
                if bad:
                    lean_drift = 0.0
                elif not reuse and np.isfinite(lean_anchor):
                    lean_drift += sc[S.lean_drift_gain] * (lean_f - lean_start)
                    lean_f = min(max(lean_f + lean_drift, -0.5 * sc[S.max_fwd_lean_rad]),
                                 sc[S.max_fwd_lean_rad])
                    if lean_f < lean_lo:            # a bracket end it passed no longer holds
                        lean_lo = np.nan
                    if lean_f > lean_hi:
                        lean_hi = np.nan
            if not resolved and not reuse:
                solved_tpl = tpl
                solved_limit = limit
                for c in range(n_col):
                    C_solved[c] = C[c]
            if not resolved:
                for i in range(n_m):
                    cap_prev[i] = cap[i]
                _block_fatigue(state, prm[tpl], F0, col_muscle, col_side, Fs, dtp, dt, U, Pw,
                               pwork, Occ)
                _capacities(state, prm[0], F0, col_muscle, col_rho, cap, C, W, IW)
                change = 0.0
                for i in range(n_m):
                    change = max(change, abs(cap[i] - cap_prev[i]))
                # next block: as long as capacities change by at most the tolerance
                grow = sc[S.block_tolerance] * dt / change if change > 0.0 else sc[S.max_block_s]
                # (at most twice the last block, or twice the shortest after a block an
                # event cut short: a rest or pace change must not set a rest's blocks)
                next_block = min(max(grow, block_s), sc[S.max_block_s],
                                 2.0 * max(dt, block_s))
            had_strides = n_str > 0.0
            if n_str == 0.0:
                # window shorter than a stride: report the last complete stride
                acc_c, acc_s, acc_sup, acc_lean, n_str = last_c, last_s, last_sup, last_lean, 1.0
                acc_flex = last_flex
            last_c, last_s, last_sup, last_lean = (acc_c / n_str, acc_s / n_str,
                                                   acc_sup / n_str, acc_lean / n_str)
            last_flex = acc_flex / n_str
            o_comp[k] = last_c
            o_shear[k] = last_s
            o_sup[k] = last_sup
            o_lean[k] = last_lean * 180.0 / math.pi
            o_flex[k] = last_flex * 180.0 / math.pi
            o_tilt[k] = Tilt[0]         # negative while the lean is behind the fresh posture
            for j in range(n_ph):
                o_tilt[k] = max(o_tilt[k], Tilt[j])
            for i in range(n_m):
                o_fmean[k, i] /= n_str
            o_strides[k] = dt / stride_s
            # infeasible strides: the fraction of solved strides that failed, times strides run
            o_infeas[k] = (n_bad / n_str) * (dt / stride_s)
            o_resid[k] = worst
            # configured back-load index: held above its threshold?
            value = o_sup[k] if spike_sup else o_shear[k] / bw
            thr = thr_sup if spike_sup else thr_shear
            # resolve onsets and holds at the finest block: near either threshold, or above
            # the configured one until its spike is confirmed (or a policy is waiting)
            v_other = o_shear[k] / bw if spike_sup else o_sup[k]
            thr_other = thr_shear if spike_sup else thr_sup
            # optionally, also as long as neither back-load index moves by more than
            # model.index_tolerance (in whole seconds: the reference path's indices agree
            # only to solver round-off)
            if not resolved and sc[S.index_tolerance] > 0.0:
                move = max(abs(value - v_prev), abs(v_other - v_prev_other)) / dt_prev
                if move > 0.0:                          # (False while v_prev is nan)
                    next_block = min(next_block, max(math.floor(sc[S.index_tolerance] / move),
                                                     block_s))
            if (_may_cross(value, v_prev, thr, dt_prev, next_block)
                    or _may_cross(v_other, v_prev_other, thr_other, dt_prev, next_block)
                    or (value > thr and (not confirmed or stage == 1 or stage == 3))
                    or n_bad > 0.0):
                next_block = block_s
            # exhaustion: most strides of the window cannot be made, for long enough
            if had_strides and n_bad >= 0.5 * n_str:
                if np.isnan(bad_start):
                    bad_start = t
                if t_next - bad_start >= sc[S.exhaustion_hold_s] - 1e-9:
                    exhausted = True
                    o_exh[0] = bad_start
            else:
                bad_start = np.nan
            v_prev, v_prev_other, dt_prev = value, v_other, dt
            if value > thr:
                if np.isnan(run_start):
                    run_start = t
                held = t_next - run_start
                if held >= hold_s:
                    confirmed = True
                if stage == 0 and policy >= 1 and held >= hold_s:
                    stage = 1
                    run_start = np.nan
                elif (stage == 1 or stage == 3) and policy == 2 and held >= wait_s:
                    stage += 1
                    stage_end = t_next + (sc[S.stretch_s] if stage == 2 else sc[S.rest_s])
                    run_start = np.nan
            else:
                run_start = np.nan
        # whole-body reserve above critical speed, shared by every FT pool (resolved mode
        # steps it with the muscles while running)
        if resting or not resolved:
            cs = sc[S.critical_speed_mps] * critical_speed_factor(state, prm[0],
                                                                  sc[S.cs_glycogen_share])
            d_res = reserve_step(state[0, X.reserve], o_speed[k], cs, sc[S.d_prime_m], dt,
                                 sc[S.reserve_floor])
            for i in range(n_m):
                state[i, X.reserve] = d_res
        # above critical speed the run ends when the reserve is spent (unless the muscles
        # could not make the stride before): at its linear fall's end from the checkpoint's
        # start, with the critical speed at its end (resolved mode: as it was last stepped)
        if (not resting and not exhausted
                and state[0, X.reserve] <= sc[S.reserve_floor] + 1e-12):
            cs_end = sc[S.critical_speed_mps] * critical_speed_factor(state, prm[0],
                                                                      sc[S.cs_glycogen_share])
            t_spent = reserve_spent_at(d_start, state[0, X.reserve], o_speed[k], cs_end,
                                       sc[S.d_prime_m], sc[S.reserve_floor], t, t_next)
            if not np.isnan(t_spent):
                exhausted = True
                o_exh[0] = t_spent
        if (stage == 2 or stage == 4) and t_next >= stage_end - 1e-9 and resting:
            if stage == 2:
                applied_stretch = sc[S.in_run_stretch_deg]
            stage += 1
            stage_end = np.inf
        t = t_next
        k += 1
        if exhausted:
            break
    if not resolved:
        _block_means(k, o_time, o_dt, o_speed, o_fpeak, o_fmean, o_comp, o_shear, o_sup, o_lean,
                     o_flex, o_tilt)
    return k
