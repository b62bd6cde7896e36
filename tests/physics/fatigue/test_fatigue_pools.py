"""Fibre pools: recruitment, energy store, block step, intermittent and long tasks."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sim.fatigue import muscle_parameters, pool_constants, reference
from sim.fatigue import pools
from sim.fatigue.pools import (N_STATE, energy_factor, energy_step, fresh_state,
                               ischaemia_step, muscle_capacity, occlusion, pool_block_step,
                               pool_step, recruit, reserve_step, simulate_states, slow_step,
                               stride_perfusion, stride_perfusion_muscles)

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


#: Pool capacities: empty, or at least 1e-9 (subnormal capacities only measure rounding).
capacity = st.one_of(st.just(0.0), st.floats(1e-9, 1.0))


@given(st.floats(0, 1), st.floats(0.05, 0.95), capacity, capacity, st.floats(0, 1))
@settings(max_examples=300, deadline=None)
def test_recruit_size_principle(u, p, cap_st, cap_ft, onset):
    tl_st, tl_ft = recruit(u, p, cap_st, cap_ft, onset)
    assert tl_st <= cap_st + 1e-12 and tl_ft <= cap_ft + 1e-12
    delivered = p * tl_st + (1 - p) * tl_ft
    assert delivered == pytest.approx(min(u, p * cap_st + (1 - p) * cap_ft), abs=1e-12)
    if tl_ft > 0:                       # FT only once ST gives the onset share of its force
        assert p * tl_st >= onset * p * cap_st - 1e-12
    # ST never works at a lower fraction of its available force than FT
    if cap_st > 0 and cap_ft > 0:
        assert tl_st / cap_st >= tl_ft / cap_ft - 1e-12


@given(st.floats(0, 1), st.floats(0.05, 0.95), st.floats(0, 1), st.floats(0, 1))
@settings(max_examples=200, deadline=None)
def test_recruit_onset_one_is_slow_twitch_first(u, p, cap_st, cap_ft):
    tl_st, tl_ft = recruit(u, p, cap_st, cap_ft, 1.0)
    if tl_ft > 0:
        assert tl_st == pytest.approx(cap_st, abs=1e-12)


def test_recruit_is_continuous_in_the_target():
    u = np.linspace(0.0, 1.0, 2001)
    for onset in (0.0, 0.3, 0.7, 1.0):
        tl = np.array([recruit(x, 0.5, 0.9, 0.8, onset) for x in u])
        assert np.abs(np.diff(tl, axis=0)).max() < 2.1 * (u[1] - u[0]) / 0.5


# ---------------------------------------------------------------- heavy domain ------


def test_heavy_strain_is_one_up_to_the_threshold_then_rises_continuously():
    onset, cs, A, n = 3.2, 3.44, 2.0, 0.8
    v = np.linspace(2.0, 4.0, 4001)
    h = np.array([pools.heavy_strain(x, onset, cs, A, n) for x in v])
    assert np.all(h[v <= onset] == 1.0)
    assert np.all(np.diff(h) >= 0.0)
    assert np.abs(np.diff(h)).max() < 0.05                      # no jump
    assert pools.heavy_strain(cs, onset, cs, A, n) == pytest.approx(1.0 + A, rel=1e-12)
    assert pools.heavy_strain(3.6, onset, cs, 0.0, n) == 1.0      # gain 0: off
    assert pools.heavy_strain(3.6, onset, onset, A, n) == 1.0     # no heavy domain


@pytest.mark.parametrize("exponent", [1.0, 0.0])
def test_strain_multiplies_glycogen_drain_and_slow_load_only(exponent):
    """The strain H multiplies the slow load, and the glycogen drain as H^exponent
    (``[heavy] drain_exponent``)."""
    prm = muscle_parameters("knee", 0.5, energy=True)
    prm[20] = 1e-4
    prm[pools.P.heavy_drain_exponent] = exponent
    a, b = fresh_state(), fresh_state()
    b[14] = 3.0
    for _ in range(600):
        pools.muscle_step(a, 0.3, prm, 0.5)
        pools.muscle_step(b, 0.3, prm, 0.5)
    assert 1.0 - b[3] == pytest.approx(3.0 ** exponent * (1.0 - a[3]), rel=0.05)  # ST glycogen
    assert b[12] == pytest.approx(3.0 * a[12], rel=0.05)              # slow load
    assert b[0] == pytest.approx(a[0], abs=0.02)                      # fast 3CC alike


# ---------------------------------------------------------------- properties --------

state4 = st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0)).map(
    lambda p: (min(p[:2]), max(p[:2]) - min(p[:2]), 1.0 - max(p[:2]), p[2]))
targets = st.one_of(st.sampled_from([0.0, 1.0, 1.3, 0.01]), st.floats(0.0, 1.0))
rates = st.floats(1e-5, 1.0)
steps = st.one_of(st.sampled_from([0.01, 1.0, 60.0]), st.floats(1e-4, 60.0))


@given(state4, targets, rates, rates, st.floats(1.0, 50.0), st.floats(0.1, 1000.0),
       st.floats(0.0, 0.01), st.floats(0.0, 1e-3), st.floats(0.0, 0.9), steps,
       st.one_of(st.just(-1.0), st.floats(0.0, 1.0)), st.floats(0.0, 1.0),
       st.floats(0.0, 1.0), st.floats(0.0, 1e-3))
@settings(max_examples=200, deadline=None)
def test_pool_step_conserves_and_bounds(s, tl, F, R, r, L, drain, refill, g_min, dt, perf,
                                        kappa, reserve, slow_rate):
    ma, mr, mf, e = s
    sd, z = 0.0, 0.0
    for _ in range(3):
        ma, mr, mf, e, sd, z = pool_step(ma, mr, mf, e, sd, z, tl, F, R, r, L, 0.01, drain,
                                         refill, g_min, 0.1, 0.2, slow_rate, 1e-5, 3600.0,
                                         dt, perf, kappa, reserve, 0.4)
        assert abs(ma + mr + mf - 1.0) <= 1e-12
        assert min(ma, mr, mf, e, sd, z) >= 0.0 and max(ma, mr, mf, e) <= 1.0


@given(state4, targets, st.floats(0.0, 1.0), st.floats(0.0, 1.0), rates, rates,
       st.floats(1.0, 50.0), st.floats(0.1, 1000.0), st.floats(0.0, 0.01),
       st.floats(0.0, 1e-3),
       st.one_of(st.sampled_from([60.0, 600.0]), st.floats(1e-3, 120.0)))
@settings(max_examples=200, deadline=None)
def test_block_step_conserves_and_bounds(s, tl, perf, f_mult, F, R, r, L, drain, refill, dt):
    ma, mr, mf, e = s
    sd, z = 0.0, 0.0
    for _ in range(3):
        ma, mr, mf, e, sd, z = pool_block_step(ma, mr, mf, e, sd, z, tl, perf, f_mult, F, R,
                                               r, L, drain, refill, 0.5, 0.1, 0.2, 1e-4,
                                               1e-5, 3600.0, dt)
        assert abs(ma + mr + mf - 1.0) <= 1e-12
        assert min(ma, mr, mf, e, sd, z) >= 0.0 and max(ma, mr, mf, e) <= 1.0


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40), st.floats(1e-3, 30.0),
       st.sampled_from([0.01, 0.5, 5.0]))
@settings(max_examples=100, deadline=None)
def test_muscle_states_stay_in_bounds(u, dt, p_scale):
    """Every state of the full muscle model stays in its range under any target series."""
    prm = muscle_parameters("general", 0.5, energy=True)
    prm[8:11] *= p_scale
    prm[20] = 1e-3
    states = simulate_states(np.repeat(np.array(u), 3), dt, prm, fresh_state())
    assert np.all(np.abs(states[:, 0] + states[:, 1] + states[:, 2] - 1.0) <= 1e-12)
    assert np.all(np.abs(states[:, 4] + states[:, 5] + states[:, 6] - 1.0) <= 1e-12)
    assert np.all(states >= 0.0) and np.all(states[:, :12] <= 1.0)


# ---------------------------------------------------------------- perfusion ---------


def test_occlusion_and_ischaemia():
    assert occlusion(0.05, 0.1, 0.2) == 0.0 and occlusion(0.3, 0.1, 0.2) == 1.0
    assert occlusion(0.15, 0.1, 0.2) == pytest.approx(0.5)
    i1, mean = ischaemia_step(0.0, 1.0, 5.0, 1.0, 5.0)
    assert i1 == pytest.approx(1.0 - math.exp(-1.0)) and mean < i1
    one, _ = ischaemia_step(0.2, 1.0, 5.0, 1.0, 4.0)
    two, _ = ischaemia_step(ischaemia_step(0.2, 1.0, 5.0, 1.0, 2.0)[0], 1.0, 5.0, 1.0, 2.0)
    assert one == pytest.approx(two, rel=1e-12)        # exact: step-size independent
    fall, _ = ischaemia_step(1.0, 0.0, 5.0, 1.0, 1.0)
    assert fall == pytest.approx(math.exp(-1.0))       # clears with tau_off


def test_brief_contractions_stay_perfused_and_holds_occlude():
    """A 0.26 s stance at 60 % hardly occludes; a held contraction does within seconds.

    Periodic solution: I rises by about 0.26/5 in stance and falls by exp(-0.49) in swing,
    so it stays near 0.09 (perfusion ~0.9)."""
    prm = muscle_parameters("general", 0.5)
    n = 64
    u = np.r_[np.full(22, 0.6), np.zeros(n - 22)]
    perf = np.zeros(n)
    stride_perfusion(u, 0.75 / n, 0.0, prm[15], prm[16], prm[17], prm[18], perf)
    assert perf.mean() > 0.85 and perf.min() > 0.85
    held = simulate_states(np.full(3000, 0.6), DT, prm, fresh_state())
    assert held[-1, 8] > 0.99                           # 30 s: fully ischaemic


def test_many_muscles_perfusion_is_each_muscles_own():
    """Every muscle's periodic perfusion at once gives exactly each muscle's own, passes
    ending at different times (a muscle that never occludes, one held, one that starts
    periodic already, one whose ischaemia follows the occlusion at once, strides of
    different loads and ischaemia constants; more muscles than one vector instruction
    holds, so both the vectorised loop and its remainder run); a muscle without ischaemia
    keeps its state and is written as fully perfused."""
    rng = np.random.default_rng(3)
    n_m, n = 19, 64
    U = rng.uniform(0.0, 0.7, (n_m, n)) * (np.arange(n) < rng.integers(10, 50, (n_m, 1)))
    U[1] = 0.05                                          # never occludes
    U[2] = 0.6                                           # held
    tau_on, tau_off = rng.uniform(1.0, 8.0, n_m), rng.uniform(0.5, 3.0, n_m)
    tau_on[6] = 0.0                                      # no ischaemia
    tau_off[9] = 0.0                                     # ischaemia = occlusion at once
    u_free, u_occ = np.full(n_m, 0.1), np.full(n_m, 0.2)
    isch0 = rng.uniform(0.0, 1.0, n_m)
    isch0[4] = stride_perfusion(U[4], 0.75 / n, isch0[4], tau_on[4], tau_off[4], u_free[4],
                                u_occ[4], np.zeros(n))           # its periodic start
    P1, I1 = np.full((n_m, n), -1.0), isch0.copy()
    for i in range(n_m):
        if i != 6:
            I1[i] = stride_perfusion(U[i], 0.75 / n, isch0[i], tau_on[i], tau_off[i],
                                     u_free[i], u_occ[i], P1[i])
    P2, I2 = np.full((n, n_m), -1.0), isch0.copy()
    stride_perfusion_muscles(np.ascontiguousarray(U.T), 0.75 / n, I2, tau_on, tau_off, u_free,
                             u_occ, P2, I2, np.zeros(8 * n_m), np.zeros((n, n_m)))
    keep = np.arange(n_m) != 6
    np.testing.assert_array_equal(P2.T[keep], P1[keep])
    np.testing.assert_array_equal(I2, I1)
    assert I2[6] == isch0[6] and np.all(P2[:, 6] == 1.0)


def test_rest_rule_is_continuous_in_activation():
    """No cliff: the stride-mean perfusion changes smoothly as the stride's load grows."""
    prm = muscle_parameters("general", 0.5)
    n = 64
    means = []
    for peak in np.linspace(0.0, 0.4, 81):
        u = np.r_[np.full(24, peak), np.full(n - 24, 0.2 * peak)]
        perf = np.zeros(n)
        stride_perfusion(u, 0.75 / n, 0.0, prm[15], prm[16], prm[17], prm[18], perf)
        means.append(perf.mean())
    steps = np.abs(np.diff(means))
    assert steps.max() < 5 * np.median(steps[steps > 0]) + 1e-12


