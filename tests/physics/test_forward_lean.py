"""The forward trunk lean of fatigue (sim/physics/compensation.py, sim/core/engine.py) and what it does.

Checks of the issue "The back load that rises late": the lean grows 2-4 deg between
10 min and 3 h at marathon pace, more in the second half; it moves work from the knee to
the hip; an imposed +7 deg lean lowers the knee-extension moment and raises the hip and
lumbar extension moments and the L5/S1 compression (the change of anterior shear is
reported, not asserted); net moments stay met on feasible strides.
"""
import math

import numpy as np
import pytest

import sim
from sim.compensation import forward_lean_moments
from sim.engine import bracket_curvature, lean_update, posture_search


def run(**over):
    return sim.simulate(sim.load_config(None, {k.replace("__", "."): v for k, v in over.items()}))


@pytest.fixture(scope="module")
def three_hours():
    return run(run__duration_min=180.0, run__speed_mps=3.2)


def _at(res, minute, x):
    return float(np.interp(minute * 60.0, res.time_s, x))


def test_lean_grows_two_to_four_degrees_more_in_the_second_half(three_hours):
    r = three_hours
    f10, f95, f180 = (_at(r, m, r.trunk_flexion_deg) for m in (10.0, 95.0, 180.0))
    assert 2.0 <= f180 - f10 <= 4.0
    assert f180 - f95 > f95 - f10 > 0.0
    assert r.summary()["peak_trunk_flexion_deg"] == pytest.approx(np.nanmax(r.trunk_flexion_deg))
    assert r.trunk_flexion_deg.shape == r.time_s.shape


def test_lean_moves_work_from_the_knee_to_the_hip(three_hours):
    r = three_hours
    dem = np.asarray(r.stride_demand_Nm)
    knee, hip = r.dofs.index("knee_extension"), r.dofs.index("hip_flexion")
    first, last = dem[0], dem[-1]
    assert r.trunk_flexion_deg[r.stride_checkpoints[-1]] > 1.0
    assert last[:, knee].max() < first[:, knee].max()          # less knee extension
    assert -last[:, hip].min() > -first[:, hip].min()          # more hip extension


def test_pelvis_carries_the_lean(three_hours):
    r = three_hours    # flexible runner: the extra tilt is the pelvis's share of the lean
    np.testing.assert_allclose(r.pelvic_tilt_deg[r.speed_mps > 0],
                               r.trunk_flexion_deg[r.speed_mps > 0], atol=1e-9)


def _imposed(lean_deg):
    return run(run__duration_min=1.0, run__speed_mps=3.4, scenario__forward_lean_deg=lean_deg,
               model__forward_lean=False)


def test_imposed_lean_shifts_moments_and_loads_the_back():
    a, b = _imposed(0.0), _imposed(7.0)
    da, db = np.asarray(a.stride_demand_Nm)[0], np.asarray(b.stride_demand_Nm)[0]
    k, h, lu = (a.dofs.index(n) for n in ("knee_extension", "hip_flexion", "lumbar_extension"))
    assert db[:, k].max() < da[:, k].max()
    assert -db[:, h].min() > -da[:, h].min()
    assert db[:, lu].max() > da[:, lu].max()
    assert b.l5s1_compression_N[0] > a.l5s1_compression_N[0]
    # the fatigue lean is off: the runner keeps the imposed posture, reported as 0 beyond it
    assert np.all(b.trunk_flexion_deg == 0.0)
    print(f"anterior shear {a.shear_bw[0]:.3f} -> {b.shear_bw[0]:.3f} BW with +7 deg")


def test_moments_met_on_feasible_strides(three_hours):
    r = three_hours
    ok = r.infeasible_strides == 0
    assert ok.any() and np.all(r.moment_residual[ok] <= 1e-6)


