"""The numba engine agrees with the plain NumPy/SciPy reference engine (sim/core/reference.py).

Both take the same :class:`~sim.core.scenario.ScenarioInputs` and return the same
per-checkpoint arrays; short runs (6-16 min, 60 s blocks, 32 phase samples) keep the
SciPy solves to a few seconds.

Tolerances, and why
-------------------
* Times, checkpoint lengths, stages, speeds and stride counts: equal (to 1e-12). They follow from the same event logic; a policy that switched stage one block
  earlier on one side would show here first.
* Infeasible strides: equal. Both flag the same phases (Farkas certificate vs HiGHS LP,
  plus the same lean cap).
* Capacities, pool capacities, energy stores and the final states: within 1e-9
  (absolute, fractions of fresh). The fatigue equations are exact on both sides (closed
  form vs matrix exponential) and agree to ~1e-14; the forces that drive them differ
  by the QP tolerance, which moves the states by far less.
* Forces and loads (peak and mean muscle force, within-stride forces, L5/S1
  compression and shear, superficial load index, lean, demand): within 1e-7 of the
  run's largest absolute value of each quantity. The engine stops its QP at a relative
  moment residual of 1e-10 and the SciPy reference solves the active set exactly, so
  feasible solutions agree to ~1e-14 in practice; 1e-7 leaves room for rounding
  on other platforms and for a different active set at a near-degenerate phase.
* Forward trunk lean and pelvic tilt: within 1e-7 of their largest absolute value. The
  lean is updated after each stride from the stride's multipliers (engine: its dual
  Newton iterate; reference: the multipliers of SciPy's polished active set, times a
  central difference of the demand), so it carries the solvers' agreement, ~1e-10; the
  pelvic tilt follows from the lean.
* Moment residuals of the feasible phases (``resid``): solver accuracy, not a model
  output; both at most 1e-7 (the engine's acceptance level when rounding stalls its
  Newton iteration; usually ~1e-10 and ~1e-15).
* Infeasible phases: both return the model's best-effort forces (the elastic problem
  with the moment deficit penalised by 1e6 |s|^2/|m|^2). That problem is badly scaled
  on purpose, so its solutions agree only to ~1e-8; there forces and loads are checked
  within 1e-5 of their peak and the states within 1e-7.
* Resolved mode (a 30 s run, every phase of every stride): the block-mode tolerances.

Runtime: about 10 s on 2 cores once the engine is compiled (about 30 s with a cold
numba cache); nearly all of it is the SciPy solves of the reference.
"""
import functools
import time

import numpy as np
import pytest

from sim.config import load_config
from sim.core.engine import SCALARS
from sim.physics.fatigue.pools import P, X
from sim.reference import reference_run
from sim.scenario import build_inputs
from sim.simulation import run_inputs

BASE = {"model.block_s": 60.0, "model.n_phase": 32}
TIGHT_WEAK = {"scenario.hip_flexor_tightness_deg": 15.0, "scenario.core_strength": 0.6}

SCENARIOS = {
    "fresh_3mps": {"run.duration_min": 8, "run.speed_mps": 3.0},
    # [perfusion] recovery_energy_share 1 with drains 30 x (set in run_both)
    "recovery_energy_gate": {"run.duration_min": 8, "run.speed_mps": 3.0},
    # [reserve] cs_glycogen_share 0.5 with drains 40 x (set in run_both)
    "cs_follows_glycogen": {"run.duration_min": 8, "run.speed_mps": 3.2},
    # long enough for the adaptive blocks to grow to max_block_s
    "adaptive_blocks_45min": {"run.duration_min": 45, "run.speed_mps": 3.0,
                              "model.max_block_s": 300.0},
    "tight_weak_core_3p5mps": {"run.duration_min": 8, "run.speed_mps": 3.5, **TIGHT_WEAK},
    # the lean's two assumption switches: a flexible runner's posture preference (the
    # tight runner leans from the first stride) and a cost of the fresh effort's size
    "lean_switches": {"run.duration_min": 20, "run.speed_mps": 3.5, **TIGHT_WEAK,
                      "model.lean_preference": "flexible", "model.forward_lean_cost_of": "fresh"},
    "segments_break_stretch": {
        "run.duration_min": 10,
        "run.segments": [{"duration_min": 3.5, "speed_mps": 3.8},
                         {"duration_min": 6.5, "speed_mps": 3.0}],
        "intervention.rest_breaks": [{"at_min": 5.0, "duration_min": 1.5}],
        "intervention.stretch_before_deg": 8.0, "intervention.stretch_fade_min": 6.0,
        "scenario.hip_flexor_tightness_deg": 12.0, "scenario.glute_med_strength": 0.7,
    },
    "slow_down": {
        "run.duration_min": 8, "run.speed_mps": 3.5, **TIGHT_WEAK,
        "intervention.pace_policy": "slow_down", "intervention.slow_down_speed_mps": 2.5,
        "spike.index": "shear_bw", "spike.shear_threshold_bw": 0.6, "spike.hold_s": 60.0,
    },
    "in_run_sequence": {
        "run.duration_min": 16, "run.speed_mps": 3.5, **TIGHT_WEAK,
        "intervention.pace_policy": "in_run_sequence", "intervention.slow_down_speed_mps": 2.5,
        "spike.index": "shear_bw", "spike.shear_threshold_bw": 0.5,
        "spike.hold_s": 60.0, "intervention.policy_wait_min": 2.0,
        "intervention.stretch_duration_min": 1.5, "intervention.rest_duration_min": 2.0,
    },
}
#: Beyond every capacity: all strides infeasible (best-effort forces).
INFEASIBLE = {
    "run.duration_min": 6, "run.speed_mps": 5.0, "runner.mass_kg": 90.0,
    "scenario.glute_med_strength": 0.2, "scenario.quad_strength": 0.3,
    "scenario.core_strength": 0.3, "scenario.hip_flexor_tightness_deg": 20.0,
    "scenario.step_rate_scale": 0.9,
}