def test_sustained_hold_is_the_published_3cc_after_occlusion():
    """Once a hold has occluded the muscle, recovery is R and fatigue F (no protection)."""
    prm = muscle_parameters("general", 0.5, energy=False)
    a = simulate_states(np.full(6000, 0.5), DT, prm, fresh_state())
    P = 1.0 - a[-1, 8]
    assert P < 1e-4


# ---------------------------------------------------------------- slow components ---


def test_slow_step_lags_and_is_exact_for_the_load():
    z, s = slow_step(0.0, 0.0, 0.4, 1e-4, 1e-5, 3600.0, 1800.0)
    z2, s2 = slow_step(*slow_step(0.0, 0.0, 0.4, 1e-4, 1e-5, 3600.0, 900.0), 0.4, 1e-4, 1e-5,
                       3600.0, 900.0)
    assert z == pytest.approx(z2, rel=1e-12)           # exact: step-size independent
    assert s == pytest.approx(s2, rel=1e-9)
    assert s < 0.5 * z                                  # the depression lags the load
    assert s == pytest.approx(reference.slow_step(0.0, 0.0, 0.4, 1e-4, 1e-5, 3600.0, 1800.0)[1],
                              rel=1e-9)
    z0, s0 = slow_step(0.0, 0.0, 0.4, 1e-4, 0.0, 0.0, 1800.0)
    assert s0 == z0 == pytest.approx(0.4 * 1e-4 * 1800.0)


