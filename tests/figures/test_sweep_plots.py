"""Sweep figures: read summary.csv, onset/shear heatmaps, onset curves, write_figures."""
import itertools
import json
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection, QuadMesh  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from sim import sweep_plots as sp  # noqa: E402
from sim.plots import DISCLAIMER  # noqa: E402

TIGHT, SPEED, CORE = "scenario.hip_flexor_tightness_deg", "run.speed_mps", "scenario.core_strength"
FIELDS = ["spike_onset_s", "onset_shear_bw_s", "onset_superficial_load_s", "peak_shear_N",
          "peak_shear_bw", "peak_compression_N", "peak_superficial_load", "peak_trunk_lean_deg",
          "peak_pelvic_tilt_deg", "infeasible_strides", "strides", "distance_km",
          "end_capacity_hip_abductors", "end_capacity_lumbar_deep"]
CONFIG = """[run]
duration_min = 120.0
speed_mps = 3.0

[scenario]
hip_flexor_tightness_deg = 0.0
core_strength = 1.0

[spike]
index = "shear_bw"
shear_threshold_bw = 0.85
hold_s = 120.0
"""


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _model(t, v, c):
    """Synthetic outcome: earlier spikes with tightness, speed and a weak core."""
    onset_min = 170 - 3.2 * t - 45 * (v - 2.5) - 70 * (1 - c)
    shear = 0.72 + 0.006 * t + 0.05 * (v - 2.5) + 0.12 * (1 - c)
    infeasible = 40.0 if (v >= 4.0 and c <= 0.6 and t >= 15) else 0.0
    onset = onset_min * 60 if onset_min < 118 else float("nan")
    return {"spike_onset_s": onset, "onset_shear_bw_s": onset,
            "onset_superficial_load_s": float("nan"), "peak_shear_N": shear * 735.75,
            "peak_shear_bw": shear, "peak_compression_N": 2500.0, "peak_superficial_load": 0.8,
            "peak_trunk_lean_deg": 2.0, "peak_pelvic_tilt_deg": max(0.0, t - 5.0),
            "infeasible_strides": infeasible, "strides": 9000.0, "distance_km": v * 7.2,
            "end_capacity_hip_abductors": 0.5, "end_capacity_lumbar_deep": 0.6}


def _cell(v):
    return "nan" if np.isnan(v) else repr(float(v))


def _write(d, kind, keys, points, config=CONFIG, sweep=True):
    """A sweep directory: summary.csv (+ sweep.json, config.toml); returns the rows."""
    d.mkdir(parents=True, exist_ok=True)
    rows = []
    for p in points:
        r = dict(zip(keys, p))
        full = dict(zip((TIGHT, SPEED, CORE), (0.0, 3.0, 1.0)))
        full.update(r)
        r.update(_model(full[TIGHT], full[SPEED], full[CORE]))
        rows.append(r)
    lines = [",".join(["scenario"] + keys + FIELDS)]
    for i, r in enumerate(rows):
        lines.append(",".join([str(i)] + [_cell(r[c]) for c in keys + FIELDS]))
    (d / "summary.csv").write_text("\n".join(lines) + "\n")
    if sweep:
        (d / "sweep.json").write_text(json.dumps({"kind": kind, "keys": keys}))
    if config is not None:
        (d / "config.toml").write_text(config)
    return rows


GRID_T = [0.0, 5.0, 10.0, 15.0, 20.0]
GRID_V = [2.5, 3.0, 3.5, 4.0]
GRID_C = [0.6, 0.8, 1.0]


@pytest.fixture
def grid_dir(tmp_path):
    d = tmp_path / "grid"
    # scenario order as an executor might write it: core outermost, tightness innermost
    pts = [(t, v, c) for c, v, t in itertools.product(GRID_C, GRID_V, GRID_T)]
    rows = _write(d, "grid", [TIGHT, SPEED, CORE], pts)
    return d, rows


@pytest.fixture
def sample_dir(tmp_path):
    d = tmp_path / "sample"
    rng = np.random.default_rng(3)
    pts = [(float(t), float(v)) for t, v in zip(rng.uniform(0, 20, 60), rng.uniform(2.5, 4.0, 60))]
    pts.append((19.5, 3.95))  # fast and tight: spikes early ...
    rows = _write(d, "sample", [TIGHT, SPEED], pts)
    return d, rows


def _expected(rows, column, facet_value, core_key=CORE):
    """(ny, nx) array of a column for one core strength, NaN where never."""
    z = np.full((len(GRID_V), len(GRID_T)), -1.0)
    for r in rows:
        if r[core_key] == facet_value:
            z[GRID_V.index(r[SPEED]), GRID_T.index(r[TIGHT])] = r[column]
    assert (z != -1.0).all()
    return z


