"""Configuration loading, validation and overrides."""
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from sim.config import ConfigError, load_config, parse_override, to_toml
from sim.schema import SCHEMA


def write(tmp_path, text, name="c.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_defaults_and_attribute_access(tmp_path):
    cfg = load_config(write(tmp_path, "[runner]\nmass_kg = 70\n", "tight.toml"))
    assert cfg.runner.mass_kg == 70.0 and isinstance(cfg.runner.mass_kg, float)
    assert cfg.run.duration_min == SCHEMA["run"]["duration_min"].default
    assert cfg.name == "tight"
    assert cfg.run.speed_mps == 3.0  # constant pace default when no segments


def test_frozen(tmp_path):
    cfg = load_config(None)
    with pytest.raises(AttributeError):
        cfg.runner.mass_kg = 80
    with pytest.raises(AttributeError):
        cfg.runner = None


def test_output_name_and_overrides(tmp_path):
    p = write(tmp_path, '[output]\nname = "mine"\n[run]\nduration_min = 90\n')
    cfg = load_config(p, overrides={"run.duration_min": 60, "scenario.core_strength": 0.7})
    assert cfg.name == "mine" and cfg.run.duration_min == 60 and cfg.scenario.core_strength == 0.7


def test_segments_validated_and_speed_unset(tmp_path):
    p = write(tmp_path, "[run]\nsegments = [{duration_min = 10, speed_mps = 3.8}, "
                        "{duration_min = 50, speed_mps = 3.0}]\n")
    cfg = load_config(p)
    assert cfg.run.speed_mps is None
    assert cfg.run.segments[0]["speed_mps"] == 3.8


@pytest.mark.parametrize("text, fragments", [
    ("[runner]\nmas_kg = 70\n", ["runner.mas_kg", "unknown key", "did you mean 'runner.mass_kg'"]),
    ("[runer]\nmass_kg = 70\n", ["[runer]", "unknown section", "did you mean 'runner'"]),
    ("[runner]\nmass_kg = \"heavy\"\n", ["runner.mass_kg", "'heavy'", "wrong type", "[30, 200]"]),
    ("[runner]\nmass_kg = 500\n", ["runner.mass_kg = 500", "out of range", "[30, 200] [kg]"]),
    ("[runner]\nmass_kg = nan\n", ["runner.mass_kg = nan", "not a finite number"]),
    ("[runner]\nmass_kg = inf\n", ["runner.mass_kg = inf", "not a finite number"]),
    ("[run]\nduration_min = 0\n", ["run.duration_min = 0", "(0, 1440]"]),
    ("[spike]\nindex = \"shear\"\n", ["spike.index", "did you mean 'shear_bw'"]),
    ("[model]\nn_phase = 64.5\n", ["model.n_phase", "not an integer"]),
    ("[runner]\nmass_kg = 70\nmass_kg = 71\n", ["malformed TOML"]),
    ("[runner\nmass_kg = 70\n", ["malformed TOML"]),
    ("runner = 3\n", ["runner = 3", "expected a table"]),
    ("[run]\nsegments = [{duration_min = 10, sped_mps = 3}]\n",
     ["run.segments[0].sped_mps", "did you mean 'speed_mps'"]),
    ("[output]\nname = \"../x\"\n", ["output.name", "path separators"]),
])
def test_bad_input_one_line_naming_file_key_value(tmp_path, text, fragments):
    p = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(p)
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(str(p))
    for f in fragments:
        assert f in msg, (f, msg)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path)
    p = tmp_path / "bin.toml"
    p.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(p)


def test_override_errors_name_the_override(tmp_path):
    p = write(tmp_path, "")
    with pytest.raises(ConfigError, match=r"\(--set\): run.duration_min = -1"):
        load_config(p, overrides={"run.duration_min": -1})
    with pytest.raises(ConfigError, match="did you mean 'scenario.core_strength'"):
        load_config(p, overrides={"scenario.core_strenght": 1})


def test_parse_override():
    assert parse_override("run.duration_min=60") == ("run.duration_min", 60)
    assert parse_override("output.timeseries=false") == ("output.timeseries", False)
    assert parse_override("spike.index = superficial_load") == ("spike.index", "superficial_load")
    with pytest.raises(ConfigError, match="key=value"):
        parse_override("run.duration_min")


