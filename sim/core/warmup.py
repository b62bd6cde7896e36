"""Compile the numba kernels once per process, and say so while it happens.

The first command after install compiles the run loop (:func:`sim.core.engine.run_kernel`)
and the batch reduction (:func:`sim.core.batch.summarise_kernel`); numba caches the machine
code next to the package, so later commands only load it. Every command that simulates
calls :func:`ensure_compiled` first, with a ``say`` callback: with an empty cache it
prints a line *before* compiling starts and one with the measured time when it is done;
with a filled cache it stays quiet.

Compiling on two cores. numba compiles one function at a time in a process, and the
load-sharing solve (:func:`sim.physics.sharing_phases.solve_phases_warm` and the general
solver it falls back to) takes about as long as the run loop's other kernels together.
With an empty cache and two or more cores, :func:`ensure_compiled` therefore starts a
second Python process (:func:`compile_second_share`) that compiles a few of the run loop's
kernels (:data:`SECOND_SHARE`), then the solve, then the batch reduction into numba's
on-disk cache, saying so after each. Meanwhile this process compiles the other kernels
(:func:`compile_first_share`), loads the second process's few from the cache and compiles
the run loop, which calls the solve's machine code as compiled there
(:func:`sim.jit.external`): the run loop is typed and optimised while the solve is still
being compiled, and waits for it only where its own machine code is made
(:func:`sim.jit.expect`). Both processes compile for exactly the argument types the run
loop passes (:func:`kernel_signatures`), so nothing is compiled twice; should the second
process fail, this one compiles what is missing itself, as it would on one core.

Examples
--------
>>> seconds = ensure_compiled()          # compiles, or loads numba's cache
>>> ensure_compiled() == 0.0             # once per process
True
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from ..jit import expect

__all__ = ["COMPILE_ESTIMATE_S", "SECOND_SHARE", "kernels_cached", "ensure_compiled",
           "compile_seconds", "kernel_signatures", "compile_first_share",
           "compile_second_share"]

#: Compile time of a fresh install on 2 cores [s], measured with ``NUMBA_CACHE_DIR``
#: pointing at an empty directory and in fresh clones (README "Quick start": 16-18 s on
#: 2026-12-07, rounded up); quoted in the progress line.
COMPILE_ESTIMATE_S = 20

_DONE = {"compiled": False, "seconds": 0.0}


def _index_paths() -> list[Path]:
    from .batch import summarise_kernel
    from .engine import run_kernel

    paths = []
    for dispatcher in (run_kernel, summarise_kernel):
        try:
            paths.append(Path(dispatcher._cache._cache_file._index_path))
        except AttributeError:                       # pragma: no cover - numba internals
            return []
    return paths


def kernels_cached() -> bool:
    """True if numba's on-disk cache holds the run loop and the batch reduction.

    Reads numba's cache index files (in the package's ``__pycache__``, or under
    ``NUMBA_CACHE_DIR``). A stale index (a source file changed since) still counts as
    cached here; numba then recompiles, which only makes the quiet path slower.
    """
    paths = _index_paths()
    return bool(paths) and all(p.is_file() for p in paths)


def ensure_compiled(say=None) -> float:
    """Compile (or load from the cache) the kernels every simulation uses.

    Parameters
    ----------
    say : callable, optional
        Called with one progress message before compiling and one after it, only when the
        cache is empty (nothing is said when the kernels are loaded from the cache).

    Returns
    -------
    float
        Seconds spent in this call (0.0 when this process already compiled them).
    """
    if _DONE["compiled"]:
        return 0.0
    from .batch import run_batch
    from .run_loop import run_inputs
    from .scenario import build_inputs

    cold = not kernels_cached()
    if cold and say:
        say(f"compiling the simulation kernels (once after install, about "
            f"{COMPILE_ESTIMATE_S} s on 2 cores; cached for later commands) ...")
    start = time.perf_counter()
    helper = _Helper.start() if cold and _two_processes_help() else None
    try:
        if helper is not None:
            compile_first_share()
            helper.wait_for("kernels")
            for solve in _solves():     # bound when the run loop is finalised, not before
                expect(solve, lambda: helper.wait_for("solve"))
            run_inputs(build_inputs(_warmup_config()), store=False)     # the run loop
            helper.wait_for("done")     # the batch reduction is in the cache
        run_batch([_warmup_config()])
    finally:        # never leave the helper behind (an error, an interrupt, a timeout)
        if helper is not None:
            for solve in _solves():
                expect(solve, None)
            helper.stop()
    elapsed = time.perf_counter() - start
    _DONE.update(compiled=True, seconds=elapsed)
    if cold and say:
        say(f"kernels compiled in {elapsed:.1f} s")
    return elapsed


def _warmup_config():
    from ..config import load_config

    return load_config(None, {"run.duration_min": 0.5, "output.name": "warmup"})


def kernel_signatures() -> dict:
    """Argument types of the kernels the run loop and the batch call, by kernel.

    Built from the inputs of a short run and from arrays of the dimensions, dtypes and
    layouts that :func:`sim.core.engine.run_kernel`, :func:`sim.core.run_loop.run_inputs`
    and :mod:`sim.core.batch` allocate (only the types matter, not the sizes), so that
    compiling a kernel for its signature here is the compilation the run loop would
    otherwise do.

    Returns
    -------
    dict
        ``{dispatcher: tuple of numba types}``.
    """
    import numba

    from ..core.scenario import build_inputs
    from ..physics.compensation import (effective_tightness_deg, knee_tracking_gain,
                                        tilt_deficit_deg)
    from ..physics.fatigue.pools import (N_STATE, critical_speed_factor, fresh_state,
                                         heavy_strain, reserve_spent_at, reserve_step)
    from ..physics.pace import in_interval, planned_speed
    from ..physics.sharing import column_structure
    from .batch import _Layout, summarise_kernel
    from .engine_blocks import (_block_fatigue, _block_means, _capacities, _may_cross,
                                _next_event, _rest_fatigue, _step_muscles)
    from ..physics.sharing_phases import phases_workspace_size, solve_phases_warm
    from .engine_posture import bracket_curvature, lean_update, posture_search
    from .engine_stride import (_lean_demand, _lean_rates, _passive_stride, _stride_demand,
                                _stride_metrics, _tpl_index, probe_half_demand,
                                probe_half_rates, probe_outcome)

    inp = build_inputs(_warmup_config())
    tpl, mus, plan, sc = inp.kernel_bundles()
    n_dof, n_col = mus.A.shape
    n_m, n_ph = mus.F0.size, tpl.m.shape[1]
    z = np.zeros
    i0, x0 = np.int64(0), 0.0
    state = np.tile(fresh_state(), (n_m, 1))
    prm0 = mus.prm[0]
    Ai, Av = z((n_col, 3), dtype=np.int64), z((n_col, 3))      # as column_structure(A)
    Fs, f, work = z((n_ph, n_col)), z(n_col), z(1)
    lay = _Layout(inp, 1)
    args = {
        solve_phases_warm: (Ai, Av, z(n_col), z(n_col), z((n_ph, n_dof, 1)), z(1),
                            z((n_ph, n_dof)), z((n_ph, n_dof)), Fs, z((n_ph, 1)),
                            z((n_ph, n_dof)), z(n_ph, dtype=np.int64), z(n_ph), work, work,
                            numba.types.Omitted(1e-10), numba.types.Omitted(100)),
        _stride_demand: (i0, i0, i0, tpl.m, tpl.grf_r, tpl.grf_tot, tpl.stance, sc, x0, z(n_ph),
                         x0, z(n_ph), z((n_ph, n_dof)), z((n_ph, n_dof, 1))),
        _passive_stride: (i0, tpl.hipext, sc, x0, x0, z(n_ph)),
        _capacities: (state, prm0, mus.F0, mus.col_muscle, mus.col_rho, z(n_m), f, f, f),
        _rest_fatigue: (state, prm0, x0),
        _block_fatigue: (state, prm0, mus.F0, mus.col_muscle, mus.col_side, Fs, x0, x0,
                         z((n_ph, n_m)), z((n_ph, n_m)), z(8 * n_m), z((n_ph, n_m))),
        _step_muscles: (state, prm0, mus.F0, mus.col_muscle, mus.col_side, f, x0, z(N_STATE)),
        _stride_metrics: (i0, Fs, z(n_ph), z(n_ph), tpl.grf_tot, z(n_col, dtype=np.bool_),
                          mus.col_comp, mus.col_shear, mus.sup_col, mus.sup_F0, sc, z(n_ph),
                          z(5 * n_ph), z(n_ph)),
        _lean_rates: (i0, i0, i0, tpl.grf_r, tpl.grf_tot, tpl.hipext, sc, x0, x0, z(n_ph), x0,
                      z((n_ph, n_dof)), z(n_ph)),
        _lean_demand: (i0, i0, tpl.grf_r, tpl.grf_tot, sc, x0, z(n_dof)),
        probe_half_demand: (i0, i0, i0, tpl.m, tpl.grf_r, tpl.grf_tot, tpl.hipext, tpl.stance,
                            sc, x0, x0, x0, z(n_ph), z((n_ph, n_dof)), z((n_ph, n_dof)),
                            z((n_ph, n_dof, 1)), z((n_ph, n_dof)), z(n_ph), z(2)),
        probe_outcome: (z(2), i0, i0),
        probe_half_rates: (i0, i0, i0, tpl.grf_r, tpl.grf_tot, tpl.hipext, sc, x0, x0, z(n_ph),
                           z(1), z(n_col), z((n_ph, n_dof)), Fs, z((n_ph, 1)),
                           z(n_ph, dtype=np.int64), z((n_ph, n_dof)), z(n_ph), z(n_ph), z(2)),
        column_structure: (mus.A,),
        _tpl_index: (x0, tpl.speed),
        _next_event: (x0, x0, plan.seg_end),
        in_interval: (x0, plan.brk_start, plan.brk_end),
        planned_speed: (x0, plan.seg_end, plan.seg_speed),
        heavy_strain: (x0,) * 5,
        effective_tightness_deg: (x0,) * 4,
        knee_tracking_gain: (x0,) * 2,
        tilt_deficit_deg: (x0,) * 3,
        lean_update: (x0,) * 11,
        posture_search: (x0,) * 12,
        bracket_curvature: (x0,) * 4,
        phases_workspace_size: (i0, i0, numba.types.literal(1), i0),   # (n_dof, n_col, 1, half)
        _may_cross: (x0,) * 5,
        _block_means: (i0, z(4), z(4), z(4), z((4, n_m)), z((4, n_m)), *(z(4) for _ in range(6))),
        reserve_step: (x0,) * 6,
        reserve_spent_at: (x0,) * 8,
        critical_speed_factor: (state, prm0, x0),
        summarise_kernel: (0, z(4), z(4), z(4), z((4, n_m)), *(z(4) for _ in range(8)), z(1),
                           state, prm0, sc, lay.weight[0], lay.group_of, z((1, 1))[0],
                           z(0), z((1, 0, 0))[0]),
    }
    return {fn: tuple(a if isinstance(a, numba.types.Type) else numba.typeof(a) for a in a_)
            for fn, a_ in args.items()}


#: Kernels the second process compiles before the solve, in about the time this process
#: compiles the others (2026-12-07, one process: 3.8 s against 7.4 s, with the second
#: process's start and the solve's 10 s to follow it).
SECOND_SHARE = ("_block_fatigue", "_step_muscles", "_stride_metrics")


def _solves():
    from ..physics.sharing_phases import solve_phases_warm
    from ..physics.sharing_solver import solve_sharing_columns

    return solve_phases_warm, solve_sharing_columns


def compile_first_share() -> None:
    """Compile every kernel of :func:`kernel_signatures` that the second process does not:
    all but the load-sharing solve, :data:`SECOND_SHARE` and the batch reduction."""
    from .batch import summarise_kernel

    for fn, sig in kernel_signatures().items():
        if fn not in _solves() and fn is not summarise_kernel and fn.__name__ not in SECOND_SHARE:
            fn.compile(sig)


def compile_second_share(say=print) -> None:
    """Compile :data:`SECOND_SHARE`, then the load-sharing solve
    (:func:`sim.physics.sharing_phases.solve_phases_warm`, which compiles the general
    solver it falls back to), then the batch reduction, into numba's cache; ``say``
    ``kernels``, ``solve`` and ``done`` as each is there."""
    from .batch import summarise_kernel

    sigs = kernel_signatures()
    for fn, sig in sigs.items():
        if fn.__name__ in SECOND_SHARE:
            fn.compile(sig)
    say("kernels", flush=True)
    solve = _solves()[0]
    solve.compile(sigs[solve])
    say("solve", flush=True)
    summarise_kernel.compile(sigs[summarise_kernel])
    say("done", flush=True)


def _two_processes_help() -> bool:
    """Two or more cores, and numba compiles (``NUMBA_DISABLE_JIT`` unset)."""
    from numba.core import config

    return (os.cpu_count() or 1) >= 2 and not config.DISABLE_JIT


class _Helper:
    """The second process (:func:`compile_second_share`), and what it has said so far."""

    def __init__(self, proc):
        self.proc = proc
        self.said = set()

    @classmethod
    def start(cls):
        """Start it (None if it cannot be started)."""
        try:
            return cls(subprocess.Popen(
                [sys.executable, "-c",
                 "from sim.core.warmup import compile_second_share; compile_second_share()"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                cwd=str(Path(__file__).resolve().parents[2])))
        except OSError:                               # pragma: no cover - no subprocesses
            return None

    def wait_for(self, word: str) -> None:
        """Return once it has said ``word`` or has ended (then this process compiles what
        it lacks itself)."""
        while word not in self.said:
            line = self.proc.stdout.readline()
            if not line:
                return
            self.said.add(line.strip())

    def stop(self) -> None:
        """Make sure it has ended: after ``done`` it is exiting; after an error or an
        interrupt here it is stopped at once (numba writes each cache file whole)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()


def compile_seconds() -> float:
    """Seconds this process spent in :func:`ensure_compiled` (0.0 before it ran)."""
    return _DONE["seconds"]