def _texts(fig):
    return [t.get_text() for t in fig.texts] + [fig._suptitle.get_text()]


def _meshes(fig):
    """The data meshes of the panels (the colour bar's own mesh has no gid)."""
    return [c for ax in fig.axes for c in ax.collections
            if isinstance(c, QuadMesh) and c.get_gid() is not None]


# --------------------------------------------------------------------------- reading

def test_read_summary_parses_nan_types_and_metadata(grid_dir):
    d, rows = grid_dir
    data = sp.read_summary(d)
    assert data["keys"] == [TIGHT, SPEED, CORE]
    assert data["kind"] == "grid" and data["duration_min"] == 120.0
    assert data["columns"][:4] == ["scenario", TIGHT, SPEED, CORE]
    assert data["config"]["spike"]["shear_threshold_bw"] == 0.85
    assert data["scenario"].dtype.kind == "i"
    assert data["scenario"].tolist() == list(range(len(rows)))
    onset = data["spike_onset_s"]
    assert onset.dtype == np.float64 and len(onset) == len(rows)
    want = np.array([r["spike_onset_s"] for r in rows])
    assert np.isnan(onset).sum() == np.isnan(want).sum() > 0
    np.testing.assert_array_equal(onset, want)  # NaN in the same places
    assert np.all(np.isnan(data["onset_superficial_load_s"]))
    assert (data["infeasible_strides"] > 0).sum() == 2


def test_read_summary_without_sweep_json_infers_keys_and_kind(tmp_path):
    d = tmp_path / "s"
    _write(d, "grid", [TIGHT, SPEED], [(t, v) for v in GRID_V for t in GRID_T],
           config=None, sweep=False)
    data = sp.read_summary(d)
    assert data["keys"] == [TIGHT, SPEED] and data["kind"] == "grid"
    assert data["duration_min"] == 120.0  # schema default without config.toml
    _write(tmp_path / "r", "sample", [TIGHT, SPEED], [(1.0, 3.0), (2.0, 3.3), (7.0, 2.9)],
           sweep=False)
    assert sp.read_summary(tmp_path / "r")["kind"] == "sample"


def test_read_summary_string_column_and_truncated_tail(tmp_path):
    d = tmp_path / "s"
    d.mkdir()
    (d / "summary.csv").write_text(
        "scenario,intervention.pace_policy,spike_onset_s,infeasible_strides\n"
        "0,none,3600.0,0\n1,slow_down,nan,0\n2,slow_d")
    with pytest.warns(UserWarning, match="truncated"):
        data = sp.read_summary(d)
    assert data["intervention.pace_policy"].tolist() == ["none", "slow_down"]
    assert np.isnan(data["spike_onset_s"][1])


def test_read_summary_errors(tmp_path):
    with pytest.raises(sp.SweepDataError, match="summary.csv"):
        sp.read_summary(tmp_path)
    (tmp_path / "summary.csv").write_text("scenario,run.speed_mps,spike_onset_s\n0,3\n1,3.5,nan\n")
    with pytest.raises(sp.SweepDataError, match="line 2"):
        sp.read_summary(tmp_path)
    (tmp_path / "summary.csv").write_text("scenario,run.speed_mps,spike_onset_s\n")
    (tmp_path / "sweep.json").write_text(json.dumps({"kind": "grid", "keys": ["run.speed_mps"]}))
    with pytest.raises(sp.SweepDataError, match="no rows"):
        sp.write_figures(tmp_path)
    (tmp_path / "sweep.json").write_text(json.dumps({"kind": "grid", "keys": ["run.nope"]}))
    with pytest.raises(sp.SweepDataError, match="run.nope"):
        sp.read_summary(tmp_path)


# --------------------------------------------------------------------------- labels

@pytest.mark.parametrize("key, text", [
    (TIGHT, "hip-flexor tightness [deg]"),
    (SPEED, "speed [m/s]"),
    (CORE, "core strength [× normal]"),
    ("scenario.glute_med_strength", "gluteus medius strength [× normal]"),
    ("intervention.rest_duration_min", "rest duration [min]"),
    ("some.unknown_key", "some.unknown_key"),
])
def test_labels(key, text):
    assert sp.label(key) == text


# --------------------------------------------------------------------------- write_figures

