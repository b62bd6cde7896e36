"""Two fibre pools per muscle: recruitment, perfusion-dependent 3CC, glycogen and slow fatigue.

A muscle is split into a slow-twitch pool (ST, fraction ``p_st`` of its fibres) and a
fast-twitch pool (FT, fraction ``1 - p_st``). Each pool has the 3CC compartments MA, MR,
MF (:mod:`sim.physics.fatigue.threecc`), an energy store E in [0, 1] (muscle glycogen) and a
slow, long-lasting force depression S with its load Z; the muscle has one ischaemia state
I in [0, 1] (how far its blood supply is cut off by its own contraction) and copies of
two whole-body quantities: the runner's anaerobic reserve D and the heavy-domain strain H.

Fast component: 3CC with recovery and fatigue that depend on blood flow
    The published 3CC constants (Frey-Law et al. 2012 [6]) were fitted to *sustained*
    holds, in which the contracting muscle occludes its own blood flow. Rhythmic brief
    contractions, as in running, keep the muscle perfused: intramuscular pressure
    rises only for a fraction of a second and the muscle pump refills the vessels
    between contractions [7]. The model lets perfusion ``P = 1 - I`` decide both rates:

    * ``occ(u)``: occlusion by the muscle's force ``u`` (fraction of fresh maximum),
      0 below ``u_free``, 1 above ``u_occ``, linear between (Xia's variable-R idea [8];
      ``u_occ = 0.2`` so every hold the 3CC constants were fitted on, 20-90 % MVC, is
      occluded);
    * ``dI/dt = (occ(u) - I) / tau``, ``tau = tau_on`` while I rises and ``tau_off`` while
      it falls: ischaemia develops over seconds (oxygen bound to myoglobin and held in the
      capillaries buffers a brief occlusion) and clears within about a second of
      reperfusion. A held contraction occludes fully within seconds; a 0.2-0.3 s stance
      contraction hardly does;
    * recovery ``R* = R (1 + (r - 1) P)``: Looft's rest multiplier r [3] applies in full
      to a perfused muscle and not at all to an occluded one. At rest P = 1 and R* = rR,
      as in the published 3CC-r; the rule is continuous in activation (no threshold);
    * fatigue ``F* = F (1 - kappa h(E) P)``: a perfused fibre is supplied aerobically and
      fatigues at only ``1 - kappa`` of its ischaemic rate while it has glycogen;
      ``h(E) = f + (1 - f)(1 + K) E / (K + E)`` keeps the share ``f`` (``fat_share``)
      of that protection, which fat supplies, when the store is empty. ``kappa`` is
      larger for ST fibres (oxidative) than for FT fibres.

    A sustained hold above 20 % MVC is therefore the published 3CC (after the first
    seconds), and the two-pool split is calibrated on those holds
    (:mod:`sim.calibration.fibre_pools`); the joint model (``model="joint"``) keeps the
    published 3CC-r with its 1 % rest threshold unchanged.

Energy store (glycogen)
    ``dE/dt = -drain MA h(E) + refill (1 - E)`` with ``h(E) = (1 + Kd) E / (Kd + E)``:
    the pool drains in proportion to its active fraction (FT faster per unit
    activation [1, 2]), and more slowly as its store empties (glycogenolysis falls with
    muscle glycogen [9]); ``Kd = 0`` gives a drain that does not depend on E. h is
    taken at the start of a step (E changes over tens of minutes). Capacity factor
    ``g(E) = g_min + (1 - g_min) (1 + K) E / (K + E)`` [4], with a higher floor g_min
    for ST pools than for FT pools: oxidative type I fibres keep more force on fat
    oxidation once their glycogen is gone.

Slow force depression (long-lasting fatigue, lumped with slow central fatigue)
    ``dZ/dt = k_S MA - r_S Z`` and ``dS/dt = (Z - S) / tau_S``: every contraction adds to
    a slowly recovering load Z, and the force depression S follows Z with a lag of
    ``tau_S``. Repeated contractions leave a depression of force that recovers over
    hours to days (Edwards et al. 1977 [10]; Allen, Lamb & Westerblad 2008 [11]); in long
    runs the loss of strength appears late (after 4 h of a 5-h run, Place et al. 2004
    [14]; only in the last 5 km of 20 km, Ross et al. 2009) and is partly central. The lag
    gives that delayed, accelerating shape; its size is an assumption. Both are exact for
    constant MA (a linear 2 x 2 system, :func:`sim.physics.fatigue.threecc.solve_affine2`).

Anaerobic reserve (critical speed)
    Above critical speed CS a runner draws on a finite reserve D' [12, 13]; the run
    kernel keeps its fraction D in [0, 1] (:func:`reserve_step`) and copies it into every
    muscle's ``reserve`` slot. It lives in the FT pools: their force per active fibre is
    multiplied by D, so as the reserve is spent the fast-twitch fibres give less and the
    slow-twitch fibres cannot carry the stride's peaks alone.

Heavy-domain strain (speed between the lactate threshold and critical speed)
    Between the lactate threshold and critical speed a runner's metabolism does not
    settle: blood lactate and the oxygen uptake's slow component rise, more fast-twitch
    fibres are recruited, carbohydrate covers a growing share of the energy and the
    muscles' force falls faster [15, 16]. The run kernel sets a whole-body multiplier
    ``H = 1 + A max(0, (v - v_T)/(CS - v_T))^n`` (:func:`heavy_strain`) on every pool's
    glycogen drain and slow-load rate, with ``v_T`` the lactate-threshold speed (taken as
    the marathon pace) and ``A, n`` fitted on race-equivalence times
    (:mod:`sim.calibration.running`). H = 1 at and below ``v_T``, and in holds.

Force factor and capacity
    A pool's force per active fibre is ``q = g(E) (1 - S)`` (times D for FT pools); to hold a pool force target
    TL the controller drives MA toward ``TL / q``, and the pool's capacity (fraction of
    its fresh maximum force) is ``(MA + MR) q = (1 - MF) q``.

Recruitment (size principle [5])
    A muscle target u is taken from the ST pool alone up to ``onset * p_st * cap_ST``
    (``ft_onset``: 0.7, fast-twitch units join at about a third of maximal force in a
    mixed muscle [17]); above that both pools share the rest in proportion to the force
    each has left, so both reach their capacity together (:func:`recruit`). Muscle
    capacity is ``p_st * cap_ST + (1 - p_st) * cap_FT``.

Stride-averaged block step
    :func:`pool_block_step` advances a pool over a block of many strides with the
    stride's mean force target, the stride-mean perfusion and the activity-weighted
    fatigue multiplier (see :func:`stride_perfusion`); the controller tracks the target
    much faster than F and R act (L >> F, R), so the averaged equations follow the
    resolved trajectory within an error of order F times the stride period.

Kernels are compiled numba functions on float64 scalars and arrays. A muscle's
parameters travel as one float64 vector laid out as :data:`MUSCLE_PARAMS` and its state
as a vector laid out as :data:`STATE`.

References
----------
.. [1] Gollnick PD, Piehl K, Saltin B (1974) Selective glycogen depletion pattern in
       human muscle fibres after exercise of varying intensity and at varying pedalling
       rates. J Physiol 241(1):45-57.
.. [2] Vollestad NK, Blom PC (1985) Effect of varying exercise intensity on glycogen
       depletion in human muscle fibres. Acta Physiol Scand 125(3):395-405.
.. [3] Looft JM, Herkert N, Frey-Law L (2018) Modification of a three-compartment muscle
       fatigue model to predict peak torque decline during intermittent tasks.
       J Biomech 77:16-25. doi:10.1016/j.jbiomech.2018.06.005
.. [4] Ortenblad N, Westerblad H, Nielsen J (2013) Muscle glycogen stores and fatigue.
       J Physiol 591(18):4405-4413. doi:10.1113/jphysiol.2013.251629
.. [5] Henneman E, Somjen G, Carpenter DO (1965) Functional significance of cell size in
       spinal motoneurons. J Neurophysiol 28:560-580.
.. [6] Frey-Law LA, Looft JM, Heitsman J (2012) J Biomech 45(10):1803-1808.
.. [7] Sjogaard G, Savard G, Juel C (1988) Muscle blood flow during isometric activity
       and its relation to muscle fatigue. Eur J Appl Physiol 57(3):327-335.
.. [8] Xia T, variable-recovery 3CC (AHFE, doi:10.54941/ahfe100077).
.. [9] Hargreaves M, McConell G, Proietto J (1995) Influence of muscle glycogen on
       glycogenolysis and glucose uptake during exercise in humans. J Appl Physiol
       78(1):288-292.
.. [10] Edwards RHT, Hill DK, Jones DA, Merton PA (1977) Fatigue of long duration in human
       skeletal muscle after exercise. J Physiol 272(3):769-778.
.. [11] Allen DG, Lamb GD, Westerblad H (2008) Skeletal muscle fatigue: cellular
       mechanisms. Physiol Rev 88(1):287-332.
.. [12] Jones AM, Vanhatalo A (2017) The 'critical power' concept: applications to sports
       performance with a focus on intermittent high-intensity exercise. Sports Med
       47(Suppl 1):65-78.
.. [13] Skiba PF, Fulford J, Clarke DC, Vanhatalo A, Jones AM (2015) Intramuscular
       determinants of the ability to recover work capacity above critical power. Eur J
       Appl Physiol 115(4):703-713.
.. [14] Place N, Lepers R, Deley G, Millet GY (2004) Time course of neuromuscular
       alterations during a prolonged running exercise. Med Sci Sports Exerc
       36(8):1347-1356. doi:10.1249/01.MSS.0000135786.22996.77
.. [15] Jones AM, Grassi B, Christensen PM, Krustrup P, Bangsbo J, Poole DC (2011) Slow
       component of VO2 kinetics: mechanistic bases and practical applications. Med Sci
       Sports Exerc 43(11):2046-2062. doi:10.1249/MSS.0b013e31821fcfc1
.. [16] Black MI, Jones AM, Blackwell JR, et al. (2017) Muscle metabolic and neuromuscular
       determinants of fatigue during cycling in different exercise intensity domains.
       J Appl Physiol 122(3):446-459. doi:10.1152/japplphysiol.00942.2016
.. [17] Altenburg TM, Degens H, van Mechelen W, Sargeant AJ, de Haan A (2007) Recruitment
       of single muscle fibers during submaximal cycling exercise. J Appl Physiol
       103(5):1752-1756.

Examples
--------
>>> round(energy_factor(1.0, 0.5, 0.1), 12), round(energy_factor(0.0, 0.5, 0.1), 12)
(1.0, 0.5)
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...jit import kernel, slots
from .threecc import advance, phi1, solve_affine2

__all__ = [
    "MUSCLE_PARAMS", "STATE", "N_STATE", "N_PARAMS", "P", "X", "energy_factor", "energy_step",
    "force_factor", "occlusion", "ischaemia_step", "slow_step", "stride_perfusion",
    "pool_capacity", "pool_step", "pool_block_step", "recruit", "muscle_capacity",
    "muscle_step", "simulate_states", "endurance_times", "fresh_state", "reserve_step",
    "heavy_strain",
]

#: Layout of a muscle's parameter vector (see :func:`sim.physics.fatigue.muscle_parameters`).
MUSCLE_PARAMS = ("p_st", "F_st", "R_st", "F_ft", "R_ft", "r", "gain", "rest_threshold",
                 "drain_st", "drain_ft", "refill", "g_min_st", "K",
                 "kappa_st", "kappa_ft", "tau_isch_on", "tau_isch_off", "u_free", "u_occ",
                 "drain_K", "slow_rate", "slow_recovery", "slow_delay", "g_min_ft",
                 "fat_share", "ft_onset")
#: Layout of a muscle's state vector.
STATE = ("MA_st", "MR_st", "MF_st", "E_st", "MA_ft", "MR_ft", "MF_ft", "E_ft", "isch",
         "S_st", "S_ft", "reserve", "Z_st", "Z_ft", "strain")
N_STATE = len(STATE)
N_PARAMS = len(MUSCLE_PARAMS)
#: Named positions: kernels read ``prm[P.drain_st]`` and ``state[X.E_st]``. The pools'
#: pairs are declared side by side, so a pool index ``q`` (0 = ST, 1 = FT) offsets them.
P = slots("MuscleParams", MUSCLE_PARAMS)
X = slots("MuscleState", STATE)
assert P.F_ft == P.F_st + 2 and P.R_ft == P.R_st + 2, "F/R pairs of the pools, step 2"
assert X.S_ft == X.S_st + 1 and X.Z_ft == X.Z_st + 1, "S/Z pairs of the pools, step 1"
assert P.drain_ft == P.drain_st + 1, "glycogen drains of the pools, step 1"
assert X.MA_ft == X.MA_st + 4 and STATE[1:4] == ("MR_st", "MF_st", "E_st"), \
    "each pool's MA, MR, MF, E in a row, the FT pool 4 after the ST pool"


def fresh_state() -> np.ndarray:
    """State of a rested muscle: MA = MF = 0, MR = 1, E = 1, no ischaemia, S = Z = 0,
    full reserve, no heavy-domain strain (H = 1).

    Examples
    --------
    >>> fresh_state().tolist()
    [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0]
    """
    return np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0,
                     1.0])


@kernel
def energy_factor(e, g_min, K):
    """Capacity factor g(E) [1] of a pool with store E [1]; K > 0.

    Examples
    --------
    >>> round(energy_factor(0.2, 0.5, 0.1), 4)
    0.8667
    """
    e = min(max(e, 0.0), 1.0)
    return g_min + (1.0 - g_min) * (1.0 + K) * e / (K + e)


@kernel
def force_factor(e, s, g_min, K, reserve=1.0):
    """Force per active fibre ``g(E) (1 - S) D`` [1] (D: the reserve, FT pools only).

    Examples
    --------
    >>> round(force_factor(1.0, 0.1, 0.5, 0.1), 12)
    0.9
    """
    return (energy_factor(e, g_min, K) * (1.0 - min(max(s, 0.0), 1.0))
            * min(max(reserve, 0.0), 1.0))


@kernel
def occlusion(u, u_free, u_occ):
    """Occlusion of the muscle's blood flow by its force ``u`` [1]: 0 ... 1.

    Examples
    --------
    >>> [round(occlusion(u, 0.1, 0.2), 12) for u in (0.05, 0.15, 0.5)]
    [0.0, 0.5, 1.0]
    """
    if not (u > u_free):
        return 0.0
    if u >= u_occ:
        return 1.0
    return (u - u_free) / (u_occ - u_free)


@kernel
def ischaemia_step(isch, occ, tau_on, tau_off, dt):
    """Exact step of ``dI/dt = (occ - I)/tau`` (tau_on rising, tau_off falling).

    Returns
    -------
    isch_new, isch_mean : float
        I after the step and its mean over the step [1].

    Examples
    --------
    >>> [round(x, 4) for x in ischaemia_step(0.0, 1.0, 5.0, 1.0, 5.0)]
    [0.6321, 0.3679]
    """
    tau = tau_on if occ > isch else tau_off
    if not (dt > 0.0) or not (tau > 0.0):
        return occ, occ
    x = dt / tau
    d = isch - occ
    return occ + d * math.exp(-x), occ + d * phi1(x)


@kernel
def energy_step(e, ma_mean, drain, refill, dt, drain_K=0.0):
    """Step of ``dE/dt = -drain*MA*h(E) + refill*(1 - E)`` with MA = ``ma_mean``.

    ``h(E) = (1 + Kd) E / (Kd + E)`` is taken at the start of the step (``Kd = 0``:
    h = 1, and the step is exact).

    Parameters
    ----------
    e : float
        Store [1].
    ma_mean : float
        Mean active fraction over the step [1].
    drain, refill : float
        Drain per unit activation and refill rate [1/s], >= 0.
    dt : float
        Step [s].
    drain_K : float
        Half-saturation Kd of the drain [1], >= 0.

    Returns
    -------
    float
        Store after the step, in [0, 1].

    Examples
    --------
    >>> round(energy_step(1.0, 0.5, 1e-3, 0.0, 100.0), 12)
    0.95
    """
    if not (dt > 0.0):
        return e
    h = 1.0
    if drain_K > 0.0:
        ec = min(max(e, 0.0), 1.0)
        h = (1.0 + drain_K) * ec / (drain_K + ec)
    rate0 = refill * (1.0 - e) - drain * h * ma_mean
    e_new = e + rate0 * dt * phi1(refill * dt)
    return min(max(e_new, 0.0), 1.0)


@kernel
def slow_step(z, s, ma_mean, rate, recovery, delay, dt):
    """Exact step of ``dZ/dt = rate*MA - recovery*Z``, ``dS/dt = (Z - S)/delay``.

    Parameters
    ----------
    z, s : float
        Slow load Z and force depression S [1].
    ma_mean : float
        Mean active fraction over the step [1] (held constant).
    rate, recovery : float
        [1/s], >= 0 (a recovery below 1e-9/s counts as 1e-9/s).
    delay : float
        Lag of S behind Z [s]; <= 0: S = Z.
    dt : float
        Step [s].

    Returns
    -------
    z, s : float

    Examples
    --------
    >>> z, s = slow_step(0.0, 0.0, 0.5, 1e-4, 0.0, 0.0, 1000.0)
    >>> round(z, 6), round(s, 6)
    (0.05, 0.05)
    >>> z, s = slow_step(0.0, 0.0, 0.5, 1e-4, 0.0, 3600.0, 1000.0)
    >>> round(z, 6), s < 0.01
    (0.05, True)
    """
    if not (dt > 0.0):
        return z, s
    a = rate * ma_mean
    r = max(recovery, 1e-9)
    if not (delay > 0.0):
        x = r * dt
        z_new = z * math.exp(-x) + a * dt * phi1(x)
        return z_new, z_new
    z_new, s_new, _, _ = solve_affine2(-r, 0.0, 1.0 / delay, -1.0 / delay, a, 0.0, z, s, dt)
    return max(z_new, 0.0), max(s_new, 0.0)


@kernel
def pool_capacity(mf, e, s, g_min, K, reserve=1.0):
    """Pool capacity ``(1 - MF) g(E) (1 - S) D`` [1].

    Examples
    --------
    >>> round(pool_capacity(0.2, 1.0, 0.0, 0.5, 0.1), 12)
    0.8
    """
    return (1.0 - mf) * force_factor(e, s, g_min, K, reserve)


@kernel
def _activation_target(force_target, q):
    if not (force_target > 0.0):
        return 0.0
    if force_target >= q:          # also covers q = 0 (no force left)
        return 1.0
    return force_target / q


@kernel
def pool_step(ma, mr, mf, e, s, z, force_target, F, R, r, L, rest_threshold, drain, refill,
              g_min, K, drain_K, slow_rate, slow_recovery, slow_delay, dt, perf=-1.0,
              kappa=0.0, reserve=1.0, fat_share=0.0, strain=1.0):
    """Advance one pool by ``dt`` with a constant force target.

    Parameters
    ----------
    ma, mr, mf : float
        3CC state [1], summing to 1.
    e, s, z : float
        Energy store, slow force depression and slow load [1].
    force_target : float
        Pool force target, fraction of the pool's fresh maximum [1].
    F, R : float
        Fatigue and recovery rates of the pool under occlusion [1/s].
    r : float
        Rest recovery multiplier [1].
    L : float
        Controller gain [1/s].
    rest_threshold : float
        With ``perf < 0`` (published 3CC-r): activation targets below this count as rest.
    drain, refill, g_min, K, drain_K : float
        Energy store (0, 0: no store) and capacity factor.
    slow_rate, slow_recovery, slow_delay : float
        Slow force depression: rates [1/s] and lag [s].
    dt : float
        Step [s], any size.
    perf : float
        Mean perfusion P over the step [1]; negative: the published 3CC-r rest rule.
    kappa : float
        Fatigue protection by perfusion [1], ``F* = F (1 - kappa h(E) P)`` with
        ``h(E) = f + (1 - f)(1 + K) E / (K + E)``: the aerobic supply that protects a
        perfused fibre runs on glycogen and, for the share ``f``, on fat.
    fat_share : float
        Share f of the protection that does not need glycogen [1].
    reserve : float
        Force factor of the anaerobic reserve D [1] (FT pools; 1 = full).
    strain : float
        Heavy-domain strain H [1] (:func:`heavy_strain`): multiplies the glycogen drain
        and the slow-load rate.

    Returns
    -------
    ma, mr, mf, e, s, z : float

    Examples
    --------
    >>> out = pool_step(0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.4, 0.01, 0.001, 15.0, 10.0, 0.01,
    ...                 3.6e-4, 1.5e-5, 0.5, 0.1, 0.0, 0.0, 0.0, 0.0, 2.0)
    >>> round(out[0], 3), out[3] < 1.0
    (0.4, True)
    """
    act = _activation_target(force_target, force_factor(e, s, g_min, K, reserve))
    if perf < 0.0:
        Rs = R * r if act < rest_threshold else R
        Fs = F
    else:
        Rs = R * (1.0 + (r - 1.0) * perf)
        Fs = F * (1.0 - kappa * energy_factor(e, fat_share, K) * perf)
    ma, mr, mf, ma_mean = advance(ma, mr, mf, act, Fs, Rs, L, dt)
    e = energy_step(e, ma_mean, drain * strain, refill, dt, drain_K)
    z, s = slow_step(z, s, ma_mean, slow_rate * strain, slow_recovery, slow_delay, dt)
    return ma, mr, mf, e, s, z


@kernel
def pool_block_step(ma, mr, mf, e, s, z, mean_force_target, perf, f_mult, F, R, r, L,
                    drain, refill, g_min, K, drain_K, slow_rate, slow_recovery, slow_delay,
                    dt, reserve=1.0, strain=1.0):
    """Advance one pool over a block of many strides with stride-averaged rates.

    Parameters
    ----------
    ma, mr, mf, e, s, z : float
        Pool state [1]; here MA is the stride-mean active fraction.
    mean_force_target : float
        Pool force target averaged over one stride [1].
    perf : float
        Stride-mean perfusion [1], in [0, 1]: recovery ``R (1 + (r - 1) perf)``.
    f_mult : float
        Activity-weighted fatigue multiplier over the stride [1]:
        ``<TL (1 - kappa P)> / <TL>`` (1 where the pool is idle).
    F, R, r, L, drain, refill, g_min, K, drain_K, slow_rate, slow_recovery, slow_delay,
    reserve, strain : float
        As in :func:`pool_step`.
    dt : float
        Block duration [s].

    Returns
    -------
    ma, mr, mf, e, s, z : float

    Examples
    --------
    >>> out = pool_block_step(0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.28, 0.53, 0.2, 0.01, 0.001,
    ...                       15.0, 10.0, 3.6e-4, 1.5e-5, 0.5, 0.1, 0.0, 0.0, 0.0, 0.0,
    ...                       60.0)
    >>> abs(out[0] + out[1] + out[2] - 1.0) < 1e-12, 0.0 <= out[2] <= 1.0
    (True, True)
    """
    perf = min(max(perf, 0.0), 1.0)
    act = _activation_target(mean_force_target, force_factor(e, s, g_min, K, reserve))
    Rs = R * (1.0 + (r - 1.0) * perf)
    ma, mr, mf, ma_mean = advance(ma, mr, mf, act, F * f_mult, Rs, L, dt)
    e = energy_step(e, ma_mean, drain * strain, refill, dt, drain_K)
    z, s = slow_step(z, s, ma_mean, slow_rate * strain, slow_recovery, slow_delay, dt)
    return ma, mr, mf, e, s, z


@kernel
def stride_perfusion(u, dt, isch0, tau_on, tau_off, u_free, u_occ, perf_out):
    """Periodic perfusion ``P = 1 - I`` over one stride of muscle targets ``u``.

    The ischaemia filter is run over the stride from ``isch0``; the stride map from I at
    phase 0 to I a stride later is piecewise affine, so each pass ends with a Newton step
    to its fixed point, ``I* = I0 + (I1 - I0) / (1 - dI1/dI0)``, and passes repeat
    (usually two) until the stride's end value repeats within 1e-12. ``perf_out[j]`` is
    the mean perfusion of phase sample ``j`` in a steady stream of identical strides.

    Parameters
    ----------
    u : ndarray (n,)
        Muscle targets over the stride [1].
    dt : float
        Duration of one phase sample [s].
    isch0 : float
        Starting guess for I at phase 0 [1].
    tau_on, tau_off, u_free, u_occ : float
        Ischaemia constants (:data:`MUSCLE_PARAMS`).
    perf_out : ndarray (n,)
        Output [1].

    Returns
    -------
    float
        I at phase 0 of the periodic solution.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.r_[np.full(30, 0.6), np.zeros(50)]      # 0.28 s at 60 %, then swing
    >>> P = np.zeros(80)
    >>> i0 = stride_perfusion(u, 0.75 / 80, 0.0, 5.0, 1.0, 0.1, 0.2, P)
    >>> round(float(P.mean()), 2)                      # mostly perfused
    0.89
    """
    n = u.shape[0]
    if not (dt > 0.0 and tau_on > 0.0 and tau_off > 0.0):
        for j in range(n):
            perf_out[j] = 1.0 - occlusion(u[j], u_free, u_occ)
        return 1.0 - perf_out[0]
    # one phase sample's decay factor and mean factor, rising and falling
    e_on = math.exp(-dt / tau_on)
    m_on = phi1(dt / tau_on)
    e_off = math.exp(-dt / tau_off)
    m_off = phi1(dt / tau_off)
    start = min(max(isch0, 0.0), 1.0)
    for _ in range(50):
        isch = start
        slope = 1.0
        for j in range(n):
            occ = occlusion(u[j], u_free, u_occ)
            d = isch - occ
            if occ > isch:
                perf_out[j] = 1.0 - (occ + d * m_on)
                isch = occ + d * e_on
                slope *= e_on
            else:
                perf_out[j] = 1.0 - (occ + d * m_off)
                isch = occ + d * e_off
                slope *= e_off
        if abs(isch - start) < 1e-12:
            break
        start = min(max(start + (isch - start) / (1.0 - slope), 0.0), 1.0)
    return isch


@kernel
def reserve_step(d, speed, cs, d_prime, dt):
    """Step of the reserve fraction D [1] at running speed ``speed`` [m/s].

    Above critical speed ``cs`` D falls linearly, ``dD/dt = -(v - CS)/D'``; below it it
    refills, ``dD/dt = (CS - v)(1 - D)/D'`` (the differential balance of Skiba et al.
    2015 [13], written for speed and distance). Exact for constant speed.

    Parameters
    ----------
    d : float
        Reserve fraction [1].
    speed, cs : float
        Running speed and critical speed [m/s] (0 while resting).
    d_prime : float
        Reserve D' [m]; <= 0 switches the reserve off (D stays 1).
    dt : float
        Step [s].

    Examples
    --------
    >>> reserve_step(1.0, 4.0, 3.5, 200.0, 100.0)
    0.75
    >>> round(reserve_step(0.5, 0.0, 3.5, 200.0, 200.0), 6)     # at rest: refills
    0.984901
    """
    if not (d_prime > 0.0) or not (dt > 0.0):
        return d
    if speed > cs:
        return max(d - (speed - cs) * dt / d_prime, 0.0)
    return 1.0 - (1.0 - d) * math.exp(-(cs - speed) * dt / d_prime)


@kernel
def heavy_strain(speed, onset, cs, gain, power):
    """Heavy-domain strain ``H = 1 + A max(0, (v - v_T)/(CS - v_T))^n`` [1].

    Parameters
    ----------
    speed : float
        Running speed v [m/s] (0 while resting).
    onset : float
        Speed v_T where the heavy domain begins (lactate threshold) [m/s].
    cs : float
        Critical speed [m/s]; ``cs <= onset`` switches the strain off (H = 1).
    gain, power : float
        A [1] (<= 0: off) and n [1].

    Examples
    --------
    >>> heavy_strain(3.0, 3.2, 3.44, 2.0, 1.5)                # below the threshold
    1.0
    >>> round(heavy_strain(3.44, 3.2, 3.44, 2.0, 1.5), 12)   # at critical speed: 1 + A
    3.0
    """
    if not (gain > 0.0) or not (cs > onset) or not (speed > onset):
        return 1.0
    return 1.0 + gain * ((speed - onset) / (cs - onset)) ** power


@kernel
def recruit(u, p_st, cap_st, cap_ft, onset):
    """Split a muscle target between the pools by the size principle.

    The ST pool alone carries the target up to ``onset * p_st * cap_ST`` (the fraction
    ``onset`` of its available force); above that, fast-twitch units are recruited too and
    the rest of the target is shared in proportion to each pool's remaining available
    force, so both pools reach their capacity together. ``onset = 1``: ST first to its
    full capacity, then FT; ``onset = 0``: both pools at the same relative activation.

    Parameters
    ----------
    u : float
        Muscle target, fraction of the fresh maximum force [1].
    p_st : float
        Slow-twitch fraction [1], in (0, 1]; 1 means a single pool.
    cap_st, cap_ft : float
        Current pool capacities [1].
    onset : float
        Fraction of the ST pool's available force used before FT recruitment [1].

    Returns
    -------
    tl_st, tl_ft : float
        Pool force targets, fractions of each pool's fresh maximum [1].

    Examples
    --------
    >>> recruit(0.3, 0.5, 1.0, 1.0, 1.0)
    (0.6, 0.0)
    >>> [round(x, 6) for x in recruit(0.6, 0.5, 0.8, 1.0, 1.0)]
    [0.8, 0.4]
    >>> [round(x, 6) for x in recruit(0.6, 0.5, 1.0, 1.0, 0.5)]   # FT joins above 0.25
    [0.733333, 0.466667]
    """
    if not (u > 0.0):
        return 0.0, 0.0
    u = min(u, 1.0)
    avail_st = p_st * cap_st
    if p_st >= 1.0:
        return min(u, avail_st) / p_st, 0.0
    avail_ft = (1.0 - p_st) * cap_ft
    first = min(max(onset, 0.0), 1.0) * avail_st
    if u <= first:
        return u / p_st, 0.0
    rest_st = avail_st - first
    room = rest_st + avail_ft
    extra = min(u, avail_st + avail_ft) - first
    if not (room > 0.0):
        return first / p_st, 0.0
    share_st = first + extra * rest_st / room
    share_ft = extra * avail_ft / room
    return share_st / p_st, max(share_ft, 0.0) / (1.0 - p_st)


@kernel
def muscle_capacity(state, prm):
    """Muscle capacity ``p_st*cap_ST + (1 - p_st)*cap_FT`` [1] of a state vector.

    Examples
    --------
    >>> from sim.fatigue import muscle_parameters
    >>> prm = muscle_parameters("general", 0.5)
    >>> s = fresh_state(); s[2] = 0.2; s[1] = 0.8
    >>> round(muscle_capacity(s, prm), 12)
    0.9
    """
    p = prm[P.p_st]
    g_min = prm[P.g_min_st]
    K = prm[P.K]
    cap = p * pool_capacity(state[X.MF_st], state[X.E_st], state[X.S_st], g_min, K)
    if p < 1.0:
        cap += (1.0 - p) * pool_capacity(state[X.MF_ft], state[X.E_ft], state[X.S_ft],
                                         prm[P.g_min_ft], K, state[X.reserve])
    return cap


@kernel
def muscle_step(state, u, prm, dt):
    """Advance a two-pool muscle by ``dt`` with muscle target ``u``, in place.

    Parameters
    ----------
    state : ndarray, shape (N_STATE,)
        Muscle state laid out as :data:`STATE`; overwritten.
    u : float
        Muscle target, fraction of the fresh maximum force [1].
    prm : ndarray, shape (N_PARAMS,)
        Parameters laid out as :data:`MUSCLE_PARAMS`. ``tau_isch_on <= 0`` selects the
        published 3CC-r rest rule (joint model); otherwise perfusion sets the rates.
    dt : float
        Step [s].

    Notes
    -----
    The split between the pools uses the capacities at the start of the step; the
    perfusion is the mean over the step of the exactly integrated ischaemia.

    Examples
    --------
    >>> from sim.fatigue import muscle_parameters
    >>> prm = muscle_parameters("general", 0.5)
    >>> s = fresh_state()
    >>> muscle_step(s, 0.3, prm, 5.0)
    >>> bool(s[0] > 0.5), float(s[4])     # ST pool active, FT pool idle
    (True, 0.0)
    """
    p = prm[P.p_st]
    r = prm[P.r]
    L = prm[P.gain]
    thr = prm[P.rest_threshold]
    g_min = prm[P.g_min_st]
    K = prm[P.K]
    perf = -1.0
    if prm[P.tau_isch_on] > 0.0:
        occ = occlusion(u, prm[P.u_free], prm[P.u_occ])
        isch, mean = ischaemia_step(state[X.isch], occ, prm[P.tau_isch_on], prm[P.tau_isch_off], dt)
        state[X.isch] = isch
        perf = 1.0 - mean
    cap_st = pool_capacity(state[X.MF_st], state[X.E_st], state[X.S_st], g_min, K)
    cap_ft = pool_capacity(state[X.MF_ft], state[X.E_ft], state[X.S_ft], prm[P.g_min_ft], K,
                           state[X.reserve])
    tl_st, tl_ft = recruit(u, p, cap_st, cap_ft, prm[P.ft_onset])
    a, b, c, d, e, z = pool_step(state[X.MA_st], state[X.MR_st], state[X.MF_st], state[X.E_st],
                                 state[X.S_st], state[X.Z_st], tl_st, prm[P.F_st], prm[P.R_st], r,
                                 L, thr, prm[P.drain_st], prm[P.refill], g_min, K, prm[P.drain_K],
                                 prm[P.slow_rate], prm[P.slow_recovery], prm[P.slow_delay], dt,
                                 perf, prm[P.kappa_st], 1.0, prm[P.fat_share], state[X.strain])
    state[X.MA_st] = a
    state[X.MR_st] = b
    state[X.MF_st] = c
    state[X.E_st] = d
    state[X.S_st] = e
    state[X.Z_st] = z
    if p < 1.0:
        a, b, c, d, e, z = pool_step(state[X.MA_ft], state[X.MR_ft], state[X.MF_ft], state[X.E_ft],
                                     state[X.S_ft], state[X.Z_ft], tl_ft, prm[P.F_ft], prm[P.R_ft],
                                     r, L, thr, prm[P.drain_ft], prm[P.refill], prm[P.g_min_ft], K,
                                     prm[P.drain_K], prm[P.slow_rate], prm[P.slow_recovery],
                                     prm[P.slow_delay], dt, perf, prm[P.kappa_ft],
                                     state[X.reserve], prm[P.fat_share], state[X.strain])
        state[X.MA_ft] = a
        state[X.MR_ft] = b
        state[X.MF_ft] = c
        state[X.E_ft] = d
        state[X.S_ft] = e
        state[X.Z_ft] = z


@njit(cache=True)
def simulate_states(targets, dt, prm, state0):
    """States after each step of a muscle-target series.

    Parameters
    ----------
    targets : ndarray, shape (n,)
        Muscle target [1]; ``targets[i]`` is held over ``[i*dt, (i+1)*dt)``.
    dt : float
        Step [s].
    prm : ndarray, shape (N_PARAMS,)
        Parameters (:data:`MUSCLE_PARAMS`).
    state0 : ndarray, shape (N_STATE,)
        Initial state (:data:`STATE`).

    Returns
    -------
    ndarray, shape (n + 1, N_STATE)
        Row 0 is ``state0``, row i the state at time ``i*dt``.

    Examples
    --------
    >>> import numpy as np
    >>> from sim.fatigue import muscle_parameters
    >>> prm = muscle_parameters("general", 0.5)
    >>> simulate_states(np.full(10, 0.3), 0.1, prm, fresh_state()).shape
    (11, 15)
    """
    n = targets.shape[0]
    out = np.empty((n + 1, state0.shape[0]))
    s = state0.copy()
    out[0] = s
    for i in range(n):
        muscle_step(s, targets[i], prm, dt)
        out[i + 1] = s
    return out


@njit(cache=True)
def endurance_times(targets, prm, t_max):
    """Endurance time [s] of sustained holds at each muscle target (inf if none).

    Starting fresh, the muscle holds ``u`` until its capacity first falls below ``u``;
    within the step where that happens, the crossing time is found by bisection on the
    length of the step. Steps grow with time (2 % of the elapsed time, at least
    0.01 s, at most 0.01/max(F) and 2 s); single-pool steps are exact, so only the
    coupling of the two pools (their split is updated once per step) depends on the
    step. Without an energy store a hold whose capacity stops changing above the
    target is sustainable.

    Parameters
    ----------
    targets : ndarray, shape (m,)
        Muscle targets [1], in (0, 1].
    prm : ndarray, shape (N_PARAMS,)
        Parameters (:data:`MUSCLE_PARAMS`).
    t_max : float
        Longest hold simulated [s]; ``inf`` is returned past it.

    Returns
    -------
    ndarray, shape (m,)

    Examples
    --------
    >>> import numpy as np
    >>> from sim.fatigue import muscle_parameters
    >>> prm = muscle_parameters("general", model="joint", energy=False)
    >>> [round(float(x), 1) for x in endurance_times(np.array([0.5, 0.05]), prm, 86400.0)]
    [108.5, inf]
    """
    p = prm[P.p_st]
    f_max = prm[P.F_st]
    if p < 1.0:
        f_max = max(f_max, prm[P.F_ft])
    h_max = min(2.0, 0.01 / f_max)
    no_energy = (prm[P.drain_st] == 0.0 and (prm[P.drain_ft] == 0.0 or p >= 1.0)
                 and prm[P.slow_rate] == 0.0)
    out = np.empty(targets.shape[0])
    s = np.empty(N_STATE)
    s_old = np.empty(N_STATE)
    trial = np.empty(N_STATE)
    for k in range(targets.shape[0]):
        u = targets[k]
        s[:] = (0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0)
        t = 0.0
        c0 = muscle_capacity(s, prm)
        et = np.inf
        while t < t_max:
            h = min(h_max, max(0.01, 0.02 * t))
            s_old[:] = s
            muscle_step(s, u, prm, h)
            c1 = muscle_capacity(s, prm)
            if c1 < u:
                lo, hi = 0.0, h        # capacity >= u after lo, < u after hi
                for _ in range(50):
                    mid = 0.5 * (lo + hi)
                    trial[:] = s_old
                    muscle_step(trial, u, prm, mid)
                    if muscle_capacity(trial, prm) < u:
                        hi = mid
                    else:
                        lo = mid
                et = t + hi
                break
            if no_energy and abs(c1 - c0) < 1e-13 * h and t > 10.0:
                break                 # steady state above the target: sustainable
            c0 = c1
            t += h
        out[k] = et
    return out