def test_forward_lean_moments_sign_and_linearity():
    one = np.array(forward_lean_moments(0.1, 2.0, 2.0, 700.0, 0.22, 0.96, 0.52, 0.07, 0.54, 0.25))
    two = np.array(forward_lean_moments(0.2, 2.0, 2.0, 700.0, 0.22, 0.96, 0.52, 0.07, 0.54, 0.25))
    assert one[0] < 0 and one[1] < 0 and one[2] > 0 and one[3] > 0   # hip ext up, knee down
    np.testing.assert_allclose(two, 2 * one)
    assert abs(one[1] / one[0] - 0.52 / 0.96) < 1e-12              # ground reaction line


def _update(lean, rel, cost=1.0, lo=math.nan, hi=math.nan, lim=math.radians(20.0)):
    return lean_update(lean, rel, 0.0, cost, 8.0, lim, 0.0, 0.0, lo, hi, math.radians(0.25))


def test_lean_update_step_is_damped_and_bounded():
    lim = math.radians(20.0)
    assert _update(0.0, 0.0)[0] == 0.0                                   # at the optimum: stay
    big = _update(0.0, -100.0)[0]                                         # at most 1 deg a stride
    assert big == pytest.approx(math.radians(1.0))
    assert _update(lim, -100.0)[0] == lim
    assert _update(0.1, 0.0, cost=5.0)[0] < 0.1                          # a cost pulls back home
    # the bracket: an optimum above 0 and below 0.001 keeps the next lean between them
    new, lo, hi = _update(0.001, 0.02, cost=0.0, lo=0.0)
    assert (lo, hi) == (0.0, 0.001) and new == pytest.approx(0.0005)
    # ... unless the step is longer than ``jump`` (0.25 deg here): the optimum moved away
    new, lo, hi = _update(0.001, 0.5, cost=0.0, lo=0.0)
    assert math.isnan(lo) and hi == 0.001 and new == pytest.approx(0.001 - math.radians(1.0))
    # the two ends cross (the optimum moved up past the old upper end): that end is dropped
    new, lo, hi = _update(0.02, -0.05, cost=0.0, lo=0.0, hi=0.01)
    assert lo == 0.02 and math.isnan(hi) and new > 0.02


@pytest.mark.parametrize("kink_deg", [-0.3, 0.05, 0.8])
def test_the_lean_closes_in_on_a_kink_and_follows_it_when_it_moves(kink_deg):
    """Where the effort has a kink (a muscle at its bound), its slope jumps there: damped
    Newton steps alone swing across it update after update (before the bracket, the
    default stepping's superficial load swung by 0.005 from block to block on such a
    runner); with the bracket the lean closes in, and still follows the kink when it moves."""
    def slope(x, at):                    # ln E's rate with the lean: a jump of 0.06 at ``at``
        return 0.03 * math.copysign(1.0, x - at) + 0.5 * (x - at)

    at = math.radians(kink_deg)
    lean, step, lo, hi, seen = 0.0, 0.0, math.nan, math.nan, []

    def update(lean, step, lo, hi, at):  # as the run loop calls it, once per stride
        new, lo, hi = lean_update(lean, slope(lean, at), 0.0, 0.0, 8.0, 0.35, 0.0, step, lo,
                                  hi, math.radians(0.25))
        return new, lean - new, lo, hi

    for _ in range(60):
        lean, step, lo, hi = update(lean, step, lo, hi, at)
        seen.append(lean)
    assert max(abs(x - at) for x in seen[-20:]) < math.radians(0.03)
    worst = 0.0
    for i in range(1000):                # the kink moves up 0.002 deg per update, for 2 deg
        at += math.radians(0.002)
        lean, step, lo, hi = update(lean, step, lo, hi, at)
        if i >= 100:
            worst = max(worst, abs(lean - at))
    assert worst < math.radians(0.1)


