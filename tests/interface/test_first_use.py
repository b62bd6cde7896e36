"""First use: progress before compiling, measured compile times, manifests, CSV, help.

The in-process tests make the kernels look uncached (``kernels_cached`` patched to False,
the process's compile flag reset) and mark the moment compiling starts by wrapping what
:func:`sim.core.warmup.ensure_compiled` does first: start the second compiling process
(two or more cores) or call :func:`sim.core.batch.run_batch`; each command's progress line
must come before that mark and the "compiled in" line, with a measured time, after it.
Two subprocess tests use a really empty numba cache.
"""
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import sim
import sim.batch
import sim.warmup
from sim.cli import LESSON_NAMES, main

ROOT = Path(__file__).resolve().parents[2]
MARK = "<<kernel call starts>>"


@pytest.fixture
def cold(monkeypatch):
    """Pretend the numba cache is empty; mark the first kernel call on stderr."""
    real = sim.batch.run_batch
    real_helper = sim.warmup._Helper.start

    def marked(cfgs):
        print(MARK, file=sys.stderr, flush=True)
        return real(cfgs)

    def marked_helper():
        print(MARK, file=sys.stderr, flush=True)
        return real_helper()

    monkeypatch.setattr(sim.warmup, "kernels_cached", lambda: False)
    monkeypatch.setitem(sim.warmup._DONE, "compiled", False)
    monkeypatch.setattr(sim.batch, "run_batch", marked)
    monkeypatch.setattr(sim.warmup._Helper, "start", marked_helper)


def _check_order(err: str):
    assert MARK in err, err
    before, after = err.split(MARK, 1)
    assert "compiling the simulation kernels" in before, err
    assert re.search(r"kernels compiled in \d+\.\d s", after), err


def _short(tmp_path, text="[run]\nduration_min = 3.0\n"):
    p = tmp_path / "short.toml"
    p.write_text(text)
    return str(p)


def test_run_says_it_compiles_before_it_does(tmp_path, capsys, cold):
    assert main(["run", _short(tmp_path), "--results", str(tmp_path / "r")]) == 0
    err = capsys.readouterr().err
    assert err.index("run short: 3 min") < err.index(MARK)
    _check_order(err)


def test_sweep_says_it_compiles_before_it_does(tmp_path, capsys, cold):
    cfg = _short(tmp_path, "[run]\nduration_min = 2.0\n[sweep.grid]\n"
                           '"run.speed_mps" = [2.8, 3.0]\n')
    assert main(["sweep", cfg, "--results", str(tmp_path / "r")]) == 0
    _check_order(capsys.readouterr().err)


def test_demo_says_it_compiles_before_it_does(tmp_path, capsys, cold):
    gif = tmp_path / "d.gif"
    assert main(["demo", "--set", "run.duration_min=3", "--save", str(gif), "--frames",
                 "12"]) == 0
    err = capsys.readouterr().err
    _check_order(err)
    assert err.index("drawing 12 frames") > err.index(MARK) and "frame 10/12" in err
    man = json.loads((tmp_path / "d.manifest.json").read_text())
    assert man["command"].startswith("runfatigue demo") and man["animation"] == "d.gif"
    assert man["timings_s"]["compile_s"] > 0
    assert main(["demo", "--save", str(gif), "--frames", "1"]) == 2


def test_lessons_say_they_compile_before_they_do_and_write_a_manifest(tmp_path, capsys, cold):
    out = tmp_path / "lessons"
    assert main(["lessons", "--out", str(out), "--only", "tight_hip_flexors"]) == 0
    err = capsys.readouterr().err
    _check_order(err)
    assert "building tight_hip_flexors (1/1)" in err.split(MARK, 1)[1]
    man = json.loads((out / "manifest.json").read_text())
    assert man["lessons"] == ["tight_hip_flexors"] and man["timings_s"]["build_s"] > 0


def test_validate_and_bench_say_they_compile_before_they_do(tmp_path, capsys, cold,
                                                            monkeypatch):
    import sim.validate

    monkeypatch.setattr(sim.validate, "write_report", lambda out: "stub")
    assert main(["validate", "--out", str(tmp_path / "v")]) == 0
    _check_order(capsys.readouterr().err)
    monkeypatch.setitem(sim.warmup._DONE, "compiled", False)
    assert main(["bench", "--scenarios", "2", "--minutes", "2", "--reference", "0",
                 "--resolved", "0", "--results", str(tmp_path)]) == 0
    _check_order(capsys.readouterr().err)


def test_an_empty_numba_cache_is_announced_before_compiling(tmp_path):
    """A really empty cache (NUMBA_CACHE_DIR) is detected and announced while compiling."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    p = subprocess.Popen([sys.executable, "-m", "sim", "run", _short(tmp_path), "--results",
                          str(tmp_path / "r")], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        lines = []
        for line in p.stderr:
            lines.append(line)
            if "compiling the simulation kernels" in line:
                break
        assert lines and "compiling the simulation kernels" in lines[-1], lines
        assert not any("compiled in" in x for x in lines)
        assert p.poll() is None            # still compiling when the line was read
    finally:                               # the command and its compiling helper
        os.killpg(p.pid, signal.SIGKILL) if hasattr(os, "killpg") else p.kill()
        p.wait()


_CHECK_SIGNATURES = """
import sys
from numba.core.registry import CPUDispatcher
import sim.core.warmup as W
from sim.core.batch import summarise_kernel
from sim.core.warmup import SECOND_SHARE, ensure_compiled, kernel_signatures
from sim.physics.sharing_phases import solve_phases_warm
from sim.physics.sharing_solver import solve_sharing_columns

