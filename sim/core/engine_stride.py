"""Kernels of one stride: the demand, the load sharing of a phase, the lean, the spine.

Called by :func:`sim.core.engine.run_kernel` for every phase sample ``j`` of a solved stride
(:func:`_stride_demand` builds the demand of a run of phases; the load sharing of a
block-mode stride's phases is solved half a stride at a time,
:mod:`sim.physics.sharing_phases`).

Within a stride (phase samples ``j = 0 … n-1``, right heel strike at 0)
-----------------------------------------------------------------------
* demand: the template moments (N·m) at the current speed; in right stance the hip
  abduction demand is raised by the knee-tracking gain (quadriceps capacity loss);
* hip-flexor tightness: the extension the hip cannot give becomes extra anterior pelvic
  tilt, held over the stride as a posture (the stride's largest deficit); it steepens the
  L5/S1 disc by as much; the taut right hip flexors' passive moment
  supplies part of the hip flexion moment; the passive psoas tension of both sides pulls
  on L5/S1 and adds a small lumbar flexion moment the extensors must resist;
* forward trunk lean: one posture per solved stride (:mod:`sim.core.engine_posture`),
  moved by a damped Newton step on ``ln(effort) + cost (lean - home)^2`` whose slope
  comes from the phases' multipliers (:func:`_lean_rates`); where the posture may lie
  further from its optimum than a tolerance, the optimum is searched with probe strides
  (:func:`probe_half_demand`, :func:`probe_half_rates`, :func:`probe_outcome`; the run
  loop solves each half between the first two); it changes the demand
  (:func:`sim.physics.compensation.forward_lean_moments`) and, through the pelvis's share, the
  pelvic tilt and the hip extension the stride needs;
* trunk lateral lean: one compensation column in right stance (:mod:`sim.physics.compensation`);
  its lumbar cost is mirrored onto the right-side benders half a stride later (left
  stance), so both sides' histories are complete;
* paired trunk muscles: both sides share each moment (two columns); the right column's
  history over the stride drives the pair's one fatigue state in both modes (bilateral
  symmetry: the left muscle at phase φ is the right muscle at φ + 0.5);
* infeasible phases (demand beyond capacities and compensation, or a lean beyond the
  largest plausible one) flag the stride.

After a stride, :func:`_stride_metrics` reduces it to the back-load indices (peak L5/S1
compression and shear, superficial erector load, lateral lean).
"""
from __future__ import annotations

import math

import numpy as np

from ..jit import kernel
from ..physics.compensation import forward_lean_moments, passive_hip_flexor_moment
from ..physics.sharing import STATUS_OK
from ..physics.spine import l5s1_loads_stride
from .engine_layout import _ANKLE_PF, _HIP_ABD, _HIP_FLEX, _KNEE_EXT, _LUMB_BEND, _LUMB_EXT, S

__all__ = ["probe_half_demand", "probe_half_rates", "probe_outcome"]


@kernel
def _lean_demand(j, tpl, tpl_grf_r, tpl_grf_tot, sc, sin_d, m):
    """Add the forward lean's change of the demanded moments at phase ``j`` to ``m``."""
    dh, dk, da, dl = forward_lean_moments(sin_d, tpl_grf_r[tpl, j], tpl_grf_tot[tpl, j],
                                          sc[S.mass_kg] * sc[S.g], sc[S.lean_lever_hip_m],
                                          sc[S.grf_z_hip], sc[S.grf_z_knee], sc[S.grf_z_ankle],
                                          sc[S.upper_fraction], sc[S.trunk_com_above_l5s1_m])
    m[_HIP_FLEX] += dh
    m[_KNEE_EXT] += dk
    m[_ANKLE_PF] += da
    m[_LUMB_EXT] += dl


@kernel
def _passive_stride(tpl, tpl_hipext, sc, limit, shift, Pas):
    """The taut right hip flexors' passive moment [N m] at every phase of a stride, into
    ``Pas`` (the left hip's is the right's half a stride on); ``limit`` [deg] is the hip
    extension they allow, ``shift`` [deg] the extension the forward lean's pelvic tilt takes
    off the stride. Computed once a stride for its demand, lean rate and spine loads."""
    m_end, x0 = sc[S.passive_moment_at_limit_Nm], sc[S.passive_angle_constant_deg]
    for j in range(tpl_hipext.shape[1]):
        Pas[j] = passive_hip_flexor_moment(tpl_hipext[tpl, j] - shift, limit, m_end, x0)