EXACT = ("stage", "speed")
#: Block times follow the adaptive block length, which divides by capacity changes: they
#: inherit the ~1e-13 rounding differences of the capacities, amplified to ~1e-11 s.
TIMES = ("exh", "time", "dt", "strides", "infeas")
STATES = ("cap", "pcap", "energy", "state")
#: Solver accuracy, not model output: both sides below the engine's acceptance level.
RESIDUALS = ("resid",)
FORCES = ("fpeak", "fmean", "sforce", "sdemand", "comp", "shear", "sshear", "sup", "lean",
          "slean", "tilt", "flex")


@functools.lru_cache(maxsize=None)
def run_both(name, mode="block"):
    """(engine arrays, reference arrays, engine seconds, reference seconds)."""
    over = dict(BASE, **(INFEASIBLE if name == "infeasible" else SCENARIOS.get(name, {})))
    if mode == "resolved":
        over.update({"run.duration_min": 0.5, "run.speed_mps": 3.5, "model.block_s": 10.0,
                     "model.n_phase": 16, "model.mode": "resolved", **TIGHT_WEAK})
        if name == "resolved_no_knee_gain":
            over["model.knee_tracking_gain"] = 0.0
        if name == "resolved_lean_switches":
            over.update({"model.lean_preference": "flexible",
                         "model.forward_lean_cost_of": "fresh"})
    inp = build_inputs(load_config(None, over))
    if name == "recovery_energy_gate":                # the gate on, stores emptied in minutes
        inp.prm[:, :, P.recovery_energy_share] = 1.0
        inp.prm[:, :, [P.drain_st, P.drain_ft]] *= 30.0
    if name == "cs_follows_glycogen":                 # critical speed falls as stores empty
        inp.sc[SCALARS.index("cs_glycogen_share")] = 0.5
        inp.prm[:, :, [P.drain_st, P.drain_ft]] *= 40.0
    run_inputs(inp)                                   # compile (or load the cache)
    t0 = time.perf_counter()
    n, out, state = run_inputs(inp)
    t1 = time.perf_counter()
    ref = reference_run(inp)
    t2 = time.perf_counter()
    eng = {k: v[:n] for k, v in out.items() if k != "work"}   # work: the engine's solve count
    eng["state"] = state
    return eng, ref, t1 - t0, t2 - t1


def compare(eng, ref, state_atol, force_rtol):
    """Assert agreement within the module's tolerances; returns the max differences."""
    assert set(eng) == set(ref)
    assert eng["time"].shape == ref["time"].shape, "different numbers of checkpoints"
    diffs = {}
    for key in eng:
        a, b = eng[key], ref[key]
        assert a.shape == b.shape, key
        if key in RESIDUALS:
            assert np.all(a <= 1e-7) and np.all(b <= 1e-7), key
            continue
        if key in EXACT:
            atol = 1e-12
        elif key in TIMES:
            atol = 1e-9 * max(float(np.nanmax(np.abs(a), initial=0.0)), 1.0)
        elif key in STATES:
            atol = state_atol
        else:
            assert key in FORCES, key
            atol = force_rtol * max(float(np.nanmax(np.abs(a), initial=0.0)), 1e-12)
        np.testing.assert_allclose(b, a, rtol=0.0, atol=atol, equal_nan=True, err_msg=key)
        d = np.abs(a - b)
        diffs[key] = float(np.nanmax(d, initial=0.0))
    return diffs


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_engine_matches_reference(name):
    eng, ref, _, _ = run_both(name)
    compare(eng, ref, state_atol=1e-9, force_rtol=1e-7)
    assert not np.any(eng["infeas"] > 0)              # all feasible: tight tolerances apply


def test_engine_matches_reference_when_infeasible():
    eng, ref, _, _ = run_both("infeasible")
    assert np.all(eng["infeas"] > 0)                  # the best-effort path is exercised
    compare(eng, ref, state_atol=1e-7, force_rtol=1e-5)


