"""Compile the numba kernels once per process, and say so while it happens.

The first command after install compiles the run loop (:func:`sim.core.engine.run_kernel`)
and the batch reduction (:func:`sim.core.batch.summarise_kernel`); numba caches the machine
code next to the package, so later commands only load it. Every command that simulates
calls :func:`ensure_compiled` first, with a ``say`` callback: with an empty cache it
prints a line *before* compiling starts and one with the measured time when it is done;
with a filled cache it stays quiet.

Compiling on two cores. numba compiles one function at a time in a process, and the
load-sharing solve (:func:`sim.physics.sharing_phases.solve_phases_warm` and what it
calls) is about 40 % of the run loop's compile time. With an empty cache and two or
more cores, :func:`ensure_compiled` therefore starts a second Python process that
compiles that solve into numba's on-disk cache (:func:`compile_stride_solver`), while
this process compiles the run loop's other kernels and the batch reduction
(:func:`compile_block_kernels`); the run loop itself is compiled last and loads the
solve from the cache. It calls the solve's machine code as compiled there
(:func:`sim.jit.external`) instead of compiling the solve's code once more into its own.
Both processes compile for exactly the argument types the run loop passes
(:func:`kernel_signatures`), so nothing is compiled twice; should the second process
fail, this one compiles everything itself, as it would on one core.

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

__all__ = ["COMPILE_ESTIMATE_S", "kernels_cached", "ensure_compiled", "compile_seconds",
           "kernel_signatures", "compile_stride_solver", "compile_block_kernels"]

#: Compile time of a fresh install on 2 cores [s], measured with ``NUMBA_CACHE_DIR``
#: pointing at an empty directory (README "Quick start": 22-23 s on 2026-12-06, rounded
#: up); quoted in the progress line.
COMPILE_ESTIMATE_S = 25

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

    cold = not kernels_cached()
    if cold and say:
        say(f"compiling the simulation kernels (once after install, about "
            f"{COMPILE_ESTIMATE_S} s on 2 cores; cached for later commands) ...")
    start = time.perf_counter()
    helper = _start_solver_process() if cold and _two_processes_help() else None
    try:
        if helper is not None:
            compile_block_kernels()
            try:
                helper.wait(timeout=600)
            except subprocess.TimeoutExpired:       # pragma: no cover - never seen
                pass
        run_batch([_warmup_config()])
    finally:        # never leave the helper behind (an error, an interrupt, a timeout)
        if helper is not None and helper.poll() is None:
            helper.kill()
            helper.wait()
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


def compile_stride_solver() -> None:
    """Compile the load-sharing solve (:func:`sim.physics.sharing_phases.solve_phases_warm`)
    into the cache."""
    from ..physics.sharing_phases import solve_phases_warm

    solve_phases_warm.compile(kernel_signatures()[solve_phases_warm])


def compile_block_kernels() -> None:
    """Compile every kernel of :func:`kernel_signatures` except the load-sharing solve."""
    from ..physics.sharing_phases import solve_phases_warm

    for fn, sig in kernel_signatures().items():
        if fn is not solve_phases_warm:
            fn.compile(sig)


def _two_processes_help() -> bool:
    """Two or more cores, and numba compiles (``NUMBA_DISABLE_JIT`` unset)."""
    from numba.core import config

    return (os.cpu_count() or 1) >= 2 and not config.DISABLE_JIT


def _start_solver_process():
    """Start :func:`compile_stride_solver` in a second Python process (None if it cannot)."""
    try:
        return subprocess.Popen(
            [sys.executable, "-c",
             "from sim.core.warmup import compile_stride_solver; compile_stride_solver()"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=str(Path(__file__).resolve().parents[2]))
    except OSError:                                   # pragma: no cover - no subprocesses
        return None


def compile_seconds() -> float:
    """Seconds this process spent in :func:`ensure_compiled` (0.0 before it ran)."""
    return _DONE["seconds"]
