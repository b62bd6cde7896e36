"""Two-pool calibration: stored table, accuracy at the muscle set's p_st, provenance."""
import numpy as np
import pytest

from sim.fatigue import JOINT_CLASSES, endurance_time, joint_constants, pool_constants
from sim.fatigue.calibration import P_GRID, fit_scale
from sim.fatigue.parameters import load_calibration

# slow-twitch fractions the muscle set uses (most are off the 0.05 grid) and grid edges
P_MUSCLES = [0.30, 0.37, 0.38, 0.45, 0.47, 0.49, 0.50, 0.52, 0.55, 0.60, 0.62, 0.63, 0.70, 0.74,
             0.80, 0.89, 0.90]
TARGETS = np.linspace(0.20, 0.80, 25)          # includes targets between the fitted ones


@pytest.mark.parametrize("joint", JOINT_CLASSES)
def test_two_pool_muscle_within_20_percent_of_joint_model(joint):
    ref = endurance_time(TARGETS, joint=joint, model="joint")
    worst = 0.0
    for p in P_MUSCLES:
        et = endurance_time(TARGETS, joint=joint, model="muscle", p_st=p)
        worst = max(worst, np.abs(et / ref - 1.0).max())
    assert worst < 0.20, worst
    assert worst > 0.01                 # the split is not trivially identical pools


@pytest.mark.parametrize("joint", JOINT_CLASSES)
def test_pool_constants_keep_the_contrast_and_mean_recovery(joint):
    jc = joint_constants(joint)
    for p in P_MUSCLES:
        c = pool_constants(joint, p)
        assert c.F_ft / c.F_st == pytest.approx(3.0)
        assert c.R_st / c.R_ft == pytest.approx(1.5)
        assert p * c.R_st + (1 - p) * c.R_ft == pytest.approx(jc.R)
        # FT fatigues faster than the joint average; ST slower except in ST-rich muscles
        # (p_st >= 0.8), where the perfused first seconds of a hold need an ST rate above
        # the joint's to give the same endurance time
        assert jc.F < c.F_ft
        if p < 0.8:
            assert c.F_st < jc.F


def test_scale_rises_with_slow_twitch_fraction():
    for joint, row in load_calibration()["joint_class"].items():
        assert np.all(np.diff(row["scale_F"]) > 0), joint
        assert max(row["max_abs_rel_error"]) < 0.2, joint
        assert row["p_st"] == pytest.approx(list(P_GRID))


def test_stored_table_matches_the_code():
    cal = load_calibration()
    row = cal["joint_class"]["trunk"]
    i = row["p_st"].index(0.55)
    fit = fit_scale("trunk", 0.55)
    assert fit["scale_F"] == pytest.approx(row["scale_F"][i], rel=2e-3)
    assert fit["max_abs_rel_error"] == pytest.approx(row["max_abs_rel_error"][i], abs=2e-3)


def test_provenance_is_recorded():
    prov = load_calibration()["provenance"]
    for key in ("created_utc", "version", "method", "objective", "F_contrast", "R_contrast",
                "gain_per_s", "targets"):
        assert key in prov
    assert "energy store off" in prov["objective"]


def test_interpolation_between_grid_points_is_smooth():
    s = [pool_constants("knee", p).scale_F for p in np.linspace(0.3, 0.9, 61)]
    assert np.all(np.diff(s) > 0)