def test_scenarios_exercise_the_model():
    """The comparisons above are not vacuous: fatigue, tilt, breaks and policies happen."""
    eng = {name: run_both(name)[0] for name in SCENARIOS}
    assert eng["fresh_3mps"]["cap"][-1].min() < 0.98
    cs = eng["cs_follows_glycogen"]["state"]
    assert cs[0, X.reserve] < 0.99                            # below the fallen CS: spent
    gate = eng["recovery_energy_gate"]
    assert gate["energy"][-1].min() < 0.2                      # the stores did empty
    assert gate["cap"][-1].min() < eng["fresh_3mps"]["cap"][-1].min() - 0.05
    assert eng["adaptive_blocks_45min"]["dt"].max() > 120.0   # the blocks did grow
    assert np.all(eng["tight_weak_core_3p5mps"]["tilt"] > 5.0)
    assert eng["tight_weak_core_3p5mps"]["flex"][0] == 0.0          # own posture first
    assert eng["lean_switches"]["flex"][0] > 0.5       # leans forward from the first block
    seg = eng["segments_break_stretch"]
    assert {3.8, 3.0, 0.0} <= set(seg["speed"].tolist())
    assert np.isnan(seg["shear"][seg["speed"] == 0]).all()
    assert len(set(np.round(seg["tilt"][seg["speed"] > 0], 6))) > 1     # stretch fades
    slow = eng["slow_down"]
    assert slow["stage"][0] == 0 and slow["stage"][-1] == 1
    assert slow["speed"][-1] == 2.5
    assert set(eng["in_run_sequence"]["stage"].tolist()) == {0, 1, 2, 3, 4, 5}


def test_resolved_mode_without_knee_gain():
    """Resolved mode (every phase solved, every muscle stepped per phase), 30 s run."""
    eng, ref, _, _ = run_both("resolved_no_knee_gain", "resolved")
    compare(eng, ref, state_atol=1e-9, force_rtol=1e-7)


def test_resolved_mode_with_knee_gain():
    eng, ref, _, _ = run_both("resolved_knee_gain", "resolved")
    compare(eng, ref, state_atol=1e-9, force_rtol=1e-7)


def test_resolved_mode_with_the_lean_switches():
    eng, ref, _, _ = run_both("resolved_lean_switches", "resolved")
    assert eng["flex"][0] > 0.1                       # the flexible runner's preference
    compare(eng, ref, state_atol=1e-9, force_rtol=1e-7)


def test_reference_rejects_unknown_mode():
    inp = build_inputs(load_config(None, dict(BASE, **{"run.duration_min": 1})))
    with pytest.raises(ValueError, match="mode"):
        reference_run(inp, mode="fast")


def test_weighted_qp_matches_numba_solver():
    """The reference's SciPy QP (effort weights W apart from bounds C) vs the numba one.

    Random capacities (down to 5 % of fresh, so bounds become active) and demands up to
    1.5 x a stride's moments; feasible phases agree within 1e-7 of the largest force,
    infeasible ones are flagged by both. With unit weights (W = C) it also agrees with
    :func:`sim.physics.sharing.share_load_scipy` on feasible phases.
    """
    from sim.reference import _share
    from sim.sharing import STATUS_OK, make_workspace, share_load_scipy, solve_sharing_weighted

    inp = build_inputs(load_config(None, dict(BASE, **{"run.duration_min": 1})))
    rng = np.random.default_rng(7)
    n_dof, n_col = inp.A.shape
    B = np.zeros((n_dof, 1))
    B[1, 0], B[5, 0] = 1500.0, 250.0
    w = np.array([100.0])
    work = make_workspace(n_dof, n_col, 1)
    n_ok = 0
    for k in range(40):
        C = inp.F0[inp.col_muscle] * rng.uniform(0.05, 1.0, inp.F0.size)[inp.col_muscle]
        W = inp.col_rho * C
        m = inp.tpl_m[0, k % inp.tpl_m.shape[1]] * rng.uniform(0.5, 1.5)
        f_ref, th_ref, st_ref, _, _ = _share(inp.A, C, W, m, B, w)
        f, th, lam = np.empty(n_col), np.empty(1), np.empty(n_dof)
        st, _, _ = solve_sharing_weighted(inp.A, C, W, B, w, m, np.zeros(n_dof), f, th, lam,
                                          work)
        assert (st == STATUS_OK) == (st_ref == STATUS_OK), k
        if st == STATUS_OK:
            n_ok += 1
            np.testing.assert_allclose(f_ref, f, rtol=0.0, atol=1e-7 * f.max())
            assert th_ref == pytest.approx(th[0], abs=1e-7 * max(abs(th[0]), 1e-3))
        if st == STATUS_OK and k < 10:     # unit weights: the package's SciPy solver
            ref = share_load_scipy(inp.A, C, m, B, w)
            f_unit = _share(inp.A, C, C, m, B, w)[0]
            np.testing.assert_allclose(f_unit, ref.f, rtol=0.0, atol=1e-7 * ref.f.max())
    assert n_ok >= 20
