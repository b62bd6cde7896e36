"""A whole run: moment balance, block vs resolved stepping, direction and size checks."""
import numpy as np
import pytest

import sim
from sim.config import load_config
from sim.scenario import build_inputs


def run(minutes=120, **over):
    overrides = {"run.duration_min": minutes, "run.speed_mps": 3.2}
    overrides.update({k.replace("__", "."): v for k, v in over.items()})
    return sim.simulate(load_config(None, overrides))


@pytest.fixture(scope="module")
def fresh():
    return run()


def test_result_shapes_and_names(fresh):
    n = fresh.time_s.size
    assert fresh.muscles[:3] == ("gluteus_medius", "gluteus_minimus", "tensor_fasciae_latae")
    assert len(fresh.muscles) == 18 and fresh.capacity.shape == (n, 18)
    assert fresh.pool_capacity.shape == fresh.energy.shape == (n, 18, 2)
    assert fresh.stride_force_N.shape[1:] == (64, 18)
    assert fresh.stride_demand_Nm.shape[1:] == (64, 6) and fresh.dofs[0] == "hip_flexion"
    for g in ("hip_abductors", "knee_extensors", "lumbar_deep", "lumbar_superficial"):
        assert set(fresh.groups[g]) <= set(fresh.muscles)
    s = fresh.summary()
    assert np.isnan(s["spike_onset_s"]) and s["distance_km"] == pytest.approx(3.2 * 7.2, rel=1e-9)


@pytest.mark.parametrize("speed", [2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])
def test_fresh_runner_meets_moments(speed):
    """The first (fresh) stride: no infeasible phase, relative residual < 1e-6."""
    r = run(1, run__speed_mps=speed, model__block_s=60.0)
    assert r.infeasible_strides[0] == 0
    assert r.moment_residual[0] < 1e-6


def test_moderate_paces_stay_feasible_for_an_hour():
    """Up to a little faster than marathon pace (3.2 m/s): below critical speed (3.44)."""
    for speed in (2.5, 3.0, 3.3):
        r = run(60, run__speed_mps=speed)
        assert r.infeasible_strides.sum() == 0, speed
        assert r.moment_residual.max() < 1e-6


def test_moments_met_when_fatigued():
    """Hours into a fast run the muscles are fatigued; feasible strides still balance."""
    r = run(150, run__speed_mps=3.8)
    assert r.capacity[-1].min() < 0.8
    assert r.moment_residual.max() < 1e-6


def test_capacity_falls_progressively_at_marathon_pace(fresh):
    idx = [np.searchsorted(fresh.time_s, t) for t in (600, 3600, 7000)]
    for g in ("hip_abductors", "knee_extensors"):
        c = fresh.group_capacity(g)[idx]
        assert c[0] > c[1] > c[2], (g, c)
    assert fresh.group_capacity("hip_abductors")[-1] < fresh.group_capacity("knee_extensors")[-1]


def _on_grid(t_src, y_src, t):
    """Piecewise-linear interpolation of checkpoint values onto other checkpoint times."""
    return np.array([np.interp(t, t_src, y_src[:, j]) for j in range(y_src.shape[1])]).T


@pytest.mark.parametrize("minutes, over", [
    (60, dict(run__speed_mps=3.2)),                                       # never spikes
    (30, dict(run__speed_mps=3.6, scenario__hip_flexor_tightness_deg=15.0,
              scenario__core_strength=0.6)),                              # spikes at once
    (75, dict(scenario__hip_flexor_tightness_deg=15.0, scenario__core_strength=0.6,
              intervention__stretch_before_deg=10.0, intervention__stretch_fade_min=60.0)),
])
def test_block_mode_tracks_resolved_mode(minutes, over):
    """Adaptive stride-averaged blocks vs every phase of every stride: capacity within 0.01
    and spike onsets within max(2 %, 60 s)."""
    b = run(minutes, **over)
    r = run(minutes, model__mode="resolved", **over)
    assert b.time_s.size < r.time_s.size              # blocks grew where loads were steady
    cap_b = _on_grid(b.time_s, b.capacity, r.time_s)
    assert np.abs(cap_b - r.capacity).max() < 0.01
    onset, other = r.spike_onset_s, b.spike_onset_s   # the configured index (shear)
    if np.isnan(onset):
        assert np.isnan(other)
    else:
        assert abs(other - onset) <= max(0.02 * onset, 60.0), (other, onset)


