"""Sweep specifications: grid, sample and sensitivity tables into scenario lists."""
import itertools
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from sim.config import ConfigError, load_config
from sim.sweep_spec import (CENSORED_OUTPUTS, MAX_SCENARIOS, SENSITIVITY_OUTPUTS, SweepSpec,
                            analyze_sensitivity, load_sweep)

CONFIGS = Path(__file__).resolve().parents[2] / "configs"

TIGHT = '"scenario.hip_flexor_tightness_deg"'
SPEED = '"run.speed_mps"'


def write(tmp_path, text, name="s.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def sample_toml(method="lhs", n=64, seed=1, extra_bounds=""):
    return (f'[sweep.sample]\nmethod = "{method}"\nn = {n}\nseed = {seed}\n'
            f"[sweep.sample.bounds]\n{TIGHT} = [0, 20]\n{SPEED} = [2.5, 4.0]\n{extra_bounds}")


def sensitivity_toml(n=64, seed=1, outputs='["spike_onset_s", "peak_shear_bw"]'):
    return (f'[sweep.sensitivity]\nmethod = "sobol"\nn = {n}\nseed = {seed}\n'
            f"outputs = {outputs}\n[sweep.sensitivity.bounds]\n{TIGHT} = [0, 20]\n"
            f"{SPEED} = [2.5, 4.0]\n")


# ----------------------------------------------------------------------------- grid

def test_grid_order_and_size(tmp_path):
    p = write(tmp_path, f"[run]\nduration_min = 60\n[sweep.grid]\n{TIGHT} = [0, 10, 20]\n"
                        f'{SPEED} = [2.5, 3.5]\n"scenario.core_strength" = [0.6, 0.8, 1.0, 1.2]\n')
    base, spec = load_sweep(p)
    assert spec.kind == "grid" and spec.source == str(p)
    assert spec.keys == ("scenario.hip_flexor_tightness_deg", "run.speed_mps",
                         "scenario.core_strength")
    assert len(spec) == len(spec.rows) == 3 * 2 * 4
    # last key varies fastest (itertools.product order)
    assert spec.rows == list(itertools.product((0.0, 10.0, 20.0), (2.5, 3.5),
                                               (0.6, 0.8, 1.0, 1.2)))
    assert spec.rows[:5] == [(0.0, 2.5, 0.6), (0.0, 2.5, 0.8), (0.0, 2.5, 1.0),
                             (0.0, 2.5, 1.2), (0.0, 3.5, 0.6)]
    assert all(isinstance(v, float) for row in spec.rows for v in row)
    assert spec.levels["run.speed_mps"] == (2.5, 3.5)
    assert spec.overrides(5) == {"scenario.hip_flexor_tightness_deg": 0.0,
                                 "run.speed_mps": 3.5, "scenario.core_strength": 0.8}
    assert base.run.duration_min == 60.0
    with pytest.raises(ValueError, match="no SALib problem"):
        spec.problem()


def test_main_job_config():
    base, spec = load_sweep(CONFIGS / "hip_flexor_tightness.toml")
    assert spec.kind == "grid" and len(spec) == 6 * 4 * 3
    assert spec.levels == {"scenario.hip_flexor_tightness_deg": (0.0, 4.0, 8.0, 12.0, 16.0, 20.0),
                           "run.speed_mps": (2.6, 2.8, 3.0, 3.2),
                           "scenario.core_strength": (0.6, 0.8, 1.0)}
    assert base.runner.mass_kg == 75.0 and base.runner.marathon_pace_mps == 3.2
    assert base.run.duration_min == 150.0
    # the default back-load index and threshold (fixed before the sweep was run)
    assert base.spike.index == "superficial_load" and base.spike.superficial_threshold == 0.5
    text = (CONFIGS / "hip_flexor_tightness.toml").read_text()
    assert text.startswith("#")
    for i in range(len(spec)):  # every scenario is a valid config carrying its values
        cfg = base.with_overrides(spec.overrides(i))
        assert cfg == spec.config(base, i)
        for key, value in zip(spec.keys, spec.rows[i]):
            assert cfg.get(key) == value
        assert cfg.run.duration_min == 150.0


def test_shipped_sample_and_sensitivity_configs(require_extra):
    _, lhs = load_sweep(CONFIGS / "lhs_example.toml")
    assert (lhs.kind, lhs.method, lhs.n, lhs.seed, len(lhs)) == ("sample", "lhs", 512, 1, 512)
    assert lhs.bounds == {"scenario.hip_flexor_tightness_deg": (0.0, 20.0),
                          "run.speed_mps": (2.5, 4.0)}
    require_extra("SALib")
    base, sens = load_sweep(CONFIGS / "sensitivity.toml")
    assert (sens.kind, sens.method, sens.n) == ("sensitivity", "sobol", 256)
    assert sens.outputs == ("spike_onset_s", "peak_shear_bw")
    assert sens.bounds == {"scenario.hip_flexor_tightness_deg": (0.0, 20.0),
                           "run.speed_mps": (2.5, 4.0), "scenario.core_strength": (0.6, 1.2),
                           "scenario.glute_med_strength": (0.6, 1.2),
                           "scenario.step_rate_scale": (0.9, 1.1)}
    assert len(sens) == 256 * (5 + 2)
    assert base.run.duration_min == 120.0


def test_grid_unquoted_keys_int_and_string_keys(tmp_path):
    p = write(tmp_path, '[sweep.grid]\nmodel.n_phase = [32, 64.0]\n'
                        'spike.index = ["shear_bw", "superficial_load"]\n')
    base, spec = load_sweep(p)
    assert spec.keys == ("model.n_phase", "spike.index")
    assert spec.rows == [(32, "shear_bw"), (32, "superficial_load"),
                         (64, "shear_bw"), (64, "superficial_load")]
    assert all(type(r[0]) is int for r in spec.rows)
    assert spec.config(base, 3).model.n_phase == 64


def test_grid_over_pace_segments(tmp_path):
    p = write(tmp_path, "[sweep.grid]\n\"run.segments\" = [\n"
                        "  [{duration_min = 10, speed_mps = 3.8}, {duration_min = 50, speed_mps = 3.0}],\n"
                        "  [{duration_min = 60, speed_mps = 3.2}],\n]\n")
    base, spec = load_sweep(p)
    assert len(spec) == 2
    ov = spec.overrides(0)
    assert isinstance(ov["run.segments"], list)
    cfg = spec.config(base, 0)
    assert cfg.run.segments[0]["speed_mps"] == 3.8 and cfg.run.speed_mps is None


def test_set_overrides_apply_to_base_but_not_to_swept_keys(tmp_path):
    p = write(tmp_path, f"[sweep.grid]\n{SPEED} = [2.5, 3.0]\n")
    base, spec = load_sweep(p, overrides={"run.duration_min": 30})
    assert base.run.duration_min == 30.0 and spec.config(base, 1).run.duration_min == 30.0
    with pytest.raises(ConfigError) as err:
        load_sweep(p, overrides={"run.speed_mps": 3.3})
    msg = str(err.value)
    assert msg.startswith(f"{p} (--set): run.speed_mps = 3.3: the key is swept") and "\n" not in msg
    with pytest.raises(ConfigError, match=r"\(--set\): run.duration_min = -1"):
        load_sweep(p, overrides={"run.duration_min": -1})


# --------------------------------------------------------------------------- sample

@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_sample_determinism_and_bounds(tmp_path, method):
    p1 = write(tmp_path, sample_toml(method, 128, 1), "a.toml")
    p2 = write(tmp_path, sample_toml(method, 128, 1), "b.toml")
    p3 = write(tmp_path, sample_toml(method, 128, 2), "c.toml")
    _, a = load_sweep(p1)
    _, b = load_sweep(p2)
    _, c = load_sweep(p3)
    assert a.rows == b.rows
    assert a.rows != c.rows
    assert (a.kind, a.method, a.n, a.seed, len(a)) == ("sample", method, 128, 1, 128)
    x = np.array(a.rows)
    assert x.shape == (128, 2)
    assert np.all((x[:, 0] >= 0) & (x[:, 0] <= 20)) and np.all((x[:, 1] >= 2.5) & (x[:, 1] <= 4))
    # spread over the whole range, not bunched
    assert x[:, 0].min() < 1 and x[:, 0].max() > 19 and x[:, 1].min() < 2.6 and x[:, 1].max() > 3.9
    assert all(isinstance(v, float) for row in a.rows for v in row)
    assert a.problem() == {"num_vars": 2, "names": list(a.keys),
                           "bounds": [[0.0, 20.0], [2.5, 4.0]]}


def test_lhs_stratification(tmp_path):
    n = 512
    _, spec = load_sweep(write(tmp_path, sample_toml("lhs", n, 7)))
    x = np.array(spec.rows)
    for j, (lo, hi) in enumerate([(0.0, 20.0), (2.5, 4.0)]):
        strata = np.floor((x[:, j] - lo) / (hi - lo) * n).astype(int)
        assert sorted(strata) == list(range(n))  # each stratum hit exactly once


def test_sample_seed_defaults_to_model_seed(tmp_path):
    text = sample_toml("lhs", 16, 5).replace("seed = 5\n", "")
    _, a = load_sweep(write(tmp_path, "[model]\nseed = 5\n" + text, "a.toml"))
    _, b = load_sweep(write(tmp_path, sample_toml("lhs", 16, 5), "b.toml"))
    assert a.seed == 5 and a.rows == b.rows


def test_sobol_any_n_without_warning_and_integer_keys(tmp_path):
    p = write(tmp_path, sample_toml("sobol", 100, 3, '"model.n_phase" = [32, 35]\n'))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        base, spec = load_sweep(p)
    assert len(spec) == 100
    ints = [r[2] for r in spec.rows]
    assert all(type(v) is int for v in ints) and set(ints) == {32, 33, 34, 35}
    # equal weight for every integer (both ends included)
    counts = np.bincount(np.array(ints) - 32)
    assert counts.min() >= 15


@pytest.mark.parametrize("kind", ["sample", "sensitivity"])
def test_overrides_give_valid_configs(tmp_path, kind, require_extra):
    if kind == "sensitivity":
        require_extra("SALib")
        text = sensitivity_toml(16)
    else:
        text = sample_toml("lhs", 50, 2, '"scenario.core_strength" = [0.6, 1.2]\n')
    base, spec = load_sweep(write(tmp_path, "[run]\nduration_min = 90\n" + text))
    for i in range(len(spec)):
        cfg = base.with_overrides(spec.overrides(i))
        assert cfg.run.duration_min == 90.0
        for key, value in spec.overrides(i).items():
            assert cfg.get(key) == value


# ---------------------------------------------------------------------- sensitivity

def test_sensitivity_sample_is_salibs(tmp_path, require_extra):
    require_extra("SALib")
    from SALib.sample import sobol as salib_sample

    base, spec = load_sweep(write(tmp_path, sensitivity_toml(64, 3)))
    k = len(spec.keys)
    assert len(spec) == 64 * (k + 2)
    x = salib_sample.sample(spec.problem(), 64, calc_second_order=False, seed=3)
    np.testing.assert_array_equal(np.array(spec.rows), x)
    _, again = load_sweep(write(tmp_path, sensitivity_toml(64, 3), "again.toml"))
    assert again.rows == spec.rows
    _, other = load_sweep(write(tmp_path, sensitivity_toml(64, 4), "other.toml"))
    assert other.rows != spec.rows
    assert spec.problem() is not spec.problem()  # fresh dict (SALib adds entries)


def analytic_spec(tmp_path, n=1024, outputs='["peak_shear_bw", "spike_onset_s"]'):
    _, spec = load_sweep(write(tmp_path, sensitivity_toml(n, 1, outputs)))
    x = np.array(spec.rows)
    u1 = x[:, 0] / 20.0
    u2 = (x[:, 1] - 2.5) / 1.5
    return spec, u1, u2


def test_indices_of_an_analytic_function(tmp_path, require_extra):
    require_extra("SALib")
    spec, u1, u2 = analytic_spec(tmp_path)
    y = u1 + 0.1 * u2  # uniform inputs: S1 = ST = 1/1.01 and 0.01/1.01
    rows = analyze_sensitivity(spec, {"peak_shear_bw": y, "spike_onset_s": 100.0 + y},
                               duration_s=7200.0)
    assert [(r["output"], r["parameter"]) for r in rows] == [
        ("peak_shear_bw", "scenario.hip_flexor_tightness_deg"),
        ("peak_shear_bw", "run.speed_mps"),
        ("spike_onset_s", "scenario.hip_flexor_tightness_deg"),
        ("spike_onset_s", "run.speed_mps")]
    expected = {"scenario.hip_flexor_tightness_deg": 1 / 1.01, "run.speed_mps": 0.01 / 1.01}
    for r in rows:
        assert set(r) == {"output", "parameter", "S1", "S1_conf", "ST", "ST_conf", "n",
                          "censored"}
        e = expected[r["parameter"]]
        assert abs(r["S1"] - e) <= max(r["S1_conf"], 0.02), r
        assert abs(r["ST"] - e) <= max(r["ST_conf"], 0.02), r
        assert r["n"] == len(spec) and r["censored"] == 0
    x1 = rows[0]
    assert x1["S1"] > 0.9 and rows[1]["S1"] < 0.05
    # deterministic, including the bootstrap confidence intervals
    assert analyze_sensitivity(spec, {"peak_shear_bw": y, "spike_onset_s": 100.0 + y},
                               7200.0) == rows


def test_never_spiking_runs_are_censored_at_the_duration(tmp_path, require_extra):
    require_extra("SALib")
    spec, u1, u2 = analytic_spec(tmp_path, 256)
    onset = 3000.0 + 5000.0 * u1 + 500.0 * u2
    never = onset > 7200.0
    assert 0 < never.sum() < len(onset)
    with_nan = np.where(never, np.nan, onset)
    censored = np.minimum(onset, 7200.0)
    shear = u1 + u2
    got = analyze_sensitivity(spec, {"spike_onset_s": with_nan, "peak_shear_bw": shear}, 7200.0)
    want = analyze_sensitivity(spec, {"spike_onset_s": censored, "peak_shear_bw": shear}, 7200.0)
    strip = [{k: v for k, v in r.items() if k != "censored"} for r in got]
    assert strip == [{k: v for k, v in r.items() if k != "censored"} for r in want]
    onset_rows = [r for r in got if r["output"] == "spike_onset_s"]
    assert all(r["censored"] == int(never.sum()) for r in onset_rows)
    assert all(r["censored"] == 0 for r in got if r["output"] == "peak_shear_bw")
    # a per-scenario duration works too
    per = analyze_sensitivity(spec, {"spike_onset_s": with_nan, "peak_shear_bw": shear},
                              np.full(len(spec), 7200.0))
    assert per == got
    # nobody spiked: the censored output is constant and its indices undefined (NaN)
    allnan = analyze_sensitivity(spec, {"spike_onset_s": np.full(len(spec), np.nan),
                                        "peak_shear_bw": shear}, 7200.0)
    assert all(np.isnan(r["S1"]) and np.isnan(r["ST"])
               for r in allnan if r["output"] == "spike_onset_s")
    assert all(r["censored"] == len(spec) for r in allnan if r["output"] == "spike_onset_s")
    assert set(CENSORED_OUTPUTS) >= {"spike_onset_s"}


def test_analyze_sensitivity_bad_input(tmp_path, require_extra):
    require_extra("SALib")
    spec, u1, u2 = analytic_spec(tmp_path, 16)
    good = u1 + u2
    with pytest.raises(ValueError, match="no output 'spike_onset_s'"):
        analyze_sensitivity(spec, {"peak_shear_bw": good}, 7200.0)
    with pytest.raises(ValueError, match="has 3 values; the sweep has 64 scenarios"):
        analyze_sensitivity(spec, {"peak_shear_bw": good, "spike_onset_s": good[:3]}, 7200.0)
    bad = good.copy()
    bad[0] = np.nan  # NaN is only censored for onsets
    with pytest.raises(ValueError, match="'peak_shear_bw' has 1 non-finite"):
        analyze_sensitivity(spec, {"peak_shear_bw": bad, "spike_onset_s": good}, 7200.0)
    grid = SweepSpec("grid", ("run.speed_mps",), [(3.0,)])
    with pytest.raises(ValueError, match="needs a \\[sweep.sensitivity\\] sweep"):
        analyze_sensitivity(grid, {}, 7200.0)


def test_missing_salib_is_a_clear_error(tmp_path, monkeypatch):
    for name in ["SALib", "SALib.sample", "SALib.sample.sobol", "SALib.analyze",
                 "SALib.analyze.sobol"]:
        monkeypatch.setitem(sys.modules, name, None)
    p = write(tmp_path, sensitivity_toml(16))
    with pytest.raises(ConfigError) as err:
        load_sweep(p)
    msg = str(err.value)
    assert msg.startswith(str(p)) and "\n" not in msg
    assert 'pip install "runfatigue[sensitivity]"' in msg
    spec = SweepSpec("sensitivity", ("run.speed_mps",), [(3.0,)] * 48, "sobol", 16, 0,
                     {"run.speed_mps": (2.5, 4.0)}, ("peak_shear_bw",), str(p))
    with pytest.raises(ImportError, match=r'pip install "runfatigue\[sensitivity\]"'):
        analyze_sensitivity(spec, {"peak_shear_bw": np.arange(48.0)}, 7200.0)


def test_sensitivity_outputs_are_run_summary_columns():
    from sim.batch import summary_fields
    from sim.muscles import muscle_set

    fields = set(summary_fields(muscle_set().groups))
    assert set(SENSITIVITY_OUTPUTS) <= fields
    assert {"spike_onset_s", "peak_shear_bw", "peak_superficial_load", "peak_trunk_lean_deg",
            "end_capacity_hip_abductors"} <= set(SENSITIVITY_OUTPUTS)
    assert set(CENSORED_OUTPUTS) <= set(SENSITIVITY_OUTPUTS)


# --------------------------------------------------------------------------- errors

GRID = "[sweep.grid]\n"
BAD = [
    # structure of [sweep]
    ("[run]\nduration_min = 60\n", ["[sweep] is missing", "[sweep.grid]"]),
    ("sweep = 3\n", ["sweep = 3", "expected a table", "exactly one of"]),
    ("[sweep]\n", ["[sweep]: has none", "exactly one of [sweep.grid], [sweep.sample], "
                                        "[sweep.sensitivity]"]),
    (f"{GRID}{SPEED} = [3.0]\n" + sample_toml(), ["has [sweep.grid], [sweep.sample]",
                                                  "exactly one of"]),
    (f"[sweep.gird]\n{SPEED} = [3.0]\n", ["sweep.gird", "unknown entry",
                                         "did you mean 'grid'"]),
    ("[sweep]\ngrid = [1, 2]\n", ["sweep.grid = [1, 2]", "expected a table [sweep.grid]"]),
    ("[swep.grid]\n", ["[swep]", "unknown section", "did you mean 'sweep'"]),
    # swept keys
    (f'{GRID}"scenario.core_strenght" = [0.6, 0.8]\n',
     ['sweep.grid."scenario.core_strenght" = [0.6, 0.8]', "unknown key",
      "did you mean 'scenario.core_strength'"]),
    (f'{GRID}"scenaro.core_strength" = [0.6]\n',
     ['"scenaro.core_strength"', "unknown section [scenaro]",
      "did you mean 'scenario.core_strength'"]),
    (f'{GRID}speed = [3.0]\n', ['sweep.grid."speed" = [3.0]', "keys are 'section.key'"]),
    (f'{GRID}"output.name" = ["a", "b"]\n', ['"output.name"', "cannot be swept",
                                             "allowed: keys of [runner]"]),
    (f'{GRID}"run.speed_mps" = [3.0]\nrun.speed_mps = [3.5]\n',
     ['"run.speed_mps" = [3.5]', "key swept twice"]),
    # grid values
    (GRID, ["[sweep.grid] is empty", "allowed: dotted config keys"]),
    (f"{GRID}{SPEED} = []\n", ['sweep.grid."run.speed_mps" = []', "empty array",
                               "a number in [2, 5] [m/s]"]),
    (f"{GRID}{SPEED} = 3.0\n", ['sweep.grid."run.speed_mps" = 3.0',
                                "expected an array of values"]),
    (f"{GRID}{TIGHT} = [0, 10, 45]\n",
     ['sweep.grid."scenario.hip_flexor_tightness_deg"[2] = 45', "out of range",
      "a number in [0, 30] [deg]"]),
    (f'{GRID}{SPEED} = [3.0, "fast"]\n', ['"run.speed_mps"[1] = \'fast\'', "wrong type"]),
    (f"{GRID}{SPEED} = [3.0, nan]\n", ['"run.speed_mps"[1] = nan', "not a finite number"]),
    (f'{GRID}"spike.index" = ["shear"]\n', ['"spike.index"[0] = \'shear\'',
                                            "did you mean 'shear_bw'"]),
    (f'{GRID}"model.n_phase" = [32, 64.5]\n', ['"model.n_phase"[1] = 64.5', "not an integer"]),
    (f"{GRID}{SPEED} = [3.0, 3]\n", ['"run.speed_mps"[1] = 3', "value repeated"]),
    (GRID + "".join(f'"scenario.{k}" = {[round(0.5 + i / 40, 3) for i in range(40)]}\n'
                    for k in ("glute_med_strength", "quad_strength", "core_strength"))
     + f"{TIGHT} = {list(range(30))}\n" + f"{SPEED} = {[2.0 + i / 10 for i in range(11)]}\n",
     ["[sweep.grid]: 21,120,000 scenarios (40 x 40 x 40 x 30 x 11): too many",
      "at most 10,000,000"]),
    # sample entries
    (sample_toml().replace("method", "methd"), ["sweep.sample.methd = 'lhs'", "unknown entry",
                                                "did you mean 'method'",
                                                "allowed: method, n, seed, bounds"]),
    (sample_toml() + f"[sweep.sample.x]\n{SPEED} = [2.5, 4.0]\n",
     ["sweep.sample.x", "unknown entry", "[sweep.sample.bounds]"]),
    (sample_toml() .replace("[sweep.sample.bounds]\n", ""),
     ['sweep.sample."scenario.hip_flexor_tightness_deg" = [0, 20]', "unknown entry",
      "(ranges of swept keys go in [sweep.sample.bounds])"]),
    (sample_toml().replace('"lhs"', '"lhc"'),
     ["sweep.sample.method = 'lhc'", "did you mean 'lhs'", "one of 'lhs', 'sobol'"]),
    (sample_toml().replace('method = "lhs"\n', ""), ["sweep.sample.method is missing",
                                                     "one of 'lhs', 'sobol'"]),
    (sample_toml(n=0), ["sweep.sample.n = 0", "out of range", "an integer in [1, 10,000,000]"]),
    (sample_toml(n=-3), ["sweep.sample.n = -3", "out of range"]),
    (sample_toml(n=2.5), ["sweep.sample.n = 2.5", "not an integer"]),
    (sample_toml(n='"64"'), ["sweep.sample.n = '64'", "wrong type"]),
    (sample_toml(n="true"), ["sweep.sample.n = true", "wrong type"]),
    (sample_toml(n=MAX_SCENARIOS + 1), [f"sweep.sample.n = {MAX_SCENARIOS + 1}",
                                        "out of range"]),
    (sample_toml().replace("n = 64\n", ""), ["sweep.sample.n is missing"]),
    (sample_toml(seed=-1), ["sweep.sample.seed = -1", "out of range", "a non-negative integer"]),
    (sample_toml(seed=1.5), ["sweep.sample.seed = 1.5", "not an integer"]),
    # bounds
    ('[sweep.sample]\nmethod = "lhs"\nn = 8\n', ["sweep.sample.bounds is missing"]),
    ('[sweep.sample]\nmethod = "lhs"\nn = 8\n[sweep.sample.bounds]\n',
     ["[sweep.sample.bounds] is empty"]),
    ('[sweep.sample]\nmethod = "lhs"\nn = 8\nbounds = [1, 2]\n',
     ["sweep.sample.bounds = [1, 2]", "expected a table"]),
    (sample_toml().replace("[2.5, 4.0]", "[2.5]"),
     ['sweep.sample.bounds."run.speed_mps" = [2.5]', "expected [lo, hi]",
      "lo < hi, each a number in [2, 5] [m/s]"]),
    (sample_toml().replace("[2.5, 4.0]", "[4.0, 2.5]"),
     ['"run.speed_mps" = [4.0, 2.5]', "lo must be below hi"]),
    (sample_toml().replace("[2.5, 4.0]", "[3.0, 3.0]"), ["[3.0, 3.0]", "lo must be below hi"]),
    (sample_toml().replace("[2.5, 4.0]", "[1.0, 4.0]"),
     ['sweep.sample.bounds."run.speed_mps"[0] = 1.0', "out of range", "[2, 5] [m/s]"]),
    (sample_toml().replace("[2.5, 4.0]", "[2.5, 6]"),
     ['sweep.sample.bounds."run.speed_mps"[1] = 6', "out of range"]),
    (sample_toml(extra_bounds='"spike.index" = ["shear_bw", "superficial_load"]\n'),
     ['sweep.sample.bounds."spike.index"', "not a numeric key",
      "use [sweep.grid] for the others"]),
    (sample_toml(extra_bounds='"output.timeseries" = [0, 1]\n'),
     ['"output.timeseries"', "cannot be swept"]),
    (sample_toml(extra_bounds='"scenario.core_strenght" = [0.6, 1.2]\n'),
     ["did you mean 'scenario.core_strength'"]),
    (sample_toml(extra_bounds='"model.n_phase" = [32, 64.5]\n'),
     ['"model.n_phase"[1] = 64.5', "not an integer"]),
    # sensitivity
    (sensitivity_toml().replace('"sobol"', '"saltelli"'),
     ["sweep.sensitivity.method = 'saltelli'", "not an allowed choice", "one of 'sobol'"]),
    (sensitivity_toml(n=1000), ["sweep.sensitivity.n = 1000", "not a power of two",
                                "e.g. 256, 1024"]),
    (sensitivity_toml(n=1), ["sweep.sensitivity.n = 1", "out of range", "a power of two"]),
    (sensitivity_toml(n=2 ** 22), ["sweep.sensitivity.n = 4194304", "16,777,216 scenarios",
                                   "too many"]),
    (sensitivity_toml().replace("outputs", "output"),
     ["sweep.sensitivity.output =", "did you mean 'outputs'?; allowed: method, n, seed, "
      "bounds, outputs"]),
    (sensitivity_toml().replace('outputs = ["spike_onset_s", "peak_shear_bw"]\n', ""),
     ["sweep.sensitivity.outputs is missing", "spike_onset_s, "]),
    (sensitivity_toml(outputs="[]"), ["sweep.sensitivity.outputs = []",
                                      "expected a non-empty array"]),
    (sensitivity_toml(outputs='"peak_shear_bw"'), ["sweep.sensitivity.outputs = 'peak_shear_bw'",
                                                    "expected a non-empty array"]),
    (sensitivity_toml(outputs='["spike_onset"]'),
     ["sweep.sensitivity.outputs[0] = 'spike_onset'", "did you mean 'spike_onset_s'",
      "'peak_shear_bw'"]),
    (sensitivity_toml(outputs='["peak_shear_bw", "peak_shear_bw"]'),
     ["sweep.sensitivity.outputs[1] = 'peak_shear_bw'", "output repeated"]),
    (sensitivity_toml().replace("[0, 20]", "[0, 40]"),
     ['sweep.sensitivity.bounds."scenario.hip_flexor_tightness_deg"[1] = 40', "out of range"]),
    (sensitivity_toml() + "[sweep.sample]\n", ["has [sweep.sensitivity], [sweep.sample]"]),
    # the base config is validated as usual
    (f"[scenario]\nhip_flexor_tightness_deg = 45\n{GRID}{SPEED} = [3.0]\n",
     ["scenario.hip_flexor_tightness_deg = 45", "out of range"]),
]


@pytest.mark.parametrize("text, fragments", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_sweep_one_line_naming_file_key_value(tmp_path, text, fragments):
    p = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_sweep(p)
    msg = str(err.value)
    assert "\n" not in msg and "Traceback" not in msg
    assert msg.startswith(str(p) + ":"), msg
    for f in fragments:
        assert f in msg, (f, msg)


def test_plain_config_loader_passes_over_sweep_table():
    cfg = load_config(CONFIGS / "hip_flexor_tightness.toml", extra_sections=("sweep",))
    assert cfg.run.duration_min == 150.0
    with pytest.raises(ConfigError, match=r"\[sweep\]: this is a sweep config"):
        load_config(CONFIGS / "hip_flexor_tightness.toml")