@kernel
def _stride_demand(lo, hi, tpl, tpl_m, tpl_grf_r, tpl_grf_tot, tpl_stance, sc, kgain, Pas,
                   sin_d, theta_stride, M, B):
    """The demanded moments ``M[j]`` and the lateral lean's column ``B[j]`` of the phases
    ``lo <= j < hi`` of a stride.

    ``Pas`` holds the stride's passive hip-flexor moments (:func:`_passive_stride`),
    ``sin_d`` the sine of the forward lean; ``theta_stride`` the stride's lateral lean,
    read half a stride back for its mirror (so the second half's demand is built after the
    first half is solved). One call per run of phases, not per phase: a compiled call that
    passes a dozen arrays costs more than one phase's arithmetic."""
    n = tpl_m.shape[1]
    half = n // 2
    mass = sc[S.mass_kg]
    g = sc[S.g]
    weight, lever = sc[S.mass_kg] * sc[S.g], sc[S.lean_lever_hip_m]
    z_hip, z_knee, z_ankle = sc[S.grf_z_hip], sc[S.grf_z_knee], sc[S.grf_z_ankle]
    upper, trunk = sc[S.upper_fraction], sc[S.trunk_com_above_l5s1_m]
    psoas = sc[S.psoas_tension_per_Nm]
    psoas_arm = sc[S.psoas_lumbar_arm_m]
    on = sc[S.lateral_lean_on]
    for j in range(lo, hi):
        m = M[j]
        for d in range(m.shape[0]):
            m[d] = tpl_m[tpl, j, d]
        if tpl_stance[tpl, j] > 0.5:
            m[_HIP_ABD] *= kgain
        # taut hip flexors: right hip at j, left hip (= right at j + n/2) for the psoas
        mp_r = Pas[j]
        mp_l = Pas[(j + half) % n]
        m[_HIP_FLEX] -= mp_r
        m[_LUMB_EXT] += (mp_r + mp_l) * psoas * psoas_arm
        if sin_d != 0.0:
            dh, dk, da, dl = forward_lean_moments(sin_d, tpl_grf_r[tpl, j], tpl_grf_tot[tpl, j],
                                                  weight, lever, z_hip, z_knee, z_ankle, upper,
                                                  trunk)
            m[_HIP_FLEX] += dh
            m[_KNEE_EXT] += dk
            m[_ANKLE_PF] += da
            m[_LUMB_EXT] += dl
        # trunk lateral lean in right stance; its mirror loads the right benders in left
        # stance
        grf = tpl_grf_r[tpl, j]
        B[j, _HIP_ABD, 0] = grf * mass * g * lever * on
        B[j, _LUMB_BEND, 0] = grf * mass * upper * g * trunk * on
        if j >= half:
            jm = j - half
            m[_LUMB_BEND] += (tpl_grf_r[tpl, jm] * mass * upper * g * trunk * theta_stride[jm]
                              * on)