def test_the_resolved_stepping_does_not_depend_on_its_windows():
    """The resolved stepping steps the reserve with the muscles: its checkpoints are only
    windows. Stepped once a window, the reserve dropped the fast-twitch capacity at each
    window's end, and at 3.8 m/s the run ended at 540 s with 30-s windows and at 955 s with
    5-s ones (experiments/reference_windows.py)."""
    ends = [run(17, run__speed_mps=3.8, model__mode="resolved", model__block_s=w).exhaustion_s
            for w in (30.0, 5.0)]
    assert np.isfinite(ends).all() and abs(ends[0] - ends[1]) <= 15.0, ends


def test_blocks_stay_short_while_a_back_load_index_moves():
    """With model.index_tolerance a block grows only as long as neither index moved by more
    than it per block: after window k, the next block is at most tolerance / (index change
    per second) long (whole seconds), or the shortest block."""
    r = run(45, run__speed_mps=3.5, model__index_tolerance=0.003)   # indices move
    m = r.config.model
    assert np.all(r.speed_mps == 3.5)
    # the rule reads each block's stride; a block reports the mean of its stride and the
    # next block's (the last block: its own): the strides' values, recovered
    strides = []
    for x in (r.superficial_load_index, r.shear_bw):
        h = x.copy()
        for k in range(x.size - 2, -1, -1):
            h[k] = 2.0 * x[k] - h[k + 1]
        strides.append(h)
    sup, shear = strides
    bound = 0
    for k in range(1, r.time_s.size - 1):
        move = max(abs(sup[k] - sup[k - 1]), abs(shear[k] - shear[k - 1])) / r.duration_s[k - 1]
        cap = max(np.floor(m.index_tolerance / move), m.block_s) if move > 0 else np.inf
        assert r.duration_s[k + 1] <= cap + 1e-9, (k, r.duration_s[k + 1], cap)
        # blocks whose length this rule set (not the shortest, longest or doubling limit)
        bound += (m.block_s < cap < min(2.0 * r.duration_s[k], m.max_block_s)
                  and r.duration_s[k + 1] == cap)
    assert bound >= 5


def test_tightness_raises_shear_and_tilt_monotonically():
    shear, tilt, tilt_alone = [], [], []
    for deg in (0, 5, 10, 15, 20):
        r = run(10, run__speed_mps=3.0, scenario__hip_flexor_tightness_deg=float(deg))
        shear.append(r.summary()["peak_shear_bw"])
        tilt.append(r.summary()["peak_pelvic_tilt_deg"])
        # tightness alone (no forward lean of fatigue): a flexible runner has no extra tilt
        r0 = run(10, run__speed_mps=3.0, scenario__hip_flexor_tightness_deg=float(deg),
                 model__forward_lean=False)
        tilt_alone.append(r0.summary()["peak_pelvic_tilt_deg"])
    assert shear[-1] >= 1.10 * shear[0]
    assert np.all(np.diff(tilt) > 0) and np.all(np.diff(tilt_alone) > 0)
    assert tilt_alone[0] == 0.0
    assert np.all(np.diff(shear) > 0)


def test_weak_core_loads_superficial_and_shear():
    a = run(10)
    b = run(10, scenario__core_strength=0.6)
    sup = a.muscles.index("erector_spinae_superficial")
    assert b.peak_force_N[0, sup] > a.peak_force_N[0, sup]
    assert b.summary()["peak_shear_bw"] > a.summary()["peak_shear_bw"]


def test_weak_glute_med_leans_and_loads_the_back():
    a = run(30)
    b = run(30, scenario__glute_med_strength=0.7)
    assert b.trunk_lean_deg[-1] > a.trunk_lean_deg[-1] + 0.5
    lumbar = [a.muscles.index(m) for m in a.groups["lumbar_deep"] + a.groups["lumbar_superficial"]
              + a.groups["abdominals"]]
    assert b.mean_force_N[-1, lumbar].sum() > a.mean_force_N[-1, lumbar].sum()


def test_interventions_lower_the_back_load():
    tight = dict(scenario__hip_flexor_tightness_deg=15.0, scenario__core_strength=0.6)
    ref = run(30, **tight).summary()["peak_shear_bw"]
    assert run(30, run__speed_mps=2.8, **tight).summary()["peak_shear_bw"] < ref
    assert run(30, scenario__step_rate_scale=1.1, **tight).summary()["peak_shear_bw"] < ref
    assert run(30, intervention__stretch_before_deg=10.0, **tight).summary()["peak_shear_bw"] < ref


