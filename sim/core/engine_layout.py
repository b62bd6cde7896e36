"""The run kernel's declarations: the scalar vector's layout and the named bundles.

:func:`sim.core.engine.run_kernel` takes every parameter as an argument. Its scalar
parameters travel as one float64 vector laid out as :data:`SCALARS` (kept in one place:
:mod:`sim.core.scenario` fills it, kernels read it by name through :data:`S`), its arrays
as the named tuples :class:`Templates`, :class:`MuscleSet`, :class:`Plan` and
:class:`Outputs`. :data:`DOF` names the rows of the demand, :data:`STAGES` the pace
policies' stages.

Examples
--------
>>> SCALARS[S.mass_kg], S.mass_kg
('mass_kg', 0)
>>> STAGES[2]
'stretching'
"""
from __future__ import annotations

from collections import namedtuple

from ..jit import slots
from ..physics.gait import DOFS

__all__ = ["SCALARS", "S", "DOF", "STAGES", "Templates", "MuscleSet", "Plan", "Outputs"]

#: Layout of the scalar parameter vector of :func:`sim.core.engine.run_kernel`.
SCALARS = (
    "mass_kg", "duration_s", "block_s", "mode", "rom_deg", "tightness_deg",
    "stretch_deg", "stretch_fade_s", "in_run_stretch_deg", "policy", "jog_speed_mps",
    "wait_s", "stretch_s", "rest_s", "lean_cost", "knee_gain", "shear_threshold_bw",
    "superficial_threshold", "hold_s", "spike_index", "upper_fraction", "g",
    "lean_lever_hip_m", "trunk_com_above_l5s1_m", "disc_inclination_rad",
    "passive_moment_at_limit_Nm", "passive_angle_constant_deg", "psoas_tension_per_Nm",
    "psoas_compression_per_N", "psoas_shear_per_N", "psoas_lumbar_arm_m", "max_lean_rad",
    "max_block_s", "block_tolerance", "reuse_tolerance", "exhaustion_hold_s",
    "critical_speed_mps", "d_prime_m", "reserve_floor", "heavy_onset_mps", "heavy_gain",
    "heavy_power", "cs_glycogen_share",
    "fwd_lean_on", "fwd_lean_cost", "pelvis_share", "grf_z_hip", "grf_z_knee", "grf_z_ankle",
    "max_fwd_lean_rad", "fwd_lean_curvature", "fwd_lean_jump_rad", "probe_settle_rad",
    "max_probes", "lateral_lean_on", "fwd_lean_cost_fresh", "anchor_flexible",
    "lean_home_rad",
    "lean_settle_rad", "index_tolerance", "rescue_step_rad", "rescue_on", "search_guess_on",
    "lean_drift_gain", "lean_drift_search",
)

#: The run kernel's inputs and outputs travel as named bundles (numba types them as named
#: tuples): the demand templates, one per template speed (first axis) ...
Templates = namedtuple("Templates", ("speed", "m", "grf_r", "grf_tot", "hipext", "stance",
                                     "stride_s"))
#: ... the muscle set and its load-sharing columns ...
MuscleSet = namedtuple("MuscleSet", ("F0", "prm", "quad_w", "sup_col", "sup_F0", "A",
                                     "col_muscle", "col_side", "col_comp", "col_shear",
                                     "col_rho"))
#: ... the pace plan and rest breaks ...
Plan = namedtuple("Plan", ("seg_end", "seg_speed", "brk_start", "brk_end"))
#: ... and the checkpoint outputs (first axis the checkpoint; :mod:`sim.core.run_loop`).
Outputs = namedtuple("Outputs", ("store_at", "time", "dt", "speed", "stage", "cap", "pcap",
                                 "energy", "fpeak", "fmean", "comp", "shear", "sup", "lean",
                                 "tilt", "flex", "infeas", "strides", "resid", "sforce",
                                 "sdemand", "slean", "sshear", "exh", "work"))

#: Named positions of the scalar vector: kernels read ``sc[S.mass_kg]``.
S = slots("Scalars", SCALARS)

#: Rows of the demand (:data:`sim.physics.gait.DOFS`) by name.
DOF = {name: k for k, name in enumerate(DOFS)}

#: Stages of the pace policies.
STAGES = ("plan", "slowed", "stretching", "jog_after_stretch", "lying_rest", "jog_final")

_HIP_FLEX, _HIP_ABD = DOF["hip_flexion"], DOF["hip_abduction"]
_KNEE_EXT, _ANKLE_PF = DOF["knee_extension"], DOF["ankle_plantarflexion"]
_LUMB_EXT, _LUMB_BEND = DOF["lumbar_extension"], DOF["lumbar_bending"]
