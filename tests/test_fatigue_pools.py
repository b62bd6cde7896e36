"""Fibre pools: recruitment, energy store, block step, intermittent and long tasks."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sim.fatigue import muscle_parameters, pool_constants, reference
from sim.fatigue import pools
from sim.fatigue.pools import (energy_factor, energy_step, fresh_state, muscle_capacity,
                               pool_block_step, pool_step, recruit, simulate_states)

DT = 0.01
STRIDE_ON, STRIDE_OFF = 35, 40          # 0.35 s load, 0.40 s rest (a running stride)


def stride_series(u, hours):
    stride = np.r_[np.full(STRIDE_ON, u), np.zeros(STRIDE_OFF)]
    return np.tile(stride, int(round(hours * 3600 / ((STRIDE_ON + STRIDE_OFF) * DT))))


def capacity_series(states, prm):
    return np.array([muscle_capacity(s, prm) for s in states])


# ---------------------------------------------------------------- energy store ------


def test_energy_factor_shape():
    e = np.linspace(0, 1, 101)
    g = np.array([energy_factor(x, 0.5, 0.1) for x in e])
    assert g[0] == pytest.approx(0.5) and g[-1] == pytest.approx(1.0)
    assert np.all(np.diff(g) > 0)                      # monotone
    assert np.all(np.diff(g, 2) < 0)                   # concave: the wall comes late


def test_energy_step_is_exact():
    e0, a, d, k, t = 0.9, 0.4, 3e-4, 2e-5, 1800.0
    e_inf = 1.0 - d * a / k
    exact = e_inf + (e0 - e_inf) * math.exp(-k * t)
    assert energy_step(e0, a, d, k, t) == pytest.approx(exact, rel=1e-12)
    one = energy_step(e0, a, d, k, t)
    two = energy_step(energy_step(e0, a, d, k, t / 2), a, d, k, t / 2)
    assert one == pytest.approx(two, rel=1e-12)         # step-size independent
    assert energy_step(0.01, 1.0, 1e-3, 1e-5, 1e4) == 0.0  # empties and stays empty


# ---------------------------------------------------------------- recruitment -------


@given(st.floats(0, 1), st.floats(0.05, 0.95), st.floats(0, 1), st.floats(0, 1))
@settings(max_examples=200, deadline=None)
def test_recruit_size_principle(u, p, cap_st, cap_ft):
    tl_st, tl_ft = recruit(u, p, cap_st, cap_ft)
    assert tl_st <= cap_st + 1e-12 and tl_ft <= cap_ft + 1e-12
    delivered = p * tl_st + (1 - p) * tl_ft
    assert delivered == pytest.approx(min(u, p * cap_st + (1 - p) * cap_ft), abs=1e-12)
    if tl_ft > 0:                                       # FT only once ST gives all it can
        assert tl_st == pytest.approx(cap_st, abs=1e-12)


# ---------------------------------------------------------------- properties --------

state4 = st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0)).map(
    lambda p: (min(p[:2]), max(p[:2]) - min(p[:2]), 1.0 - max(p[:2]), p[2]))
targets = st.one_of(st.sampled_from([0.0, 1.0, 1.3, 0.01]), st.floats(0.0, 1.0))
rates = st.floats(1e-5, 1.0)
steps = st.one_of(st.sampled_from([0.01, 1.0, 60.0]), st.floats(1e-4, 60.0))


@given(state4, targets, rates, rates, st.floats(1.0, 50.0), st.floats(0.1, 1000.0),
       st.floats(0.0, 0.01), st.floats(0.0, 1e-3), st.floats(0.0, 0.9), steps)
@settings(max_examples=200, deadline=None)
def test_pool_step_conserves_and_bounds(s, tl, F, R, r, L, drain, refill, g_min, dt):
    ma, mr, mf, e = s
    for _ in range(3):
        ma, mr, mf, e = pool_step(ma, mr, mf, e, tl, F, R, r, L, 0.01, drain, refill,
                                  g_min, 0.1, dt)
        assert abs(ma + mr + mf - 1.0) <= 1e-12
        assert min(ma, mr, mf, e) >= 0.0 and max(ma, mr, mf, e) <= 1.0


@given(state4, targets, st.floats(0.0, 1.0), rates, rates, st.floats(1.0, 50.0),
       st.floats(0.1, 1000.0), st.floats(0.0, 0.01), st.floats(0.0, 1e-3),
       st.one_of(st.sampled_from([60.0, 600.0]), st.floats(1e-3, 120.0)))
@settings(max_examples=200, deadline=None)
def test_block_step_conserves_and_bounds(s, tl, rest, F, R, r, L, drain, refill, dt):
    ma, mr, mf, e = s
    for _ in range(3):
        ma, mr, mf, e = pool_block_step(ma, mr, mf, e, tl, rest, F, R, r, L, drain,
                                        refill, 0.5, 0.1, dt)
        assert abs(ma + mr + mf - 1.0) <= 1e-12
        assert min(ma, mr, mf, e) >= 0.0 and max(ma, mr, mf, e) <= 1.0


@given(st.integers(0, 2**32 - 1), st.sampled_from([0.01, 0.5, 5.0, 30.0]),
       st.sampled_from([0.3, 0.55, 0.8]))
@settings(max_examples=20, deadline=None)
def test_muscle_kernel_equals_reference(seed, dt, p_st):
    rng = np.random.default_rng(seed)
    prm = muscle_parameters("knee", p_st, energy=True)
    prm[8:11] *= 10.0 / dt                   # fast stores, so the energy path matters
    u = np.repeat(rng.uniform(0, 1, 15) * (rng.uniform(size=15) > 0.3), 4)
    a = simulate_states(u, dt, prm, fresh_state())
    b = reference.simulate_muscle_states(u, dt, prm, fresh_state())
    assert np.abs(a - b).max() < 1e-9
    assert a[-1, 3] < 0.99                   # the store did drain


# ---------------------------------------------------------------- behaviour ---------


def test_fast_pool_joins_only_under_load():
    prm = muscle_parameters("general", 0.5, energy=False)
    light = simulate_states(np.full(500, 0.3), DT, prm, fresh_state())
    heavy = simulate_states(np.full(500, 0.8), DT, prm, fresh_state())
    assert light[:, 4].max() == 0.0            # FT never active at 30 % with p_st = 0.5
    assert heavy[-1, 4] > 0.5                  # FT carries the rest at 80 %


def test_rest_multiplier_reduces_intermittent_fatigue():
    c = pool_constants("general", 0.5)
    prm15 = c.as_vector(energy=False)
    prm1 = prm15.copy()
    prm1[5] = 1.0                               # r = 1: the original 3CC
    u = np.tile(np.r_[np.full(1000, 0.5), np.zeros(1000)], 30)   # 10 s on / 10 s off, 10 min
    cap15 = capacity_series(simulate_states(u, DT, prm15, fresh_state())[::2000], prm15)
    cap1 = capacity_series(simulate_states(u, DT, prm1, fresh_state())[::2000], prm1)
    assert cap15[-1] > cap1[-1] + 0.05
    assert np.all(cap15[1:] >= cap1[1:])


@pytest.fixture(scope="module")
def three_hour_run():
    out = {}
    u = stride_series(0.3, 3.0)
    for energy in (False, True):
        prm = muscle_parameters("general", 0.5, energy=energy)
        states = simulate_states(u, DT, prm, fresh_state())[::6000]   # every minute
        out[energy] = (states, capacity_series(states, prm))
    return out


def test_energy_store_keeps_capacity_falling(three_hour_run):
    _, cap_e = three_hour_run[True]
    _, cap0 = three_hour_run[False]
    assert abs(cap0[180] - cap0[60]) < 0.002           # 3CC-r alone settles within minutes
    assert abs(cap0[60] - cap0[20]) < 0.002
    assert cap_e[180] < cap_e[60] - 0.1                # with the store it keeps falling
    assert np.all(np.diff(cap_e[20:]) <= 1e-9)
    assert cap_e[60] > cap0[60] - 0.02                 # little effect in the first hour


def test_default_store_reaches_the_wall_near_two_and_a_half_hours(three_hour_run):
    states, _ = three_hour_run[True]
    e_st = states[:, 3]
    assert 0.1 < e_st[150] < 0.3                       # ~20 % at 2.5 h
    assert e_st[60] > 0.5


def _block_run(prm, u, block_s, minutes):
    """Block stepping of the stride pattern: recruitment at the block start."""
    s = fresh_state()
    caps = [muscle_capacity(s, prm)]
    on = STRIDE_ON / (STRIDE_ON + STRIDE_OFF)
    g_min, K = prm[11], prm[12]
    for _ in range(int(minutes * 60 / block_s)):
        tl = recruit(u, prm[0], pools.pool_capacity(s[2], s[3], g_min, K),
                     pools.pool_capacity(s[6], s[7], g_min, K))
        for i, (F, R, drain) in zip((0, 4), ((prm[1], prm[2], prm[8]), (prm[3], prm[4], prm[9]))):
            rest = 1.0 - on if tl[i // 4] > 0.0 else 1.0
            s[i:i + 4] = pool_block_step(s[i], s[i + 1], s[i + 2], s[i + 3], tl[i // 4] * on,
                                         rest, F, R, prm[5], prm[6], drain, prm[10], g_min,
                                         K, block_s)
        caps.append(muscle_capacity(s, prm))
    return np.array(caps)


@pytest.mark.parametrize("joint, p_st, u, block_s", [("general", 0.5, 0.3, 60.0),
                                                     ("ankle", 0.8, 0.5, 60.0),
                                                     ("knee", 0.38, 0.45, 15.0)])
def test_block_step_tracks_resolved_stepping(joint, p_st, u, block_s):
    prm = muscle_parameters(joint, p_st, energy=True)
    every = int(round(block_s / DT))
    resolved = capacity_series(simulate_states(stride_series(u, 1.0), DT, prm,
                                               fresh_state())[::every], prm)
    block = _block_run(prm, u, block_s, 60)
    assert resolved[-1] < 0.95                          # the task does fatigue
    assert np.abs(block - resolved[:len(block)]).max() < 0.01