@settings(max_examples=200, deadline=None)
@given(z=st.floats(0.0, 1.0), s=st.floats(0.0, 1.0), ma=st.floats(0.0, 1.0),
       gate=st.floats(0.0, 1.0), share=st.floats(0.0, 1.0), dt=st.floats(1.0, 1e4))
def test_slow_step_matches_the_reference_and_never_develops_at_rest(z, s, ma, gate, share, dt):
    """Kernel and matrix-exponential reference agree for any work gate; with the gate
    closed the depression never rises, and it never falls below the share still expressed
    at rest."""
    args = (z, s, ma, 1e-4, 1e-5, 7200.0, dt, gate, share, 2400.0)
    z1, s1 = slow_step(*args)
    z2, s2 = reference.slow_step(*args)
    assert z1 == pytest.approx(z2, rel=1e-9, abs=1e-12)
    assert s1 == pytest.approx(s2, rel=1e-9, abs=1e-12)
    z0, s0 = slow_step(z, s, 0.0, 1e-4, 1e-5, 7200.0, dt, 0.0, share, 2400.0)
    assert s0 <= s + 1e-15
    assert s0 >= min(s, share * min(z, z0)) - 1e-12


def test_the_work_gate_closes_within_half_a_minute_of_stopping():
    """Recent work W of a muscle that stops after running at 2 % of its maximum (the
    least-loaded trunk muscles) falls below the gate's half point within 30 s."""
    from sim.fatigue.pools import work_gate, work_step

    prm = muscle_parameters()
    P = pools.P
    assert work_gate(0.01, prm[P.work_half]) > 0.95        # a working muscle counts as working
    w, _ = work_step(0.02, 0.0, prm[P.work_tau], 30.0)
    assert work_gate(w, prm[P.work_half]) < 0.5


