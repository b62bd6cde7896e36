"""3CC-r kernel: exactness, conservation, bounds, closed form, agreement with the reference."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.linalg import expm

from sim.fatigue import (JOINT_CLASSES, closed_form_endurance_time, endurance_time,
                         joint_constants)
from sim.fatigue import reference, threecc

TARGETS = np.round(np.arange(0.20, 0.9001, 0.05), 2)

# ---------------------------------------------------------------- closed form -------


@pytest.mark.parametrize("joint", JOINT_CLASSES)
def test_endurance_time_matches_closed_form_at_gain_10(joint):
    c = joint_constants(joint)
    et = endurance_time(TARGETS, joint=joint, model="joint", gain=10.0)
    cf = closed_form_endurance_time(TARGETS, c.F, c.R)
    rel = np.abs(et / cf - 1.0)
    assert rel.max() < 0.02, (joint, rel.max())
    # the controller's lag is real: it lengthens the hold most at high targets
    assert rel[-1] > 0.005 and rel[-1] == rel.max()


@pytest.mark.parametrize("joint", JOINT_CLASSES)
def test_endurance_time_matches_closed_form_at_gain_100(joint):
    c = joint_constants(joint)
    et = endurance_time(TARGETS, joint=joint, model="joint", gain=100.0)
    cf = closed_form_endurance_time(TARGETS, c.F, c.R)
    assert np.abs(et / cf - 1.0).max() < 0.003


@pytest.mark.parametrize("joint", JOINT_CLASSES)
def test_sustainable_below_threshold(joint):
    c = joint_constants(joint)
    threshold = c.R / (c.F + c.R)
    assert math.isinf(endurance_time(0.9 * threshold, joint=joint))
    assert math.isinf(closed_form_endurance_time(0.9 * threshold, c.F, c.R))
    assert math.isfinite(endurance_time(1.2 * threshold, joint=joint))


def test_closed_form_value():
    # general class, 50 % MVC: -ln(1 - 0.00091*0.5/(0.0097*0.5))/0.00091
    expected = -math.log(1.0 - 0.00091 / 0.0097) / 0.00091
    assert closed_form_endurance_time(0.5, 0.0097, 0.00091) == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------- exact pieces ------


def test_phi1():
    assert threecc.phi1(0.0) == 1.0
    for x in (1e-10, 1e-6, 0.1, 1.0, 50.0, 1e4):
        assert threecc.phi1(x) == pytest.approx(-math.expm1(-x) / x, rel=1e-12)


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_solve_affine2_equals_matrix_exponential(seed):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(2, 2)) * 10.0 ** rng.uniform(-2, 2)
    if np.any(np.linalg.eigvals(M).real >= -1e-6):
        M = M - (np.abs(np.linalg.eigvals(M).real).max() + 0.1) * np.eye(2)
    b, x, t = rng.normal(size=2), rng.normal(size=2), rng.uniform(0.0, 5.0)
    A = np.zeros((5, 5))        # augmented: x, its integral, constant 1
    A[:2, :2], A[:2, 4], A[2:4, :2] = M, b, np.eye(2)
    z = expm(A * t) @ np.r_[x, 0.0, 0.0, 1.0]
    got = threecc.solve_affine2(M[0, 0], M[0, 1], M[1, 0], M[1, 1], b[0], b[1], x[0], x[1], t)
    scale = max(1.0, np.abs(z).max())
    assert np.allclose(got, z[:4], rtol=1e-8, atol=1e-9 * scale)


def test_stiff_gain_neither_overflows_nor_overshoots():
    ma, mr, mf, a = threecc.step(0.0, 1.0, 0.0, 0.4, 0.01, 0.001, 15.0, 1e4, 0.01, 60.0)
    assert np.isfinite([ma, mr, mf, a]).all()
    assert ma <= 0.4 and ma == pytest.approx(0.4 * 1e4 / (1e4 + 0.01) * 1, rel=1e-3)


def test_rest_uses_r_times_R():
    # no activity: MF decays at r*R exactly
    ma, mr, mf, _ = threecc.step(0.0, 0.7, 0.3, 0.0, 0.01, 0.002, 15.0, 10.0, 0.01, 20.0)
    assert mf == pytest.approx(0.3 * math.exp(-15 * 0.002 * 20.0), rel=1e-12)
    assert threecc.recovery_rate(0.005, 0.002, 15.0, 0.01) == pytest.approx(0.03)
    assert threecc.recovery_rate(0.02, 0.002, 15.0, 0.01) == 0.002


# ---------------------------------------------------------------- properties --------

targets = st.one_of(st.sampled_from([0.0, 1.0, 0.01, 0.00999, 1.0 - 1e-12, 1.0 + 1e-9, 1.5,
                                     -0.2, float("nan")]),
                    st.floats(0.0, 1.0))
states = st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)).map(
    lambda p: (min(p), max(p) - min(p), 1.0 - max(p)))        # (MA, MR, MF) on the simplex
rates = st.floats(1e-5, 2.0)
gains = st.floats(0.05, 2000.0)
steps = st.one_of(st.sampled_from([1e-4, 0.01, 1.0, 60.0]), st.floats(1e-5, 60.0))


@given(states, targets, rates, rates, st.floats(1.0, 60.0), gains, steps)
@settings(max_examples=300, deadline=None)
def test_step_conserves_and_bounds(state, target, F, R, r, L, dt):
    ma, mr, mf = state
    for _ in range(3):
        ma, mr, mf, a = threecc.step(ma, mr, mf, target, F, R, r, L, 0.01, dt)
        assert abs(ma + mr + mf - 1.0) <= 1e-12
        assert 0.0 <= ma <= 1.0 and 0.0 <= mr <= 1.0 and 0.0 <= mf <= 1.0
        assert 0.0 <= a <= 1.0


@given(states, st.floats(0.0, 1.0), rates, rates, st.floats(1.0, 60.0),
       st.floats(10.0, 5000.0), steps)
@settings(max_examples=200, deadline=None)
def test_no_overshoot_with_fast_gains(state, target, F, R, r, L, dt):
    ma, mr, mf = state
    ma1, _, _, _ = threecc.step(ma, mr, mf, target, F, R, r, L, 0.01, dt)
    if ma <= target:
        assert ma1 <= target + 1e-12          # recruiting never passes the target
    else:
        assert ma1 <= ma + 1e-12              # de-recruiting never goes up


@given(st.integers(0, 2**32 - 1), st.sampled_from([0.005, 0.1, 2.0, 30.0]))
@settings(max_examples=25, deadline=None)
def test_kernel_equals_reference_on_random_series(seed, dt):
    rng = np.random.default_rng(seed)
    F, R = 10.0 ** rng.uniform(-3, -1.3, 2)
    r, L = rng.uniform(1, 30), 10.0 ** rng.uniform(0.5, 2)
    series = np.repeat(rng.uniform(0, 1, 12) * (rng.uniform(size=12) > 0.3), 4)
    a = b = (0.0, 1.0, 0.0)
    for tl in series:
        a = threecc.step(a[0], a[1], a[2], tl, F, R, r, L, 0.01, dt)[:3]
        b = reference.step_3ccr(b[0], b[1], b[2], tl, F, R, r, L, 0.01, dt)[:3]
        assert np.allclose(a, b, rtol=0, atol=1e-9)
