"""Compensation kernels: tightness, tilt, passive hip flexors, knee tracking."""
import numpy as np
import pytest

from sim.compensation import (effective_tightness_deg, knee_tracking_gain, lean_lever_hip,
                              passive_hip_flexor_moment, tilt_deficit_deg)
from sim.config import load_config
from sim.scenario import build_inputs


def test_tilt_deficit_is_extension_beyond_the_reduced_range():
    assert tilt_deficit_deg(11.0, 12.5, 0.0) == 0.0
    assert tilt_deficit_deg(11.0, 12.5, 20.0) == pytest.approx(18.5)
    assert tilt_deficit_deg(-40.0, 12.5, 20.0) == 0.0      # hip flexed: no deficit


def test_stretch_effect_fades_linearly_and_never_below_zero():
    assert effective_tightness_deg(0.0, 15.0, 10.0, 3600.0) == 5.0
    assert effective_tightness_deg(1800.0, 15.0, 10.0, 3600.0) == 10.0
    assert effective_tightness_deg(7200.0, 15.0, 10.0, 3600.0) == 15.0
    assert effective_tightness_deg(7200.0, 15.0, 10.0, 0.0) == 5.0      # lasts
    assert effective_tightness_deg(0.0, 5.0, 10.0, 0.0) == 0.0


def test_passive_moment_rises_to_its_end_of_range_value():
    x = np.linspace(-40.0, 20.0, 61)
    m = np.array([passive_hip_flexor_moment(v, 5.0, 13.0, 8.0) for v in x])
    assert np.all(np.diff(m) >= 0) and m.max() == pytest.approx(13.0)  # capped at the limit
    assert passive_hip_flexor_moment(-3.0, 5.0, 13.0, 8.0) == pytest.approx(13.0 * np.exp(-1.0))


def test_passive_parameters_scale_with_body_mass():
    a = build_inputs(load_config(None, {"runner.mass_kg": 60.0}))
    b = build_inputs(load_config(None, {"runner.mass_kg": 90.0}))
    ratio = b.scalar("passive_moment_at_limit_Nm") / a.scalar("passive_moment_at_limit_Nm")
    assert ratio == pytest.approx(1.5)
    # psoas tension per N*m falls with the moment arm, which grows as mass^(1/3)
    assert (a.scalar("psoas_tension_per_Nm") / b.scalar("psoas_tension_per_Nm")
            == pytest.approx(1.5 ** (1 / 3)))


def test_knee_tracking_gain_and_lean_lever():
    assert knee_tracking_gain(1.0, 0.3) == 1.0
    assert knee_tracking_gain(0.5, 0.3) == pytest.approx(1.15)
    assert knee_tracking_gain(1.2, 0.3) == 1.0           # no gain above fresh capacity
    assert lean_lever_hip(0.678, 0.33) == pytest.approx(0.22374)