def test_resolved_toml_roundtrip(tmp_path):
    cfg = load_config(None, overrides={"run.duration_min": 42.5, "output.name": "x"})
    p = write(tmp_path, to_toml(cfg, header="resolved"))
    assert load_config(p) == cfg


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([(s, k) for s, keys in SCHEMA.items() for k, spec in keys.items()
                        if spec.kind == "float"]),
       st.floats(allow_nan=True, allow_infinity=True))
def test_any_float_is_accepted_iff_in_range(key, value):
    section, name = key
    spec = SCHEMA[section][name]
    ok = math.isfinite(value) and (spec.lo is None or value > spec.lo or (value == spec.lo and not spec.lo_open)) \
        and (spec.hi is None or value < spec.hi or (value == spec.hi and not spec.hi_open))
    if (section, name) == ("model", "block_s") and ok:
        from sim.config import MAX_CHECKPOINTS     # the one rule across keys: checkpoints

        ok = 60.0 * 120.0 / value <= MAX_CHECKPOINTS      # default 120-min run
    try:
        cfg = load_config(None, overrides={f"{section}.{name}": value})
    except ConfigError as e:
        assert not ok, str(e)
        assert f"{section}.{name}" in str(e)
    else:
        assert ok and cfg.get(f"{section}.{name}") == value


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_cli_bad_input_exit_2_one_line_no_traceback(tmp_path):
    p = write(tmp_path, "[scenario]\nhip_flexor_tightness_deg = 45\n")
    r = run_cli("config", str(p))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert str(p) in lines[0] and "scenario.hip_flexor_tightness_deg = 45" in lines[0]
    r = run_cli("config", str(tmp_path / "missing.toml"))
    assert r.returncode == 2 and "missing.toml: file not found" in r.stderr


def test_cli_set_overrides(tmp_path):
    p = write(tmp_path, "")
    r = run_cli("config", str(p), "--set", "run.duration_min=60", "--set", "spike.index=superficial_load")
    assert r.returncode == 0, r.stderr
    assert "duration_min = 60.0" in r.stdout and 'index = "superficial_load"' in r.stdout
    r = run_cli("config", str(p), "--set", "run.duration_min")
    assert r.returncode == 2 and "expected key=value" in r.stderr


def test_sweep_config_given_to_a_single_run_points_to_sweep(tmp_path):
    p = write(tmp_path, '[sweep.grid]\n"run.speed_mps" = [3.0]\n')
    with pytest.raises(ConfigError, match="this is a sweep config; run it with 'runfatigue sweep"):
        load_config(p)
    assert load_config(p, extra_sections=("sweep",)).run.speed_mps == 3.0


@pytest.mark.parametrize("block_s", [0.01, 1e-6])
def test_block_length_that_would_need_gigabytes_is_refused_before_allocating(block_s):
    with pytest.raises(ConfigError) as err:
        load_config(None, {"model.block_s": block_s, "run.duration_min": 120.0})
    msg = str(err.value)
    assert "model.block_s" in msg and f"{block_s:g}" in msg and "allowed" in msg
    assert "\n" not in msg


def test_checkpoint_limit_leaves_ordinary_runs_alone():
    from sim.config import MAX_CHECKPOINTS

    cfg = load_config(None, {"run.duration_min": 1440.0})     # 24 h at the default block
    assert 1440.0 * 60.0 / cfg.model.block_s < MAX_CHECKPOINTS
    load_config(None, {"model.block_s": 0.05, "run.duration_min": 120.0})


def test_a_config_survives_pickling():
    """Process pools and saved results pickle configs (they are read-only, with slots)."""
    import pickle

    cfg = load_config(None, {"run.speed_mps": 3.3, "output.name": "pickled"})
    back = pickle.loads(pickle.dumps(cfg))
    assert back.to_dict() == cfg.to_dict() and back.name == "pickled"
    assert back.source == cfg.source and back.run.speed_mps == 3.3
    assert pickle.loads(pickle.dumps(cfg.run)).speed_mps == 3.3
    with pytest.raises(AttributeError):
        back.run.speed_mps = 1.0