def _search(slope, x, curvature, tol=math.radians(0.01), n=50, guess=math.nan):
    """Run posture_search as the run loop does; returns (answer, probes)."""
    prev, lo, g_lo, hi, g_hi = x, math.nan, 0.0, math.nan, 0.0
    for k in range(n):
        lo, g_lo, hi, g_hi, nxt, done = posture_search(x, slope(x), prev, lo, g_lo, hi, g_hi,
                                                       curvature, tol, -0.17, 0.35, guess)
        if done:
            return nxt, k
        prev, x = x, nxt
    return x, n


@pytest.mark.parametrize("guess", [math.nan, 30.0, 500.0])
@pytest.mark.parametrize("start_deg", [-3.0, 0.0, 0.5, 6.0])
def test_the_posture_search_finds_the_optimum_across_a_flat_stretch_and_a_kink(start_deg,
                                                                               guess):
    """The optimum (slope 0) of a slope that is nearly flat over two degrees (the effort
    falls almost as fast as the lean's cost rises) and jumps at a kink, from any start: a
    damped step (curvature 8) would stop where it is short, the search does not, whatever
    curvature its first probe guesses (none, the kink's, far too high)."""
    opt = math.radians(1.5)

    def slope(x):                        # 0.01 /rad over [0, opt), a jump at opt, then steep
        return 0.01 * (x - opt) + (0.05 if x >= opt else -0.004)

    x, probes = _search(slope, math.radians(start_deg), 3.56, guess=guess)
    assert abs(x - opt) < math.radians(0.01) and probes < 30
    # a damped update's step at the start of the flat stretch is under the settle (0.25
    # deg): stopping on it would hold the lean 1.5 deg short
    assert abs(slope(0.0)) / (3.56 + 8.0) < math.radians(0.25)


@pytest.mark.parametrize("tol_deg", [0.25, 0.01])
def test_a_search_that_guesses_the_curvature_probes_less_and_ends_as_close(tol_deg):
    """Near its optimum the objective curves ten times more than the lean cost's bound
    (29 /rad^2 within half a degree, about the median slope from a search's start to its
    optimum in the benchmark's runs; 3 beyond, where other muscles take over): a first
    walk by the bound overshoots far into the flatter stretch, one by a guess of the
    curvature lands near the optimum; both end within the tolerance (block mode's,
    resolved mode's)."""
    opt, d0, tol = math.radians(0.45), math.radians(0.5), math.radians(tol_deg)

    def slope(x):
        d = x - opt
        return 29.0 * d if abs(d) < d0 else math.copysign(29.0 * d0 + 3.0 * (abs(d) - d0), d)

    probes = {}
    for guess in (math.nan, 25.0):
        x, probes[guess > 0] = _search(slope, math.radians(0.62), 2.9, tol, guess=guess)
        assert abs(x - opt) < tol
    assert probes[True] < probes[False]


def test_bracket_curvature_is_the_secant_slope_of_the_final_bracket():
    """The curvature handed to the next search: the slope across the bracket a search
    closed on (the order of its ends does not matter), none without a bracket."""
    opt = math.radians(1.0)
    slope = lambda x: 12.0 * (x - opt)                                     # noqa: E731
    lo, hi = opt - 0.002, opt + 0.001
    assert bracket_curvature(lo, slope(lo), hi, slope(hi)) == pytest.approx(12.0)
    assert bracket_curvature(hi, slope(hi), lo, slope(lo)) == pytest.approx(12.0)
    assert math.isnan(bracket_curvature(lo, slope(lo), math.nan, 0.0))


