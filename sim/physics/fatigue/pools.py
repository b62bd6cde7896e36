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
      as in the published 3CC-r; the rule is continuous in activation (no threshold).
      Optionally a share rho (``recovery_energy_share``, default 0) of the boost needs the
      same aerobic supply h(E) as the protection below:
      ``R* = R (1 + (r - 1) P (1 - rho + rho h(E)))`` (:func:`recovery_gate`);
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
    ``dZ/dt = k_S MA - r_S Z``: every contraction adds to a slowly recovering load Z (time
    constant about a day), and the force depression S follows the expressed share x Z
    with a lag. Repeated contractions leave a depression of force that recovers over
    hours to days (Edwards et al. 1977 [10]; Allen, Lamb & Westerblad 2008 [11]); in long
    runs the loss of strength appears late (after 4 h of a 5-h run, Place et al. 2004
    [14]; only in the last 5 km of 20 km, Ross et al. 2009) and is partly central. The lag
    ``tau_S`` while S rises gives that delayed, accelerating shape; its size is an
    assumption. After a run most of the loss goes within hours and the rest within a day
    or more: low-frequency calf force lost in 1-2 h of running recovered within about
    2 h (Davies & White 1982, J Appl Physiol 53:236), the stretch-shortening-cycle fatigue
    of running recovers quickly in 1-2 h and then dips again over two days (Nicol, Avela
    & Komi 2006, Sports Med 36:977), dorsiflexor strength was still reduced 4 h after a
    marathon and back at 24 h (Ross et al. 2007, Exp Physiol 92:417). So the depression
    depends on the muscle's recent work W (its force target filtered over ``tau_W``)
    through the work gate ``a = W^2 / (W^2 + w_half^2)`` (1 while the muscle works, 0 at
    rest): the expressed share is ``x = gamma + (1 - gamma) a``; S rises as
    ``a (x Z - S) / tau_S``, so it develops only while the muscle works, and falls as
    ``(x Z - S) / tau_rest`` (:func:`work_gate`, :func:`work_step`, :func:`slow_step`).
    The gate saturates in running (W is many times ``w_half``), so a stride-resolved run
    and a block of stride-averaged rates give the same gate. Each step is exact for
    constant MA and a (a linear 2 x 2 system,
    :func:`sim.physics.fatigue.threecc.solve_affine2`).

Anaerobic reserve (critical speed)
    Above critical speed CS a runner draws on a finite reserve D' [12, 13]. It lives in
    the FT pools: their force per active fibre is multiplied by the reserve's force factor
    D, which falls linearly as D' is spent, from 1 to a floor reached when D' is gone
    (:func:`reserve_step`; the run kernel copies D into every muscle's ``reserve`` slot).
    The floor is not zero: the maximal power a runner can still produce falls with the
    reserve spent to critical power (Morton 1996, Ergonomics 39:611), and at task failure
    above critical power about half the fresh maximal power remains (Swisher et al. 2019,
    Med Sci Sports Exerc 51:1720); it is fitted with the heavy domain on the
    speed-duration anchors (:mod:`sim.calibration.running`). Above critical speed task
    failure coincides with the reserve's depletion [12]: a run ends when D' is spent
    (:func:`reserve_spent_at`), unless the muscles could not make the stride before.

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

This module describes the model and gathers its kernels, which live by concept in:

* :mod:`sim.physics.fatigue.layout`: the parameter and state layouts (:data:`P`,
  :data:`X`) and the rested state;
* :mod:`sim.physics.fatigue.energy_store`: glycogen store, slow force depression, force
  factor and pool capacity;
* :mod:`sim.physics.fatigue.perfusion`: occlusion, ischaemia and a stride's perfusion;
* :mod:`sim.physics.fatigue.recruitment`: recruitment between the pools, the anaerobic
  reserve and the heavy-domain strain;
* :mod:`sim.physics.fatigue.steps`: the pool and muscle steps, the stride-averaged block
  step and the simulators (state histories, endurance times).

Every name is importable from here as before.

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

from .energy_store import (energy_factor, energy_step, force_factor, pool_capacity,
                           recovery_gate, slow_step, work_gate, work_step, work_update)
from .layout import MUSCLE_PARAMS, N_PARAMS, N_STATE, P, STATE, X, fresh_state
from .perfusion import ischaemia_step, occlusion, stride_perfusion, stride_perfusion_muscles
from .recruitment import (critical_speed_factor, heavy_strain, recruit, reserve_spent_at,
                          reserve_step)
from .steps import (_activation_target, endurance_times, muscle_capacity,  # noqa: F401
                    muscle_step, pool_block_step, pool_step, simulate_states)

__all__ = [
    "MUSCLE_PARAMS", "STATE", "N_STATE", "N_PARAMS", "P", "X", "energy_factor", "energy_step",
    "recovery_gate", "critical_speed_factor",
    "force_factor", "occlusion", "ischaemia_step", "slow_step", "stride_perfusion",
    "stride_perfusion_muscles",
    "pool_capacity", "pool_step", "pool_block_step", "recruit", "muscle_capacity",
    "muscle_step", "simulate_states", "endurance_times", "fresh_state", "reserve_step",
    "reserve_spent_at",
    "heavy_strain", "work_step", "work_gate", "work_update",
]
