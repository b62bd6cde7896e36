"""The run loop counts the load-sharing work it does."""
import numpy as np
import pytest

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


def test_a_block_cut_short_by_a_rest_does_not_set_the_rests_blocks():
    """A marathon at 3.2 m/s, then 2 h of rest: the rest begins 1.2 s into a block, and the
    blocks after it were capped at twice that, 2.3 s, through the whole rest, until the
    checkpoints ran out and the run stopped 100 min early without a word. Blocks are at
    least ``model.block_s`` long (but for those events cut), and a run that stops before
    its end without being exhausted is an error."""
    minutes = 42195.0 / 3.2 / 60.0
    cfg = load_config(None, {"run.speed_mps": 3.2, "run.duration_min": minutes + 120.5,
                             "intervention.rest_breaks": [{"at_min": minutes,
                                                           "duration_min": 120.0}]})
    inp = build_inputs(cfg)
    k, o, _ = run_inputs(inp, store=False)
    assert np.isnan(o["exh"][0])
    assert o["time"][k - 1] + o["dt"][k - 1] == pytest.approx(inp.scalar("duration_s"))
    resting = o["speed"][:k] == 0.0
    assert np.all(o["dt"][:k][resting][:-1] >= cfg.model.block_s - 1e-9)