def test_the_resolved_posture_does_not_depend_on_the_update_step_size():
    """Resolved mode holds each stride at the lean's optimum: the update's numerical step
    size (body.toml newton_curvature) no longer sets how far the lean trails a moving
    optimum (it did by up to 0.5 deg in a run above critical speed before;
    experiments/resolved_posture.py). The default runner at 3.8 m/s: the optimum rises by
    about 4 deg within 10 min, with the runner's mass 1e-12 heavier too (the benchmark
    scenario used before, whose lean rose 2.2 deg, did so only on one side of a rounding
    change: experiments/resolved_rounding.py)."""
    import dataclasses

    from sim.core.engine import S
    from sim.core.scenario import build_inputs
    from sim.core.simulation import simulate_inputs

    cfg = sim.load_config(None, {"run.duration_min": 10.0, "run.speed_mps": 3.8,
                                 "model.mode": "resolved"})
    inp = build_inputs(cfg)
    leans = []
    for curvature in (2.0, 32.0):
        sc = inp.sc.copy()
        sc[S.fwd_lean_curvature] = curvature
        leans.append(simulate_inputs(cfg, dataclasses.replace(inp, sc=sc)).trunk_flexion_deg)
    assert np.nanmax(leans[0]) > 2.0                 # the optimum moves by degrees here
    assert np.nanmax(np.abs(leans[0] - leans[1])) < 0.05


def test_switching_the_lean_off_keeps_the_fresh_posture():
    r = run(run__duration_min=30.0, run__speed_mps=3.2, model__forward_lean=False)
    assert np.all(r.trunk_flexion_deg[r.speed_mps > 0] == 0.0)


# ------------------------------------------------------------------ spike directions ----
#: A named runner whose default back-load spike comes mid-run (about 97 min of 150).
MID_RUN = {"run__duration_min": 150.0, "run__speed_mps": 3.0,
           "scenario__hip_flexor_tightness_deg": 8.0, "scenario__core_strength": 0.8}


def _onset_running_min(**change):
    """Spike onset in running time [min]; a spike not reached counts as later than any."""
    s = run(**{**MID_RUN, **change}).summary()
    v = s["spike_onset_running_s"] / 60.0
    return np.inf if np.isnan(v) else v


@pytest.fixture(scope="module")
def mid_run_onset():
    v = _onset_running_min()
    assert 20.0 < v < 150.0          # a spike that tips over during the run
    return v


@pytest.mark.parametrize("change", [{"scenario__core_strength": 0.7},
                                    {"run__speed_mps": 3.1}])
def test_weaker_core_or_faster_pace_spike_no_later(mid_run_onset, change):
    assert _onset_running_min(**change) <= mid_run_onset


def test_slowing_down_spikes_later(mid_run_onset):
    assert _onset_running_min(run__speed_mps=2.9) > mid_run_onset


def test_a_rest_break_spikes_no_earlier():
    """With every stride resolved (and the run long enough for the onset): a rest break
    does not bring the spike earlier in running time. The default stepping moves this onset
    by under a minute either way (97.2 -> 97.4 min with the break), one block of its grid
    near a threshold: the break shifts the grid, and this runner's index rises by under 1 %
    over the whole run, so the difference is far inside the stepping's 0.01 tolerance
    (README, known limits)."""
    resolved = {**MID_RUN, "run__duration_min": 112.0, "model__mode": "resolved"}

    def onset(**change):
        v = run(**{**resolved, **change}).summary()["spike_onset_running_s"] / 60.0
        return np.inf if np.isnan(v) else v

    plain = onset()
    assert 20.0 < plain < 107.0
    assert onset(intervention__rest_breaks=[{"at_min": 45.0, "duration_min": 5.0}]) >= plain


def test_a_higher_step_rate_spikes_later(mid_run_onset):
    """Quicker steps lower each step's peak vertical force (Musgjerd et al. 2021) and with
    it the lumbar moments, so the superficial-load spike comes later or not at all."""
    assert _onset_running_min(scenario__step_rate_scale=1.1) > mid_run_onset


@pytest.mark.xfail(strict=True, reason=(
    "measured against the expected direction: 12 instead of 8 deg of tightness moves the "
    "superficial-load spike later (95 -> 99 min), so stretching 8 deg moves it earlier "
    "(60.5 min). Tightness raises anterior shear but not the superficial load, and the taut "
    "hip flexors' passive pull holds the fatigue lean back (scaled to 1 %: 1.61 against "
    "1.64 deg for a flexible runner; experiments/tightness_and_lean.py): fatigue pushes both "
    "runners forward alike, but the tight runner's posture is 15 x stiffer, as each degree "
    "of lean eases the flexors less than the one before. A cost of the fresh effort's size "
    "keeps the reversal; the flexible runner's posture preference fixes it but spikes every "
    "tight runner from the first stride (experiments/lean_preference.py; README, known "
    "limits)"))
