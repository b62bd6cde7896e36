"""Many runs at once: the single-run kernel on every core, one scenario per call.

:func:`run_batch` takes a list of configurations, builds each one's inputs
(:mod:`sim.core.scenario`) and runs the single-run time loop (:func:`sim.core.engine.run_kernel`)
for every scenario on a pool of threads, as many as numba's thread count
(``numba.get_num_threads()``). The kernels release the GIL, so the threads run in
parallel; each thread builds the inputs of the scenario it takes next (building holds the
GIL while the other threads compute), so a batch holds only the inputs being run.
:func:`summarise_kernel` reduces each run to the scalars of
:meth:`sim.core.simulation.RunResult.summary` in a preallocated table. ``runfatigue run`` and
``runfatigue sweep`` therefore share one compiled run loop (compiled once after install,
then loaded from numba's cache), and results do not depend on the number of threads
(each scenario is computed independently and written to its own row).

Time series (optional): :func:`run_batch_series` also samples every run on a fixed grid
of run times into a table ``series`` (scenario × time × series, float64). The series are
:data:`SERIES` (in that order), then the capacity of each muscle group
(``capacity_<group>`` [fraction of fresh], the mean over its muscles weighted by their
fresh maximum forces, groups in the batch's group order, as in the ``end_capacity_*``
summary columns);
:func:`series_names` lists them. A grid time ``t`` takes the values of the checkpoint
covering it, the last checkpoint with ``time_s <= t``, for ``t`` before the end of the
run (``time_s + duration_s`` of the last checkpoint); from the end of the run on (and
before 0) every series is NaN. A checkpoint's values are those of
:class:`~sim.core.simulation.RunResult` unchanged: while resting, the back-load and posture
series are NaN, speed is 0 and the capacities are those at the start of the rest
checkpoint. :func:`sample_checkpoints` is the same rule in plain numpy for one run.

Examples
--------
>>> import sim
>>> cfgs = [sim.load_config(None, {"run.duration_min": 20, "scenario.core_strength": c})
...         for c in (0.6, 1.0)]
>>> rows = run_batch(cfgs)
>>> rows[0]["peak_superficial_load"] > rows[1]["peak_superficial_load"]
True
>>> rows2, series = run_batch_series(cfgs, np.arange(0.0, 1500.0, 300.0))  # every 5 min
>>> str(rows2) == str(rows), series.shape[:2], series_names(["lumbar_deep"])[0]
(True, (2, 5), 'shear_bw')
>>> bool(np.isnan(series[0, -1, 0]))  # 1200 s: the 20-min run has ended
True
"""
from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from numba import njit

from .engine import S
from ..physics.fatigue.pools import muscle_capacity
from ..physics.metrics import running_at_kernel, spike_onset_kernel
from .run_loop import run_inputs
from .scenario import build_inputs

__all__ = ["SERIES", "summary_fields", "summarise_kernel", "run_batch",
           "run_batch_series", "series_names", "series_units", "sample_checkpoints"]

_SCALAR_FIELDS = (
    "spike_onset_s", "onset_shear_bw_s", "onset_superficial_load_s", "peak_shear_N",
    "peak_shear_bw", "peak_compression_N", "peak_superficial_load", "peak_trunk_lean_deg",
    "peak_pelvic_tilt_deg", "infeasible_strides", "strides", "distance_km", "exhaustion_s",
    "spike_censored", "peak_trunk_flexion_deg", "spike_from_start", "spike_onset_running_s",
    "spike_onset_km",
)
assert len(_SCALAR_FIELDS) == 18, "update n_sc in summarise_kernel"


