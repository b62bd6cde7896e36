"""Spike onset: absolute threshold held for a hold time."""
import numpy as np
from hypothesis import given, settings, strategies as st

from sim.metrics import spike_onset


def brute_force(t, x, thr, hold, t_end):
    """Check every candidate start by scanning forward (independent of the kernel)."""
    edges = list(t[1:]) + [t_end]
    for i in range(len(t)):
        if not x[i] > thr or (i > 0 and x[i - 1] > thr):
            continue
        j = i
        while j < len(t) and x[j] > thr:
            if edges[j] - t[i] >= hold:
                return t[i]
            j += 1
    return np.nan


def test_never_and_exact_hold():
    t = np.arange(10.0) * 30
    assert np.isnan(spike_onset(t, np.zeros(10), 0.5, 0.0))
    x = np.zeros(10)
    x[6:] = 1.0
    # samples 6..9 hold from 180 s to the run's end at 300 s: 120 s
    assert spike_onset(t, x, 0.5, 120.0, t_end=300.0) == 180.0
    assert np.isnan(spike_onset(t, x, 0.5, 120.1, t_end=300.0))


def test_onset_is_start_of_held_interval_not_first_crossing():
    t = np.arange(8.0) * 60
    x = np.array([0, 2, 0, 2, 2, 2, 0, 0.0])
    assert spike_onset(t, x, 1.0, 120.0) == 180.0
    assert spike_onset(t, x, 1.0, 0.0) == 60.0


def test_nan_index_breaks_a_hold():
    t = np.arange(5.0)
    x = np.array([2, np.nan, 2, 2, 2.0])
    assert spike_onset(t, x, 1.0, 2.5, t_end=5.0) == 2.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 3), min_size=1, max_size=40), st.floats(0, 3), st.floats(0, 20))
def test_matches_brute_force(values, thr, hold):
    x = np.array(values)
    t = np.arange(x.size, dtype=float) * 2.0
    got = spike_onset(t, x, thr, hold, t_end=t[-1] + 2.0)
    want = brute_force(t, x, thr, hold, t[-1] + 2.0)
    assert (np.isnan(got) and np.isnan(want)) or got == want
