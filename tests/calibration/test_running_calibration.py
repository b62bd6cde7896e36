"""The running calibration (sim/calibration/running.py): the stored heavy-domain fit is what
the code computes.

Re-fitting takes minutes (``experiments/calibrate_running_fatigue.py``); these tests re-run
only the pieces that the stored file records: the drain scales at the reference marathon
pace and the times to exhaustion at two of the fit's anchors.
"""
import json

import numpy as np
import pytest

from sim.calibration import running as R
from sim.physics import params


@pytest.fixture(scope="module")
def stored():
    cal = json.loads(params.data_path("energy_calibration.json").read_text(encoding="utf-8"))
    scales, worst = R.fit_drain_scales(3.2, cal["slow_rate"], wall=cal["wall"])
    return cal, scales, worst


def test_drain_scales_at_the_reference_pace_meet_the_wall(stored):
    _, _, worst = stored
    assert worst < 0.002


@pytest.mark.parametrize("which", [3, 6])      # the 10-km race; 1.2 x marathon pace
def test_stored_anchor_times_are_what_the_code_gives(stored, which):
    cal, scales, _ = stored
    row = cal["heavy_anchors"][which]
    t = R.exhaustion_time(row["speed_mps"], scales, cal["slow_rate"],
                          (cal["heavy_gain"], cal["heavy_power"]),
                          floor=cal["reserve_floor"], t_max_s=4 * 3600.0)
    # the stored speed is rounded to 0.1 mm/s and the constants to 5 digits
    assert t == pytest.approx(row["model_s"], abs=2 * R.EXHAUSTION_BLOCK_S)
    assert np.isfinite(t)


def test_pooled_wall_shares_one_drain_scale(stored):
    """The wall with one drain scale for every muscle, aimed at the locomotor muscles'
    F0-weighted whole store at 20 % at 30 km (experiments/recruitment_onset.py rows
    20-22): the fit moves that one scale only."""
    cal = stored[0]
    scales, worst = R.fit_drain_scales(3.2, cal["slow_rate"], wall="pooled", max_iter=8)
    assert np.all(scales == scales[0]) and scales[0] > 0.0
    assert np.isfinite(worst)


def test_an_unknown_wall_is_refused():
    with pytest.raises(ValueError, match="wall = 'emptiest'"):
        R.calibrate(write=False, wall="emptiest")


def _locomotor(cal, scales):
    """The locomotor muscles' slow-twitch stores and their F0-weighted whole store at 30 km."""
    from sim.physics.energy import LOCOMOTOR_MUSCLES, locomotor_store
    from sim.config import load_config
    from sim.core.scenario import build_inputs
    from sim.physics.fatigue.pools import P
    from sim.physics.muscles import muscle_set

    inp = build_inputs(load_config(None))
    loco = [list(inp.muscles).index(m) for m in LOCOMOTOR_MUSCLES]
    st, ft = R.stores_at_wall(3.2, scales, cal["slow_rate"])
    e = np.stack([st, ft], axis=-1)[None]
    F0 = muscle_set(inp.scalar("mass_kg")).F0
    whole = float(locomotor_store(e, inp.prm[0, :, P.p_st], F0, inp.muscles)[0])
    return st[loco], whole, loco


def test_the_shipped_wall_is_one_whole_body_number(stored):
    """The shipped wall: the locomotor muscles' F0-weighted whole store is 20 % at 30 km,
    their slow-twitch stores at one common level below it (type I fibres empty first), and
    the per-muscle drains stay within a factor of 10 of one another. Holding every
    slow-twitch store at 20 % instead (the wall before) leaves the whole store far above
    20 %, the fast-twitch pools fuller."""
    cal, scales, _ = stored
    assert cal["wall"] == "level"
    st, whole, loco = _locomotor(cal, scales)
    assert whole == pytest.approx(0.2, abs=0.002)
    assert np.ptp(st) < 0.005 and st.max() < 0.05
    assert scales[loco].max() / scales[loco].min() < 10.0
    st_wall, _ = R.fit_drain_scales(3.2, cal["slow_rate"], wall="slow_twitch", max_iter=12)
    st_old, whole_old, _ = _locomotor(cal, st_wall)
    assert np.all(st_old == pytest.approx(0.2, abs=0.005))
    assert whole_old > whole + 0.1


def test_the_level_walls_common_factor_closes_in_on_a_ragged_target():
    """Block-mode runs make the whole store a slightly ragged function of the drains; the
    common factor's step keeps a bracket of the target, so it closes in on a jump that a
    bare secant would circle."""
    from sim.calibration.wall import _level_step

    w = np.array([0.5, 0.5])

    def whole(x):              # falls with the log common scale x; jumps by 0.0012 at 0.5
        return 0.25 - 0.1 * x + (0.0012 if x < 0.5 else 0.0)

    scales, history = np.ones(2), []
    for _ in range(30):
        x = float(np.log(scales) @ w)
        t_st = np.array([90.0, 110.0]) / scales      # a larger drain empties sooner
        step, _ = _level_step(t_st, whole(x), w, scales, history)
        scales = scales * step
    assert float(np.log(scales) @ w) == pytest.approx(0.5, abs=0.01)
    assert scales[0] / scales[1] == pytest.approx(90.0 / 110.0, rel=1e-6)   # one crossing time
