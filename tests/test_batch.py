"""The batch kernel equals single runs exactly, whatever the thread count."""
import numba
import numpy as np
import pytest

import sim
from sim.batch import run_batch, summary_fields


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