#: Time series of :func:`run_batch_series`, in order: (name, unit, meaning). The
#: capacity of each muscle group follows (``capacity_<group>``, unit ``1``: fraction of
#: the fresh maximum force, mean over the group's muscles).
SERIES = (
    ("shear_bw", "BW", "peak L5/S1 anterior shear of the checkpoint's stride(s)"),
    ("superficial_load_index", "1", "peak superficial erector spinae force / its fresh "
                                    "capacity"),
    ("trunk_lean_deg", "deg", "peak trunk lateral lean"),
    ("pelvic_tilt_deg", "deg", "extra anterior pelvic tilt"),
    ("speed_mps", "m/s", "running speed (0 while resting)"),
    ("trunk_flexion_deg", "deg", "forward trunk lean beyond the fresh posture"),
)


def series_names(groups) -> tuple:
    """Names of the time series for a muscle set with these groups (order of the last axis).

    Examples
    --------
    >>> series_names(["hip_abductors", "lumbar_deep"])[-3:]
    ('trunk_flexion_deg', 'capacity_hip_abductors', 'capacity_lumbar_deep')
    """
    return tuple(s[0] for s in SERIES) + tuple(f"capacity_{g}" for g in groups)


def series_units(groups) -> tuple:
    """Units of :func:`series_names` (``1`` for the group capacities)."""
    return tuple(s[1] for s in SERIES) + ("1",) * len(groups)


