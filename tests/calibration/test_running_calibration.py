"""The running calibration (sim/calibration/running.py): the stored heavy-domain fit is what
the code computes.

Re-fitting takes minutes (``experiments/calibrate_running_fatigue.py``); these tests re-run
only the pieces that the stored file records: the slow-twitch drain scales at the reference
marathon pace and the times to exhaustion at two of the fit's anchors.
"""
import json

import numpy as np
import pytest

from sim.calibration import running as R
from sim.physics import params


@pytest.fixture(scope="module")
def stored():
    cal = json.loads(params.data_path("energy_calibration.json").read_text(encoding="utf-8"))
    scales, worst = R.fit_drain_scales(3.2, cal["slow_rate"])
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
    """The wall as one whole-body number: one scale for every muscle, aimed at the
    locomotor muscles' F0-weighted whole store at 20 % at 30 km. With the shipped
    recruitment (fast-twitch pools mostly idle at marathon pace) it is out of reach, which
    the fit reports instead of hiding; experiments/recruitment_onset.py reaches it with an
    earlier fast-twitch onset."""
    cal = stored[0]
    scales, worst = R.fit_drain_scales(3.2, cal["slow_rate"], wall="pooled", max_iter=8)
    assert np.all(scales == scales[0]) and scales[0] > 0.0
    assert 0.002 < worst < 1.0


def test_an_unknown_wall_is_refused():
    with pytest.raises(ValueError, match="wall = 'emptiest'"):
        R.calibrate(write=False, wall="emptiest")


def test_level_wall_lowers_every_slow_twitch_store_together(stored):
    """The wall as one whole-body number, the slow-twitch stores of all locomotor muscles
    at one common level: the level falls below the shipped 0.2 and the whole-body store
    comes nearer 0.2 than the shipped calibration's, without the per-muscle drains
    running away; with the shipped recruitment 0.2 itself is out of reach (the fit
    reports it)."""
    from sim.physics.energy import LOCOMOTOR_MUSCLES, locomotor_store
    from sim.config import load_config
    from sim.core.scenario import build_inputs
    from sim.physics.fatigue.pools import P
    from sim.physics.muscles import muscle_set

    cal, shipped, _ = stored
    inp = build_inputs(load_config(None))
    loco = [list(inp.muscles).index(m) for m in LOCOMOTOR_MUSCLES]
    F0 = muscle_set(inp.scalar("mass_kg")).F0

    def whole(scales):
        st, ft = R.stores_at_wall(3.2, scales, cal["slow_rate"])
        e = np.stack([st, ft], axis=-1)[None]
        return float(locomotor_store(e, inp.prm[0, :, P.p_st], F0, inp.muscles)[0]), st[loco]

    scales, worst = R.fit_drain_scales(3.2, cal["slow_rate"], wall="level", max_iter=12)
    w_level, st_level = whole(scales)
    w_shipped, st_shipped = whole(shipped)
    assert np.all(st_shipped == pytest.approx(0.2, abs=0.002))
    assert st_level.max() < 0.15                        # every slow-twitch store lower
    assert np.ptp(st_level) < 0.05                      # ... and together
    assert abs(w_level - 0.2) < abs(w_shipped - 0.2) - 0.05
    assert worst > 0.002
    assert scales[loco].max() / scales[loco].min() < 10.0
