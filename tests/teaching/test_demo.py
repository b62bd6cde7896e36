"""The teaching demo runs headless: updates move the plotted data, toggles set the
interventions, and the animation is a GIF with more than one frame."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import sim  # noqa: E402
from sim.demo import DEFAULT_GIF, Demo, animate_run, display_available, run_demo  # noqa: E402


@pytest.fixture
def demo():
    d = Demo(sim.load_config(None, {"run.duration_min": 20, "spike.index": "shear_bw"}))
    yield d
    d.close()


def _shear_line(d):
    return np.asarray(d._shear.get_ydata(), dtype=float)


def test_update_changes_plotted_data(demo):
    before = _shear_line(demo).copy()
    axes_before = list(demo.figure.axes)
    res = demo.update(tightness_deg=20.0)
    after = _shear_line(demo)
    assert res is demo.result
    assert demo.settings.tightness_deg == 20.0
    # more tightness: higher shear line, drawn in the same axes
    assert np.nanmax(after) > np.nanmax(before)
    assert np.nanmean(after) > np.nanmean(before)
    assert demo.figure.axes == axes_before
    np.testing.assert_allclose(after, res.shear_bw)
    assert demo.last_update_s > 0
    tilt = np.asarray(demo._tilt.get_ydata(), dtype=float)
    assert np.nanmax(tilt) > 0


def test_slider_drives_update(demo):
    demo.sliders["core_strength"].set_val(0.5)
    assert demo.settings.core_strength == 0.5
    assert demo.result.config.scenario.core_strength == 0.5


def test_update_syncs_sliders(demo):
    demo.update(speed_mps=3.5, duration_min=30.0)
    assert demo.sliders["speed_mps"].val == pytest.approx(3.5)
    assert demo.sliders["duration_min"].val == pytest.approx(30.0)
    assert demo.axes["shear"].get_xlim()[1] == pytest.approx(30.0, rel=0.05)


def test_check_buttons_toggle_interventions(demo):
    labels = [t.get_text() for t in demo.checks.labels]
    assert demo.settings.stretch_before_deg == 0.0
    demo.checks.set_active(0)                      # stretch before the run
    assert demo.settings.stretch_before_deg > 0
    assert demo.result.config.intervention.stretch_before_deg > 0
    demo.checks.set_active(0)
    assert demo.settings.stretch_before_deg == 0.0

    demo.checks.set_active(1)                      # slow down
    assert demo.settings.pace_policy == "slow_down"
    demo.checks.set_active(2)                      # in-run sequence replaces slow down
    assert demo.settings.pace_policy == "in_run_sequence"
    assert demo.checks.get_status()[1:3] == [False, True]
    demo.checks.set_active(2)
    assert demo.settings.pace_policy == "none"

    demo.checks.set_active(3)                      # rest break at half-time
    assert demo.settings.rest_break
    breaks = demo.result.config.intervention.rest_breaks
    assert len(breaks) == 1 and breaks[0]["at_min"] == pytest.approx(10.0)
    assert np.any(demo.result.speed_mps == 0)
    assert len(labels) == 4


def test_bad_setting_is_a_clear_error(demo):
    before = demo.settings
    with pytest.raises(sim.ConfigError, match="run.speed_mps = 7.0: out of range"):
        demo.update(speed_mps=7.0)
    assert demo.settings == before
    with pytest.raises(sim.ConfigError, match="did you mean 'speed_mps'"):
        demo.update(sped_mps=3.0)


def test_demo_without_widgets_and_spike_text():
    d = Demo(sim.load_config(None, {"run.duration_min": 10, "spike.index": "shear_bw"}),
             widgets=False)
    try:
        assert d.sliders == {} and d.checks is None
        res = d.update(tightness_deg=25.0)
        text = d._status.get_text()
        assert ("spike" in text.lower()) or ("from the start" in text)
        assert np.isfinite(res.spike_onset_s)
        assert d._onset[0].get_visible()
    finally:
        d.close()


def _frames(path):
    with Image.open(path) as im:
        return im.n_frames, im.size


def test_animate_run_writes_gif(tmp_path):
    cfg = sim.load_config(None, {"run.duration_min": 20, "intervention.rest_breaks":
                                 [{"at_min": 8.0, "duration_min": 3.0}]})
    res = sim.simulate(cfg)
    out = animate_run(res, tmp_path / "sub" / "run.gif", frames=5, fps=5)
    n, size = _frames(out)
    assert n > 1
    assert size[0] > 0 and size[1] > 0
    assert out.stat().st_size > 0
    assert [p.name for p in out.parent.iterdir()] == ["run.gif"]   # no temporary left


def test_animate_run_needs_two_frames(tmp_path):
    res = sim.simulate(sim.load_config(None, {"run.duration_min": 10}))
    with pytest.raises(ValueError, match="at least 2 frames"):
        animate_run(res, tmp_path / "x.gif", frames=1)


def test_run_demo_save(tmp_path, capsys):
    out = tmp_path / "demo.gif"
    assert run_demo(save=out, overrides={"run.duration_min": 10}, frames=4, fps=4) == 0
    assert _frames(out)[0] == 4
    assert str(out) in capsys.readouterr().out


def test_run_demo_headless_writes_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert not display_available()
    assert run_demo(overrides={"run.duration_min": 10}, frames=3) == 0
    assert _frames(tmp_path / DEFAULT_GIF)[0] == 3


def test_run_demo_bad_override():
    with pytest.raises(sim.ConfigError, match="run.speed_mps"):
        run_demo(overrides={"run.speed_mps": 7.0})


def test_default_demo_runner_tips_over_during_the_run():
    d = Demo(widgets=False)
    try:
        onset = d.result.spike_onset_s
        assert 20 * 60 < onset < 150 * 60          # something happens, late in the run
        assert d.base_cfg.spike.index == "superficial_load"
        line = d._shear
        np.testing.assert_array_equal(line.get_ydata(), d.result.superficial_load_index)
        assert d._onset[0].get_visible()
        assert np.nanmax(d._flex.get_ydata()) > 0.0        # the forward lean is drawn
    finally:
        d.close()
