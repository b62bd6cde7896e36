"""The muscles as columns of the load-sharing problem, and values mapped to and from them.

Lumbar and abdominal muscles act on both sides of the spine, so in the load sharing each
appears twice: as the right muscle and as its mirror image on the left (the
``lumbar_bending`` arm changes sign). :func:`sharing_columns` lays a
:class:`sim.physics.muscles.MuscleSet` out as these columns (:class:`SharingColumns`).

The model follows one stride of the right leg; the left muscle of a pair at stride phase
``phi`` is in the state of the right muscle at ``phi + 0.5``. :func:`column_capacities`
maps per-muscle values over a stride onto the columns with that shift, and
:func:`column_forces_to_muscles` folds column forces back onto one value per muscle
(numba kernels ``column_capacities_into`` and ``column_forces_to_muscles_into`` do the
work in place).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .gait import DOFS
from ..jit import kernel

#: Column side codes: right (and all unpaired leg muscles) and left.
SIDE_RIGHT = 0
SIDE_LEFT = 1

_BENDING = DOFS.index("lumbar_bending")


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class SharingColumns:
    """Muscles laid out as the columns of the load-sharing problem.

    Unpaired (leg) muscles give one column each; each paired (trunk) muscle gives a
    right column (its own moment arms) and a left column (lumbar_bending arm mirrored).

    Attributes
    ----------
    names : tuple of str
        Column names: the muscle name, with ``"_r"`` / ``"_l"`` for paired muscles.
    column_muscle : ndarray of int64, shape (n_col,)
        Index of the muscle (in :class:`sim.physics.muscles.MuscleSet`) each column belongs to.
    column_side : ndarray of int64, shape (n_col,)
        :data:`SIDE_RIGHT` (also for unpaired muscles) or :data:`SIDE_LEFT`.
    A : ndarray, shape (n_dof, n_col)
        Moment arms of the columns [m].
    F0 : ndarray, shape (n_col,)
        Fresh maximum force of each column's muscle [N].
    shear_per_N, compression_per_N : ndarray, shape (n_col,)
        L5/S1 line-of-action factors of each column [1] (the same on both sides).
    effort_scale : ndarray, shape (n_col,)
        Effort weight factor of each column's muscle
        (:attr:`sim.physics.muscles.MuscleSet.effort_scale`).
    """

    names: tuple
    column_muscle: np.ndarray
    column_side: np.ndarray
    A: np.ndarray
    F0: np.ndarray
    shear_per_N: np.ndarray
    compression_per_N: np.ndarray
    effort_scale: np.ndarray

    @property
    def n_columns(self) -> int:
        """Number of columns."""
        return len(self.names)


def sharing_columns(ms) -> SharingColumns:
    """Expand a muscle set into load-sharing columns (paired muscles twice).

    Columns keep the muscle order; the right column of a paired muscle is followed
    directly by its left column, whose ``lumbar_bending`` arm has the opposite sign
    (all other arms and the L5/S1 factors are the same on both sides).

    Parameters
    ----------
    ms : sim.physics.muscles.MuscleSet

    Returns
    -------
    SharingColumns

    Examples
    --------
    >>> from sim.physics.muscles import muscle_set
    >>> ms = muscle_set()
    >>> cols = sharing_columns(ms)
    >>> j = cols.names.index("multifidus_l")
    >>> cols.names[j - 1], int(cols.column_side[j]), round(float(cols.A[DOFS.index("lumbar_bending"), j]), 4)
    ('multifidus_r', 1, -0.025)
    """
    names, mus, sides, cols = [], [], [], []
    for j, name in enumerate(ms.names):
        if ms.paired[j]:
            right = ms.A[:, j].copy()
            left = right.copy()
            left[_BENDING] = -left[_BENDING]
            names += [name + "_r", name + "_l"]
            mus += [j, j]
            sides += [SIDE_RIGHT, SIDE_LEFT]
            cols += [right, left]
        else:
            names.append(name)
            mus.append(j)
            sides.append(SIDE_RIGHT)
            cols.append(ms.A[:, j].copy())
    mus_a = np.array(mus, dtype=np.int64)
    return SharingColumns(
        names=tuple(names),
        column_muscle=_readonly(mus_a),
        column_side=_readonly(np.array(sides, dtype=np.int64)),
        A=_readonly(np.ascontiguousarray(np.stack(cols, axis=1))),
        F0=_readonly(ms.F0[mus_a].copy()),
        shear_per_N=_readonly(ms.shear_per_N[mus_a].copy()),
        compression_per_N=_readonly(ms.compression_per_N[mus_a].copy()),
        effort_scale=_readonly(ms.effort_scale[mus_a].copy()),
    )


@kernel
def _half_cycle(values, j, i, n):
    """Value of column ``i`` of ``values`` at phase sample ``j + n/2`` (periodic, linear)."""
    pos = j + 0.5 * n
    k = int(math.floor(pos))
    frac = pos - k
    k0 = k % n
    if frac == 0.0:
        return values[k0, i]
    return (1.0 - frac) * values[k0, i] + frac * values[(k0 + 1) % n, i]


@kernel
def column_capacities_into(values, column_muscle, column_side, out):
    """Kernel of :func:`column_capacities`: fill ``out`` (n_phase, n_col) in place."""
    n = values.shape[0]
    for c in range(column_muscle.shape[0]):
        i = column_muscle[c]
        if column_side[c] == 1:
            for j in range(n):
                out[j, c] = _half_cycle(values, j, i, n)
        else:
            for j in range(n):
                out[j, c] = values[j, i]


def column_capacities(values, cols: SharingColumns) -> np.ndarray:
    """Per-muscle values over a stride mapped onto the sharing columns.

    A right (or unpaired) column takes its muscle's value at the same phase; a left
    column takes the value at ``phi + 0.5`` (half a stride later, bilateral symmetry).
    With an even number of phase samples the shift is exact; otherwise it is linearly
    interpolated on the periodic grid.

    Parameters
    ----------
    values : array_like, shape (n_phase, n_muscle)
        E.g. capacity forces ``C`` [N] of each muscle at each phase sample of one
        stride (samples evenly spaced over the cycle, the first at phase 0).
    cols : SharingColumns

    Returns
    -------
    ndarray, shape (n_phase, n_col)

    Examples
    --------
    >>> from sim.physics.muscles import muscle_set
    >>> ms = muscle_set()
    >>> cols = sharing_columns(ms)
    >>> cap = np.tile(ms.F0, (4, 1)); cap[0] *= 0.5          # weaker at phase 0
    >>> out = column_capacities(cap, cols)
    >>> j = ms.index("multifidus")
    >>> r, l = cols.names.index("multifidus_r"), cols.names.index("multifidus_l")
    >>> bool(out[0, r] == 0.5 * ms.F0[j]), bool(out[2, l] == 0.5 * ms.F0[j])
    (True, True)
    """
    v = np.ascontiguousarray(values, dtype=np.float64)
    n_muscle = int(cols.column_muscle.max()) + 1
    if v.ndim != 2 or v.shape[1] != n_muscle:
        raise ValueError(f"values must have shape (n_phase, {n_muscle}), got {v.shape}")
    out = np.empty((v.shape[0], cols.n_columns))
    column_capacities_into(v, cols.column_muscle, cols.column_side, out)
    return out


@kernel
def column_forces_to_muscles_into(F, column_muscle, column_side, out):
    """Kernel of :func:`column_forces_to_muscles`: fill ``out`` (n_phase, n_muscle)."""
    n = F.shape[0]
    for i in range(out.shape[1]):
        for j in range(n):
            out[j, i] = 0.0
    # count how many columns feed each muscle (1 or 2)
    for c in range(column_muscle.shape[0]):
        i = column_muscle[c]
        paired = False
        for c2 in range(column_muscle.shape[0]):
            if c2 != c and column_muscle[c2] == i:
                paired = True
        w = 0.5 if paired else 1.0
        if column_side[c] == 1:
            # left at phi - 0.5 is the right muscle at phi
            for j in range(n):
                out[j, i] += w * _half_cycle(F, j, c, n)
        else:
            for j in range(n):
                out[j, i] += w * F[j, c]


def column_forces_to_muscles(F, cols: SharingColumns) -> np.ndarray:
    """Column forces over a stride folded back onto one state per muscle.

    For an unpaired muscle this is its column. For a paired muscle, the right muscle
    at phase ``phi`` is seen twice: in its right column at ``phi`` and, by bilateral
    symmetry, in the left column at ``phi - 0.5``; the two are averaged (they are equal
    when the stride's demands are exactly symmetric).

    Parameters
    ----------
    F : array_like, shape (n_phase, n_col)
        Column forces [N] over one stride, evenly spaced phase samples.
    cols : SharingColumns

    Returns
    -------
    ndarray, shape (n_phase, n_muscle)

    Examples
    --------
    >>> from sim.physics.muscles import muscle_set
    >>> ms = muscle_set(); cols = sharing_columns(ms)
    >>> F = np.zeros((4, cols.n_columns))
    >>> F[0, cols.names.index("multifidus_r")] = 100.0
    >>> F[2, cols.names.index("multifidus_l")] = 100.0   # symmetric: right at phase 0
    >>> float(column_forces_to_muscles(F, cols)[0, ms.index("multifidus")])
    100.0
    """
    f = np.ascontiguousarray(F, dtype=np.float64)
    if f.ndim != 2 or f.shape[1] != cols.n_columns:
        raise ValueError(f"F must have shape (n_phase, {cols.n_columns}), got {f.shape}")
    out = np.empty((f.shape[0], int(cols.column_muscle.max()) + 1))
    column_forces_to_muscles_into(f, cols.column_muscle, cols.column_side, out)
    return out
