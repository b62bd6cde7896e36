"""Many runs at once: one numba kernel over scenarios (``parallel=True``, ``prange``).

:func:`run_batch` takes a list of configurations, packs their inputs
(:mod:`sim.scenario`) into padded arrays with one row per scenario, and runs
:func:`batch_kernel`, which calls the single-run time loop
(:func:`sim.engine.run_kernel`) for every scenario in parallel and reduces each run to
the scalars of :meth:`sim.simulation.RunResult.summary` in a preallocated table. No
Python runs per scenario inside the kernel; results do not depend on the number of
threads (each scenario is computed independently and written to its own row).

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
:class:`~sim.simulation.RunResult` unchanged: while resting, the back-load and posture
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

import numpy as np
from numba import njit, prange

from .engine import run_kernel
from .fatigue.pools import fresh_state, muscle_capacity
from .metrics import running_at_kernel, spike_onset_kernel
from .scenario import build_inputs, n_checkpoints_max

__all__ = ["SERIES", "summary_fields", "pack", "batch_kernel", "run_batch",
           "run_batch_series", "series_names", "series_units", "sample_checkpoints"]

_SCALAR_FIELDS = (
    "spike_onset_s", "onset_shear_bw_s", "onset_superficial_load_s", "peak_shear_N",
    "peak_shear_bw", "peak_compression_N", "peak_superficial_load", "peak_trunk_lean_deg",
    "peak_pelvic_tilt_deg", "infeasible_strides", "strides", "distance_km", "exhaustion_s",
    "spike_censored", "peak_trunk_flexion_deg", "spike_from_start", "spike_onset_running_s",
    "spike_onset_km",
)
assert len(_SCALAR_FIELDS) == 18, "update n_sc in batch_kernel"


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
    """Sample checkpoint values at run times ``grid_s`` (the rule of :func:`batch_kernel`).

    Parameters
    ----------
    time_s, duration_s : ndarray (n,)
        Checkpoint start times and lengths [s] (:class:`~sim.simulation.RunResult`).
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


def _pad(arrays, fill):
    n = max(a.shape[0] for a in arrays)
    out = np.full((len(arrays), n) + arrays[0].shape[1:], fill, dtype=np.float64)
    for i, a in enumerate(arrays):
        out[i, :a.shape[0]] = a
    return out


class Packed:
    """Inputs of many scenarios as padded arrays (first axis: scenario).

    Every array that depends on a scenario's settings is packed per scenario; only the
    load-sharing column layout and line-of-action factors (the muscle set itself) are
    shared, so a scenario's result never depends on the other scenarios of its batch.
    """

    def __init__(self, inputs):
        first = inputs[0]
        self.n = len(inputs)
        self.n_tpl = np.array([i.tpl_speed.size for i in inputs], dtype=np.int64)
        self.tpl_speed = _pad([i.tpl_speed for i in inputs], 0.0)
        self.tpl_m = _pad([i.tpl_m for i in inputs], 0.0)
        self.tpl_grf_r = _pad([i.tpl_grf_r for i in inputs], 0.0)
        self.tpl_grf_tot = _pad([i.tpl_grf_tot for i in inputs], 0.0)
        self.tpl_hipext = _pad([i.tpl_hipext for i in inputs], 0.0)
        self.tpl_stance = _pad([i.tpl_stance for i in inputs], 0.0)
        self.tpl_stride_s = _pad([i.tpl_stride_s for i in inputs], 1.0)
        self.F0 = np.array([i.F0 for i in inputs])
        self.prm = _pad([i.prm for i in inputs], 0.0)
        self.quad_w = np.array([i.quad_w for i in inputs])
        self.sup_col = first.sup_col
        self.sup_F0 = np.array([i.sup_F0 for i in inputs])
        self.A = np.array([i.A for i in inputs])
        self.col_muscle, self.col_side = first.col_muscle, first.col_side
        self.col_comp, self.col_shear, self.col_rho = first.col_comp, first.col_shear, first.col_rho
        self.n_seg = np.array([i.seg_end.size for i in inputs], dtype=np.int64)
        self.seg_end = _pad([i.seg_end for i in inputs], np.inf)
        self.seg_speed = _pad([i.seg_speed for i in inputs], 0.0)
        self.n_brk = np.array([i.brk_start.size for i in inputs], dtype=np.int64)
        self.brk_start = _pad([np.append(i.brk_start, 0.0) for i in inputs], 0.0)
        self.brk_end = _pad([np.append(i.brk_end, 0.0) for i in inputs], 0.0)
        self.sc = np.array([i.sc for i in inputs])
        self.n_ck = np.array([n_checkpoints_max(i) for i in inputs], dtype=np.int64)
        groups = list(first.groups)
        self.groups = groups
        self.group_of = np.array([next(k for k, g in enumerate(groups) if m in first.groups[g])
                                  for m in first.muscles], dtype=np.int64)
        self.muscles = first.muscles
        # group weights: fresh F0 without strength multipliers (mass scaling cancels)
        self.weight = np.array([i.F0 / i.meta["strength"] for i in inputs])
        self.config_index = np.array([i.scalar("spike_index") for i in inputs])

    def args(self):
        return (self.n_tpl, self.tpl_speed, self.tpl_m, self.tpl_grf_r, self.tpl_grf_tot,
                self.tpl_hipext, self.tpl_stance, self.tpl_stride_s, self.F0, self.prm,
                self.quad_w, self.sup_col, self.sup_F0, self.A, self.col_muscle, self.col_side,
                self.col_comp, self.col_shear, self.col_rho, self.n_seg, self.seg_end,
                self.seg_speed, self.n_brk, self.brk_start, self.brk_end, self.sc, self.n_ck,
                self.group_of, self.weight)


