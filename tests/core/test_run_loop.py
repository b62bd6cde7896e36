"""The run loop counts the load-sharing work it does."""
import numpy as np

from sim.config import load_config
from sim.core.run_loop import run_inputs
from sim.core.scenario import build_inputs


def test_the_work_counter_counts_solved_strides_and_phase_samples():
    cfg = load_config(None, {"run.duration_min": 10.0, "output.name": "x"})
    n_ph = cfg.model.n_phase
    k, o, _ = run_inputs(build_inputs(cfg), store=False)
    solved, strides_solved = o["work"]
    run_strides = float(np.sum(o["strides"][:k]))
    assert strides_solved >= 1 and solved == strides_solved * n_ph
    assert strides_solved <= run_strides                          # at most every stride
    assert strides_solved < 0.2 * run_strides                     # block mode: far fewer
    k, o, _ = run_inputs(build_inputs(cfg.with_overrides({"model.mode": "resolved"})),
                         store=False)
    # resolved mode: every phase of every stride run, and the posture's probe strides
    solved, strides_solved = o["work"]
    run_strides = float(np.sum(o["strides"][:k]))
    assert strides_solved >= run_strides - 1.0
    assert run_strides * n_ph - n_ph <= solved <= strides_solved * n_ph


def test_a_block_reports_the_mean_of_its_stride_and_the_next_blocks():
    """Block mode: a block's peak shear is the mean of its stride's and the next block's
    stride's (each stride's own is the largest over its phase samples, kept per checkpoint
    here), the last block's its own stride's; where the speed changes, nothing is mixed."""
    cfg = load_config(None, {"run.duration_min": 30, "run.speed_mps": 3.2})
    n, o, _ = run_inputs(build_inputs(cfg))
    own = o["sshear"][:n].max(axis=1)
    np.testing.assert_array_equal(o["shear"][:n - 1], 0.5 * (own[:-1] + own[1:]))
    assert o["shear"][n - 1] == own[n - 1]
    plan = load_config(None, {"run.duration_min": 20, "run.segments": [
        {"duration_min": 10, "speed_mps": 3.2}, {"duration_min": 10, "speed_mps": 2.8}]})
    n, o, _ = run_inputs(build_inputs(plan))
    own = o["sshear"][:n].max(axis=1)
    change = np.flatnonzero(np.diff(o["speed"][:n]) != 0.0)
    assert change.size > 0
    np.testing.assert_array_equal(o["shear"][change], own[change])
