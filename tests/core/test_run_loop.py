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
