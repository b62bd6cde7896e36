"""One run of the kernel: its output buffers, the fresh fibre-pool state, the call.

:func:`run_inputs` is the thin layer between :class:`~sim.core.scenario.ScenarioInputs` and
:func:`sim.core.engine.run_kernel`, shared by one run (:func:`sim.core.simulation.simulate`) and
many (:func:`sim.core.batch.run_batch`), so both use the same compiled kernel.

Examples
--------
>>> import sim
>>> from sim.scenario import build_inputs
>>> n, out, state = run_inputs(build_inputs(sim.load_config(None, {"run.duration_min": 5})))
>>> bool(n > 0 and out["time"][0] == 0.0)
True
"""
from __future__ import annotations

import numpy as np

from .engine import Outputs, run_kernel
from ..physics.fatigue.pools import fresh_state
from .scenario import n_checkpoints_max

__all__ = ["run_inputs"]


def run_inputs(inp, store=True):
    """Run the kernel on :class:`~sim.core.scenario.ScenarioInputs`; returns raw arrays and state.

    Parameters
    ----------
    inp : ScenarioInputs
    store : bool
        Keep every checkpoint's stride snapshot (forces, demand, lean and shear over the
        phases); False keeps none (summaries only).

    Returns
    -------
    n : int
        Checkpoints written.
    out : dict of ndarray
        Checkpoint outputs (first ``n`` rows valid).
    state : ndarray (n_m, N_STATE)
        Fibre-pool state at the end of the run.
    """
    n_ck = n_checkpoints_max(inp)
    n_m = inp.F0.size
    n_ph = inp.tpl_m.shape[1]
    n_dof = inp.tpl_m.shape[2]
    n_keep = n_ck if store else 1
    out = dict(
        time=np.zeros(n_ck), dt=np.zeros(n_ck), speed=np.zeros(n_ck),
        stage=np.zeros(n_ck, dtype=np.int64), cap=np.zeros((n_ck, n_m)),
        pcap=np.zeros((n_ck, n_m, 2)), energy=np.zeros((n_ck, n_m, 2)),
        fpeak=np.zeros((n_ck, n_m)), fmean=np.zeros((n_ck, n_m)), comp=np.zeros(n_ck),
        shear=np.zeros(n_ck), sup=np.zeros(n_ck), lean=np.zeros(n_ck), tilt=np.zeros(n_ck),
        flex=np.zeros(n_ck), infeas=np.zeros(n_ck), strides=np.zeros(n_ck), resid=np.zeros(n_ck),
        sforce=np.zeros((n_keep, n_ph, n_m)), sdemand=np.zeros((n_keep, n_ph, n_dof)),
        slean=np.zeros((n_keep, n_ph)), sshear=np.zeros((n_keep, n_ph)), exh=np.zeros(1),
        work=np.zeros(2),
    )
    store_at = np.arange(n_ck, dtype=np.int64) if store else np.full(n_ck, -1, dtype=np.int64)
    state = np.tile(fresh_state(), (n_m, 1))
    n = run_kernel(*inp.kernel_bundles(), state, Outputs(store_at=store_at, **out))
    end = out["time"][n - 1] + out["dt"][n - 1] if n else 0.0
    if np.isnan(out["exh"][0]) and end < inp.scalar("duration_s") - 1e-6:
        raise RuntimeError(f"the run stopped at {end:.1f} s of {inp.scalar('duration_s'):.1f} s "
                           f"with all {n_ck} checkpoints used (n_checkpoints_max too small)")
    return n, out, state
