"""Run figures: every plot renders, with labelled units, titles, legends and the result's data."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import sim  # noqa: E402
from sim import plots  # noqa: E402

UNIT = r"\[.+\]"


@pytest.fixture(scope="module")
def res():
    return sim.simulate(sim.load_config(None, {"run.duration_min": 15.0,
                                               "scenario.hip_flexor_tightness_deg": 15.0}))


@pytest.fixture(scope="module")
def res_fast():
    return sim.simulate(sim.load_config(None, {"run.duration_min": 12.0, "run.speed_mps": 4.0}))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _texts(fig):
    return [t.get_text() for t in fig.texts]


def _check_common(fig):
    """Bold title, the disclaimer footnote, units on every visible axis label."""
    assert fig._suptitle is not None and fig._suptitle.get_text()
    assert any(plots.DISCLAIMER in t for t in _texts(fig))
    for ax in fig.axes:
        for label in (ax.get_xlabel(), ax.get_ylabel()):
            if label:
                assert "[" in label and "]" in label, label


def _line(ax, gid):
    found = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    assert len(found) == 1, gid
    return found[0]


def _legend_labels(fig):
    labels = []
    for leg in fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]:
        labels += [t.get_text() for t in leg.get_texts()]
    return labels


def test_load_curves(res):
    fig = plots.load_curves(res)
    _check_common(fig)
    assert len(fig.axes) == 5
    assert fig.axes[-1].get_xlabel() == "run time [min]"
    assert fig.axes[2].get_ylabel() == "L5/S1 anterior shear [body weights]"
    assert all(ax.get_title() for ax in fig.axes)
    shear = fig.axes[2].get_lines()[0]
    np.testing.assert_allclose(shear.get_ydata(), res.shear_bw)
    assert fig.axes[2].get_ylim()[0] == 0.0  # no truncated axis
    assert any("spike threshold" in s for s in _legend_labels(fig))


def test_pool_depletion_default_muscles_and_data(res):
    fig = plots.pool_depletion(res)
    _check_common(fig)
    names = ["gluteus_medius", "vasti", "soleus", "multifidus", "erector_spinae_deep",
             "erector_spinae_superficial"]
    assert len(fig.axes) == len(names)
    n = res.time_s.size
    for ax, name in zip(fig.axes, names):
        i = res.muscles.index(name)
        assert ax.get_title() == plots.MUSCLE_LABELS[name].replace("\n", " ")
        assert ax.get_ylim() == (0.0, 105.0)
        st, ft = _line(ax, "st_capacity"), _line(ax, "ft_capacity")
        np.testing.assert_allclose(st.get_ydata()[:n], res.pool_capacity[:, i, 0] * 100)
        np.testing.assert_allclose(ft.get_ydata()[:n], res.pool_capacity[:, i, 1] * 100)
        np.testing.assert_allclose(_line(ax, "st_energy").get_ydata()[:n], res.energy[:, i, 0] * 100)
        np.testing.assert_allclose(_line(ax, "ft_energy").get_ydata()[:n], res.energy[:, i, 1] * 100)
        np.testing.assert_allclose(_line(ax, "muscle_capacity").get_ydata()[:n],
                                   res.capacity[:, i] * 100)
        # states at checkpoint starts, held to the end of the run
        np.testing.assert_allclose(st.get_xdata()[:n], res.time_s / 60)
        assert st.get_xdata()[-1] == pytest.approx(15.0)
        # colour is the pool, line style the quantity
        assert st.get_color() == _line(ax, "st_energy").get_color() != ft.get_color()
        assert st.get_linestyle() == "-" and _line(ax, "ft_energy").get_linestyle() == "--"
    assert [a.get_xlabel() for a in fig.axes[3:]] == ["run time [min]"] * 3
    assert fig.axes[0].get_ylabel() == "capacity, energy [% of fresh]"
    labels = _legend_labels(fig)
    assert len(labels) == 5
    assert "slow-twitch pool: capacity" in labels and "fast-twitch pool: energy store" in labels


def test_pool_depletion_subset_and_unknown(res):
    fig = plots.pool_depletion(res, ["gluteus_medius", "soleus"])
    assert [ax.get_title() for ax in fig.axes] == ["gluteus medius", "soleus"]
    with pytest.raises(ValueError, match="unknown muscle"):
        plots.pool_depletion(res, ["gluteus_maximum"])


def test_stride_forces_early_vs_late(res):
    fig = plots.stride_forces(res)
    _check_common(fig)
    names = ["gluteus_medius", "gluteus_minimus", "vasti", "erector_spinae_superficial",
             "erector_spinae_deep", "multifidus"]
    assert len(fig.axes) == len(names)
    last = res.stride_checkpoints.size - 1
    n_ph = res.stride_phase.size
    for ax, name in zip(fig.axes, names):
        i = res.muscles.index(name)
        early, late = _line(ax, "slot0"), _line(ax, f"slot{last}")
        np.testing.assert_allclose(early.get_ydata()[:n_ph], res.stride_force_N[0, :, i])
        np.testing.assert_allclose(late.get_ydata()[:n_ph], res.stride_force_N[-1, :, i])
        assert early.get_xdata()[0] == 0.0 and early.get_xdata()[-1] == 100.0
        assert ax.get_xlim() == (0.0, 100.0) and ax.get_ylim()[0] == 0.0
        assert len(ax.patches) >= 1  # stance shaded
    assert fig.axes[0].get_ylabel() == "force [N]"
    assert "gait cycle [%" in fig.axes[-1].get_xlabel()
    labels = _legend_labels(fig)
    assert labels[0] == "early: fresh start (0 min)"
    t_late = res.time_s[res.stride_checkpoints[-1]] / 60
    assert labels[1] == f"late: {t_late:.0f} min into the run"
    assert "right-foot stance" in labels


def test_compensation_angles(res):
    fig = plots.compensation_angles(res)
    _check_common(fig)
    assert len(fig.axes) == 3
    lean, tilt, stride = fig.axes
    np.testing.assert_allclose(lean.get_lines()[0].get_ydata(), res.trunk_lean_deg)
    np.testing.assert_allclose(tilt.get_lines()[0].get_ydata(), res.pelvic_tilt_deg)
    assert np.all(res.pelvic_tilt_deg > 0)  # 15 deg tightness tilts the pelvis
    n_ph = res.stride_phase.size
    np.testing.assert_allclose(_line(stride, "slot0").get_ydata()[:n_ph], res.stride_lean_deg[0])
    last = res.stride_checkpoints.size - 1
    np.testing.assert_allclose(_line(stride, f"slot{last}").get_ydata()[:n_ph],
                               res.stride_lean_deg[-1])
    assert all(ax.get_title() for ax in fig.axes)
    assert len(stride.get_legend().get_texts()) == 3


def test_compensation_angles_without_tightness(res_fast):
    fig = plots.compensation_angles(res_fast)
    # a flexible runner's extra tilt is the pelvis's share of the forward lean (all of it);
    # a lean behind the fresh posture tilts the pelvis back and may reach the hip's range of
    # extension, whose deficit the pelvis then takes up too (tilt >= lean)
    run_ = res_fast.speed_mps > 0
    fwd = run_ & (res_fast.trunk_flexion_deg >= 0.0)
    np.testing.assert_allclose(res_fast.pelvic_tilt_deg[fwd], res_fast.trunk_flexion_deg[fwd],
                               atol=1e-9)
    assert np.all(res_fast.pelvic_tilt_deg[run_] >= res_fast.trunk_flexion_deg[run_] - 1e-9)
    labels = [ln.get_label() for ln in fig.axes[1].get_lines()]
    assert any("forward trunk lean" in s for s in labels)
    still = sim.simulate(sim.load_config(None, {"run.duration_min": 5,
                                                "model.forward_lean": False}))
    fig = plots.compensation_angles(still)
    assert any("no extra tilt" in t.get_text() for t in fig.axes[1].texts)


@pytest.mark.parametrize("n", [2, 3])
def test_compare_runs(res, res_fast, n):
    runs = [res, res_fast, res][:n]
    labels = ["tight", "fast", "again"][:n]
    fig = plots.compare_runs(runs, labels)
    _check_common(fig)
    assert len(fig.axes) == 4
    shear, sup, abd, speed = fig.axes
    for j, r in enumerate(runs):
        np.testing.assert_allclose(_line(shear, f"run{j}").get_ydata(), r.shear_bw)
        np.testing.assert_allclose(_line(sup, f"run{j}").get_ydata(), r.superficial_load_index)
        m = r.time_s.size
        np.testing.assert_allclose(_line(abd, f"run{j}").get_ydata()[:m],
                                   100 * r.group_capacity("hip_abductors"))
        np.testing.assert_allclose(_line(speed, f"run{j}").get_ydata()[:m], r.speed_mps)
        onset = r.spike_onsets["shear_bw"]
        marks = [ln for ln in shear.get_lines() if ln.get_gid() == f"onset{j}"]
        assert len(marks) == (1 if np.isfinite(onset) else 0)
        if marks:
            assert marks[0].get_xdata()[0] == pytest.approx(onset / 60)
    colours = {_line(shear, f"run{j}").get_color() for j in range(n)}
    assert len(colours) == n
    labels_shown = _legend_labels(fig)
    assert len(labels_shown) == n
    assert all(s.startswith(lab) for s, lab in zip(labels_shown, labels))
    assert speed.get_xlabel() == "run time [min]"
    assert "[body weights]" in shear.get_ylabel() and speed.get_ylabel() == "speed [m/s]"


def test_compare_runs_rejects_bad_input(res, res_fast):
    with pytest.raises(ValueError, match="at least two"):
        plots.compare_runs([res])
    with pytest.raises(ValueError, match="labels"):
        plots.compare_runs([res, res_fast], ["one"])
    fig = plots.compare_runs([res, res])  # same name twice: labels made unique
    labels = _legend_labels(fig)
    assert labels[0] != labels[1]
