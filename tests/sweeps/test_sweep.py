"""Sweeps: summary.csv equals the batch kernel, chunking/executors do not change a byte,
interrupted sweeps resume to the same result, and bad input writes nothing."""
import csv
import json
import math
import os
import signal
import subprocess
import sys
import time

import pytest

from sim.batch import run_batch, summary_fields
from sim.cli import UserError
from sim.sweep import run_sweep, sweep_hash
from sim.sweep_spec import load_sweep

GRID = """
[run]
duration_min = 20
[sweep.grid]
"scenario.hip_flexor_tightness_deg" = [0, 12]
"runner.mass_kg" = [60, 75, 90]
"""


def cli(*args, cwd, timeout=300):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout)


def one_line_error(r):
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    return r.stderr


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_summary_equals_batch_kernel_and_chunking_changes_nothing(tmp_path):
    path = write(tmp_path, "grid.toml", GRID)
    out = run_sweep(path, results_root=tmp_path / "default", progress=False)
    assert out == tmp_path / "default" / "grid"
    base, spec = load_sweep(path)
    expected = run_batch([spec.config(base, i) for i in range(len(spec))])
    with open(out / "summary.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    fields = list(expected[0])
    assert fields == list(summary_fields([f[13:] for f in fields if f.startswith("end_cap")]))
    assert header == ["scenario", *spec.keys, *fields]
    assert {"spike_onset_s", "peak_shear_N", "peak_shear_bw", "peak_trunk_lean_deg",
            "peak_pelvic_tilt_deg", "infeasible_strides"} <= set(header)
    assert any(h.startswith("end_capacity_") for h in header)
    assert len(body) == len(spec) == 6
    for i, (line, exp) in enumerate(zip(body, expected)):
        assert line[0] == str(i)
        assert tuple(float(v) for v in line[1:3]) == spec.rows[i]
        for name, cell in zip(fields, line[3:]):
            if name in ("spike_censored", "spike_from_start"):  # written true/false
                assert cell == ("true" if exp[name] else "false"), (i, cell)
                continue
            assert same(float(cell), exp[name]), (i, name, cell, exp[name])
    assert "nan" in {c for line in body for c in line}  # a never-spiking run, written as nan
    # chunk size does not change a byte
    ref = (out / "summary.csv").read_bytes()
    for cs in (1, 4):
        o = run_sweep(path, chunk_size=cs, results_root=tmp_path / f"cs{cs}", progress=False)
        assert (o / "summary.csv").read_bytes() == ref
        assert len(list((o / "chunks").glob("chunk_*.csv"))) == math.ceil(6 / cs)
    state = json.loads((out / "sweep.json").read_text())
    assert state["n_scenarios"] == 6 and state["complete"] and state["keys"] == list(spec.keys)
    assert state["hash"] == sweep_hash(base, spec)
    man = json.loads((out / "manifest.json").read_text())
    assert {"compile_s", "run_s"} <= set(man["timings_s"]) and man["scenarios_per_s"] > 0
    # the written config.toml is itself the same sweep (same hash: resumable from it)
    assert sweep_hash(*load_sweep(out / "config.toml")) == state["hash"]


def test_sigkill_then_resume_equals_uninterrupted_run(tmp_path):
    tight = ", ".join(str(v) for v in range(0, 20, 2))
    core = ", ".join(f"{0.6 + 0.05 * k:.2f}" for k in range(20))
    path = write(tmp_path, "kill.toml", f"""
[run]
duration_min = 30
[sweep.grid]
"scenario.hip_flexor_tightness_deg" = [{tight}]
"scenario.core_strength" = [{core}]
""")
    n = 200
    ref = run_sweep(path, results_root=tmp_path / "ref", progress=False)
    res = tmp_path / "res"
    chunks = res / "kill" / "chunks"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(path), "--chunk-size",
                             "1", "--no-progress", "--results", str(res)],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        # a chunk is complete once its checksum record is written (last)
        while not (chunks.is_dir() and len(list(chunks.glob("chunk_*.sha256"))) >= 5):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    done = len(list(chunks.glob("chunk_*.sha256")))
    assert 5 <= done < n, done
    assert not (res / "kill" / "summary.csv").exists()
    assert not json.loads((res / "kill" / "sweep.json").read_text())["complete"]
    # a half-written temporary file (as a kill during a write leaves) is never read
    (chunks / ".chunk_000199.csv.x1y2.tmp").write_text("scenario,garbage\n199,1\n")
    r = cli("sweep", str(path), "--no-progress", "--results", str(res), cwd=tmp_path)
    assert "--resume" in one_line_error(r)  # never mixed silently
    r = cli("sweep", str(path), "--resume", "--no-progress", "--results", str(res),
            cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (res / "kill" / "summary.csv").read_bytes() == (ref / "summary.csv").read_bytes()
    assert not list(chunks.glob("*.tmp"))
    man = json.loads((res / "kill" / "manifest.json").read_text())["sweep"]
    assert man["resumed"] and man["reused"] >= done and man["computed_now"] == n - man["reused"]


def test_resume_of_finished_sweep_is_noop_and_changed_config_is_refused(tmp_path):
    path = write(tmp_path, "grid.toml", GRID)
    out = run_sweep(path, results_root=tmp_path / "res", progress=False)
    summary = out / "summary.csv"
    before = (summary.read_bytes(), summary.stat().st_mtime_ns,
              (out / "manifest.json").read_bytes())
    assert run_sweep(path, resume=True, results_root=tmp_path / "res", progress=False) == out
    assert (summary.read_bytes(), summary.stat().st_mtime_ns,
            (out / "manifest.json").read_bytes()) == before
    r = cli("sweep", str(path), "--resume", "--set", "run.duration_min=21",
            "--results", str(tmp_path / "res"), cwd=tmp_path)
    assert "holds a different sweep" in one_line_error(r)
    # the same finished sweep again, without --resume: a no-op that keeps the results
    assert run_sweep(path, results_root=tmp_path / "res", progress=False) == out
    assert summary.read_bytes() == before[0] and summary.stat().st_mtime_ns == before[1]
    # a different sweep under the same name is refused without --resume
    r = cli("sweep", str(path), "--set", "run.duration_min=21", "--results",
            str(tmp_path / "res"), cwd=tmp_path)
    msg = one_line_error(r)
    assert "holds a different sweep" in msg and "--resume" not in msg   # it cannot help
    assert summary.read_bytes() == before[0]


def test_dask_local_cluster_equals_local_executor(tmp_path, require_extra):
    require_extra("distributed")
    path = write(tmp_path, "grid.toml", GRID)
    local = run_sweep(path, results_root=tmp_path / "local", progress=False)
    r = cli("sweep", str(path), "--executor", "dask", "--workers", "2", "--chunk-size", "2",
            "--no-progress", "--results", str(tmp_path / "dask"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "dask" / "grid"
    assert (out / "summary.csv").read_bytes() == (local / "summary.csv").read_bytes()
    man = json.loads((out / "manifest.json").read_text())["sweep"]
    assert man["executor"] == "dask" and man["workers"] == 2 and man["n_chunks"] == 3
    # an existing cluster (--scheduler ADDRESS), default chunk size
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        o = run_sweep(path, executor="dask", scheduler=cluster.scheduler_address,
                      results_root=tmp_path / "sched", progress=False)
    assert (o / "summary.csv").read_bytes() == (local / "summary.csv").read_bytes()


def test_dask_missing_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails
    path = write(tmp_path, "grid.toml", GRID)
    with pytest.raises(UserError, match=r'pip install "runfatigue\[dask\]"'):
        run_sweep(path, executor="dask", results_root=tmp_path / "res", progress=False)
    assert not (tmp_path / "res").exists()


def test_sensitivity_writes_indices_and_figure(tmp_path, require_extra):
    require_extra("SALib")
    path = write(tmp_path, "sens.toml", """
[run]
duration_min = 20
[sweep.sensitivity]
n = 8
seed = 2
outputs = ["spike_onset_s", "peak_shear_bw"]
[sweep.sensitivity.bounds]
"scenario.hip_flexor_tightness_deg" = [0, 20]
"scenario.core_strength" = [0.6, 1.2]
""")
    out = run_sweep(path, results_root=tmp_path / "res", progress=False)
    with open(out / "sensitivity.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf", "n",
                             "censored"]
    assert [(r["output"], r["parameter"]) for r in rows] == [
        (o, p) for o in ("spike_onset_s", "peak_shear_bw")
        for p in ("scenario.hip_flexor_tightness_deg", "scenario.core_strength")]
    assert all(r["n"] == "32" for r in rows)  # n * (k + 2)
    for r in rows:
        for c in ("S1", "S1_conf", "ST", "ST_conf"):
            float(r[c])
    assert (out / "figures" / "sensitivity.png").stat().st_size > 10_000
    assert sum(1 for _ in open(out / "summary.csv")) == 33


def test_bad_sweep_config_exits_2_and_writes_nothing(tmp_path):
    path = write(tmp_path, "bad.toml", GRID.replace("[0, 12]", "[0, 45]"))
    res = tmp_path / "res"
    err = one_line_error(cli("sweep", str(path), "--results", str(res), cwd=tmp_path))
    assert "hip_flexor_tightness_deg" in err and "45" in err
    err = one_line_error(cli("sweep", str(path), "--chunk-size", "0",
                             "--results", str(res), cwd=tmp_path))
    assert "--chunk-size" in err
    assert not res.exists()


def test_progress_line_overwrites_itself_on_a_terminal():
    import io

    from sim.sweep import _Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    bar = _Progress("demo", total=10, done=4, enabled=True, stream=tty)
    bar.update(6)
    bar.close("sweep demo: done")
    text = tty.getvalue()
    assert text.count("\r") >= 2 and "\n" not in text[:-1] and text.endswith("done\n")
    assert "10/10 scenarios (100.0%)" in text and "scenarios/s" in text and "left" in text
    quiet = io.StringIO()  # not a terminal: only the final line
    _Progress("demo", 10, 0, True, stream=quiet).close("sweep demo: done")
    assert quiet.getvalue() == "sweep demo: done\n"


# ----------------------------------------------------------------------- time series

SERIES_GRID = GRID.replace("[sweep.grid]", "[output]\ntimeseries = true\n[sweep.grid]")


def test_timeseries_npz_shapes_and_values_equal_single_runs(tmp_path):
    import numpy as np

    import sim
    from sim import sweep_series
    from sim.batch import SERIES

    path = write(tmp_path, "grid.toml", SERIES_GRID)
    out = run_sweep(path, results_root=tmp_path / "ts", progress=False)
    base, spec = load_sweep(path)
    n = len(spec)
    with np.load(out / "timeseries.npz", allow_pickle=False) as z:
        assert sorted(z.files) == ["_dims", "scenario", "series", "series_names",
                                   "series_units", "time_min"]
        arrays = {k: z[k] for k in z.files}
    dims = json.loads(str(arrays["_dims"]))
    assert dims["series"] == ["scenario", "time", "series"] and dims["time_min"] == ["time"]
    names = [str(x) for x in arrays["series_names"]]
    header = next(csv.reader(open(out / "summary.csv")))
    groups = [h[13:] for h in header if h.startswith("end_capacity_")]
    assert names == [s[0] for s in SERIES] + [f"capacity_{g}" for g in groups]
    assert [str(u) for u in arrays["series_units"]][:5] == ["BW", "1", "deg", "deg", "m/s"]
    series = arrays["series"]
    assert series.dtype == np.float64 and series.shape == (n, 20, len(names))
    assert arrays["time_min"].tolist() == [float(m) for m in range(20)]  # 20-min runs
    assert arrays["scenario"].tolist() == list(range(n))
    # shear [BW] at the grid times equals single runs' checkpoint values, exactly
    grid = arrays["time_min"] * 60.0
    for i in range(n):
        res = sim.simulate(spec.config(base, i))
        k = np.searchsorted(res.time_s, grid, side="right") - 1
        np.testing.assert_array_equal(series[i, :, 0], res.shear_bw[k])
        np.testing.assert_array_equal(series[i, :, 4], res.speed_mps[k])
    assert np.all(np.isfinite(series))  # no rest, every grid time inside the run
    # the memory-mapped reader gives the same arrays
    z = sweep_series.load(out)
    assert isinstance(z["series"], np.memmap) and z["series_names"] == names
    np.testing.assert_array_equal(z["series"], series)
    # chunk files next to the CSVs; sweep.json says what was written
    chunks = sorted(p.name for p in (out / "chunks").iterdir())
    assert [c for c in chunks if c.startswith("series_")] == [
        c.replace("chunk_", "series_").replace(".csv", ".npy")
        for c in chunks if c.startswith("chunk_") and c.endswith(".csv")]
    assert [c for c in chunks if c.endswith(".sha256")] == [      # one checksum per chunk
        c.replace(".csv", ".sha256") for c in chunks if c.endswith(".csv")]
    state = json.loads((out / "sweep.json").read_text())
    assert state["timeseries"]["n_times"] == 20 and state["timeseries"]["step_s"] == 60.0
    assert "timeseries_s" in json.loads((out / "manifest.json").read_text())["timings_s"]
    # a sweep without the flag: the same summary, no series (the schema default of true
    # is for single runs), and its config.toml says so
    plain = run_sweep(write(tmp_path, "plain.toml", GRID), results_root=tmp_path / "plain",
                      progress=False)
    assert (plain / "summary.csv").read_bytes() == (out / "summary.csv").read_bytes()
    assert not (plain / "timeseries.npz").exists()
    assert not list((plain / "chunks").glob("series_*"))
    assert "timeseries = false" in (plain / "config.toml").read_text()
    assert "timeseries = true" in (out / "config.toml").read_text()
    assert json.loads((plain / "sweep.json").read_text())["timeseries"] is None


def test_timeseries_chunk_size_and_resume_change_nothing(tmp_path):
    path = write(tmp_path, "grid.toml", SERIES_GRID)
    ref = run_sweep(path, results_root=tmp_path / "default", progress=False)
    ref_bytes = (ref / "timeseries.npz").read_bytes()
    one = run_sweep(path, chunk_size=1, results_root=tmp_path / "cs1", progress=False)
    assert len(list((one / "chunks").glob("series_*.npy"))) == 6
    assert (one / "timeseries.npz").read_bytes() == ref_bytes  # same contents, same bytes
    # interrupted after the chunks: one series file lost, one cut short
    state = json.loads((one / "sweep.json").read_text())
    (one / "sweep.json").write_text(json.dumps({**state, "complete": False}))
    for name in ("summary.csv", "timeseries.npz"):
        (one / name).unlink()
    (one / "chunks" / "series_000002.npy").unlink()
    cut = one / "chunks" / "series_000004.npy"
    cut.write_bytes(cut.read_bytes()[:-8])
    run_sweep(path, resume=True, results_root=tmp_path / "cs1", progress=False)
    man = json.loads((one / "manifest.json").read_text())["sweep"]
    assert man["resumed"] and man["computed_now"] == 2 and man["reused"] == 4
    assert (one / "timeseries.npz").read_bytes() == ref_bytes
    assert (one / "summary.csv").read_bytes() == (ref / "summary.csv").read_bytes()


def test_finished_sweep_resumed_with_timeseries_adds_them(tmp_path):
    path = write(tmp_path, "grid.toml", GRID)
    out = run_sweep(path, results_root=tmp_path / "res", progress=False)
    assert not (out / "timeseries.npz").exists()
    summary = (out / "summary.csv").read_bytes()
    run_sweep(path, {"output.timeseries": True}, resume=True, results_root=tmp_path / "res",
              progress=False)
    ref = run_sweep(path, {"output.timeseries": True}, results_root=tmp_path / "ref",
                    progress=False)
    assert (out / "timeseries.npz").read_bytes() == (ref / "timeseries.npz").read_bytes()
    assert (out / "summary.csv").read_bytes() == summary


def test_dask_writes_the_same_timeseries(tmp_path, require_extra):
    require_extra("distributed")
    path = write(tmp_path, "grid.toml", SERIES_GRID)
    local = run_sweep(path, chunk_size=4, results_root=tmp_path / "local", progress=False)
    r = cli("sweep", str(path), "--executor", "dask", "--workers", "2", "--chunk-size", "2",
            "--no-progress", "--results", str(tmp_path / "dask"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "dask" / "grid"
    assert (out / "timeseries.npz").read_bytes() == (local / "timeseries.npz").read_bytes()


# ------------------------------------------------------------------ damaged chunks ----

def _damage_cases():
    """name -> function(directory) that damages a sweep directory in one way."""
    import shutil

    c1 = lambda d: d / "chunks" / "chunk_000001.csv"             # noqa: E731
    s1 = lambda d: d / "chunks" / "chunk_000001.sha256"          # noqa: E731

    def edit(fn):
        def f(d):
            c1(d).write_bytes(fn(c1(d).read_bytes()))
        return f

    def plausible(b):          # change one digit of the last value of the data row
        head, row = b.split(b"\n")[:2]
        i = max(k for k, ch in enumerate(row) if chr(ch).isdigit())
        digit = b"1" if row[i:i + 1] != b"1" else b"2"
        return head + b"\n" + row[:i] + digit + row[i + 1:] + b"\n"

    def dir_in_place(d):
        c1(d).unlink()
        (c1(d) / "x").mkdir(parents=True)

    def leftover_tmp(d):
        (d / "chunks" / ".chunk_000001.csv.1234.tmp").write_text("half")
        c1(d).unlink()

    def summary_truncated(d):
        p = d / "summary.csv"
        p.write_bytes(p.read_bytes()[:-40])

    return {
        "truncated mid-value": edit(lambda b: b[: len(b) - 7]),
        "missing final newline": edit(lambda b: b.rstrip(b"\n")),
        "garbage value": edit(lambda b: b.replace(b",", b",abc", 1)),
        "plausible wrong value": edit(plausible),
        "renamed header": edit(lambda b: b.replace(b"scenario", b"scenari0", 1)),
        "empty": edit(lambda b: b""),
        "binary": edit(lambda b: bytes(range(256))),
        "leftover temporary file, chunk missing": leftover_tmp,
        "directory in place of the chunk": dir_in_place,
        "checksum missing": lambda d: s1(d).unlink(),
        "checksum garbage": lambda d: s1(d).write_text("{not json"),
        "checksum of other bytes": lambda d: s1(d).write_text('{"csv": "00", "series": null}'),
        "chunk deleted": lambda d: c1(d).unlink(),
        "summary truncated after completion": summary_truncated,
        "summary deleted after completion": lambda d: (d / "summary.csv").unlink(),
        "summary replaced by a directory": lambda d: (
            (d / "summary.csv").unlink(), (d / "summary.csv").mkdir()),
    }


def test_damaged_chunks_are_recomputed_and_the_summary_is_byte_identical(tmp_path):
    import shutil

    cfg = write(tmp_path, "dmg.toml", '[run]\nduration_min = 2.0\n[sweep.grid]\n'
                                      '"run.speed_mps" = [2.8, 3.0, 3.2, 3.4]\n')
    ref = run_sweep(cfg, chunk_size=1, results_root=tmp_path / "ref", progress=False)
    expected = (ref / "summary.csv").read_bytes()
    for name, damage in _damage_cases().items():
        root = tmp_path / name.replace(" ", "_").replace(",", "")
        d = root / ref.name
        shutil.copytree(ref, d)
        if "summary" not in name:                       # an interrupted sweep
            state = json.loads((d / "sweep.json").read_text())
            (d / "sweep.json").write_text(json.dumps({**state, "complete": False}))
            (d / "summary.csv").unlink()
        damage(d)
        if "replaced by a directory" in name:
            with pytest.raises((UserError, OSError)):
                run_sweep(cfg, resume=True, results_root=root, progress=False)
            continue
        out = run_sweep(cfg, resume=True, results_root=root, progress=False)
        assert (out / "summary.csv").read_bytes() == expected, name
        assert (out / "chunks" / "chunk_000001.csv").read_bytes() == (
            ref / "chunks" / "chunk_000001.csv").read_bytes(), name
        assert not list((out / "chunks").glob(".*.tmp")), name


def test_damaged_chunks_are_recomputed_by_the_dask_executor_too(tmp_path, require_extra):
    require_extra("distributed")
    import shutil

    cfg = write(tmp_path, "dmg.toml", '[run]\nduration_min = 2.0\n[sweep.grid]\n'
                                      '"run.speed_mps" = [2.8, 3.0, 3.2]\n')
    ref = run_sweep(cfg, chunk_size=1, results_root=tmp_path / "ref", progress=False)
    expected = (ref / "summary.csv").read_bytes()
    cases = _damage_cases()
    for name in ("plausible wrong value", "truncated mid-value", "summary truncated after completion"):
        root = tmp_path / name.replace(" ", "_")
        d = root / ref.name
        shutil.copytree(ref, d)
        if "summary" not in name:
            state = json.loads((d / "sweep.json").read_text())
            (d / "sweep.json").write_text(json.dumps({**state, "complete": False}))
            (d / "summary.csv").unlink()
        cases[name](d)
        r = cli("sweep", str(cfg), "--resume", "--executor", "dask", "--workers", "2",
                "--no-progress", "--results", str(root), cwd=tmp_path)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (name, r.stderr)
        assert (d / "summary.csv").read_bytes() == expected, name


def test_large_sweeps_announce_themselves_and_huge_ones_need_yes(tmp_path, monkeypatch,
                                                                 capsys):
    from sim import sweep

    cfg = write(tmp_path, "big.toml", '[run]\nduration_min = 1.0\n[sweep.grid]\n'
                                      '"run.speed_mps" = [2.8, 3.0, 3.2, 3.4]\n')
    monkeypatch.setattr(sweep, "CONFIRM_SCENARIOS", 3)
    monkeypatch.setattr(sweep, "ANNOUNCE_SCENARIOS", 2)
    with pytest.raises(UserError, match=r"4 scenarios of 1 min, about .* add --yes"):
        run_sweep(cfg, results_root=tmp_path / "res", progress=False)
    assert not (tmp_path / "res").exists()                 # nothing started
    out = run_sweep(cfg, results_root=tmp_path / "res", progress=False, yes=True)
    assert (out / "summary.csv").is_file()
    assert "4 scenarios of 1 min, about" in capsys.readouterr().err


def test_a_figure_failure_does_not_undo_a_complete_sweep(tmp_path, monkeypatch):
    from sim import sweep_plots

    cfg = write(tmp_path, "fig.toml", '[run]\nduration_min = 1.0\n[sweep.grid]\n'
                                      '"run.speed_mps" = [3.0, 3.2]\n')

    def broken(directory):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(sweep_plots, "write_figures", broken)
    with pytest.raises(UserError, match="sweep complete .*figures failed.*runfatigue plot"):
        run_sweep(cfg, results_root=tmp_path / "res", progress=False)
    d = tmp_path / "res" / "fig"
    assert json.loads((d / "sweep.json").read_text())["complete"] is True
    summary = (d / "summary.csv").read_bytes()
    monkeypatch.undo()
    assert run_sweep(cfg, resume=True, results_root=tmp_path / "res", progress=False) == d
    assert (d / "summary.csv").read_bytes() == summary