def pack(cfgs) -> Packed:
    """Build and pack the inputs of a list of configurations (one muscle set)."""
    inputs = [build_inputs(c) for c in cfgs]
    names = {i.muscles for i in inputs}
    if len(names) != 1:
        raise ValueError("all scenarios of a batch must use the same muscle set")
    return Packed(inputs)


@njit(cache=True)
def _nanmax(x, n):
    out = np.nan
    for k in range(n):
        if np.isfinite(x[k]) and not (out >= x[k]):
            out = x[k]
    return out


@njit(parallel=True, cache=True)
def batch_kernel(n_tpl, tpl_speed, tpl_m, tpl_grf_r, tpl_grf_tot, tpl_hipext, tpl_stance,
                 tpl_stride_s, F0, prm, quad_w, sup_col, sup_F0, A, col_muscle, col_side,
                 col_comp, col_shear, col_rho, n_seg, seg_end, seg_speed, n_brk, brk_start,
                 brk_end, sc, n_ck, group_of, weight, state0, out, grid_s, series):
    """Run every scenario and write its summary row into ``out`` (n_scenario × n_field).

    Field order: ``_SCALAR_FIELDS`` then the end capacity of each muscle group (mean over
    its muscles weighted by ``weight``, their fresh maximum forces). Inputs are the padded
    arrays of :class:`Packed`; ``state0`` (n_m, N_STATE) is the fresh fibre-pool state.
    ``spike_censored`` is 1.0 when the run ended in exhaustion before the configured
    index crossed its threshold, else 0.0.

    Time series: ``grid_s`` (n_t,) holds ascending run times [s] and ``series``
    (n_scenario × n_t × (5 + n_group), float64) receives each scenario's checkpoint values
    at those times (order and sampling rule: module docstring, :data:`SERIES`). With
    ``n_t = 0`` (e.g. ``grid_s`` empty and ``series`` of shape (n_scenario, 0, 0)) no series
    are written. Sampling only reads the checkpoint arrays, so ``out`` does not depend on
    whether series are requested.
    """
    n_s = F0.shape[0]
    n_m = F0.shape[1]
    n_ph = tpl_m.shape[2]
    n_dof = tpl_m.shape[3]
    n_sc = 18                       # len(_SCALAR_FIELDS), checked at import
    n_g = out.shape[1] - n_sc
    for s in prange(n_s):
        T = n_tpl[s]
        K = n_ck[s]
        state = state0.copy()
        store_at = np.full(K, -1, dtype=np.int64)
        o_time = np.zeros(K)
        o_dt = np.zeros(K)
        o_speed = np.zeros(K)
        o_stage = np.zeros(K, dtype=np.int64)
        o_cap = np.zeros((K, n_m))
        o_pcap = np.zeros((K, n_m, 2))
        o_energy = np.zeros((K, n_m, 2))
        o_fpeak = np.zeros((K, n_m))
        o_fmean = np.zeros((K, n_m))
        o_comp = np.zeros(K)
        o_shear = np.zeros(K)
        o_sup = np.zeros(K)
        o_lean = np.zeros(K)
        o_tilt = np.zeros(K)
        o_flex = np.zeros(K)
        o_infeas = np.zeros(K)
        o_strides = np.zeros(K)
        o_resid = np.zeros(K)
        o_sforce = np.zeros((1, n_ph, n_m))
        o_sdemand = np.zeros((1, n_ph, n_dof))
        o_slean = np.zeros((1, n_ph))
        o_sshear = np.zeros((1, n_ph))
        o_exh = np.zeros(1)
        o_exh[0] = np.nan
        n = run_kernel(tpl_speed[s, :T], tpl_m[s, :T], tpl_grf_r[s, :T], tpl_grf_tot[s, :T],
                       tpl_hipext[s, :T], tpl_stance[s, :T], tpl_stride_s[s, :T], F0[s],
                       prm[s, :T], quad_w[s], sup_col, sup_F0[s], A[s], col_muscle, col_side,
                       col_comp, col_shear, col_rho, seg_end[s, :n_seg[s]],
                       seg_speed[s, :n_seg[s]], brk_start[s, :n_brk[s]], brk_end[s, :n_brk[s]],
                       sc[s], state, store_at, o_time, o_dt, o_speed, o_stage, o_cap, o_pcap,
                       o_energy, o_fpeak, o_fmean, o_comp, o_shear, o_sup, o_lean, o_tilt,
                       o_flex, o_infeas, o_strides, o_resid, o_sforce, o_sdemand, o_slean, o_sshear,
                       o_exh)
        bw = sc[s, 0] * sc[s, 21]
        t_end = o_time[n - 1] + o_dt[n - 1]
        shear_bw = o_shear[:n] / bw
        on_shear = spike_onset_kernel(o_time[:n], shear_bw, sc[s, 16], sc[s, 18], t_end)
        on_sup = spike_onset_kernel(o_time[:n], o_sup[:n], sc[s, 17], sc[s, 18], t_end)
        out[s, 0] = on_sup if sc[s, 19] > 0.5 else on_shear
        out[s, 1] = on_shear
        out[s, 2] = on_sup
        out[s, 3] = _nanmax(o_shear, n)
        out[s, 4] = _nanmax(o_shear, n) / bw
        out[s, 5] = _nanmax(o_comp, n)
        out[s, 6] = _nanmax(o_sup, n)
        out[s, 7] = _nanmax(o_lean, n)
        out[s, 8] = _nanmax(o_tilt, n)
        inf = 0.0
        strides = 0.0
        dist = 0.0
        for k in range(n):
            inf += o_infeas[k]
            strides += o_strides[k]
            dist += o_speed[k] * o_dt[k]
        out[s, 9] = inf
        out[s, 10] = strides
        out[s, 11] = dist / 1000.0
        out[s, 12] = o_exh[0]
        out[s, 13] = 1.0 if (np.isfinite(o_exh[0]) and not np.isfinite(out[s, 0])) else 0.0
        out[s, 14] = _nanmax(o_flex, n)
        out[s, 15] = 1.0 if out[s, 0] == 0.0 else 0.0
        out[s, 16], out[s, 17] = running_at_kernel(o_time[:n], o_dt[:n], o_speed[:n], out[s, 0])
        cnt = np.zeros(n_g)
        acc = np.zeros(n_g)
        for i in range(n_m):
            acc[group_of[i]] += weight[s, i] * muscle_capacity(state[i], prm[s, 0, i])
            cnt[group_of[i]] += weight[s, i]
        for g in range(n_g):
            out[s, n_sc + g] = acc[g] / cnt[g]
        n_t = min(grid_s.shape[0], series.shape[1])
        if n_t > 0 and n > 0:
            k = 0
            for j in range(n_t):
                tj = grid_s[j]
                while k + 1 < n and o_time[k + 1] <= tj:
                    k += 1
                if tj < o_time[0] or not (tj < t_end):
                    for q in range(series.shape[2]):
                        series[s, j, q] = np.nan
                    continue
                series[s, j, 0] = o_shear[k] / bw
                series[s, j, 1] = o_sup[k]
                series[s, j, 2] = o_lean[k]
                series[s, j, 3] = o_tilt[k]
                series[s, j, 4] = o_speed[k]
                series[s, j, 5] = o_flex[k]
                for g in range(n_g):
                    acc[g] = 0.0
                for i in range(n_m):
                    acc[group_of[i]] += weight[s, i] * o_cap[k, i]
                for g in range(n_g):
                    series[s, j, 6 + g] = acc[g] / cnt[g]