def test_reserve_spends_above_and_refills_below_critical_speed():
    assert reserve_step(1.0, 4.0, 3.5, 200.0, 200.0) == pytest.approx(0.5)
    assert reserve_step(0.1, 4.0, 3.5, 200.0, 1e4) == 0.0
    d = reserve_step(0.5, 3.0, 3.5, 200.0, 400.0)
    assert d == pytest.approx(1.0 - 0.5 * math.exp(-0.5 * 400.0 / 200.0))
    assert reserve_step(0.5, 4.0, 3.5, 0.0, 100.0) == 0.5    # switched off


@pytest.mark.parametrize("floor", [0.0, 0.3, 0.6])
def test_a_spent_reserve_keeps_its_floor_and_is_spent_at_d_prime_over_excess_speed(floor):
    """The force factor falls linearly to the floor and reaches it after D'/(v - CS),
    whatever the floor; below critical speed it refills toward 1."""
    t_spent = 200.0 / (4.0 - 3.5)
    half = reserve_step(1.0, 4.0, 3.5, 200.0, 0.5 * t_spent, floor)
    assert half == pytest.approx(1.0 - 0.5 * (1.0 - floor))
    assert reserve_step(1.0, 4.0, 3.5, 200.0, t_spent, floor) == pytest.approx(floor)
    assert reserve_step(1.0, 4.0, 3.5, 200.0, 3.0 * t_spent, floor) == floor
    assert reserve_step(floor, 3.0, 3.5, 200.0, 400.0, floor) > floor


