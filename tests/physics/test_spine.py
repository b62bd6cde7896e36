"""L5/S1 loads: upper-body load on an inclined disc plus muscle lines of action."""
import numpy as np
import pytest

from sim.spine import l5s1_loads, upper_body_load


def test_upper_body_load_only():
    w = upper_body_load(75.0, 0.536, 9.81, 2.5)
    comp, shear = l5s1_loads(np.zeros(3), np.zeros(3), np.zeros(3), w, np.deg2rad(40.0),
                             0.0, 0.95, 0.3)
    assert comp == pytest.approx(w * np.cos(np.deg2rad(40.0)))
    assert shear == pytest.approx(w * np.sin(np.deg2rad(40.0)))


def test_steeper_disc_more_shear_and_protective_fascicles_reduce_it():
    w = 1000.0
    _, s40 = l5s1_loads(np.zeros(1), np.zeros(1), np.zeros(1), w, np.deg2rad(40), 0, 0, 0)
    _, s55 = l5s1_loads(np.zeros(1), np.zeros(1), np.zeros(1), w, np.deg2rad(55), 0, 0, 0)
    assert s55 > s40
    f = np.array([300.0])
    _, s_deep = l5s1_loads(f, np.array([0.82]), np.array([-0.57]), w, np.deg2rad(40), 0, 0, 0)
    _, s_sup = l5s1_loads(f, np.array([1.0]), np.array([-0.05]), w, np.deg2rad(40), 0, 0, 0)
    assert s_deep < s_sup < s40


def test_taut_psoas_adds_compression_and_anterior_shear():
    args = (np.zeros(1), np.zeros(1), np.zeros(1), 500.0, np.deg2rad(40))
    c0, s0 = l5s1_loads(*args, 0.0, 0.95, 0.3)
    c1, s1 = l5s1_loads(*args, 200.0, 0.95, 0.3)
    assert c1 - c0 == pytest.approx(190.0) and s1 - s0 == pytest.approx(60.0)


def test_stride_loads_are_each_phases_own_to_the_last_bit():
    """:func:`l5s1_loads_stride` gives every phase the loads of :func:`l5s1_loads_at` with
    that phase's forces (plus the twin columns' half a stride on), bit for bit."""
    from sim.physics.spine import l5s1_loads_at, l5s1_loads_stride

    rng = np.random.default_rng(4)
    n_ph, n_col = 64, 23
    F = rng.uniform(0.0, 900.0, (n_ph, n_col))
    twin = rng.uniform(size=n_col) < 0.2
    kc, ks = rng.uniform(0.0, 1.0, n_col), rng.uniform(-0.5, 0.5, n_col)
    upper = rng.uniform(100.0, 1500.0, n_ph)
    incl = rng.uniform(0.5, 0.8, n_ph)
    passive = rng.uniform(0.0, 50.0, n_ph)
    comp, shear = np.zeros(n_ph), np.zeros(n_ph)
    l5s1_loads_stride(F, twin, kc, ks, upper, np.cos(incl), np.sin(incl), passive, 0.9, 0.3,
                      comp, shear)
    for j in range(n_ph):
        f = F[j] + np.where(twin, F[(j + n_ph // 2) % n_ph], 0.0)
        c1, s1 = l5s1_loads_at(f, kc, ks, upper[j], np.cos(incl[j]), np.sin(incl[j]),
                               passive[j], 0.9, 0.3)
        assert comp[j] == c1 and shear[j] == s1
