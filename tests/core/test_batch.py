"""The batch kernel equals single runs exactly, whatever the thread count."""
import numba
import numpy as np
import pytest

import sim
from sim.batch import (run_batch, run_batch_series, sample_checkpoints, series_names,
                       summary_fields)


def configs():
    return [sim.load_config(None, {"run.duration_min": 45.0, "run.speed_mps": v,
                                   "scenario.hip_flexor_tightness_deg": t,
                                   "scenario.core_strength": c,
                                   "intervention.pace_policy": p})
            for v, t, c, p in [(2.8, 0.0, 1.0, "none"), (3.6, 15.0, 0.6, "none"),
                               (3.4, 18.0, 0.6, "slow_down"), (3.2, 10.0, 0.8, "in_run_sequence")]]


def same(a, b):
    return (np.isnan(a) and np.isnan(b)) or a == b


def test_batch_rows_equal_single_run_summaries():
    cfgs = configs()
    rows = run_batch(cfgs)
    fields = list(summary_fields(sim.simulate(cfgs[0]).groups))
    assert all(list(r) == fields for r in rows)
    for cfg, row in zip(cfgs, rows):
        s = sim.simulate(cfg).summary()
        for k, v in row.items():
            assert same(v, s[k]), (k, v, s[k])
    assert np.isfinite(rows[1]["spike_onset_s"]) and np.isnan(rows[0]["spike_onset_s"])


def test_thread_count_does_not_change_results():
    cfgs = configs()
    n = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = run_batch(cfgs)
    finally:
        numba.set_num_threads(n)
    many = run_batch(cfgs)
    assert all(same(a[k], b[k]) for a, b in zip(one, many) for k in a)


def test_empty_batch():
    assert run_batch([]) == []


def test_result_does_not_depend_on_the_other_scenarios_of_the_batch():
    """Body mass and strength change per-scenario arrays (to the last bit): a scenario's
    row must be the same alone, first, or behind another runner."""
    a = sim.load_config(None, {"run.duration_min": 30.0, "runner.mass_kg": 61.3,
                               "scenario.quad_strength": 0.7})
    b = sim.load_config(None, {"run.duration_min": 30.0, "runner.mass_kg": 88.9})
    alone = run_batch([a])[0]
    behind = run_batch([b, a])[1]
    single = sim.simulate(a).summary()
    assert all(same(alone[k], behind[k]) and same(alone[k], single[k]) for k in alone)


def sampled(res, grid):
    """Checkpoint values at the grid times, computed here independently of the kernel:
    the last checkpoint starting at or before t, NaN from the end of the run on."""
    t_end = res.time_s[-1] + res.duration_s[-1]
    k = np.searchsorted(res.time_s, grid, side="right") - 1
    out = sampled_columns(res)[k]
    out[(k < 0) | (grid >= t_end)] = np.nan
    return out


def sampled_columns(r):
    """The series of a single run per checkpoint (group capacities weighted by the fresh
    maximum forces, summed left to right in muscle order, as the kernel sums)."""
    cols = [r.shear_bw, r.superficial_load_index, r.trunk_lean_deg, r.pelvic_tilt_deg,
            r.speed_mps, r.trunk_flexion_deg]
    for g in r.groups:
        idx = sorted(r.muscles.index(m) for m in r.groups[g])
        total = np.zeros(r.time_s.size)
        weight = 0.0
        for i in idx:
            total = total + r.F0_N[i] * r.capacity[:, i]
            weight += r.F0_N[i]
        cols.append(total / weight)
    return np.stack(cols, axis=1)


def series_configs():
    return [sim.load_config(None, {"run.duration_min": 20.0, "run.speed_mps": 3.6,
                                   "scenario.hip_flexor_tightness_deg": 15.0,
                                   "scenario.core_strength": 0.6,
                                   "intervention.rest_breaks": [{"at_min": 8.0,
                                                                 "duration_min": 2.5}]}),
            sim.load_config(None, {"run.duration_min": 12.5,
                                   "scenario.hip_flexor_tightness_deg": 18.0,
                                   "intervention.pace_policy": "in_run_sequence",
                                   "intervention.policy_wait_min": 1.0})]


