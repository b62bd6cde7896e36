"""Public API of sim.fatigue: results, argument checks, consistency, runnable examples."""
import doctest
import math

import numpy as np
import pytest

import sim.fatigue
from sim.fatigue import (calibration, closed_form_endurance_time, endurance_time,
                         muscle_parameters, parameters, pools, reference,
                         simulate_muscle, threecc)


def test_simulate_muscle_shapes_and_readonly():
    res = simulate_muscle(np.full(200, 0.4), 0.05, joint="knee", p_st=0.47)
    assert res.pools == ("ST", "FT")
    assert res.time_s.shape == (201,) and res.time_s[-1] == pytest.approx(10.0)
    for name in ("MA", "MR", "MF", "energy", "capacity"):
        assert getattr(res, name).shape == (201, 2)
    assert res.muscle_capacity.shape == (201,)
    assert np.allclose(res.MA + res.MR + res.MF, 1.0, atol=1e-12)
    with pytest.raises(ValueError):
        res.MA[0, 0] = 0.5
    joint = simulate_muscle(np.full(10, 0.4), 0.1, model="joint")
    assert joint.pools == ("joint",) and joint.MA.shape == (11, 1)


def test_muscle_capacity_is_weighted_pool_capacity():
    res = simulate_muscle(np.full(3000, 0.7), 0.1, joint="general", p_st=0.6)
    expected = 0.6 * res.capacity[:, 0] + 0.4 * res.capacity[:, 1]
    assert np.allclose(res.muscle_capacity, expected, atol=1e-14)
    assert res.muscle_capacity[-1] < 0.7       # the hold has failed by 300 s


def test_simulation_fails_when_endurance_time_says_so():
    for model in ("joint", "muscle"):
        et = endurance_time(0.6, joint="elbow", model=model, p_st=0.5)
        res = simulate_muscle(np.full(int(1.5 * et / 0.01), 0.6), 0.01, joint="elbow",
                              p_st=0.5, model=model, energy=False)
        t_fail = res.time_s[np.argmax(res.muscle_capacity < 0.6)]
        # joint model: exact steps, so only the 0.01 s sampling; muscle model: the pool
        # split is updated once per (adaptive) step in endurance_time
        assert t_fail == pytest.approx(et, abs=0.02 if model == "joint" else 0.005 * et)


def test_energy_flag_changes_long_holds_only():
    """The slow components (glycogen, slow depression) matter for hours, not minutes."""
    short = [endurance_time(0.5, model="muscle", energy=e) for e in (False, True)]
    assert short[1] == pytest.approx(short[0], rel=0.02)
    low = 0.08         # below the occlusion threshold: perfused, sustainable ...
    assert math.isinf(endurance_time(low, model="muscle"))
    u = np.full(6 * 360, low)                   # ... but over 6 h it costs capacity
    with_slow = simulate_muscle(u, 10.0, energy=True).muscle_capacity
    without = simulate_muscle(u, 10.0, energy=False).muscle_capacity
    assert abs(with_slow[36] - without[36]) < 0.01          # after 6 min: the same
    assert with_slow[-1] < without[-1] - 0.01                # after 6 h: lower


def test_array_and_scalar_inputs():
    et = endurance_time([0.3, 0.6])
    assert isinstance(et, np.ndarray) and et.shape == (2,)
    assert isinstance(endurance_time(0.3), float)
    assert isinstance(closed_form_endurance_time(0.3, 0.01, 0.001), float)


@pytest.mark.parametrize("call, words", [
    (lambda: simulate_muscle([0.2], 0.1, joint="hip"), ["joint='hip'", "general"]),
    (lambda: simulate_muscle([0.2, 1.2], 0.1), ["target=1.2", "[0, 1]"]),
    (lambda: simulate_muscle([0.2, np.nan], 0.1), ["target", "finite"]),
    (lambda: simulate_muscle([0.2], 0.0), ["dt=0.0", "> 0"]),
    (lambda: simulate_muscle([0.2], -1.0), ["dt=-1.0"]),
    (lambda: simulate_muscle([0.2], 0.1, p_st=1.0), ["p_st=1.0", "(0, 1)"]),
    (lambda: simulate_muscle([0.2], 0.1, p_st=0.0), ["p_st=0.0"]),
    (lambda: simulate_muscle([0.2], 0.1, model="pool"), ["model='pool'", "'joint'"]),
    (lambda: simulate_muscle([0.2], 0.1, gain=-3), ["gain=-3"]),
    (lambda: simulate_muscle(np.zeros((2, 2)), 0.1), ["1-D"]),
    (lambda: endurance_time(0.0), ["target=0.0", "(0, 1]"]),
    (lambda: endurance_time(1.5), ["target=1.5"]),
    (lambda: endurance_time(0.5, joint="neck"), ["joint='neck'"]),
    (lambda: closed_form_endurance_time(0.5, -1.0, 0.001), ["F=-1.0"]),
])
def test_bad_arguments_raise_clear_errors(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for w in words:
        assert w in str(err.value)


def test_parameter_vector_layout():
    v = muscle_parameters("knee", 0.47, energy=False)
    assert len(v) == len(pools.MUSCLE_PARAMS)
    c = sim.fatigue.pool_constants("knee", 0.47)
    for name, value in zip(pools.MUSCLE_PARAMS, v):
        if name in ("drain_st", "drain_ft", "refill", "slow_rate", "slow_recovery"):
            assert value == 0.0
        else:
            assert value == pytest.approx(getattr(c, name), rel=1e-15)


@pytest.mark.parametrize("module", [sim.fatigue, threecc, pools, parameters, calibration,
                                    reference])
def test_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_simulate_muscle_capacity_equals_the_kernel():
    """The result's capacity is the kernel's (glycogen, slow depression, both floors)."""
    from sim.fatigue.pools import fresh_state, muscle_capacity, simulate_states

    u = np.tile(np.r_[np.full(2, 0.7), np.zeros(2)], 10800)   # 3 h, 0.5 s on / 0.5 s off
    res = simulate_muscle(u, 0.25, joint="knee", p_st=0.45)
    prm = sim.fatigue.muscle_parameters("knee", 0.45)
    states = simulate_states(u, 0.25, prm, fresh_state())
    assert states[-1, 9] > 0.01 and states[-1, 3] < 0.9      # slow depression and drain act
    kernel = np.array([muscle_capacity(s, prm) for s in states])
    np.testing.assert_allclose(res.muscle_capacity, kernel, rtol=0, atol=1e-12)
