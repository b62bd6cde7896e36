"""Compensations: how the body keeps running when muscles or joints fall short.

Each mechanism is a small kernel on floats; the engine calls them per phase sample.
Geometry and passive properties are in ``sim/data/body.toml`` (each with its source or
marked as an assumption).

Hip-flexor tightness → anterior pelvic tilt [1]_ [2]_
    Tight hip flexors remove ``tightness`` degrees of passive hip extension from the
    reference range ``rom``. The stride still needs its thigh extension, so the deficit
    ``max(0, needed − (rom − tightness))`` is taken by the pelvis: one degree of extra
    anterior pelvic tilt per degree of deficit, with the lumbar spine extending by the
    same amount so the trunk stays upright (defaults of this model). With the hip at the
    end of its range the hip flexors are taut; their passive moment rises exponentially
    as the hip nears the limit (assumption, order of [3]_).
Trunk lateral lean (hip abductor shortfall → lumbar)
    Leaning the trunk by θ [rad] over the stance hip moves the centre of mass of the
    head-arms-trunk sideways by about ``h θ``, shortening the lever of the vertical
    ground reaction force about the hip: the muscular hip abduction moment needed falls
    by ``F_v h_eff θ`` with ``h_eff`` = HAT mass fraction × HAT centre-of-mass height
    above the hip. Holding the leaned trunk costs the lumbar lateral benders a moment
    ``W_ub h_t θ`` toward the swing side, ``W_ub`` the load of the body above L5/S1.
    The lean is a variable of the load sharing with its own cost (an assumption).
Forward trunk lean (knee-extensor fatigue → hip and back) [5]_ [6]_
    Leaning the trunk forward by δ beyond the runner's fresh posture moves the
    head-arms-trunk centre of mass forward by ``h δ`` and the whole-body centre of mass
    by ``dx = h_eff sin δ``. The ground reaction is taken to act along the line from the
    centre of pressure to the centre of mass (spring-mass model [7]_), so at height ``z``
    its line moves forward by ``dx z / z_com``: in stance the hip-extension moment rises by
    ``F_v dx z_hip/z_com``, the knee-extension moment falls by ``F_v dx z_knee/z_com`` and
    the plantarflexion moment rises by ``F_v dx z_ankle/z_com`` (ratios in
    ``body.toml [forward_lean]``). The weight of the body above L5/S1 acts further forward
    of the disc: the lumbar extension moment rises by ``W_ub(t) d sin δ`` (``W_ub`` the
    upper body's dynamic load, ``d`` its centre of mass height above L5/S1). A share
    ``p`` of the lean is carried by anterior pelvic tilt (hip flexion), which steepens the
    disc by ``p δ`` and lowers the hip extension the stride needs by as much: a tight
    runner's deficit is taken first by that tilt, before the lumbar spine must extend.
Knee tracking (quadriceps fatigue → hip abduction demand)
    Fatigue increases stance hip adduction (Radzak & Stickley 2020 [4]_, qualitative).
    Modelled as a gain on the stance hip abduction demand, ``1 + k (1 − c_quad)``, with
    ``c_quad`` the quadriceps capacity (fraction of fresh); ``k`` is an assumption.

Not modelled: hamstring and calf flexibility, ankle mobility and shoes change the demand
curves in ways the reference data cannot separate; the model leaves them out and the
lessons say so.

References
----------
.. [1] Schache AG, Blanch PD, Murphy AT (2000) Relation of anterior pelvic tilt during
   running to clinical and kinematic measures of hip extension. Br J Sports Med 34:279.
.. [2] Franz JR, Paylo KW, Dicharry J, Riley PO, Kerrigan DC (2009) Changes in the
   coordination of hip and pelvis kinematics with mode of locomotion. Gait Posture 29:494.
.. [3] Riener R, Edrich T (1999) Identification of passive elastic joint moments in the
   lower extremities. J Biomech 32:539.
.. [4] Radzak KN, Stickley CD (2020) Fatigue-induced hip-abductor weakness and changes in
   biomechanical risk factors for running-related injuries. J Athl Train 55(12):1270.
.. [5] Teng HL, Powers CM (2014) Sagittal plane trunk posture influences patellofemoral
   joint stress during running. J Orthop Sports Phys Ther 44(10):785-792.
.. [6] Teng HL, Powers CM (2015) Influence of trunk posture on lower extremity energetics
   during running. Med Sci Sports Exerc 47(3):625-630.
.. [7] Blickhan R (1989) The spring-mass model for running and hopping. J Biomech
   22(11-12):1217-1227.

Examples
--------
>>> tilt_deficit_deg(11.0, 12.0, 0.0), tilt_deficit_deg(11.0, 12.0, 10.0)
(0.0, 9.0)
>>> round(effective_tightness_deg(600.0, 15.0, 6.0, 1200.0), 3)   # half faded
12.0
>>> knee_tracking_gain(0.8, 0.3)
1.06
>>> d = forward_lean_moments(0.1, 2.5, 2.5, 735.75, 0.2237, 0.96, 0.52, 0.07, 0.536, 0.25)
>>> [round(x, 2) for x in d]        # hip flexion, knee ext., plantarflexion, lumbar ext. [N m]
[-39.5, -21.4, 2.88, 24.65]
"""
from __future__ import annotations