@given(st.integers(0, 2**32 - 1), st.sampled_from([0.01, 0.5, 5.0, 30.0]),
       st.sampled_from([0.3, 0.55, 0.8]), st.sampled_from([0.0, 1.0]))
@settings(max_examples=20, deadline=None)
def test_muscle_kernel_equals_reference(seed, dt, p_st, rho):
    rng = np.random.default_rng(seed)
    prm = muscle_parameters("knee", p_st, energy=True)
    prm[8:11] *= 10.0 / dt                   # fast stores, so the energy path matters
    prm[pools.P.recovery_energy_share] = rho
    u = np.repeat(rng.uniform(0, 1, 15) * (rng.uniform(size=15) > 0.3), 4)
    a = simulate_states(u, dt, prm, fresh_state())
    b = reference.simulate_muscle_states(u, dt, prm, fresh_state())
    assert np.abs(a - b).max() < 1e-9
    assert a[-1, 3] < 0.99                   # the store did drain


# ---------------------------------------------------------------- behaviour ---------


@pytest.mark.parametrize("e", [1.0, 0.0])
def test_recovery_follows_the_aerobic_supply_only_when_asked(e):
    """``recovery_energy_share`` 1: a perfused pool with an empty store recovers its
    fatigued fraction more slowly (the boost follows h(E)); with a full store, or with the
    share 0 (the default), recovery is the same."""
    args = (0.0, 0.5, 0.5, e, 0.0, 0.0, 0.0, 0.01, 0.001, 15.0, 10.0, 0.01, 0.0, 0.0, 0.7,
            0.05, 0.15, 0.0, 0.0, 0.0, 10.0, 1.0, 0.9, 1.0, 0.4)
    mf = {rho: pool_step(*args, recovery_energy_share=rho)[2] for rho in (0.0, 1.0)}
    assert pools.recovery_gate(energy_factor(1.0, 0.4, 0.05), 1.0) == pytest.approx(1.0)
    if e == 1.0:
        assert mf[1.0] == pytest.approx(mf[0.0], rel=1e-12)
    else:
        # h(0) = fat_share = 0.4: the boost 14 R falls to 5.6 R; at rest MF decays exactly
        assert mf[0.0] == pytest.approx(0.5 * math.exp(-0.001 * 15.0 * 10.0), rel=1e-9)
        assert mf[1.0] == pytest.approx(0.5 * math.exp(-0.001 * 6.6 * 10.0), rel=1e-9)


def test_fast_pool_joins_only_under_load():
    prm = muscle_parameters("general", 0.5, energy=False)
    onset = prm[pools.P.ft_onset] * 0.5        # the share of MVC the fresh ST pool gives first
    light = simulate_states(np.full(500, 0.9 * onset), DT, prm, fresh_state())
    heavy = simulate_states(np.full(500, 0.8), DT, prm, fresh_state())
    assert light[:, 4].max() == 0.0            # FT never active below the onset
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
    """The fast component settles within minutes; the slow components (glycogen, slow
    depression) keep capacity falling for hours. Base constants of fatigue.toml, before
    the per-runner calibration (tests/physics/test_energy.py checks the calibrated runner)."""
    _, cap_e = three_hour_run[True]
    _, cap0 = three_hour_run[False]
    assert abs(cap0[180] - cap0[60]) < 0.002           # fast component alone settles
    assert abs(cap0[60] - cap0[20]) < 0.002
    assert cap_e[180] < cap_e[60] - 0.02               # with the slow ones it keeps falling
    assert np.all(np.diff(cap_e[20:]) <= 1e-9)
    assert cap_e[60] > cap0[60] - 0.03                 # little effect in the first hour


