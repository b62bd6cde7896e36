"""Glycogen calibration: the wall near 30 km at marathon pace; faster drains faster."""
import numpy as np
import pytest

import sim
from sim.config import load_config
from sim.energy import (LOCOMOTOR_MUSCLES, WALL_DISTANCE_M, drain_scale, intensity_factor,
                        locomotor_store, training_factors)
from sim.scenario import build_inputs


def _st_stores(res):
    idx = [res.muscles.index(m) for m in LOCOMOTOR_MUSCLES]
    return res.energy[:, idx, 0]


def _whole_store(res):
    p = build_inputs(res.config).prm[0, :, 0]
    return locomotor_store(res.energy, p, res.F0_N, res.muscles)


@pytest.mark.parametrize("pace", [2.5, 3.2, 4.0])
def test_the_wall_is_reached_near_30_km_at_marathon_pace(pace):
    """The locomotor muscles' F0-weighted whole store is 20 % at 30 km, with every
    slow-twitch store at one common level below it (type I fibres empty first). The stored
    calibration still matches the model (re-run experiments/calibrate_running_fatigue.py
    after changing anything the load sharing or fatigue depends on)."""
    t_wall = WALL_DISTANCE_M / pace
    res = sim.simulate(load_config(None, {"run.speed_mps": pace, "runner.marathon_pace_mps": pace,
                                          "run.duration_min": t_wall / 60 + 2}))
    assert not res.exhausted                        # the pace is still held at the wall
    assert np.interp(t_wall, res.time_s, _whole_store(res)) == pytest.approx(0.20, abs=0.01)
    st = _st_stores(res)
    at_wall = np.array([np.interp(t_wall, res.time_s, st[:, m]) for m in range(st.shape[1])])
    assert np.ptp(at_wall) < 0.02, dict(zip(LOCOMOTOR_MUSCLES, at_wall))
    assert at_wall.max() < 0.2


def test_faster_than_marathon_pace_drains_faster_and_fitter_runners_slower():
    assert intensity_factor(3.6, 3.2) > 1.0 > intensity_factor(3.0, 3.2)
    slow = sim.simulate(load_config(None, {"run.duration_min": 90, "run.speed_mps": 3.0}))
    fast = sim.simulate(load_config(None, {"run.duration_min": 90, "run.speed_mps": 3.4}))
    assert _whole_store(fast)[-1] < _whole_store(slow)[-1]
    fit = sim.simulate(load_config(None, {"run.duration_min": 90, "run.speed_mps": 3.0,
                                          "runner.marathon_pace_mps": 3.8}))
    assert _whole_store(fit)[-1] > _whole_store(slow)[-1]


def test_training_factors_are_relative_drain_scales():
    inp = build_inputs(load_config(None))
    scales = drain_scale(3.2, inp.muscles)
    f = training_factors(scales, inp.muscles, inp.F0)
    assert np.allclose(f / scales, f[0] / scales[0])            # proportional to the scales
    slow = inp.prm[0, :, 20]
    assert np.allclose(slow / f, slow[0] / f[0])                # slow rates carry them


def test_drain_scale_outside_the_table_is_an_error():
    with pytest.raises(ValueError, match="outside the calibrated range"):
        drain_scale(6.0)


def test_drain_scale_is_handed_out_as_a_copy_of_the_cached_table():
    from sim.physics import energy

    a = drain_scale(3.1, ["vasti", "soleus"])
    a *= 0.0                                                     # the caller's own array
    b = drain_scale(3.1, ["vasti", "soleus"])
    assert np.all(b > 0.0)
    full = drain_scale(3.1)
    names = energy.calibration()["muscles"]
    assert np.array_equal(b, full[[names.index("vasti"), names.index("soleus")]])
    energy.clear_cache()                                         # after a new calibration
    assert np.array_equal(drain_scale(3.1, ["vasti", "soleus"]), b)


def test_a_parameter_value_is_the_loaded_one_and_loading_still_copies():
    from sim.physics import params

    assert params.value("fatigue", "reserve", "d_prime") == \
        params.load("fatigue")["reserve"]["d_prime"]
    p = params.load("fatigue")
    p["reserve"]["d_prime"] = -1.0
    assert params.value("fatigue", "reserve", "d_prime") > 0.0
    table = params.value("fatigue", "reserve")
    table["d_prime"] = -1.0                                     # a copy, not the cache
    assert params.value("fatigue", "reserve", "d_prime") > 0.0
