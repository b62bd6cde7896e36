"""Scenario inputs: what one runner's scenarios share is computed once, and shared safely."""
import json

import numpy as np

from sim.config import load_config
from sim.core.scenario import build_inputs
from sim.physics import energy, params
from sim.physics.fatigue.pools import MUSCLE_PARAMS


def test_changing_a_scenarios_arrays_leaves_the_next_scenario_alone():
    """The runner's shared arrays are handed out as copies (calibration code scales a
    scenario's parameters in place)."""
    cfg = load_config(None, {"run.duration_min": 10})
    a = build_inputs(cfg)
    keep = {k: getattr(a, k).copy() for k in ("F0", "prm", "quad_w", "sup_col", "col_rho")}
    for k in keep:
        getattr(a, k)[...] = 0
    a.meta["drain_scale"][...] = 0.0
    b = build_inputs(cfg)
    for k, v in keep.items():
        np.testing.assert_array_equal(getattr(b, k), v)
    assert np.all(b.meta["drain_scale"] > 0.0)


def test_strength_multiplies_only_its_muscles_whatever_was_built_before():
    base = build_inputs(load_config(None, {"run.duration_min": 10}))
    weak = build_inputs(load_config(None, {"run.duration_min": 10,
                                           "scenario.core_strength": 0.5}))
    deep = [base.muscles.index(m) for m in base.groups["lumbar_deep"]]
    ratio = weak.F0 / base.F0
    np.testing.assert_allclose(ratio[deep], 0.5, rtol=1e-15)
    others = np.setdiff1d(np.arange(ratio.size), deep)
    np.testing.assert_array_equal(ratio[others], 1.0)


def test_a_new_energy_calibration_reaches_the_next_scenario(tmp_path, monkeypatch):
    """After ``energy.clear_cache()`` (as a calibration does once it has written its
    file) the next scenario is built from the new file, not from what was shared."""
    cfg = load_config(None, {"run.duration_min": 10})
    k = MUSCLE_PARAMS.index("slow_rate")
    before = build_inputs(cfg).prm[0, :, k].copy()
    data = json.loads(params.data_path("energy_calibration.json").read_text())
    data["slow_rate"] *= 2.0
    (tmp_path / "energy_calibration.json").write_text(json.dumps(data))
    real = params.data_path
    monkeypatch.setattr(params, "data_path", lambda name: tmp_path / name
                        if name == "energy_calibration.json" else real(name))
    energy.clear_cache()
    try:
        after = build_inputs(cfg).prm[0, :, k]
        np.testing.assert_allclose(after, 2.0 * before, rtol=1e-12)
    finally:
        monkeypatch.undo()
        energy.clear_cache()
    np.testing.assert_array_equal(build_inputs(cfg).prm[0, :, k], before)