def _block_run(prm, u, block_s, minutes):
    """Block stepping of the stride pattern: recruitment and perfusion at the block start."""
    s = fresh_state()
    caps = [muscle_capacity(s, prm)]
    n = STRIDE_ON + STRIDE_OFF
    pattern = np.r_[np.full(STRIDE_ON, u), np.zeros(STRIDE_OFF)]
    g_min, K = prm[11], prm[12]
    perf = np.zeros(n)
    for _ in range(int(minutes * 60 / block_s)):
        s[8] = stride_perfusion(pattern, DT, s[8], prm[15], prm[16], prm[17], prm[18], perf)
        caps_p = (pools.pool_capacity(s[2], s[3], s[9], g_min, K),
                  pools.pool_capacity(s[6], s[7], s[10], prm[23], K, s[11]))
        tl = recruit(u, prm[0], *caps_p, prm[25])
        for q, (o, F, R, drain) in enumerate(((0, prm[1], prm[2], prm[8]),
                                              (4, prm[3], prm[4], prm[9]))):
            tl_j = np.where(pattern > 0, tl[q], 0.0)
            mean_tl = tl_j.mean()
            h = energy_factor(s[o + 3], prm[24], K)
            f_mult = (np.mean(tl_j * (1 - prm[13 + q] * h * perf)) / mean_tl
                      if mean_tl > 0 else 1.0)
            out = pool_block_step(s[o], s[o + 1], s[o + 2], s[o + 3], s[9 + q], s[12 + q],
                                  mean_tl, perf.mean(), f_mult, F, R, prm[5], prm[6], drain,
                                  prm[10], prm[23] if q else g_min, K, prm[19], prm[20],
                                  prm[21], prm[22], block_s, s[11] if q else 1.0)
            s[o:o + 4] = out[:4]
            s[9 + q], s[12 + q] = out[4], out[5]
        caps.append(muscle_capacity(s, prm))
    return np.array(caps)


@pytest.mark.parametrize("joint, p_st, u, block_s", [("general", 0.5, 0.5, 60.0),
                                                     ("ankle", 0.8, 0.7, 60.0),
                                                     ("knee", 0.38, 0.6, 15.0)])
def test_block_step_tracks_resolved_stepping(joint, p_st, u, block_s):
    prm = muscle_parameters(joint, p_st, energy=True)
    every = int(round(block_s / DT))
    resolved = capacity_series(simulate_states(stride_series(u, 1.0), DT, prm,
                                               fresh_state())[::every], prm)
    block = _block_run(prm, u, block_s, 60)
    assert resolved[-1] < 0.97                          # the task does fatigue
    assert np.abs(block - resolved[:len(block)]).max() < 0.01


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.sampled_from([16, 64, 80]),
       tau_on=st.floats(0.2, 5.0), tau_off=st.floats(0.2, 5.0), isch0=st.floats(0.0, 1.0))
def test_stride_perfusion_is_the_periodic_solution(seed, n, tau_on, tau_off, isch0):
    """The periodic perfusion is periodic and is the filter's own mean: stepping the
    ischaemia filter (:func:`ischaemia_step`) over the stride from the returned I comes
    back to it, each sample's mean is ``1 - perf``, and the plain fixed-point iteration of
    the reference (:func:`sim.core.reference_fatigue._stride_perfusion`) agrees."""
    from sim.core.reference_fatigue import _stride_perfusion

    rng = np.random.default_rng(seed)
    stance = rng.integers(1, n)
    u = rng.uniform(0.0, 0.7, n) * (np.arange(n) < stance)
    dt = 0.75 / n
    perf = np.zeros(n)
    i_star = stride_perfusion(u, dt, isch0, tau_on, tau_off, 0.1, 0.2, perf)
    isch = i_star
    for j in range(n):
        isch, mean = ischaemia_step(isch, occlusion(u[j], 0.1, 0.2), tau_on, tau_off, dt)
        assert abs((1.0 - mean) - perf[j]) < 1e-11
    assert abs(isch - i_star) < 1e-11
    p_ref, i_ref = _stride_perfusion(u, dt, isch0, tau_on, tau_off, 0.1, 0.2)
    np.testing.assert_allclose(perf, p_ref, rtol=0.0, atol=1e-9)
    assert abs(i_ref - i_star) < 1e-9
