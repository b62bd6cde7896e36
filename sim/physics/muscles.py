"""Muscle set: forces, moment arms, fibre types and lines of action as arrays.

The muscle parameters live in ``sim/data/muscles.toml`` (every number with its unit and
source, see :mod:`sim.physics.params`). This module turns them into a frozen structure of arrays
for the kernels (:func:`muscle_set`), scales them to a runner's body mass, and maps the
muscles onto the columns of the load-sharing problem (:func:`sharing_columns`): lumbar
and abdominal muscles act on both sides of the spine, so each appears twice, as the
right muscle and as its mirror image on the left. The columns and the mappings between
muscles and columns live in :mod:`sim.physics.muscle_columns`; this module re-exports
them.

Degrees of freedom (shared with the gait demand, :data:`DOFS`): hip flexion, hip
abduction, knee extension, ankle plantarflexion (right leg), lumbar extension and
lumbar lateral bending (positive toward the right). A moment arm is positive when the
muscle's tension produces a moment in the named direction.

Bilateral symmetry: the model follows one stride of the right leg. The left muscle of a
pair at stride phase ``phi`` is in the state of the right muscle at ``phi + 0.5``, so
one fatigue state per pair suffices; :func:`column_capacities` applies that shift when
it builds the capacities of the left columns.

References
----------
.. [1] Rajagopal A, Dembia CL, DeMers MS, Delp DD, Hicks JL, Delp SL (2016) Full-body
   musculoskeletal model for muscle-driven simulation of human gait. IEEE Trans Biomed
   Eng 63(10):2068-2079.
.. [2] Christophy M, Faruk Senan NA, Lotz JC, O'Reilly OM (2012) A musculoskeletal
   model for the lumbar spine. Biomech Model Mechanobiol 11:19-34.
.. [3] Bogduk N, Macintosh JE, Pearcy MJ (1992) A universal model of the lumbar back
   muscles in the upright position. Spine 17(8):897-913.
.. [4] Jaric S (2002) Muscle strength testing: use of normalisation for body size.
   Sports Med 32(10):615-631.

Examples
--------
>>> ms = muscle_set(75.0)
>>> ms.n_muscles, ms.A.shape
(18, (6, 18))
>>> cols = sharing_columns(ms)
>>> cols.n_columns                      # 6 paired trunk muscles appear twice
24
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from . import params
from .gait import DOFS as GAIT_DOFS
from .muscle_columns import (SIDE_LEFT, SIDE_RIGHT, SharingColumns, _BENDING,  # noqa: F401
                             _half_cycle, _readonly, column_capacities, column_capacities_into,
                             column_forces_to_muscles, column_forces_to_muscles_into,
                             sharing_columns)

__all__ = [
    "DOFS",
    "FATIGUE_CLASSES",
    "SIDE_RIGHT",
    "SIDE_LEFT",
    "MuscleSet",
    "SharingColumns",
    "muscle_set",
    "sharing_columns",
    "column_capacities",
    "column_forces_to_muscles",
]

#: Degrees of freedom of the load sharing, in the row order of the moment-arm matrix
#: (the demand's DOFs, :data:`sim.physics.gait.DOFS`).
DOFS = GAIT_DOFS
#: Joint classes of Frey-Law et al. 2012 used by the muscle set (index order).
FATIGUE_CLASSES = ("general", "knee", "ankle", "trunk")

_DATA = "muscles"


@dataclass(frozen=True, eq=False)
class MuscleSet:
    """The muscle set as a structure of arrays (one entry per muscle, file order).

    Attributes
    ----------
    names : tuple of str
        Muscle names (snake_case, as in ``muscles.toml``).
    group : tuple of str
        Functional group of each muscle (e.g. ``"hip_abductors"``).
    groups : Mapping[str, tuple of str]
        Group name to the names of its muscles.
    depth : tuple of str
        ``"deep"`` or ``"superficial"``.
    F0 : ndarray, shape (n,)
        Maximum isometric force of one muscle [N], scaled to ``mass_kg``.
    A : ndarray, shape (n_dof, n)
        Moment arms [m] in the :data:`DOFS` convention (right-side muscle), scaled.
    p_st : ndarray, shape (n,)
        Slow-twitch (type I) fibre fraction [1].
    fatigue_class : tuple of str
        Frey-Law 2012 joint class of each muscle (one of :data:`FATIGUE_CLASSES`).
    fatigue_class_index : ndarray of int64, shape (n,)
        Index of ``fatigue_class`` in :data:`FATIGUE_CLASSES`.
    paired : ndarray of bool, shape (n,)
        True for lumbar and abdominal muscles, which act on both sides.
    shear_per_N, compression_per_N : ndarray, shape (n,)
        Anterior shear and compression at L5/S1 per N of tension [1] (0 for leg muscles
        that do not reach the spine).
    effort_scale : ndarray, shape (n,)
        ``sqrt(Σ p_k²) / Σ p_k`` over the anatomical muscles ``p_k`` an entry lumps
        (``effort_parts``; 1 for one muscle). The load sharing normalises an entry's effort
        by ``effort_scale × capacity``: with its force split among its muscles in the way
        that minimises their summed effort, the lumped effort ``(f / (ρ C))²`` equals
        ``Σ (f_k / C_k)²``, so results do not depend on how muscles are lumped.
    mass_kg : float
        Body mass the forces are scaled to [kg].
    force_scale, moment_arm_scale : float
        Factors applied to the reference-model F0 and moment arms.
    dofs : tuple of str
        Row names of ``A`` (:data:`DOFS`).
    """

    names: tuple
    group: tuple
    groups: Mapping
    depth: tuple
    F0: np.ndarray
    A: np.ndarray
    p_st: np.ndarray
    fatigue_class: tuple
    fatigue_class_index: np.ndarray
    paired: np.ndarray
    shear_per_N: np.ndarray
    compression_per_N: np.ndarray
    effort_scale: np.ndarray
    mass_kg: float
    force_scale: float
    moment_arm_scale: float
    dofs: tuple = DOFS

    @property
    def n_muscles(self) -> int:
        """Number of muscles."""
        return len(self.names)

    @property
    def deep(self) -> np.ndarray:
        """Boolean mask of the deep muscles.

        Examples
        --------
        >>> ms = muscle_set()
        >>> deep = ms.deep
        >>> bool(deep[ms.index("erector_spinae_deep")]), bool(deep[ms.index("erector_spinae_superficial")])
        (True, False)
        """
        return np.array([d == "deep" for d in self.depth])

    def index(self, name: str) -> int:
        """Position of muscle ``name`` in the arrays.

        Examples
        --------
        >>> muscle_set().index("gluteus_medius")
        0
        """
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"unknown muscle {name!r}; known: {', '.join(self.names)}") from None

    def moment_capacity(self) -> tuple[np.ndarray, np.ndarray]:
        """Largest moments the fresh muscles can make about each DOF, one DOF at a time.

        Sums ``F0 * r`` over the muscles whose arm ``r`` points in the given direction,
        counting paired muscles on both sides (the left side with mirrored bending arm).

        Returns
        -------
        positive, negative : ndarray, shape (n_dof,)
            Capacity in the positive direction [N m] (>= 0) and in the negative
            direction [N m] (<= 0).

        Examples
        --------
        >>> pos, neg = muscle_set(75.44).moment_capacity()
        >>> round(pos[DOFS.index("hip_abduction")])        # sum of F0 * r of the abductors
        192
        """
        cols = sharing_columns(self)
        contrib = cols.A * cols.F0[None, :]
        return np.clip(contrib, 0.0, None).sum(axis=1), np.clip(contrib, None, 0.0).sum(axis=1)


def _trunk_force_scale(p, names, group, F0, A, paired) -> np.ndarray:
    """Per-muscle factor that gives the trunk extensors their measured strength.

    The muscles of the ``[trunk_strength]`` groups are scaled by one factor so that their
    bilateral lumbar extension capacity (``sum F0 r``, both sides of paired muscles) at
    the reference mass equals ``target_extension_moment``.
    """
    ts = p["trunk_strength"]
    members = np.array([g in ts["groups"] for g in group])
    arm = np.clip(A[DOFS.index("lumbar_extension")], 0.0, None)
    sides = np.where(paired, 2.0, 1.0)
    capacity = float(np.sum((F0 * arm * sides)[members]))
    if not capacity > 0.0:
        raise params.ParameterError("muscles.toml: [trunk_strength] groups have no lumbar "
                                    "extension capacity to scale")
    return np.where(members, ts["target_extension_moment"] / capacity, 1.0)


def muscle_set(mass_kg: float = 75.0) -> MuscleSet:
    """Load the muscle set and scale it to a body mass.

    Forces scale as ``(mass / m_ref)**(2/3)`` and moment arms as
    ``(mass / m_ref)**(1/3)`` (geometric similarity [4]_), so joint-moment capacity is
    proportional to mass, as are the net joint moments of running. ``m_ref`` is the
    mass of the reference model (75.44 kg, [1]_). Exponents and reference mass are
    parameters in ``muscles.toml`` (``[scaling]``).

    Parameters
    ----------
    mass_kg : float, default 75.0
        Runner's body mass [kg], > 0.

    Returns
    -------
    MuscleSet

    References
    ----------
    .. [1] Rajagopal et al. (2016) IEEE Trans Biomed Eng 63(10):2068-2079.
    .. [4] Jaric S (2002) Sports Med 32(10):615-631.

    Examples
    --------
    >>> ms = muscle_set(60.0)
    >>> ms.names[:3]
    ('gluteus_medius', 'gluteus_minimus', 'tensor_fasciae_latae')
    >>> round(float(ms.F0[0]))              # gluteus medius of a 60 kg runner [N]
    2343
    """
    mass_kg = float(mass_kg)
    if not (math.isfinite(mass_kg) and mass_kg > 0.0):
        raise ValueError(f"mass_kg = {mass_kg!r}: body mass must be a positive number of kg")
    p = params.load(_DATA)
    sc = p["scaling"]
    ratio = mass_kg / sc["reference_mass"]
    force_scale = ratio ** sc["force_exponent"]
    arm_scale = ratio ** sc["moment_arm_exponent"]

    table = p["muscle"]
    names = tuple(table)
    n = len(names)
    F0 = np.empty(n)
    A = np.zeros((len(DOFS), n))
    p_st = np.empty(n)
    shear = np.zeros(n)
    comp = np.zeros(n)
    rho = np.ones(n)
    paired = np.zeros(n, dtype=np.bool_)
    cls_idx = np.empty(n, dtype=np.int64)
    group, depth, fclass = [], [], []
    for j, name in enumerate(names):
        mu = table[name]
        F0[j] = mu["F0"]
        p_st[j] = mu["p_st"]
        for dof, arm in mu["moment_arm"].items():
            if dof not in DOFS:
                raise params.ParameterError(f"muscles.toml: muscle.{name}.moment_arm.{dof}: unknown DOF; "
                                            f"expected one of {DOFS}")
            A[DOFS.index(dof), j] = arm
        shear[j] = mu.get("shear_per_N", 0.0)
        comp[j] = mu.get("compression_per_N", 0.0)
        if "effort_parts" in mu:
            parts = np.asarray(mu["effort_parts"], dtype=float)
            if abs(parts.sum() - mu["F0"]) > 1e-6 * mu["F0"]:
                raise params.ParameterError(f"muscles.toml: muscle.{name}.effort_parts sum to "
                                            f"{parts.sum():g} N, not F0 = {mu['F0']:g} N")
            rho[j] = math.sqrt(float(np.sum(parts ** 2))) / float(parts.sum())
        paired[j] = bool(mu["side_paired"])
        if mu["fatigue_class"] not in FATIGUE_CLASSES:
            raise params.ParameterError(f"muscles.toml: muscle.{name}.fatigue_class = "
                                        f"{mu['fatigue_class']!r}; expected one of {FATIGUE_CLASSES}")
        if mu["depth"] not in ("deep", "superficial"):
            raise params.ParameterError(f"muscles.toml: muscle.{name}.depth = {mu['depth']!r}; "
                                        "expected 'deep' or 'superficial'")
        cls_idx[j] = FATIGUE_CLASSES.index(mu["fatigue_class"])
        group.append(mu["group"])
        depth.append(mu["depth"])
        fclass.append(mu["fatigue_class"])
    groups: dict[str, tuple] = {}
    for name, g in zip(names, group):
        groups[g] = groups.get(g, ()) + (name,)
    F0 = F0 * _trunk_force_scale(p, names, group, F0, A, paired)
    return MuscleSet(
        names=names,
        group=tuple(group),
        groups=MappingProxyType(groups),
        depth=tuple(depth),
        F0=_readonly(F0 * force_scale),
        A=_readonly(A * arm_scale),
        p_st=_readonly(p_st),
        fatigue_class=tuple(fclass),
        fatigue_class_index=_readonly(cls_idx),
        paired=_readonly(paired),
        shear_per_N=_readonly(shear),
        compression_per_N=_readonly(comp),
        effort_scale=_readonly(rho),
        mass_kg=mass_kg,
        force_scale=float(force_scale),
        moment_arm_scale=float(arm_scale),
    )