def compiled():
    return {(v.py_func.__module__, v.__name__): len(v.signatures)
            for name, mod in list(sys.modules.items()) if name.startswith("sim")
            for v in list(vars(mod).values()) if isinstance(v, CPUDispatcher)}

before_run_loop = {}
compile_first_share = W.compile_first_share
def first_share_then_look():
    compile_first_share()
    before_run_loop.update(compiled())
W.compile_first_share = first_share_then_look
ensure_compiled()
assert before_run_loop, "the second process did not run"
late = {k[1] for k, n in compiled().items() if n != before_run_loop.get(k, 0)}
# the second process's share, the solves and the batch reduction come from the cache it
# filled; only the run loop is compiled after this process's share
theirs = {"solve_phases_warm", "solve_sharing_columns", "summarise_kernel", *SECOND_SHARE}
assert late == {"run_kernel"} | theirs, late
for fn, sig in kernel_signatures().items():
    assert fn.signatures == [sig], (fn.__name__, fn.signatures)
for fn in (solve_phases_warm, solve_sharing_columns, summarise_kernel,
           *(f for f in kernel_signatures() if f.__name__ in SECOND_SHARE)):
    assert sum(fn.stats.cache_hits.values()) == 1, (fn.__name__, fn.stats)
    assert not fn.stats.cache_misses, (fn.__name__, fn.stats)
print("ok")
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the second process needs two cores")
def test_what_the_second_process_compiles_is_what_the_run_loop_uses(tmp_path):
    """Empty cache: every kernel is compiled once, for the types the run loop passes; the
    second process's share, the solves and the batch reduction are loaded from the cache
    it filled, not recompiled; the run loop's own compile compiles nothing else of the
    package."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", _CHECK_SIGNATURES], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-3000:]


def test_no_compile_message_when_cached(tmp_path, capsys):
    sim.warmup.ensure_compiled()
    assert main(["run", _short(tmp_path), "--results", str(tmp_path / "r")]) == 0
    assert "compil" not in capsys.readouterr().err


def test_run_writes_its_series_as_csv_with_units(tmp_path):
    assert main(["run", _short(tmp_path), "--results", str(tmp_path / "r")]) == 0
    d = tmp_path / "r" / "short"
    lines = (d / "timeseries.csv").read_text().splitlines()
    head = lines[0].split(",")
    assert head[:3] == ["time_s [s]", "duration_s [s]", "speed_mps [m/s]"]
    assert "capacity:gluteus_medius [1]" in head and "energy:vasti:fast_twitch [1]" in head
    assert all(re.fullmatch(r"[A-Za-z0-9_:]+ \[[^\]]+\]", h) for h in head)
    from sim.io import load_timeseries

    ts = load_timeseries(d)
    assert len(lines) - 1 == ts["time_s"].size
    col = head.index("capacity:gluteus_medius [1]")
    i = ts["muscles"].index("gluteus_medius")
    assert [float(r.split(",")[col]) for r in lines[1:]] == list(ts["capacity"][:, i])


@pytest.mark.parametrize("config", sorted(p.name for p in (ROOT / "configs").glob("*.toml")))
def test_config_prints_every_shipped_config(config, capsys):
    assert main(["config", str(ROOT / "configs" / config)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ") and "[runner]" in out


def test_config_of_a_sweep_shows_its_sweep_table(capsys):
    assert main(["config", str(ROOT / "configs" / "hip_flexor_tightness.toml")]) == 0
    out = capsys.readouterr().out
    assert "[sweep.grid]" in out and out.rstrip().endswith("# 72 scenarios (grid)")


def test_help_lists_lessons_and_defaults(capsys):
    from sim.lessons import LESSONS

    assert LESSON_NAMES == tuple(LESSONS)
    with pytest.raises(SystemExit):
        main(["lessons", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert all(name in out for name in LESSONS) and "default: results/lessons" in out
    with pytest.raises(SystemExit):
        main(["bench", "--help"])
    assert "figures" not in capsys.readouterr().out


def test_plot_adds_its_redraw_to_the_manifest(tmp_path):
    assert main(["run", _short(tmp_path), "--results", str(tmp_path / "r")]) == 0
    d = tmp_path / "r" / "short"
    before = json.loads((d / "manifest.json").read_text())
    assert main(["plot", str(d)]) == 0
    after = json.loads((d / "manifest.json").read_text())
    redrawn = after.pop("redrawn")
    assert after == before                       # the run's own record is kept
    assert redrawn[0]["command"] == f"runfatigue plot {d}"
    assert "figures/load_curves.png" in redrawn[0]["figures"]


@pytest.mark.parametrize("config", sorted(p.name for p in (ROOT / "configs").glob("*.toml")))
def test_every_shipped_config_has_a_pace_line(config):
    from sim.cli import _is_sweep
    from sim.pace import pace_text
    from sim.sweep_spec import load_sweep

    path = ROOT / "configs" / config
    base = load_sweep(path)[0] if _is_sweep(path) else sim.load_config(path)
    assert re.fullmatch(r"[0-9.]+ m/s|\d+ pace segments? \([0-9.]+-[0-9.]+ m/s\)", pace_text(base.run))


def test_run_of_a_pace_profile_says_its_pace(tmp_path, capsys):
    assert main(["run", str(ROOT / "configs" / "fast_start.toml"), "--set",
                 "run.duration_min=5", "--results", str(tmp_path)]) == 0
    assert "5 min at 2 pace segments (3.0857-3.456 m/s)" in capsys.readouterr().err