def sample_checkpoints(time_s, duration_s, values, grid_s):
    """Sample checkpoint values at run times ``grid_s`` (the rule of :func:`summarise_kernel`).

    Parameters
    ----------
    time_s, duration_s : ndarray (n,)
        Checkpoint start times and lengths [s] (:class:`~sim.core.simulation.RunResult`).
    values : ndarray (n, ...)
        Values per checkpoint.
    grid_s : ndarray (n_t,)
        Run times [s].

    Returns
    -------
    ndarray (n_t, ...)
        The values of the last checkpoint starting at or before each time; NaN at and
        after the end of the run (and before its start).

    Examples
    --------
    >>> sample_checkpoints(np.array([0.0, 30.0]), np.array([30.0, 60.0]),
    ...                    np.array([1.0, 2.0]), np.array([0.0, 29.0, 30.0, 89.0, 90.0]))
    array([ 1.,  1.,  2.,  2., nan])
    """
    time_s = np.asarray(time_s, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    grid_s = np.asarray(grid_s, dtype=np.float64)
    out = np.full((grid_s.size,) + values.shape[1:], np.nan)
    if time_s.size == 0:
        return out
    t_end = time_s[-1] + duration_s[-1]
    k = np.searchsorted(time_s, grid_s, side="right") - 1
    ok = (k >= 0) & (grid_s < t_end)
    out[ok] = values[k[ok]]
    return out


def summary_fields(groups) -> tuple:
    """Names of the summary columns for a muscle set with these groups."""
    return _SCALAR_FIELDS + tuple(f"end_capacity_{g}" for g in groups)


class _Layout:
    """What the scenarios of a batch share: the muscle set and its groups.

    ``group_of`` (n_m,) maps each muscle to its group; ``weight`` (n_scenario, n_m) holds
    each scenario's group weights, the fresh maximum forces without strength multipliers
    (mass scaling cancels in the weighted mean).
    """

    def __init__(self, first, n):
        self.n = n
        self.muscles = first.muscles
        self.groups = list(first.groups)
        self.group_of = np.array([next(k for k, g in enumerate(self.groups)
                                       if m in first.groups[g]) for m in first.muscles],
                                 dtype=np.int64)
        self.weight = np.zeros((n, len(first.muscles)))

    def admit(self, s, inp):
        """Check scenario ``s``'s inputs against the batch and keep its group weights."""
        if inp.muscles != self.muscles:
            raise ValueError("all scenarios of a batch must use the same muscle set")
        self.weight[s] = inp.F0 / inp.meta["strength"]


@njit(cache=True, nogil=True)
def _nanmax(x, n):
    out = np.nan
    for k in range(n):
        if np.isfinite(x[k]) and not (out >= x[k]):
            out = x[k]
    return out


@njit(cache=True, nogil=True)
def summarise_kernel(n, o_time, o_dt, o_speed, o_cap, o_comp, o_shear, o_sup, o_lean, o_tilt,
                     o_flex, o_infeas, o_strides, o_exh, state, prm0, sc, weight, group_of,
                     out_row, grid_s, series_row):
    """Reduce one finished run to its summary row, and sample its series on a time grid.

    Parameters
    ----------
    n : int
        Checkpoints the run wrote (:func:`sim.core.engine.run_kernel`'s return value).
    o_time ... o_exh : ndarray
        The run kernel's checkpoint outputs (:func:`sim.core.run_loop.run_inputs`).
    state : ndarray (n_m, N_STATE)
        Fibre-pool state at the end of the run.
    prm0 : ndarray (n_m, n_prm)
        The muscles' pool parameters of the first speed template.
    sc : ndarray
        The scenario scalars (:data:`sim.core.engine.SCALARS`).
    weight, group_of : ndarray (n_m,)
        Group weights and group index of each muscle (:class:`_Layout`).
    out_row : ndarray (n_field,)
        Receives ``_SCALAR_FIELDS`` then the end capacity of each group. ``spike_censored``
        is 1.0 when the run ended in exhaustion before the configured index crossed its
        threshold, else 0.0.
    grid_s : ndarray (n_t,)
        Ascending run times [s]; with ``n_t = 0`` no series are written.
    series_row : ndarray (n_t, 6 + n_group)
        Receives the checkpoint values at ``grid_s`` (module docstring, :data:`SERIES`).
        Sampling only reads the checkpoint arrays, so ``out_row`` does not depend on it.
    """
    n_m = o_cap.shape[1]
    n_sc = 18                       # len(_SCALAR_FIELDS), checked at import
    n_g = out_row.shape[0] - n_sc
    bw = sc[S.mass_kg] * sc[S.g]
    t_end = o_time[n - 1] + o_dt[n - 1]
    shear_bw = o_shear[:n] / bw
    on_shear = spike_onset_kernel(o_time[:n], shear_bw, sc[S.shear_threshold_bw], sc[S.hold_s],
                                  t_end)
    on_sup = spike_onset_kernel(o_time[:n], o_sup[:n], sc[S.superficial_threshold], sc[S.hold_s],
                                t_end)
    out_row[0] = on_sup if sc[S.spike_index] > 0.5 else on_shear
    out_row[1] = on_shear
    out_row[2] = on_sup
    out_row[3] = _nanmax(o_shear, n)
    out_row[4] = _nanmax(o_shear, n) / bw
    out_row[5] = _nanmax(o_comp, n)
    out_row[6] = _nanmax(o_sup, n)
    out_row[7] = _nanmax(o_lean, n)
    out_row[8] = _nanmax(o_tilt, n)
    inf = 0.0
    strides = 0.0
    dist = 0.0
    for k in range(n):
        inf += o_infeas[k]
        strides += o_strides[k]
        dist += o_speed[k] * o_dt[k]
    out_row[9] = inf
    out_row[10] = strides
    out_row[11] = dist / 1000.0
    out_row[12] = o_exh[0]
    out_row[13] = 1.0 if (np.isfinite(o_exh[0]) and not np.isfinite(out_row[0])) else 0.0
    out_row[14] = _nanmax(o_flex, n)
    out_row[15] = 1.0 if out_row[0] == 0.0 else 0.0
    out_row[16], out_row[17] = running_at_kernel(o_time[:n], o_dt[:n], o_speed[:n], out_row[0])
    cnt = np.zeros(n_g)
    acc = np.zeros(n_g)
    for i in range(n_m):
        acc[group_of[i]] += weight[i] * muscle_capacity(state[i], prm0[i])
        cnt[group_of[i]] += weight[i]
    for g in range(n_g):
        out_row[n_sc + g] = acc[g] / cnt[g]
    n_t = min(grid_s.shape[0], series_row.shape[0])
    if n_t > 0 and n > 0:
        k = 0
        for j in range(n_t):
            tj = grid_s[j]
            while k + 1 < n and o_time[k + 1] <= tj:
                k += 1
            if tj < o_time[0] or not (tj < t_end):
                for q in range(series_row.shape[1]):
                    series_row[j, q] = np.nan
                continue
            series_row[j, 0] = o_shear[k] / bw
            series_row[j, 1] = o_sup[k]
            series_row[j, 2] = o_lean[k]
            series_row[j, 3] = o_tilt[k]
            series_row[j, 4] = o_speed[k]
            series_row[j, 5] = o_flex[k]
            for g in range(n_g):
                acc[g] = 0.0
            for i in range(n_m):
                acc[group_of[i]] += weight[i] * o_cap[k, i]
            for g in range(n_g):
                series_row[j, 6 + g] = acc[g] / cnt[g]


def _one(inp, weight, group_of, out_row, grid, series_row):
    """Run one scenario (the kernels release the GIL) and reduce it into its rows."""
    n, o, state = run_inputs(inp, store=False)
    summarise_kernel(n, o["time"], o["dt"], o["speed"], o["cap"], o["comp"], o["shear"],
                     o["sup"], o["lean"], o["tilt"], o["flex"], o["infeas"], o["strides"],
                     o["exh"], state, inp.prm[0], inp.sc, weight, group_of, out_row, grid,
                     series_row)


def _run(cfgs, grid_s):
    # inputs are built by the worker threads as they go: building holds the GIL, but the
    # kernels of the other threads go on meanwhile (they release it), and only the
    # scenarios being run are held in memory
    first = build_inputs(cfgs[0])
    lay = _Layout(first, len(cfgs))
    fields = summary_fields(lay.groups)
    out = np.full((lay.n, len(fields)), np.nan)
    if grid_s is None:
        grid = np.zeros(0)
        series = np.zeros((lay.n, 0, 0))
    else:
        grid = np.ascontiguousarray(grid_s, dtype=np.float64)
        if grid.ndim != 1 or (grid.size > 1 and not np.all(np.diff(grid) > 0)):
            raise ValueError("series times must be a strictly increasing 1-d array")
        series = np.full((lay.n, grid.size, len(series_names(lay.groups))), np.nan)

    queue = itertools.count()          # dynamic scheduling: runs differ in length

    def work():
        while (s := next(queue)) < lay.n:
            inp = first if s == 0 else build_inputs(cfgs[s])
            lay.admit(s, inp)
            _one(inp, lay.weight[s], lay.group_of, out[s], grid, series[s])

    threads = max(1, min(numba.get_num_threads(), lay.n))
    if threads == 1:
        work()
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for f in [pool.submit(work) for _ in range(threads)]:
                f.result()
    rows = [dict(zip(fields, (float(x) for x in row))) for row in out]
    for r in rows:
        r["spike_censored"] = bool(r["spike_censored"])
        r["spike_from_start"] = bool(r["spike_from_start"])
    return rows, series


def run_batch(cfgs) -> list[dict]:
    """Summaries of many runs, computed in parallel (numba threads).

    Parameters
    ----------
    cfgs : sequence of Config

    Returns
    -------
    list of dict
        One :meth:`~sim.core.simulation.RunResult.summary`-like dict per configuration, in
        order (without ``spike_onset_min``).
    """
    if not cfgs:
        return []
    return _run(cfgs, None)[0]


def run_batch_series(cfgs, grid_s):
    """Summaries of many runs and their time series on a grid of run times.

    Parameters
    ----------
    cfgs : sequence of Config
    grid_s : array_like (n_t,)
        Strictly increasing run times [s] to sample at.

    Returns
    -------
    rows : list of dict
        As :func:`run_batch` (identical values).
    series : ndarray (n_scenario, n_t, n_series), float64
        Series :func:`series_names` of the batch's muscle groups (module docstring).
    """
    if not cfgs:
        return [], np.zeros((0, np.size(grid_s), 0))
    return _run(cfgs, grid_s)

