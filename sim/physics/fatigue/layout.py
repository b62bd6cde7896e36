"""Layout of a muscle's parameter and state vectors, and the state of a rested muscle.

The fibre-pool kernels (:mod:`sim.physics.fatigue.pools`) take a muscle's parameters as one
float64 vector laid out as :data:`MUSCLE_PARAMS` and its state as one laid out as
:data:`STATE`. These two tuples are the only place the layouts are written down: :data:`P`
and :data:`X` name their positions, so that kernels read ``prm[P.drain_st]`` and
``state[X.E_st]`` rather than bare numbers. The pools' pairs are declared side by side, so
a pool index ``q`` (0 = ST, 1 = FT) offsets them; the assertions below hold that order.

Examples
--------
>>> P.K, X.reserve, N_PARAMS, N_STATE
(12, 11, 33, 16)
"""
from __future__ import annotations

import numpy as np

from ...jit import slots

__all__ = ["MUSCLE_PARAMS", "STATE", "N_STATE", "N_PARAMS", "P", "X", "fresh_state"]

#: Layout of a muscle's parameter vector (see :func:`sim.physics.fatigue.muscle_parameters`).
MUSCLE_PARAMS = ("p_st", "F_st", "R_st", "F_ft", "R_ft", "r", "gain", "rest_threshold",
                 "drain_st", "drain_ft", "refill", "g_min_st", "K",
                 "kappa_st", "kappa_ft", "tau_isch_on", "tau_isch_off", "u_free", "u_occ",
                 "drain_K", "slow_rate", "slow_recovery", "slow_delay", "g_min_ft",
                 "fat_share", "ft_onset", "work_tau", "work_half", "rest_share",
                 "rest_delay", "heavy_drain_exponent", "recovery_energy_share",
                 "wall_weight")
#: Layout of a muscle's state vector.
STATE = ("MA_st", "MR_st", "MF_st", "E_st", "MA_ft", "MR_ft", "MF_ft", "E_ft", "isch",
         "S_st", "S_ft", "reserve", "Z_st", "Z_ft", "strain", "work")
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
    full reserve, no heavy-domain strain (H = 1), no recent work (W = 0).

    Examples
    --------
    >>> fresh_state().tolist()
    [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0]
    """
    return np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0,
                     1.0, 0.0])
