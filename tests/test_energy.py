"""Energy-store calibration: the wall near 30 km at marathon pace; faster drains faster."""
import numpy as np
import pytest

import sim
from sim.config import load_config
from sim.energy import WALL_DISTANCE_M, drain_scale, intensity_factor, locomotor_store


@pytest.mark.parametrize("pace", [2.5, 3.2, 4.0])
def test_stores_reach_about_20_percent_near_30_km_at_marathon_pace(pace):
    """The stored calibration still matches the model (re-run experiments/calibrate_energy.py
    after changing anything the load sharing or fatigue depends on)."""
    t_wall = WALL_DISTANCE_M / pace
    res = sim.simulate(load_config(None, {"run.speed_mps": pace, "runner.marathon_pace_mps": pace,
                                          "run.duration_min": t_wall / 60 + 2}))
    store = np.interp(t_wall, res.time_s, locomotor_store(res))
    assert store == pytest.approx(0.20, abs=0.02)


def test_faster_than_marathon_pace_drains_faster_and_fitter_runners_slower():
    assert intensity_factor(3.6, 3.2) > 1.0 > intensity_factor(3.0, 3.2)
    slow = sim.simulate(load_config(None, {"run.duration_min": 90, "run.speed_mps": 3.0}))
    fast = sim.simulate(load_config(None, {"run.duration_min": 90, "run.speed_mps": 3.6}))
    assert locomotor_store(fast)[-1] < locomotor_store(slow)[-1]
    fit = sim.simulate(load_config(None, {"run.duration_min": 90, "run.speed_mps": 3.0,
                                          "runner.marathon_pace_mps": 3.8}))
    assert locomotor_store(fit)[-1] > locomotor_store(slow)[-1]


def test_drain_scale_outside_the_table_is_an_error():
    with pytest.raises(ValueError, match="outside the calibrated range"):
        drain_scale(6.0)