@kernel
def _lean_rates(lo, hi, tpl, tpl_grf_r, tpl_grf_tot, tpl_hipext, sc, limit, shift, Pas, cos_d,
                Lam, G):
    """Rate of change of each phase's effort with the forward lean [1/rad], into ``G[j]``
    for ``lo <= j < hi``.

    By the envelope theorem the optimal effort changes with the demand as the multipliers
    ``Lam[j]`` [1/(N m)]: the rate is ``Lam[j] . dm/d(lean)``, with ``dm`` the lean's
    moments (:func:`sim.physics.compensation.forward_lean_moments`, linear in the sine) and
    the change of the passive hip-flexor moments (``Pas``, :func:`_passive_stride`) as the
    pelvic tilt takes hip extension off the stride: ``limit`` [deg] is the hip extension
    the taut flexors allow and ``shift`` [deg] the extension the lean's pelvic tilt takes
    off (as for :func:`_passive_stride`), ``cos_d`` the cosine of the lean (the slope of
    its sine). A phase's value means something only where its load sharing was solved."""
    n = tpl_hipext.shape[1]
    weight, lever = sc[S.mass_kg] * sc[S.g], sc[S.lean_lever_hip_m]
    z_hip, z_knee, z_ankle = sc[S.grf_z_hip], sc[S.grf_z_knee], sc[S.grf_z_ankle]
    upper, trunk = sc[S.upper_fraction], sc[S.trunk_com_above_l5s1_m]
    psoas = sc[S.psoas_tension_per_Nm]
    psoas_arm = sc[S.psoas_lumbar_arm_m]
    x0 = sc[S.passive_angle_constant_deg]
    rate = sc[S.pelvis_share] * 180.0 / math.pi / x0          # d(exponent)/d(lean), below the limit
    for j in range(lo, hi):
        dh, dk, da, dl = forward_lean_moments(cos_d, tpl_grf_r[tpl, j], tpl_grf_tot[tpl, j],
                                              weight, lever, z_hip, z_knee, z_ankle, upper,
                                              trunk)
        d_r = 0.0
        d_l = 0.0
        if tpl_hipext[tpl, j] - shift < limit:
            d_r = -rate * Pas[j]
        jl = (j + n // 2) % n
        if tpl_hipext[tpl, jl] - shift < limit:
            d_l = -rate * Pas[jl]
        lam = Lam[j]
        # lam . dm in the order of the DOFs (the others' dm is 0)
        out = 0.0
        out += lam[_HIP_FLEX] * (dh - d_r)
        out += lam[_KNEE_EXT] * dk
        out += lam[_ANKLE_PF] * da
        out += lam[_LUMB_EXT] * (dl + (d_r + d_l) * psoas * psoas_arm)
        G[j] = out


@kernel
def probe_half_demand(lo, hi, tpl, tpl_m, tpl_grf_r, tpl_grf_tot, tpl_hipext, tpl_stance, sc,
                      kgain, limit, lean, Th, Lam, M, Bs, Lam_keep, Pp, acc):
    """Prepare the phases ``lo <= j < hi`` of a probe stride at ``lean`` for their solve.

    A probe stride (the search of the posture's optimum,
    :func:`sim.core.engine_posture.posture_search`) is solved half a stride at a time at
    the capacity forces, and not run (no fatigue state moves): this call keeps the half's
    multipliers (``Lam_keep``, put back by :func:`probe_half_rates` after an infeasible
    phase) and builds its demand (``M``, ``Bs``; at ``lo == 0`` first the probe's passive
    hip-flexor moments, ``Pp``, and the effort sums ``acc`` set to 0). The run loop then
    solves the half (:func:`~sim.physics.sharing_phases.solve_phases_warm`, warm-started
    from and writing into ``Lam``) and calls :func:`probe_half_rates`. The solve is called
    from the run loop, not from here, so that this kernel compiles without the solver;
    the run loop writes the three calls out at each of its three probes (a closure holding
    them compiled 1.9 s longer, 23.9-24.4 against 22.1-22.4 s)."""
    if lo == 0:
        acc[0] = 0.0
        acc[1] = 0.0
        _passive_stride(tpl, tpl_hipext, sc, limit, sc[S.pelvis_share] * lean * 180.0 / math.pi,
                        Pp)
    for j in range(lo, hi):
        for d in range(Lam.shape[1]):
            Lam_keep[j, d] = Lam[j, d]
    _stride_demand(lo, hi, tpl, tpl_m, tpl_grf_r, tpl_grf_tot, tpl_stance, sc, kgain, Pp,
                   math.sin(lean), Th, M, Bs)


@kernel
def probe_half_rates(lo, hi, tpl, tpl_grf_r, tpl_grf_tot, tpl_hipext, sc, limit, lean, Th, w,
                     IW, Lam, Fp, Tp, St, Lam_keep, Gr, Pp, acc):
    """After the solve of a probe's half stride: its effort and effort rate.

    Adds the half's effort to ``acc[0]`` and its rate ``d E / d lean`` to ``acc[1]``
    (:func:`_lean_rates`, each phase's into ``Gr``) and its lateral leans to ``Th``, phase
    by phase up to the first infeasible phase (a status other than OK, or a lean beyond
    the largest plausible one); there, the multipliers of the phases after it are put
    back (``Lam_keep``), as if the phases had been solved one by one. Returns 0 if every
    phase was feasible, else the number of phases solved up to the failed one
    (``j + 1``)."""
    n_dof = Lam.shape[1]
    _lean_rates(lo, hi, tpl, tpl_grf_r, tpl_grf_tot, tpl_hipext, sc, limit,
                sc[S.pelvis_share] * lean * 180.0 / math.pi, Pp, math.cos(lean), Lam, Gr)
    for j in range(lo, hi):
        theta = Tp[j, 0]
        if St[j] != STATUS_OK or abs(theta) > sc[S.max_lean_rad]:
            for jj in range(j + 1, hi):
                for d in range(n_dof):
                    Lam[jj, d] = Lam_keep[jj, d]
            return j + 1
        Th[j] = theta
        e = w[0] * theta * theta
        for c in range(Fp.shape[1]):
            x = Fp[j, c] * IW[c]
            e += x * x
        acc[0] += e
        acc[1] += Gr[j]
    return 0


@kernel
def probe_outcome(acc, fail, n_ph):
    """A probe stride's ``(ok, rate, solves)`` after its halves (:func:`probe_half_rates`).

    ``rate`` is the relative effort rate ``d ln E / d lean`` [1/rad]; ``ok`` is False where
    a phase was infeasible (``fail``, the phases solved up to it, > 0) or the effort is not
    positive; ``solves`` counts the phases solved."""
    if fail > 0:
        return False, 0.0, fail
    if not (acc[0] > 0.0):
        return False, 0.0, n_ph
    return True, acc[1] / acc[0], n_ph


@kernel
def _tpl_index(speed, tpl_speed):
    best = 0
    for k in range(tpl_speed.shape[0]):
        if abs(tpl_speed[k] - speed) < abs(tpl_speed[best] - speed):
            best = k
    return best


@kernel
def _stride_metrics(tpl, Fs, Th, Tilt, tpl_grf_tot, leg_spine, col_comp, col_shear, sup_col,
                    sup_F0, sc, Pas, wk, shear_out):
    """Peak compression [N], anterior shear [N], superficial load [1] and lean [rad] of a
    stride (the lean at most the largest compensatory lean, ``S.max_lean_rad``); each
    phase's anterior shear [N] into ``shear_out``.

    The L5/S1 loads of each phase (:func:`sim.physics.spine.l5s1_loads_stride`) with the
    disc inclined by the phase's pelvic tilt ``Tilt`` [deg]: ``leg_spine`` marks leg
    muscles that reach the spine (psoas), so the left leg's (the same column half a stride
    on) pulls on L5/S1 too, as does the passive tension of both hip flexors (``Pas``,
    :func:`_passive_stride`); ``wk`` is a workspace of 5 entries per phase sample."""
    n_ph = Fs.shape[0]
    half = n_ph // 2
    upper = wk[0:n_ph]
    cos_i = wk[n_ph:2 * n_ph]
    sin_i = wk[2 * n_ph:3 * n_ph]
    passive = wk[3 * n_ph:4 * n_ph]
    comp = wk[4 * n_ph:5 * n_ph]
    w_ub_per_bw = sc[S.mass_kg] * sc[S.upper_fraction] * sc[S.g]
    psoas = sc[S.psoas_tension_per_Nm]
    incl = np.nan               # the disc's inclination [rad] whose cosine and sine are at hand
    ci = 1.0
    si = 0.0
    for j in range(n_ph):
        incl_j = sc[S.disc_inclination_rad] + Tilt[j] * math.pi / 180.0
        if incl_j != incl:
            incl = incl_j
            ci = math.cos(incl)
            si = math.sin(incl)
        upper[j] = w_ub_per_bw * tpl_grf_tot[tpl, j]
        cos_i[j] = ci
        sin_i[j] = si
        passive[j] = (Pas[j] + Pas[(j + half) % n_ph]) * psoas
    l5s1_loads_stride(Fs, leg_spine, col_comp, col_shear, upper, cos_i, sin_i, passive,
                      sc[S.psoas_compression_per_N], sc[S.psoas_shear_per_N], comp, shear_out)
    pk_c = -np.inf
    pk_s = -np.inf
    pk_sup = 0.0
    pk_lean = 0.0
    for j in range(n_ph):
        pk_c = max(pk_c, comp[j])
        pk_s = max(pk_s, shear_out[j])
        for s_ in range(sup_col.shape[0]):
            pk_sup = max(pk_sup, Fs[j, sup_col[s_]] / sup_F0)
        # a best-effort lean beyond the largest one makes the stride infeasible; the lean
        # reported is held at that limit
        pk_lean = max(pk_lean, min(abs(Th[j]), sc[S.max_lean_rad]))
    return pk_c, pk_s, pk_sup, pk_lean