def test_write_figures_grid_writes_three_pngs(grid_dir):
    d, _ = grid_dir
    paths = sp.write_figures(d)
    names = [p.name for p in paths]
    assert names == ["onset_heatmap.png", "onset_vs_hip_flexor_tightness_deg.png",
                     "peak_shear_heatmap.png"]
    for p in paths:
        assert p.parent == d / "figures"
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(f.name for f in (d / "figures").iterdir()) == sorted(names)  # no temporaries
    assert plt.get_fignums() == []  # figures closed after saving


def test_write_figures_sample_writes_three_pngs(sample_dir):
    d, _ = sample_dir
    names = [p.name for p in sp.write_figures(d)]
    assert names == ["onset_heatmap.png", "onset_vs_hip_flexor_tightness_deg.png",
                     "peak_shear_heatmap.png"]


def test_one_key_sweep_gets_only_the_curve(tmp_path):
    d = tmp_path / "one"
    _write(d, "grid", [TIGHT], [(t,) for t in (0.0, 10.0, 20.0, 30.0)])
    assert [p.name for p in sp.write_figures(d)] == ["onset_vs_hip_flexor_tightness_deg.png"]
    assert sorted(f.name for f in (d / "figures").iterdir()) == [
        "onset_vs_hip_flexor_tightness_deg.png"]


# --------------------------------------------------------------------------- onset heatmap

def test_onset_heatmap_cells_are_onsets_in_minutes(grid_dir):
    d, rows = grid_dir
    data = sp.read_summary(d)
    fig = sp.onset_heatmap(data, TIGHT, SPEED, CORE)
    meshes = _meshes(fig)
    assert len(meshes) == len(GRID_C)
    for mesh, core in zip(meshes, GRID_C):
        assert mesh.get_gid() == "onset"
        z = mesh.get_array()
        want = _expected(rows, "spike_onset_s", core) / 60.0
        assert z.shape == want.shape
        never = np.isnan(want)
        assert never.any() and (~never).any()
        np.testing.assert_array_equal(np.ma.getmaskarray(z), never)  # never cells masked
        np.testing.assert_allclose(z.compressed(), want[~never], rtol=1e-12)
        assert mesh.axes.get_title() == f"core strength = {core:.1f} × normal"
    # one shared colour scale, from the start to the end of the run
    norms = {(m.norm.vmin, m.norm.vmax) for m in meshes}
    assert norms == {(0.0, 120.0)}


def test_onset_heatmap_marks_never_and_infeasible_cells(grid_dir):
    d, rows = grid_dir
    fig = sp.onset_heatmap(sp.read_summary(d), TIGHT, SPEED, CORE)
    for ax, core in zip(fig.axes, GRID_C):
        want = _expected(rows, "spike_onset_s", core)
        never_cells = {(i, j) for j, i in zip(*np.nonzero(np.isnan(want)))}
        labelled = {(round(t.get_position()[0]), round(t.get_position()[1]))
                    for t in ax.texts if t.get_text() == "never"}
        hatched = {(round(p.get_x() + 0.5), round(p.get_y() + 0.5)) for p in ax.patches
                   if isinstance(p, Rectangle) and p.get_gid() == "never"}
        assert labelled == never_cells == hatched
        bad = _expected(rows, "infeasible_strides", core) > 0
        outlined = {(round(p.get_x() + 0.42), round(p.get_y() + 0.42)) for p in ax.patches
                    if p.get_gid() == "infeasible"}
        assert outlined == {(i, j) for j, i in zip(*np.nonzero(bad))}
        assert (len(outlined) > 0) == (core == 0.6)
        assert "[deg]" in ax.get_xlabel() and "[m/s]" in ax.get_ylabel()
        assert ax.get_xlabel() == "hip-flexor tightness [deg]"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("never spiked within the 120-min run" in t for t in legend)
    assert any("could not hold the pace" in t for t in legend)
    texts = _texts(fig)
    assert "When does back loading spike?" in texts
    assert any(DISCLAIMER in t for t in texts)
    cbar = fig.axes[-1]
    assert "[min" in cbar.get_ylabel()


def test_earlier_onset_is_hotter(grid_dir):
    d, _ = grid_dir
    mesh = _meshes(sp.onset_heatmap(sp.read_summary(d), TIGHT, SPEED, CORE))[0]

    def luminance(minutes):
        r, g, b, _ = mesh.cmap(mesh.norm(minutes))
        return 0.299 * r + 0.587 * g + 0.114 * b

    assert luminance(15.0) < luminance(60.0) < luminance(115.0)
    r, g, b, _ = mesh.cmap(mesh.norm(15.0))
    assert r > 0.4 and r > 2 * b  # dark red, not dark blue