def test_series_equal_single_runs_sampled_on_the_grid():
    cfgs = series_configs()
    grid = np.arange(0.0, 21 * 60.0, 60.0)  # past the end of both runs
    rows, series = run_batch_series(cfgs, grid)
    assert str(rows) == str(run_batch(cfgs))  # summaries unchanged by the series
    res = [sim.simulate(c) for c in cfgs]
    names = series_names(res[0].groups)
    assert names[:6] == ("shear_bw", "superficial_load_index", "trunk_lean_deg",
                         "pelvic_tilt_deg", "speed_mps", "trunk_flexion_deg")
    assert names[6:] == tuple(f"capacity_{g}" for g in res[0].groups)
    assert series.shape == (2, grid.size, len(names)) and series.dtype == np.float64
    for r, got in zip(res, series):
        np.testing.assert_array_equal(got, sampled(r, grid))  # exact, NaN where NaN
        np.testing.assert_array_equal(
            got, sample_checkpoints(r.time_s, r.duration_s, sampled_columns(r), grid))
    # rest break 8-10.5 min: no back load, speed 0; capacities go on
    rest = series[0, 8:11]
    assert np.all(np.isnan(rest[:, [0, 1, 2, 3, 5]])) and np.all(rest[:, 4] == 0.0)
    assert np.all(np.isfinite(rest[:, 6:]))
    assert np.all(np.isnan(series[1, 13:]))  # after the end of the 12.5-min run
    assert np.all(np.isfinite(series[1, 12, 4:]))


def test_series_do_not_depend_on_threads_or_batch_neighbours():
    cfgs = series_configs()
    grid = np.arange(0.0, 1200.0, 60.0)
    n = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        _, one = run_batch_series(cfgs, grid)
    finally:
        numba.set_num_threads(n)
    _, many = run_batch_series(cfgs, grid)
    _, alone = run_batch_series(cfgs[1:], grid)
    np.testing.assert_array_equal(one, many)
    np.testing.assert_array_equal(alone[0], many[1])
    with pytest.raises(ValueError, match="increasing"):
        run_batch_series(cfgs, [60.0, 0.0])


def test_exhaustion_and_censoring_columns():
    """A run above critical speed ends in exhaustion; a spike it did not reach is censored."""
    cfgs = [sim.load_config(None, {"run.duration_min": 60, "run.speed_mps": v,
                                   "spike.index": "shear_bw",
                                   "spike.shear_threshold_bw": 5.0}) for v in (3.0, 4.0)]
    rows = run_batch(cfgs)
    held, exhausted = rows
    assert np.isnan(held["exhaustion_s"]) and held["spike_censored"] is False
    assert 0.0 < exhausted["exhaustion_s"] < 15 * 60
    assert np.isnan(exhausted["spike_onset_s"]) and exhausted["spike_censored"] is True
    assert exhausted["distance_km"] < 4.0 * 15 * 60 / 1000
    single = sim.simulate(cfgs[1])
    assert single.exhaustion_s == exhausted["exhaustion_s"] and single.spike_censored


def test_a_batch_may_mix_phase_grids():
    """Scenarios with different model.n_phase in one batch (one sweep chunk) run as their
    own batches; every row equals the single run's summary."""
    cfgs = [sim.load_config(None, {"run.duration_min": 6.0, "model.n_phase": n,
                                   "run.speed_mps": v})
            for n, v in [(32, 3.0), (64, 3.2), (32, 3.4), (48, 3.0)]]
    rows = run_batch(cfgs)
    for cfg, row in zip(cfgs, rows):
        s = sim.simulate(cfg).summary()
        for k, v in row.items():
            assert same(v, s[k]), (cfg.model.n_phase, k, v, s[k])