def test_spike_for_tight_weak_core_runner_not_for_fresh(fresh):
    tight = run(120, scenario__hip_flexor_tightness_deg=15.0, scenario__core_strength=0.6)
    assert np.isnan(fresh.spike_onset_s)
    assert np.isfinite(tight.spike_onset_s)


def test_fading_stretch_gives_a_later_spike():
    r = run(120, scenario__hip_flexor_tightness_deg=15.0, scenario__core_strength=0.6,
            intervention__stretch_before_deg=10.0, intervention__stretch_fade_min=90.0,
            spike__index="shear_bw", spike__shear_threshold_bw=0.85)
    assert 0.0 < r.spike_onset_s < 90 * 60          # not from the first stride: mid-run


def test_slower_pace_higher_step_rate_and_more_stretch_spike_later_or_never():
    # a fading stretch makes a mid-run spike; each intervention must move it later
    fading = dict(scenario__hip_flexor_tightness_deg=15.0, scenario__core_strength=0.6,
                  intervention__stretch_before_deg=10.0, intervention__stretch_fade_min=90.0,
                  spike__index="shear_bw", spike__shear_threshold_bw=0.85)
    base = run(120, **fading).spike_onset_s
    assert 0.0 < base < 90 * 60
    for change in ({"run__speed_mps": 2.8}, {"scenario__step_rate_scale": 1.1},
                   {"intervention__stretch_before_deg": 12.0}):
        onset = run(120, **{**fading, **change}).spike_onset_s
        assert np.isnan(onset) or onset > base + 60.0, (change, onset, base)


def test_rest_break_recovers_and_is_not_running():
    r = run(60, intervention__rest_breaks=[{"at_min": 30.0, "duration_min": 5.0}])
    rest = (r.time_s >= 1800) & (r.time_s < 2100)
    assert rest.any() and np.all(r.speed_mps[rest] == 0) and np.all(np.isnan(r.shear_bw[rest]))
    i0 = np.flatnonzero(rest)[0]
    i1 = np.flatnonzero(rest)[-1] + 1
    gm = r.muscles.index("gluteus_medius")
    assert r.capacity[i1, gm] > r.capacity[i0, gm]
    assert r.summary()["distance_km"] == pytest.approx(3.2 * 55 * 60 / 1000, rel=1e-9)


def test_slow_down_policy_switches_pace_after_the_spike():
    r = run(60, scenario__hip_flexor_tightness_deg=15.0, scenario__core_strength=0.6,
            intervention__pace_policy="slow_down", intervention__slow_down_speed_mps=2.8)
    slowed = r.stage >= 1
    assert slowed.any() and not slowed[0]
    t_slow = r.time_s[np.argmax(slowed)]
    assert t_slow >= r.spike_onset_s + r.config.spike.hold_s - 1e-6
    assert np.all(r.speed_mps[slowed] == 2.8) and np.all(r.speed_mps[~slowed] == 3.2)


def test_in_run_sequence_stops_to_stretch_then_rests():
    r = run(90, scenario__hip_flexor_tightness_deg=15.0, scenario__core_strength=0.6,
            intervention__pace_policy="in_run_sequence", intervention__slow_down_speed_mps=2.8,
            intervention__policy_wait_min=5.0)
    stages = list(dict.fromkeys(r.stage.tolist()))
    assert stages[:3] == [0, 1, 2], stages
    stretching = r.stage == 2
    assert np.all(r.speed_mps[stretching] == 0)
    assert r.duration_s[stretching].sum() == pytest.approx(120.0)
    after = np.flatnonzero(r.stage >= 3)
    if after.size:  # the stretch removed tightness: the tilt drops
        assert r.pelvic_tilt_deg[after[0]] < np.nanmax(r.pelvic_tilt_deg[r.stage == 1])


def test_heavier_runner_carries_more():
    a = run(10, runner__mass_kg=60.0)
    b = run(10, runner__mass_kg=90.0)
    assert b.summary()["peak_compression_N"] > a.summary()["peak_compression_N"]


def test_faster_running_drains_energy_faster():
    a = run(60, run__speed_mps=3.0)
    b = run(60, run__speed_mps=3.4)       # below critical speed (3.44): not exhausted
    assert not b.exhausted
    assert b.energy[-1].mean() < a.energy[-1].mean()


def test_inputs_reject_speeds_outside_the_gait_data():
    with pytest.raises(sim.ConfigError):
        load_config(None, {"run.speed_mps": 5.5})
    inp = build_inputs(load_config(None, {"run.speed_mps": 5.0}))
    assert inp.tpl_speed.tolist() == [5.0]