def test_heatmap_without_facet_holds_other_keys_at_base_value(grid_dir):
    d, rows = grid_dir
    data = sp.read_summary(d)
    fig = sp.onset_heatmap(data, TIGHT, SPEED)
    (mesh,) = _meshes(fig)
    want = _expected(rows, "spike_onset_s", 1.0) / 60.0  # base config: core_strength = 1.0
    np.testing.assert_allclose(mesh.get_array().filled(np.nan), want)
    assert "core strength = 1.0 × normal" in mesh.axes.get_title()
    (mesh,) = _meshes(sp.onset_heatmap(data, TIGHT, SPEED, fixed={CORE: 0.6}))
    np.testing.assert_allclose(mesh.get_array().filled(np.nan),
                               _expected(rows, "spike_onset_s", 0.6) / 60.0)
    with pytest.raises(sp.SweepDataError, match="not one of the swept values"):
        sp.onset_heatmap(data, TIGHT, SPEED, fixed={CORE: 0.7})


def test_incomplete_grid_shows_not_run_cells(tmp_path):
    d = tmp_path / "partial"
    pts = [(t, v) for v in GRID_V for t in GRID_T][:-3]  # a sweep still running
    _write(d, "grid", [TIGHT, SPEED], pts)
    fig = sp.onset_heatmap(sp.read_summary(d), TIGHT, SPEED)
    (mesh,) = _meshes(fig)
    assert np.ma.getmaskarray(mesh.get_array())[-1, -3:].all()
    assert sum(t.get_text() == "not run" for t in fig.axes[0].texts) == 3


def test_sample_heatmap_is_a_scatter_with_open_never_points(sample_dir):
    d, rows = sample_dir
    fig = sp.onset_heatmap(sp.read_summary(d), TIGHT, SPEED)
    ax = fig.axes[0]
    colls = {c.get_gid(): c for c in ax.collections if isinstance(c, PathCollection)}
    onset = np.array([r["spike_onset_s"] for r in rows]) / 60.0
    never = np.isnan(onset)
    assert never.any() and (~never).any()
    np.testing.assert_allclose(colls["onset"].get_array(), onset[~never])
    np.testing.assert_allclose(colls["onset"].get_offsets()[:, 0],
                               np.array([r[TIGHT] for r in rows])[~never])
    assert len(colls["never"].get_offsets()) == never.sum()
    assert len(colls["never"].get_facecolors()) == 0  # open markers
    assert ax.get_xlabel() == "hip-flexor tightness [deg]" and ax.get_ylabel() == "speed [m/s]"
    assert any(DISCLAIMER in t for t in _texts(fig))


# --------------------------------------------------------------------------- onset curves

def test_onset_vs_parameter_grid_lines_and_never_row(grid_dir):
    d, rows = grid_dir
    data = sp.read_summary(d)
    fig = sp.onset_vs_parameter(data, TIGHT, SPEED)
    ax = fig.axes[0]
    lines = [ln for ln in ax.lines if ln.get_gid() == "onset"]
    nevers = [ln for ln in ax.lines if ln.get_gid() == "never"]
    assert len(lines) == len(nevers) == len(GRID_V)
    for line, never_line, v in zip(lines, nevers, GRID_V):
        want = {r[TIGHT]: r["spike_onset_s"] / 60.0 for r in rows
                if r[SPEED] == v and r[CORE] == 1.0}
        fin = {t: m for t, m in want.items() if np.isfinite(m)}
        np.testing.assert_allclose(line.get_xdata(), sorted(fin))
        np.testing.assert_allclose(line.get_ydata(), [fin[t] for t in sorted(fin)])
        nx = sorted(t for t, m in want.items() if np.isnan(m))
        np.testing.assert_allclose(never_line.get_xdata(), nx)
        assert np.all(np.asarray(never_line.get_ydata()) > 120.0)  # above the end of the run
    ticks = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    assert ticks["never"] > 120.0 and "120" in ticks
    assert ax.get_xlabel() == "hip-flexor tightness [deg]"
    assert "[min" in ax.get_ylabel()
    assert "core strength = 1.0" in ax.get_title(loc="left")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "speed = 2.5 m/s" in legend and any("never spiked" in t for t in legend)
    assert "When does back loading spike?" in _texts(fig)
    assert any(DISCLAIMER in t for t in _texts(fig))


def test_onset_vs_parameter_sample_has_trend(sample_dir):
    d, rows = sample_dir
    fig = sp.onset_vs_parameter(sp.read_summary(d), TIGHT, SPEED)
    ax = fig.axes[0]
    (trend,) = [ln for ln in ax.lines if ln.get_gid() == "trend"]
    assert len(trend.get_xdata()) >= 2
    y = np.asarray(trend.get_ydata())
    assert y[0] > y[-1]  # later spikes for loose hip flexors
    never = [c for c in ax.collections if c.get_gid() == "never"][0]
    assert len(never.get_offsets()) == sum(np.isnan(r["spike_onset_s"]) for r in rows)
    assert np.all(never.get_offsets()[:, 1] > 120.0)
    assert any("speed [m/s]" == a.get_ylabel() for a in fig.axes)  # colour bar of the groups


