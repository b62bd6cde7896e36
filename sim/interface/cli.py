"""The ``runfatigue`` command line (also ``python -m sim``).

Subcommands
-----------
run        simulate one run of a config; writes ``results/<name>/``
plot       redraw the figures of a results directory without re-simulating
bench      speed benchmark (batch kernel, reference path, resolved-mode error)
demo       interactive demo with sliders, or an animation (--save, or no display)
lessons    build the six teaching lessons into ``results/lessons/``
sweep      run every scenario of a [sweep] config; writes ``results/<name>/summary.csv``
config     print the resolved configuration (defaults filled in, overrides applied)
validate   compare the model with the literature; writes ``results/validation/``

Bad input ends with one line on stderr and exit code 2; no traceback.

Length: about 450 lines, kept in one module on purpose: each command's function sits
beside the parser entry that declares its flags, so a command is read in one place.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import RunfatigueError, UserError
from ..jit import use_compile_level
from ..results import check_output_dir

__all__ = ["main", "UserError", "LESSON_NAMES"]

#: The lessons in build order (as :data:`sim.teaching.lessons.LESSONS`; kept here so that the
#: parser does not import the lessons and their plotting stack).
LESSON_NAMES = ("fast_twitch_energy", "cascade", "glute_med_to_lumbar", "tight_hip_flexors",
                "everything_connected", "what_helps")



def _load(args, extra_sections=()):
    """The config named on the command line with its ``--set`` overrides."""
    from ..config import load_config, parse_override

    overrides = dict(parse_override(s) for s in (args.set or []))
    return load_config(args.config, overrides, extra_sections=extra_sections)


def _add_config_args(p):
    p.add_argument("config", help="TOML config file")
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="override a config key, e.g. --set run.duration_min=60 (repeatable)")


def _say(prefix: str):
    """A progress callback printing ``prefix: message`` on stderr at once."""
    return lambda msg: print(f"{prefix}: {msg}", file=sys.stderr, flush=True)


def _is_sweep(path) -> bool:
    import tomllib

    try:
        return "sweep" in tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False                    # load_config reports the problem with its name


def _cmd_config(args) -> int:
    from ..config import parse_override, to_toml

    if _is_sweep(args.config):
        from ..sweeps.sweep import _config_text
        from ..sweeps.sweep_spec import load_sweep

        overrides = dict(parse_override(s) for s in (args.set or []))
        base, spec = load_sweep(args.config, overrides)
        sys.stdout.write(_config_text(Path(args.config), base)
                         + f"# {len(spec)} scenarios ({spec.kind})\n")
        return 0
    cfg = _load(args)
    sys.stdout.write(to_toml(cfg, header=f"resolved from {cfg.source}"))
    return 0


def _cmd_run(args) -> int:
    from .io import write_run
    from ..core.simulation import simulate

    from ..results import claim_run_directory

    cfg = _load(args)
    target = Path(args.results) / cfg.name
    with claim_run_directory(target, force=args.force, check_only=True):
        pass                                   # refuse now rather than after simulating
    from ..physics.pace import pace_text
    from ..core.warmup import ensure_compiled

    say = _say(f"run {cfg.name}")
    say(f"{cfg.run.duration_min:g} min at {pace_text(cfg.run)}")
    ensure_compiled(say)
    try:
        res = simulate(cfg)
    except ValueError as e:
        raise UserError(f"{cfg.source}: {e}") from None
    try:
        with claim_run_directory(target, force=args.force) as stage:
            write_run(res, stage, args.command_line)
    except OSError as e:
        raise UserError(f"{target}: cannot write the run ({e.strerror or e}); "
                        "its directory is as it was before this command") from None
    out = target
    print(f"{cfg.name}: {verdict(res.summary(), cfg.spike.index)}; results in {out}")
    return 0


def verdict(s: dict, index: str) -> str:
    """One line on a run's summary: when the back load spiked, and how the run ended.

    Examples
    --------
    >>> verdict({"spike_onset_s": float("nan"), "exhaustion_s": 9000.0,
    ...          "spike_censored": True, "distance_km": 28.1, "peak_shear_bw": 0.8,
    ...          "infeasible_strides": 120.0, "limiting_muscle": "gluteus_medius"},
    ...         "shear_bw")
    'back-load spike (shear_bw) not reached before exhaustion; exhausted at 150.0 min (28.1 km; limit: gluteus_medius); peak shear 0.80 BW; infeasible strides 120'
    """
    onset = s["spike_onset_s"]
    if onset == onset:
        run_s, km = s.get("spike_onset_running_s", onset), s.get("spike_onset_km", float("nan"))
        if onset == 0.0:
            when = "from the first stride (posture and pace alone)"
        else:
            when = f"at {onset / 60:.1f} min"
            if run_s == run_s and abs(run_s - onset) > 1e-6:
                when += f" ({run_s / 60:.1f} min of running)"
            if km == km:
                when += f", {km:.1f} km"
    elif s.get("spike_censored"):
        when = "not reached before exhaustion"
    else:
        when = "never"
    text = f"back-load spike ({index}) {when}"
    exh = s.get("exhaustion_s", float("nan"))
    if exh == exh:
        text += (f"; exhausted at {exh / 60:.1f} min ({s['distance_km']:.1f} km; limit: "
                 f"{s.get('limiting_muscle') or 'n/a'})")
    text += f"; peak shear {s['peak_shear_bw']:.2f} BW"
    return text + f"; infeasible strides {s['infeasible_strides']:.0f}"


def _cmd_plot(args) -> int:
    from .io import load_run, write_run_figures

    d = Path(args.results_dir)
    if not d.is_dir():
        raise UserError(f"{d}: no such results directory")
    if (d / "timeseries.npz").is_file():
        from .io import DamagedRunError

        try:
            run = load_run(d)
        except DamagedRunError as e:
            raise UserError(str(e)) from None
        paths = write_run_figures(run, d)
    elif (d / "summary.csv").is_file():
        from ..figures import sweep_plots

        try:
            paths = sweep_plots.write_figures(d)
        except sweep_plots.SweepDataError as e:
            raise UserError(str(e)) from None
    else:
        raise UserError(f"{d}: neither a saved run (timeseries.npz) nor a sweep (summary.csv)")
    _note_redraw(d, args.command_line, [str(p.relative_to(d)) for p in paths])
    for p in paths:
        print(p)
    return 0


def _note_redraw(d: Path, command: str, figures: list) -> None:
    """Add a ``redrawn`` entry (command, time, version, figures) to ``d/manifest.json``.

    The manifest of the run or sweep that wrote the directory is kept as it was; only the
    list of redraws grows. A directory without a readable manifest gets a new one.
    """
    import json

    from ..results import manifest, write_json

    entry = manifest(command, extra={"figures": figures})
    entry = {k: entry[k] for k in ("command", "created_utc", "version", "git_commit",
                                   "figures")}
    path = d / "manifest.json"
    try:
        man = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(man, dict):
            raise ValueError
    except (OSError, ValueError):
        man = manifest(command, extra={"note": "written by 'runfatigue plot': the manifest "
                                               "of the command that made this directory "
                                               "was missing or unreadable"})
    man.setdefault("redrawn", []).append(entry)
    write_json(path, man)


def _positive_int(option: str, text):
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        raise UserError(f"{option} {text}: expected a positive integer") from None
    if value < 1:
        raise UserError(f"{option} {text}: expected a positive integer")
    return value


def _cmd_sweep(args) -> int:
    import json

    from ..config import parse_override
    from ..sweeps.sweep import run_sweep

    import time

    overrides = dict(parse_override(s) for s in (args.set or []))
    started = time.time()
    out = run_sweep(args.config, overrides, executor=args.executor,
                    workers=_positive_int("--workers", args.workers),
                    scheduler=args.scheduler,
                    chunk_size=_positive_int("--chunk-size", args.chunk_size),
                    resume=args.resume, results_root=args.results, force=args.force,
                    yes=args.yes,
                    progress=not args.no_progress,
                    command=args.command_line)
    if (out / "manifest.json").stat().st_mtime < started:     # nothing was computed now
        print(f"sweep {out.name}: already complete; results in {out / 'summary.csv'}")
        return 0
    man = json.loads((out / "manifest.json").read_text())
    t = man.get("timings_s", {})
    rate = man.get("scenarios_per_s")
    extra = [p.name for p in (out / "sensitivity.csv",) if p.exists()]
    print(f"sweep {out.name}: {man['sweep']['n_scenarios']} scenarios; compile "
          f"{t.get('compile_s', 0):.1f} s, run {t.get('run_s', 0):.1f} s"
          + (f" ({rate:.1f} scenarios/s)" if rate else "")
          + f"; results in {out / 'summary.csv'}"
          + (f" and {', '.join(extra)}" if extra else ""))
    return 0


def _cmd_bench(args) -> int:
    import json

    from .bench import format_report, run_bench
    from ..results import write_json, write_manifest

    if (args.scenarios < 1 or args.minutes <= 0 or args.reference < 0
            or (args.resolved is not None and args.resolved < 0) or args.repeats < 1
            or args.long < 0):
        raise UserError("bench: --scenarios >= 1, --minutes > 0, --reference >= 0, "
                        "--resolved >= 0, --repeats >= 1 and --long >= 0 are required")
    say = _say("bench") if not args.json else None
    r = run_bench(args.scenarios, args.minutes, args.reference, args.resolved, progress=say,
                  repeats=args.repeats, n_long=args.long)
    out = Path(args.results) / "bench"
    write_json(out / "bench.json", r)
    write_manifest(out, args.command_line,
                   timings={"compile_s": r["compile_s"], "run_s": r["run_s"]})
    from ..results import jsonable

    print(json.dumps(jsonable(r), indent=2, allow_nan=False) if args.json
          else format_report(r))
    return 0


def _cmd_demo(args) -> int:
    from ..config import load_config, parse_override
    from ..teaching.demo import run_demo

    if args.save is not None:
        save = Path(args.save)
        if save.suffix.lower() != ".gif":
            raise UserError(f"demo --save {args.save}: the animation is written as a GIF; "
                            "allowed: a file name ending in .gif")
        if not save.parent.is_dir():
            raise UserError(f"demo --save {args.save}: no directory {save.parent}; allowed: a "
                            ".gif path in an existing directory")
        if save.is_dir():
            raise UserError(f"demo --save {args.save}: is a directory; allowed: a .gif file "
                            "name")
    overrides = dict(parse_override(x) for x in (args.set or []))
    cfg = load_config(args.config, overrides) if args.config else None
    if cfg is None:
        from ..teaching.demo import DEMO_RUNNER

        cfg = load_config(None, {**DEMO_RUNNER, **overrides})
    if args.frames < 2:
        raise UserError(f"demo --frames {args.frames}: allowed: 2 or more frames")
    return run_demo(save=args.save, config=cfg, frames=args.frames, progress=_say("demo"),
                    command=args.command_line)


def _cmd_lessons(args) -> int:
    from ..teaching.lessons import build_all

    from ..teaching.lessons import LESSONS
    from ..results import Timer, write_manifest
    from ..core.warmup import compile_seconds, ensure_compiled

    out = check_output_dir(args.out)
    bad = [n for n in (args.only or []) if n not in LESSONS]
    if bad:
        raise UserError(f"lessons --only {' '.join(bad)}: unknown lesson; choose from: "
                        + ", ".join(LESSONS))
    say = _say("lessons")
    ensure_compiled(say)
    with Timer() as t:
        paths = build_all(out, only=args.only or None, progress=say)
    write_manifest(out, args.command_line,
                   timings={"compile_s": round(compile_seconds(), 3),
                            "build_s": round(t.elapsed, 3)},
                   extra={"lessons": args.only or list(LESSONS)})
    print(f"lessons: {len(paths)} files in {out} (start with {out / 'README.md'})")
    return 0


def _cmd_validate(args) -> int:
    from ..teaching import validate
    from ..results import Timer, write_manifest

    from ..core.warmup import ensure_compiled

    out = check_output_dir(args.out)
    say = _say("validate")
    ensure_compiled(say)
    say("simulating the validation cases (about a minute) ...")
    with Timer() as t:
        headline = validate.write_report(out)
    write_manifest(out, args.command_line,
                   timings={"total_s": round(t.elapsed, 3)}, extra={"headline": headline})
    print(f"validation report: {out / 'report.md'} ({t.elapsed:.1f} s)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    from ..errors import __version__

    p = argparse.ArgumentParser(
        prog="runfatigue",
        description="Fibre-pool fatigue and the shift of running load onto the lower back. "
                    "An educational model, not medical advice.")
    p.add_argument("--version", action="version", version=f"runfatigue {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    r = sub.add_parser("run", help="simulate one run; write summary, time series and figures")
    _add_config_args(r)
    r.add_argument("--results", default="results", help="results root (default: results)")
    r.add_argument("--force", action="store_true",
                   help="replace a finished run of this name instead of refusing")
    r.set_defaults(func=_cmd_run)

    pl = sub.add_parser("plot", help="redraw the figures of a results directory (no simulation)")
    pl.add_argument("results_dir", help="a results/<name> directory written by run or sweep")
    pl.set_defaults(func=_cmd_plot)

    sw = sub.add_parser("sweep", help="run every scenario of a [sweep] config; write "
                        "summary.csv (and sensitivity indices)")
    _add_config_args(sw)
    sw.add_argument("--executor", choices=("local", "dask"), default="local",
                    help="local: numba threads of this process (default); dask: one task "
                         'per chunk on a Dask cluster (pip install "runfatigue[dask]")')
    sw.add_argument("--workers", metavar="N",
                    help="dask: start a local cluster of N worker processes (default: cores)")
    sw.add_argument("--scheduler", metavar="ADDRESS",
                    help="dask: use the existing scheduler at ADDRESS (tcp://host:8786)")
    sw.add_argument("--chunk-size", metavar="N",
                    help="scenarios per chunk file (default: up to 1024, at least 2 chunks "
                         "per thread/worker); results do not depend on it")
    sw.add_argument("--resume", action="store_true",
                    help="continue an interrupted sweep of the same config (missing chunks only)")
    sw.add_argument("--results", default="results", help="results root (default: results)")
    sw.add_argument("--force", action="store_true",
                    help="replace a sweep of this name (finished or not) instead of refusing")
    sw.add_argument("--yes", action="store_true",
                    help="start a sweep of more than 1,000,000 scenarios")
    sw.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    sw.set_defaults(func=_cmd_sweep)

    b = sub.add_parser("bench", help="speed benchmark: batch kernel vs NumPy/SciPy reference")
    b.add_argument("--json", action="store_true", help="print the measured numbers as JSON")
    b.add_argument("--scenarios", type=int, default=2000, help="standard sweep size (2000)")
    b.add_argument("--minutes", type=float, default=120.0, help="run length [min] (120)")
    b.add_argument("--reference", type=int, default=2,
                   help="scenarios re-run on the reference path (2; several seconds each)")
    b.add_argument("--resolved", type=int, default=None,
                   help="scenarios of the tolerance set run in both modes (default: all "
                        "of it; 0 to skip)")
    b.add_argument("--repeats", type=int, default=3,
                   help="timed runs of the standard sweep; the median is reported (3)")
    b.add_argument("--long", type=int, default=200,
                   help="scenarios also run twice as long, for the cost of long runs "
                        "(200; 0 to skip)")
    b.add_argument("--results", default="results", help="results root (default: results)")
    b.set_defaults(func=_cmd_bench)

    d = sub.add_parser("demo", help="interactive demo with sliders (or an animation when "
                                    "there is no display)")
    d.add_argument("config", nargs="?", default=None, help="optional base config (TOML)")
    d.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a config key")
    d.add_argument("--save", metavar="GIF", default=None,
                   help="write an animation of a run to this file instead of opening a window")
    d.add_argument("--frames", type=int, default=60,
                   help="frames of the animation (default: 60, at 10 per second)")
    d.set_defaults(func=_cmd_demo)

    ls = sub.add_parser("lessons", help="build the six teaching lessons (figures + pages)",
                        description="Build the six teaching lessons (figures and pages): "
                                    + ", ".join(LESSON_NAMES) + ".")
    ls.add_argument("--out", default="results/lessons",
                    help="output directory (default: results/lessons)")
    ls.add_argument("--only", nargs="+", metavar="LESSON",
                    help="build only these lessons (names: " + ", ".join(LESSON_NAMES) + ")")
    ls.set_defaults(func=_cmd_lessons)

    c = sub.add_parser("config", help="print the resolved configuration")
    _add_config_args(c)
    c.set_defaults(func=_cmd_config)

    v = sub.add_parser("validate", help="compare the model with published data; write a report")
    v.add_argument("--out", default="results/validation",
                   help="output directory (default: results/validation)")
    v.set_defaults(func=_cmd_validate)
    return p


def main(argv=None) -> int:
    """Entry point; returns the process exit code."""
    use_compile_level()
    parser = build_parser()
    args = parser.parse_args(argv)
    args.command_line = " ".join(["runfatigue", *(sys.argv[1:] if argv is None else argv)])
    try:
        return args.func(args)
    except RunfatigueError as e:          # every user-facing error: one line, exit 2
        print(f"runfatigue: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:        # disk full, permissions, names the file system refuses
        where = f"{e.filename}: " if e.filename else ""
        print(f"runfatigue: error: {where}{e.strerror or e}; files already written are "
              "complete", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        hint = ""
        if getattr(args, "func", None) is _cmd_sweep:
            hint = (f"; finished chunks are kept: continue with 'runfatigue sweep "
                    f"{args.config} --resume'")
        print(f"runfatigue: interrupted; files already written are complete{hint}",
              file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