import math

from ..jit import kernel

__all__ = ["effective_tightness_deg", "tilt_deficit_deg", "passive_hip_flexor_moment",
           "lean_lever_hip", "knee_tracking_gain", "forward_lean_moments"]


@kernel
def effective_tightness_deg(t_s, tightness_deg, stretch_deg, fade_s):
    """Hip-flexor tightness left after stretching [deg].

    Parameters
    ----------
    t_s : float
        Run time [s].
    tightness_deg : float
        Passive hip extension lost to tight hip flexors [deg].
    stretch_deg : float
        Tightness removed by stretching at ``t = 0`` [deg].
    fade_s : float
        Time over which the stretch effect fades linearly to nothing [s]; 0 = lasts.
    """
    remaining = 1.0
    if fade_s > 0.0:
        remaining = max(0.0, 1.0 - t_s / fade_s)
    return max(0.0, tightness_deg - stretch_deg * remaining)


@kernel
def tilt_deficit_deg(hip_extension_needed_deg, rom_deg, tightness_deg):
    """Hip extension the hip cannot give, taken as extra anterior pelvic tilt [deg].

    Parameters
    ----------
    hip_extension_needed_deg : float
        Thigh extension the stride needs at this phase [deg], positive = extension.
    rom_deg : float
        Hip extension range of the flexible reference runner [deg].
    tightness_deg : float
        Passive hip extension lost [deg].
    """
    return max(0.0, hip_extension_needed_deg - (rom_deg - tightness_deg))


@kernel
def passive_hip_flexor_moment(hip_extension_needed_deg, limit_deg, moment_at_limit, angle_constant_deg):
    """Passive hip flexion moment of the hip flexors [N·m].

    The hip reaches ``min(needed, limit)``; the moment is ``moment_at_limit`` [N·m] at the
    limit and falls e-fold per ``angle_constant_deg`` before it (the exponential shape of
    identified passive hip moments [3]_; constants in ``sim/data/muscles.toml``).
    """
    reached = min(hip_extension_needed_deg, limit_deg)
    return moment_at_limit * math.exp((reached - limit_deg) / angle_constant_deg)


@kernel
def lean_lever_hip(hat_mass_fraction, hat_com_above_hip_m):
    """Effective lever ``h_eff`` [m/rad]: hip abduction moment saved per N of vertical GRF per rad."""
    return hat_mass_fraction * hat_com_above_hip_m


@kernel
def knee_tracking_gain(quad_capacity, gain):
    """Multiplier on the stance hip abduction demand for quadriceps capacity ``quad_capacity``."""
    return 1.0 + gain * max(0.0, 1.0 - quad_capacity)


@kernel
def forward_lean_moments(sin_lean, grf_r_bw, grf_tot_bw, weight_N, lever_m, z_hip, z_knee,
                         z_ankle, upper_fraction, trunk_lever_m):
    """Change of the demanded net moments [N·m] when the trunk leans forward.

    Parameters
    ----------
    sin_lean : float
        Sine of the forward lean beyond the fresh posture (positive forward).
    grf_r_bw, grf_tot_bw : float
        Vertical ground reaction of the right foot and of both feet [body weights].
    weight_N : float
        Body weight [N].
    lever_m : float
        ``h_eff`` [m]: HAT mass fraction × HAT centre of mass height above the hip.
    z_hip, z_knee, z_ankle : float
        Joint height over centre of mass height [1] (where the ground reaction line moves).
    upper_fraction : float
        Mass fraction above L5/S1 [1].
    trunk_lever_m : float
        Its centre of mass height above L5/S1 [m].

    Returns
    -------
    d_hip_flexion, d_knee_extension, d_plantarflexion, d_lumbar_extension : float
        Added to the demand in the DOF sign convention of :data:`sim.physics.gait.DOFS`.
    """
    dx = lever_m * sin_lean
    f_r = grf_r_bw * weight_N
    return (-f_r * dx * z_hip, -f_r * dx * z_knee, f_r * dx * z_ankle,
            grf_tot_bw * weight_N * upper_fraction * trunk_lever_m * sin_lean)