@pytest.mark.parametrize("change,later", [({"scenario__hip_flexor_tightness_deg": 12.0}, False),
                                          ({"intervention__stretch_before_deg": 8.0}, True)])
def test_tightness_and_stretching_directions(mid_run_onset, change, later):
    v = _onset_running_min(**change)
    assert v >= mid_run_onset if later else v <= mid_run_onset


def _lean_rate_rise_per_deg(tightness_deg):
    """Rise of the lean's relative effort rate ``(dE/dlean) / E`` over the first degree of
    lean [1/rad per deg], with the capacities of MID_RUN (tightness set) after 150 min."""
    from sim.core.reference_stride import _lean_rate_by_joint
    from sim.scenario import build_inputs

    cfg = sim.load_config(None, {k.replace("__", "."): v for k, v in MID_RUN.items()}
                          | {"scenario.hip_flexor_tightness_deg": tightness_deg})
    cap = sim.simulate(cfg).capacity[-1]
    inp = build_inputs(cfg)
    rel = []
    for lean in (0.0, math.radians(1.0)):
        E, by_joint, bad = _lean_rate_by_joint(inp, cfg.run.speed_mps, cap, lean)
        assert not bad
        rel.append(by_joint.sum() / E)
    return rel[1] - rel[0]


def test_a_tight_runners_posture_is_stiffer():
    """Why a tight runner's fatigue lean grows less (README, known limits): each degree of
    lean eases the taut hip flexors less than the one before, so the lean's effort rate
    rises several times faster with the lean than in a flexible runner."""
    tight, flexible = _lean_rate_rise_per_deg(8.0), _lean_rate_rise_per_deg(0.0)
    assert tight > 5.0 * max(flexible, 0.0) and tight > 0.05


def test_a_cost_of_the_fresh_effort_lets_the_lean_grow_more():
    """``model.forward_lean_cost_of = "fresh"``: the cost keeps the fresh stride's size while
    the effort grows with fatigue, so the lean grows more (experiments/lean_preference.py)."""
    over = {"run__duration_min": 60.0, "run__speed_mps": 3.4}
    shipped = run(**over).trunk_flexion_deg[-1]
    fresh = run(**over, model__forward_lean_cost_of="fresh").trunk_flexion_deg[-1]
    assert shipped > 1.0 and fresh > shipped + 0.3


def test_a_failed_stride_can_search_another_posture():
    """At 3.5 m/s the resolved stepping's lean follows its optimum stride by stride down to
    where the reserve is spent; the default stepping, carried on by its estimate of the
    optimum's drift (``forward_lean.drift_gain``), follows it to within a block (2,719
    against 2,727 s; without the estimate its stride failed at the lean its block held,
    at 2,595 s; README, known limits). ``model.failed_stride_posture = "search"`` keeps
    both there (experiments/posture_stranding.py)."""
    over = {"run__duration_min": 60.0, "run__speed_mps": 3.5}
    held = run(**over)
    searched = run(**over, model__failed_stride_posture="search")
    resolved = run(**over, model__mode="resolved")
    assert np.isfinite(held.exhaustion_s)
    assert abs(held.exhaustion_s - resolved.exhaustion_s) < 30.0
    assert abs(searched.exhaustion_s - resolved.exhaustion_s) < 30.0


def test_the_reference_path_refuses_the_posture_search():
    from sim.core.reference import reference_run
    from sim.core.scenario import build_inputs
    cfg = sim.load_config(None, {"run.duration_min": 1.0,
                                 "model.failed_stride_posture": "search"})
    with pytest.raises(ValueError, match="failed_stride_posture"):
        reference_run(build_inputs(cfg))