def _run(cfgs, grid_s):
    phases = [c.model.n_phase for c in cfgs]
    if len(set(phases)) > 1:
        # the packed arrays share one phase grid: run each phase grid as its own batch
        # and put the rows back in order (a run's result does not depend on its batch)
        rows, series = [None] * len(cfgs), None
        for n_ph in sorted(set(phases)):
            idx = [i for i, x in enumerate(phases) if x == n_ph]
            r, s_ = _run([cfgs[i] for i in idx], grid_s)
            if series is None:
                series = np.full((len(cfgs),) + s_.shape[1:], np.nan)
            for k, i in enumerate(idx):
                rows[i] = r[k]
                series[i] = s_[k]
        return rows, series
    p = pack(cfgs)
    fields = summary_fields(p.groups)
    out = np.full((p.n, len(fields)), np.nan)
    state0 = np.tile(fresh_state(), (p.F0.shape[1], 1))
    if grid_s is None:
        grid = np.zeros(0)
        series = np.zeros((p.n, 0, 0))
    else:
        grid = np.ascontiguousarray(grid_s, dtype=np.float64)
        if grid.ndim != 1 or (grid.size > 1 and not np.all(np.diff(grid) > 0)):
            raise ValueError("series times must be a strictly increasing 1-d array")
        series = np.full((p.n, grid.size, len(series_names(p.groups))), np.nan)
    batch_kernel(*p.args(), state0, out, grid, series)
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
        One :meth:`~sim.simulation.RunResult.summary`-like dict per configuration, in
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