# --------------------------------------------------------------------------- shear

def test_shear_heatmap_cells_are_peak_shear(grid_dir):
    d, rows = grid_dir
    fig = sp.shear_heatmap(sp.read_summary(d), TIGHT, SPEED, CORE)
    meshes = _meshes(fig)
    for mesh, core in zip(meshes, GRID_C):
        np.testing.assert_allclose(mesh.get_array(), _expected(rows, "peak_shear_bw", core))
        assert not np.ma.getmaskarray(mesh.get_array()).any()  # no "never" for shear
    cbar = fig.axes[-1]
    assert "body weights" in cbar.get_ylabel()
    assert any("spike threshold" in t.get_text() for t in cbar.get_yticklabels())
    assert any("sheared" in t for t in _texts(fig))
    assert any(DISCLAIMER in t for t in _texts(fig))
    mesh = meshes[0]
    lum = [sum(w * c for w, c in zip((0.299, 0.587, 0.114), mesh.cmap(mesh.norm(s))[:3]))
           for s in (0.75, 0.95)]
    assert lum[1] < lum[0]  # more shear = hotter (darker red)


def test_bad_arguments(grid_dir):
    d, _ = grid_dir
    data = sp.read_summary(d)
    with pytest.raises(sp.SweepDataError, match="no column"):
        sp.onset_heatmap(data, TIGHT, "run.nope")
    with pytest.raises(ValueError):
        sp.onset_heatmap(data, TIGHT, TIGHT)
    with pytest.raises(TypeError):
        sp.onset_heatmap({"x": 1}, TIGHT, SPEED)


def test_no_warnings_when_drawing(grid_dir):
    d, _ = grid_dir
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sp.write_figures(d)


def test_onset_at_zero_reads_start_and_is_explained(tmp_path):
    d = tmp_path / "start"
    d.mkdir()
    (d / "summary.csv").write_text(
        f"scenario,{TIGHT},{SPEED},spike_onset_s,peak_shear_bw,infeasible_strides\n"
        "0,0.0,3.0,nan,0.7,0\n1,20.0,3.0,0.0,0.9,0\n2,0.0,4.0,3000.0,0.8,0\n3,20.0,4.0,0.0,1.0,0\n")
    fig = sp.onset_heatmap(sp.read_summary(d), TIGHT, SPEED)
    (mesh,) = _meshes(fig)
    np.testing.assert_allclose(mesh.get_array().filled(np.nan), [[np.nan, 0.0], [50.0, 0.0]])
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["50", "never", "start", "start"]
    assert any("from the start of the run" in t for t in _texts(fig))


def test_large_grid_shows_at_most_nine_facets_and_says_so(tmp_path):
    # 12 core strengths and 21 x 21 cells per panel: panels capped, cells drawn in bulk
    cores = [round(0.6 + 0.05 * i, 2) for i in range(12)]
    ts = [float(t) for t in range(21)]
    vs = [round(2.5 + 0.075 * i, 3) for i in range(21)]
    d = tmp_path / "big"
    _write(d, "grid", [TIGHT, SPEED, CORE], list(itertools.product(ts, vs, cores)))
    data = sp.read_summary(d)
    fig = sp.onset_heatmap(data, TIGHT, SPEED, CORE)
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    titles = [ax.get_title() for ax in panels if ax.get_title()]
    assert len(titles) == 9
    assert titles[0].startswith("core strength = 0.6") and titles[-1].startswith("core strength = 1.15")
    assert any("9 of the 12 swept values of core strength are shown" in t for t in _texts(fig))
    # no per-cell patches in bulk mode; never cells are one layer per panel
    assert not [p for ax in panels for p in ax.patches if p.get_gid() == "never"]
    assert [c for ax in panels for c in ax.collections if c.get_gid() == "never"]


def test_read_summary_keeps_only_asked_columns(grid_dir):
    d, _ = grid_dir
    data = sp.read_summary(d, columns=["peak_shear_bw"])
    kept = {k for k in data if isinstance(data[k], np.ndarray)}
    assert kept == {"scenario", TIGHT, SPEED, CORE, "peak_shear_bw"}
    full = sp.read_summary(d)
    np.testing.assert_array_equal(data["peak_shear_bw"], full["peak_shear_bw"])
