"""What the gait demand returns: the degrees of freedom and the two result types.

:class:`GaitDemand` holds the demand of one stride (joint moments per kg on :data:`DOFS`,
vertical ground reaction force, hip extension, stance mask and timing) as
:func:`sim.physics.gait.demand` returns it; :class:`ReferenceCurves` holds one raw
reference trial as :func:`sim.physics.gait.reference_curves` returns it. The sign
convention of each DOF is set out in :mod:`sim.physics.gait`. Arrays are made read-only
(:func:`_read_only`) before they are handed out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DOFS", "N_DOF", "GaitDemand", "ReferenceCurves"]

#: Degrees of freedom of the demand, in column order of ``moments_Nm_per_kg``. Each
#: moment is positive in the named direction (see :mod:`sim.physics.gait`).
DOFS = (
    "hip_flexion",
    "hip_abduction",
    "knee_extension",
    "ankle_plantarflexion",
    "lumbar_extension",
    "lumbar_bending",
)
N_DOF = len(DOFS)
_HIP = DOFS.index("hip_flexion")
_HIP_ABD = DOFS.index("hip_abduction")
_KNEE = DOFS.index("knee_extension")
#: The lumbar DOFs (extension, lateral bending).
_LUMBAR = [DOFS.index("lumbar_extension"), DOFS.index("lumbar_bending")]


def _read_only(a):
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class GaitDemand:
    """Demand of one stride at one speed and step rate (returned by :func:`demand`).

    All arrays are read-only and sampled at ``phase``.

    Attributes
    ----------
    phase : ndarray, shape (n_phase,)
        Phase of the right gait cycle, ``i / n_phase`` in [0, 1); 0 = right heel strike [-].
    moments_Nm_per_kg : ndarray, shape (n_phase, n_dof)
        Net internal joint moments per kg body mass, columns in ``dofs`` order, each
        positive in the direction its DOF names [N·m/kg].
    dofs : tuple of str
        DOF names (:data:`DOFS`).
    grf_vertical_bw : ndarray, shape (n_phase,)
        Right-foot vertical ground reaction force, zero in swing [body weights].
    hip_extension_deg : ndarray, shape (n_phase,)
        Right hip extension angle, minus the flexion angle; positive = extension [deg].
    stance : ndarray of bool, shape (n_phase,)
        True while the right foot is on the ground (``phase < stance_fraction``).
    stance_fraction : float
        Right-foot stance as a fraction of the stride; toe-off phase [-].
    stride_time_s : float
        Duration of one stride (two steps) [s].
    cadence_spm : float
        Step rate [steps/min].
    speed_mps : float
        Running speed [m/s].
    step_rate_scale : float
        Step rate relative to the natural one at this speed [-].
    smoothed_or_capped : ndarray of bool, shape (n_phase, n_dof)
        True where the curve was changed beyond Fourier smoothing: the cycle-closure
        ramp before heel strike (all DOFs) and the toe-off window of the hip abduction
        cap. Outside these phases the demand at a reference speed reproduces the raw
        reference curve to within 0.05 N·m/kg RMS.

    Examples
    --------
    >>> from sim.physics.gait import demand
    >>> d = demand(4.0, n_phase=100)
    >>> bool(d.moment("knee_extension")[d.stance].max() > 2.5)
    True
    >>> float(d.grf_vertical_bw[~d.stance].max())
    0.0
    """

    phase: np.ndarray
    moments_Nm_per_kg: np.ndarray
    dofs: tuple
    grf_vertical_bw: np.ndarray
    hip_extension_deg: np.ndarray
    stance: np.ndarray
    stance_fraction: float
    stride_time_s: float
    cadence_spm: float
    speed_mps: float
    step_rate_scale: float
    smoothed_or_capped: np.ndarray

    @property
    def n_phase(self) -> int:
        """Number of phase samples."""
        return self.phase.shape[0]

    @property
    def hip_extension_needed_deg(self) -> np.ndarray:
        """Hip extension the stride needs, ``max(0, hip_extension_deg)`` [deg].

        Examples
        --------
        >>> from sim.physics.gait import demand
        >>> d = demand(3.0)
        >>> 10.0 < float(d.hip_extension_needed_deg.max()) < 12.0
        True
        """
        return np.maximum(self.hip_extension_deg, 0.0)

    def moment(self, dof: str) -> np.ndarray:
        """Moment curve of one DOF [N·m/kg].

        Parameters
        ----------
        dof : str
            One of :data:`DOFS`.

        Returns
        -------
        ndarray, shape (n_phase,)

        Examples
        --------
        >>> from sim.physics.gait import demand
        >>> d = demand(3.0)
        >>> round(float(d.moment("ankle_plantarflexion").max()), 1)
        2.8
        """
        try:
            j = self.dofs.index(dof)
        except ValueError:
            raise ValueError(f"unknown DOF {dof!r}; expected one of "
                             f"{', '.join(self.dofs)}") from None
        return self.moments_Nm_per_kg[:, j]


@dataclass(frozen=True, eq=False)
class ReferenceCurves:
    """Raw reference curves of one trial (returned by :func:`reference_curves`).

    Not smoothed, capped or closed; only converted to the DOF sign convention. Arrays
    are read-only.

    Attributes
    ----------
    speed_mps : float
        Trial speed [m/s].
    phase : ndarray, shape (101,)
        0, 0.01, ..., 1.0; the last row is the next right heel strike [-].
    moments_Nm_per_kg : ndarray, shape (101, n_dof)
        Net internal moments in the :data:`DOFS` convention [N·m/kg].
    dofs : tuple of str
        DOF names.
    grf_vertical_bw : ndarray, shape (101,)
        Right-foot vertical ground reaction force [body weights].
    hip_extension_deg : ndarray, shape (101,)
        Minus the hip flexion angle [deg].
    stance_fraction : float
        Toe-off phase of the trial [-].
    stride_time_s : float
        Stride time of the trial [s].
    cycles_averaged : int
        Number of gait cycles averaged in the file.

    Examples
    --------
    >>> from sim.physics.gait import reference_curves
    >>> r = reference_curves(2.0)
    >>> r.moments_Nm_per_kg.shape, r.cycles_averaged
    ((101, 6), 1)
    """

    speed_mps: float
    phase: np.ndarray
    moments_Nm_per_kg: np.ndarray
    dofs: tuple
    grf_vertical_bw: np.ndarray
    hip_extension_deg: np.ndarray
    stance_fraction: float
    stride_time_s: float
    cycles_averaged: int
