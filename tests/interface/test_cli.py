"""The command line: run writes a complete results directory; bad input exits 2."""
import json
import subprocess
import sys

import numpy as np
import pytest

from sim.io import load_run, load_timeseries


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_run_writes_results(tmp_path):
    cfg = tmp_path / "short.toml"
    cfg.write_text("[run]\nduration_min = 15.0\nspeed_mps = 3.0\n")
    r = cli("run", str(cfg), "--set", "scenario.hip_flexor_tightness_deg=10",
            "--results", str(tmp_path / "res"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    d = tmp_path / "res" / "short"
    summary = json.loads((d / "summary.json").read_text())
    assert summary["peak_pelvic_tilt_deg"] > 0
    assert summary["distance_km"] == pytest.approx(2.7, abs=1e-9)
    manifest = json.loads((d / "manifest.json").read_text())
    assert "numba" in manifest["dependencies"] and manifest["command"].startswith("runfatigue run")
    assert "hip_flexor_tightness_deg = 10.0" in (d / "config.toml").read_text()
    ts = load_timeseries(d)
    assert ts["_dims"]["capacity"] == ["checkpoint", "muscle"]
    assert ts["capacity"].shape == (ts["time_s"].size, len(ts["muscles"]))
    assert np.all(ts["capacity"] <= 1.0)
    assert (d / "figures" / "load_curves.png").stat().st_size > 10_000


def test_run_says_when_the_runner_was_exhausted(tmp_path):
    """Above critical speed the run ends in exhaustion: summary, verdict and saved run."""
    cfg = tmp_path / "fast.toml"
    cfg.write_text("[run]\nduration_min = 30.0\nspeed_mps = 4.0\n[spike]\n"
                   "superficial_threshold = 0.99\n")
    r = cli("run", str(cfg), "--results", str(tmp_path / "res"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "exhausted at" in r.stdout and "limit:" in r.stdout
    d = tmp_path / "res" / "fast"
    summary = json.loads((d / "summary.json").read_text())
    assert 0 < summary["exhaustion_s"] < 15 * 60 and summary["limiting_muscle"]
    ts = load_timeseries(d)
    assert ts["time_s"][-1] + ts["duration_s"][-1] < 30 * 60          # the run ended early
    assert ts["_exhaustion"]["exhaustion_s"] == summary["exhaustion_s"]
    saved = load_run(d)                                  # what `runfatigue plot` redraws
    assert saved.exhaustion_s == summary["exhaustion_s"] and saved.spike_censored
    assert saved.limiting_muscle == summary["limiting_muscle"]


def test_bad_override_exits_2_and_keeps_previous_results(tmp_path):
    cfg = tmp_path / "short.toml"
    cfg.write_text("[run]\nduration_min = 5.0\n")
    res = tmp_path / "res"
    assert cli("run", str(cfg), "--results", str(res), cwd=tmp_path).returncode == 0
    before = (res / "short" / "summary.json").read_bytes()
    r = cli("run", str(cfg), "--set", "run.speed_mps=7", "--results", str(res), cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "run.speed_mps = 7" in r.stderr and "[2, 5] [m/s]" in r.stderr
    assert (res / "short" / "summary.json").read_bytes() == before


def test_plot_redraws_a_saved_run_without_simulating(tmp_path):
    from sim.io import load_run

    cfg = tmp_path / "short.toml"
    cfg.write_text("[run]\nduration_min = 10.0\n[scenario]\nhip_flexor_tightness_deg = 12.0\n")
    res = tmp_path / "res"
    assert cli("run", str(cfg), "--results", str(res), cwd=tmp_path).returncode == 0
    figs = res / "short" / "figures"
    expected = {"load_curves.png", "pool_depletion.png", "stride_forces_early_vs_late.png",
                "compensation_angles.png"}
    assert {p.name for p in figs.iterdir()} == expected
    for p in figs.iterdir():
        p.unlink()
    r = cli("plot", str(res / "short"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert {p.name for p in figs.iterdir()} == expected
    assert all((figs / name).stat().st_size > 10_000 for name in expected)
    assert len(r.stdout.strip().splitlines()) == 4
    loaded = load_run(res / "short")
    assert loaded.config.name == "short" and loaded.config.scenario.hip_flexor_tightness_deg == 12.0
    assert loaded.summary()["peak_pelvic_tilt_deg"] > 0
    assert cli("plot", str(tmp_path), cwd=tmp_path).returncode == 2
    # a damaged timeseries.npz: one line, exit 2, and the file is left as it was
    import zipfile

    import pytest

    from sim.io import DamagedRunError

    ts = res / "short" / "timeseries.npz"
    good = ts.read_bytes()
    damaged = {"truncated": good[: len(good) // 2], "garbage": b"PK\x03\x04" + b"x" * 100,
               "empty": b""}
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as z:   # a valid archive, no arrays
        z.writestr("notes.txt", "not arrays")
    damaged["foreign zip"] = (tmp_path / "other.zip").read_bytes()
    for name, data in damaged.items():
        ts.write_bytes(data)
        with pytest.raises(DamagedRunError, match="timeseries.npz"):
            load_run(res / "short")
    r = cli("plot", str(res / "short"), cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "damaged" in r.stderr
    assert ts.read_bytes() == damaged["foreign zip"]


def _one_line_error(capsys, argv):
    from sim.cli import main

    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("runfatigue: error: "), err
    return err


def test_bad_output_paths_names_and_files_are_one_line_errors(tmp_path, capsys):
    """Each fails before any simulation, with one line and exit 2, and writes nothing."""
    cfg = tmp_path / "short.toml"
    cfg.write_text("[run]\nduration_min = 1.0\n")
    afile = tmp_path / "afile"
    afile.write_text("keep")
    (tmp_path / "res").mkdir()
    (tmp_path / "res" / "short").write_text("keep")              # results/<name> is a file
    sweep = tmp_path / "sw.toml"
    sweep.write_text('[run]\nduration_min = 1.0\n[sweep.grid]\n"run.speed_mps" = [3.0]\n')
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (1 << 21) + "\n")
    cases = {
        "--results is a file": ["run", str(cfg), "--results", str(afile)],
        "results/<name> is a file": ["run", str(cfg), "--results", str(tmp_path / "res")],
        "sweep --results below a file": ["sweep", str(sweep), "--results", str(afile / "x")],
        "validate --out below a file": ["validate", "--out", str(afile / "report")],
        "name with a newline": ["run", str(cfg), "--set", 'output.name="a\\nb"'],
        "name with a null byte": ["run", str(cfg), "--set", 'output.name="a\\u0000b"'],
        "name over 255 bytes": ["run", str(cfg), "--set", "output.name=" + "a" * 256],
        "config nested 5000 deep": ["run", str(deep)],
        "config over 1 MB": ["run", str(big)],
        "demo --save .mp4": ["demo", "--save", str(tmp_path / "x.mp4")],
        "demo --save into a missing directory": ["demo", "--save",
                                                  str(tmp_path / "nodir" / "x.gif")],
    }
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for name, argv in cases.items():
        err = _one_line_error(capsys, argv)
        assert "Traceback" not in err, name
        if "below a file" in name or "is a file" in name:
            assert "is a file, not a directory" in err, name
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert afile.read_text() == "keep" and (tmp_path / "res" / "short").read_text() == "keep"


def _tiny_sweep(tmp_path):
    p = tmp_path / "tiny.toml"
    p.write_text('[run]\nduration_min = 1.0\n[sweep.grid]\n"run.speed_mps" = [3.0, 3.2]\n')
    return p


def test_sweep_messages_say_what_happened(tmp_path, capsys, monkeypatch):
    from sim import sweep
    from sim.cli import main

    cfg = _tiny_sweep(tmp_path)
    res = str(tmp_path / "res")
    assert main(["sweep", str(cfg), "--results", res, "--no-progress"]) == 0
    assert "compile" in capsys.readouterr().out
    # a finished sweep run again: no old timings presented as new
    assert main(["sweep", str(cfg), "--results", res, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "already complete" in out and "compile" not in out
    # Ctrl-C during a sweep names --resume
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(sweep, "run_sweep", interrupted)
    assert main(["sweep", str(cfg), "--results", res]) == 130
    assert "--resume" in capsys.readouterr().err


def test_unfinished_sweep_held_by_another_process_is_named_so(tmp_path, capsys):
    import fcntl
    import json as js

    from sim.cli import main

    cfg = _tiny_sweep(tmp_path)
    res = tmp_path / "res"
    assert main(["sweep", str(cfg), "--results", str(res), "--no-progress"]) == 0
    d = res / "tiny"
    state = js.loads((d / "sweep.json").read_text())
    (d / "sweep.json").write_text(js.dumps({**state, "complete": False}))
    capsys.readouterr()
    with open(d / ".lock", "a+") as fh:                 # another process's lock
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        err = _one_line_error(capsys, ["sweep", str(cfg), "--results", str(res)])
    assert "another sweep process is writing" in err and "--resume" not in err
    err = _one_line_error(capsys, ["sweep", str(cfg), "--results", str(res)])
    assert "unfinished" in err and "--resume" in err


def test_one_kind_of_job_per_results_directory(tmp_path, capsys):
    """A run never writes into a sweep's directory or the other way round; a finished run
    is replaced only with --force; a directory another process writes is refused."""
    import fcntl

    from sim.cli import main

    res = str(tmp_path / "res")
    sweep = _tiny_sweep(tmp_path)                                     # name "tiny"
    run_cfg = tmp_path / "tiny_run.toml"
    run_cfg.write_text('[run]\nduration_min = 1.0\n[output]\nname = "tiny"\n')
    assert main(["sweep", str(sweep), "--results", res, "--no-progress"]) == 0
    capsys.readouterr()
    summary = (tmp_path / "res" / "tiny" / "summary.csv").read_bytes()
    err = _one_line_error(capsys, ["run", str(run_cfg), "--results", res])
    assert "holds a sweep, not a run" in err
    assert (tmp_path / "res" / "tiny" / "summary.csv").read_bytes() == summary
    assert not (tmp_path / "res" / "tiny" / "summary.json").exists()
    # a finished run: refused, then replaced with --force
    other = ["--set", 'output.name="solo"']
    assert main(["run", str(run_cfg), "--results", res, *other]) == 0
    capsys.readouterr()
    solo = tmp_path / "res" / "solo"
    first = (solo / "summary.json").read_bytes()
    err = _one_line_error(capsys, ["run", str(run_cfg), "--results", res, *other])
    assert "holds a finished run" in err and "--force" in err
    assert (solo / "summary.json").read_bytes() == first
    assert main(["run", str(run_cfg), "--results", res, "--force", *other,
                 "--set", "run.speed_mps=3.3"]) == 0
    capsys.readouterr()
    assert (solo / "summary.json").read_bytes() != first
    # a sweep into the run's directory is refused
    err = _one_line_error(capsys, ["sweep", str(sweep), "--results", res, *other])
    assert "holds a run, not a sweep" in err
    # another process writing the run's directory
    with open(solo / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        err = _one_line_error(capsys, ["run", str(run_cfg), "--results", res, "--force",
                                       *other])
    assert "another runfatigue process is writing" in err


def test_a_full_disk_is_one_line_and_the_old_run_stays(tmp_path, capsys, monkeypatch):
    import errno

    from sim import results
    from sim.cli import main

    cfg = tmp_path / "disk.toml"
    cfg.write_text("[run]\nduration_min = 2.0\n")
    res = str(tmp_path / "res")
    assert main(["run", str(cfg), "--results", res]) == 0
    capsys.readouterr()
    d = tmp_path / "res" / "disk"
    before = {p.relative_to(d): p.read_bytes() for p in d.rglob("*") if p.is_file()}
    real = results.atomic_open.__wrapped__ if hasattr(results.atomic_open, "__wrapped__") \
        else None
    assert real is not None
    calls = {"n": 0}

    def full(path, mode="wb", **kw):                 # the third file finds the disk full
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, mode, **kw)

    import contextlib
    monkeypatch.setattr(results, "atomic_open", contextlib.contextmanager(full))
    assert main(["run", str(cfg), "--results", res, "--force",
                 "--set", "run.speed_mps=3.4"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("runfatigue: error: ") and "Traceback" not in "".join(err)
    assert "No space left on device" in err[-1] and "as it was" in err[-1]
    after = {p.relative_to(d): p.read_bytes() for p in d.rglob("*") if p.is_file()}
    assert after == before                            # the old run, whole
    assert not [p for p in (tmp_path / "res").iterdir() if p.name.endswith(".new")]
