"""L5/S1 compression and anterior shear.

At each phase sample of the stride the L5/S1 disc carries

* the load of the body above it, ``W = m_ub g GRF_v`` [N], where ``GRF_v`` is the total
  vertical ground reaction force in body weights (both feet): the upper body moves with
  the centre of mass, so its weight plus inertia is ``m_ub (g + a_z) = m_ub g GRF_v``;
  the disc is inclined by ``α = α0 + tilt`` to the horizontal (sacral slope plus the
  extra anterior pelvic tilt), so ``W`` adds ``W cos α`` compression and ``W sin α``
  anterior shear;
* each muscle's tension ``f`` times its line-of-action factors (compression per N and
  anterior shear per N; the oblique lumbar fascicles of longissimus and iliocostalis pull
  the upper vertebra posteriorly, a negative shear factor; multifidus and the thoracic
  fascicles run nearly parallel to the spine; the psoas pulls anteriorly) [1]_ [2]_;
* the passive tension of taut psoas, with the psoas line of action.

References
----------
.. [1] Bogduk N, Macintosh JE, Pearcy MJ (1992) A universal model of the lumbar back
   muscles in the upright position. Spine 17(8):897-913.
.. [2] McGill SM (2016) Low Back Disorders, 3rd ed. Human Kinetics.

Examples
--------
>>> import numpy as np
>>> f = np.array([100.0, 200.0])            # two muscles [N]
>>> c, s = np.array([1.0, 0.9]), np.array([0.0, -0.4])
>>> comp, shear = l5s1_loads(f, c, s, 500.0, np.deg2rad(40.0), 0.0, 0.9, 0.3)
>>> round(comp, 1), round(shear, 1)
(663.0, 241.4)
"""
from __future__ import annotations

import math

from ..jit import kernel

__all__ = ["l5s1_loads", "l5s1_loads_at", "l5s1_loads_stride", "upper_body_load"]


@kernel
def upper_body_load(mass_kg, upper_fraction, g, grf_total_bw):
    """Weight plus vertical inertia of the body above L5/S1 [N]."""
    return mass_kg * upper_fraction * g * grf_total_bw


@kernel
def l5s1_loads(forces, compression_per_N, shear_per_N, upper_load_N, inclination_rad,
               psoas_passive_N, psoas_compression_per_N, psoas_shear_per_N):
    """Compression and anterior shear at L5/S1 for one phase sample.

    Parameters
    ----------
    forces : ndarray, shape (n,)
        Muscle tensions [N] (columns of the load sharing; leg muscles have zero factors).
    compression_per_N, shear_per_N : ndarray, shape (n,)
        Line-of-action factors [N/N]; shear positive = anterior on the upper vertebra.
    upper_load_N : float
        Weight plus vertical inertia of the body above L5/S1 [N].
    inclination_rad : float
        Disc inclination to the horizontal [rad].
    psoas_passive_N : float
        Passive psoas tension [N].
    psoas_compression_per_N, psoas_shear_per_N : float
        Psoas line-of-action factors [N/N].

    Returns
    -------
    compression_N, shear_N : float
        Disc compression and anterior shear [N].
    """
    return l5s1_loads_at(forces, compression_per_N, shear_per_N, upper_load_N,
                         math.cos(inclination_rad), math.sin(inclination_rad), psoas_passive_N,
                         psoas_compression_per_N, psoas_shear_per_N)


@kernel
def l5s1_loads_at(forces, compression_per_N, shear_per_N, upper_load_N, cos_incl, sin_incl,
                  psoas_passive_N, psoas_compression_per_N, psoas_shear_per_N):
    """:func:`l5s1_loads` with the disc inclination given by its cosine and sine (a stride
    whose phase samples share one inclination computes them once).

    Examples
    --------
    >>> import numpy as np
    >>> a = np.deg2rad(40.0)
    >>> f, c, s = np.array([100.0]), np.array([1.0]), np.array([0.0])
    >>> l5s1_loads_at(f, c, s, 500.0, np.cos(a), np.sin(a), 0.0, 0.9, 0.3) == l5s1_loads(
    ...     f, c, s, 500.0, a, 0.0, 0.9, 0.3)
    True
    """
    comp = upper_load_N * cos_incl + psoas_passive_N * psoas_compression_per_N
    shear = upper_load_N * sin_incl + psoas_passive_N * psoas_shear_per_N
    for j in range(forces.shape[0]):
        comp += forces[j] * compression_per_N[j]
        shear += forces[j] * shear_per_N[j]
    return comp, shear


@kernel
def l5s1_loads_stride(F, twin, compression_per_N, shear_per_N, upper_load_N, cos_incl,
                      sin_incl, psoas_passive_N, psoas_compression_per_N, psoas_shear_per_N,
                      comp_out, shear_out):
    """:func:`l5s1_loads_at` at every phase sample of a stride at once.

    Phase ``j``'s forces are the row ``F[j]`` (phase samples x columns), plus, for the
    columns marked in ``twin``, the row half a stride later (the left leg's muscle, which
    the right column's force half a stride on stands for, e.g. the psoas). ``upper_load_N``,
    ``cos_incl``, ``sin_incl`` and ``psoas_passive_N`` are per phase (n_phase,); the
    compression and shear of each phase [N] go into ``comp_out`` and ``shear_out``. Each
    phase's sums are those of :func:`l5s1_loads_at`, term by term in the same order (the
    results are equal to the last bit); the phases are summed side by side, so that the
    additions do not wait on one another.

    Examples
    --------
    >>> import numpy as np
    >>> F = np.array([[100.0, 10.0], [200.0, 20.0]])      # 2 phase samples x 2 columns
    >>> c, s, one = np.array([1.0, 0.9]), np.array([0.0, -0.4]), np.ones(2)
    >>> comp, shear = np.zeros(2), np.zeros(2)
    >>> l5s1_loads_stride(F, np.array([False, True]), c, s, 500.0 * one, 0.8 * one,
    ...                   0.6 * one, 0.0 * one, 0.9, 0.3, comp, shear)
    >>> one_phase = l5s1_loads_at(np.array([100.0, 30.0]), c, s, 500.0, 0.8, 0.6, 0.0, 0.9,
    ...                           0.3)
    >>> bool(comp[0] == one_phase[0]), bool(shear[0] == one_phase[1])
    (True, True)
    """
    n_ph, n_col = F.shape
    half = n_ph // 2
    for j in range(n_ph):
        comp_out[j] = upper_load_N[j] * cos_incl[j] + psoas_passive_N[j] * psoas_compression_per_N
        shear_out[j] = upper_load_N[j] * sin_incl[j] + psoas_passive_N[j] * psoas_shear_per_N
    for c in range(n_col):
        kc = compression_per_N[c]
        ks = shear_per_N[c]
        if twin[c]:
            for j in range(n_ph):
                f = F[j, c] + F[(j + half) % n_ph, c]
                comp_out[j] += f * kc
                shear_out[j] += f * ks
        else:
            for j in range(n_ph):
                f = F[j, c]
                comp_out[j] += f * kc
                shear_out[j] += f * ks
