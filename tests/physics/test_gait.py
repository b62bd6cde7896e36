"""Tests of the gait demand (sim/physics/gait.py) against the reference running data and literature."""
import doctest
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import gait, params

REF_SPEEDS = (2.0, 3.0, 4.0, 5.0)
MID_SPEEDS = ((2.5, 2.0, 3.0), (3.5, 3.0, 4.0), (4.5, 4.0, 5.0))
P = params.load("gait")
BODY_WEIGHT_N = P["reference"]["mass"] * 9.81


def _csv(speed):
    name = f"hamner2013_s01_v{speed:g}.csv"
    with resources.files("sim").joinpath("data", "gait", name).open() as fh:
        return np.genfromtxt(fh, delimiter=",", names=True)


def _stance_peak(d, dof):
    return float(d.moment(dof)[d.stance].max())


# --- data, conventions, parameters ----------------------------------------------------

def test_dof_order_and_reference_signs():
    assert gait.DOFS == ("hip_flexion", "hip_abduction", "knee_extension",
                         "ankle_plantarflexion", "lumbar_extension", "lumbar_bending")
    raw = _csv(3.0)
    m = gait.reference_curves(3.0).moments_Nm_per_kg
    np.testing.assert_allclose(m[:, 0], raw["hip_flexion_moment"])
    np.testing.assert_allclose(m[:, 1], -raw["hip_adduction_moment"])
    np.testing.assert_allclose(m[:, 2], raw["knee_moment"])
    np.testing.assert_allclose(m[:, 3], -raw["ankle_moment"])
    np.testing.assert_allclose(m[:, 4], raw["lumbar_extension_moment"])
    np.testing.assert_allclose(m[:, 5], raw["lumbar_bending_moment"])
    np.testing.assert_allclose(gait.reference_curves(3.0).hip_extension_deg, -raw["hip_flexion"])


def test_signs_give_expected_stance_pattern():
    """In stance the abductors, knee extensors and plantarflexors work (positive), the
    hip extensors act at impact (negative), and lumbar bending is negative in right stance
    (the documented 'toward the swing side')."""
    d = gait.demand(3.0, n_phase=100)
    st_ = d.stance
    for dof in ("hip_abduction", "knee_extension", "ankle_plantarflexion", "lumbar_extension"):
        assert d.moment(dof)[st_].max() > 0.9, dof
    assert d.moment("hip_flexion")[:12].min() < -1.0
    assert d.moment("lumbar_bending")[st_].min() < -0.3
    assert d.moment("lumbar_bending")[~st_].max() > 0.2


def test_parameter_file_matches_data_files():
    assert gait.REFERENCE_SPEEDS_MPS == REF_SPEEDS
    assert gait.SPEED_RANGE_MPS == (2.0, 5.0)
    for k, v in enumerate(REF_SPEEDS):
        r = gait.reference_curves(v)
        assert r.stance_fraction == P["reference"]["stance_fraction"][k]
        assert r.stride_time_s == P["reference"]["stride_time"][k]
        # toe-off: right vertical GRF falling through 20 N, as in the data README
        g, pct = r.grf_vertical_bw, 100 * r.phase
        thr = P["reference"]["toe_off_threshold"] / BODY_WEIGHT_N
        i = np.flatnonzero((g[:-1] >= thr) & (g[1:] < thr))[0]
        toe_off = (pct[i] + (g[i] - thr) / (g[i] - g[i + 1])) / 100
        assert toe_off == pytest.approx(r.stance_fraction, abs=0.005)
    quantities = params.load_quantities("gait")
    assert "Heiderscheit" in quantities["step_rate"]["hip_abduction_peak"]["source"]


# --- reproduction of the reference curves ---------------------------------------------

@pytest.mark.parametrize("speed", REF_SPEEDS)
def test_demand_reproduces_reference_outside_marked_phases(speed):
    d = gait.demand(speed, n_phase=100)
    raw = gait.reference_curves(speed).moments_Nm_per_kg[:100]
    np.testing.assert_allclose(d.phase, np.arange(100) / 100)
    for j, dof in enumerate(gait.DOFS):
        keep = ~d.smoothed_or_capped[:, j]
        # the marked phases must not swallow the validation: at least 2/3 of the cycle kept
        assert keep.mean() >= 2 / 3, dof
        rms = np.sqrt(np.mean((d.moments_Nm_per_kg[keep, j] - raw[keep, j]) ** 2))
        assert rms <= 0.05, f"{dof} at {speed} m/s: RMS {rms:.3f} N·m/kg"
    np.testing.assert_allclose(d.grf_vertical_bw[d.stance],
                               gait.reference_curves(speed).grf_vertical_bw[:100][d.stance])


def test_marked_phases_are_the_documented_ones():
    for speed in REF_SPEEDS:
        d = gait.demand(speed, n_phase=100)
        closure = d.phase >= 1 - P["smoothing"]["closure_window"]
        for j, dof in enumerate(gait.DOFS):
            if dof != "hip_abduction":
                np.testing.assert_array_equal(d.smoothed_or_capped[:, j], closure)
        s, c = d.stance_fraction, P["hip_abduction_cap"]
        window = (d.phase > s - c["start_before_toe_off"]) & (d.phase < s + c["end_after_toe_off"])
        np.testing.assert_array_equal(d.smoothed_or_capped[:, 1], closure | window)


@pytest.mark.parametrize("speed", (4.0, 5.0))
def test_toe_off_hip_abduction_artefact_is_capped(speed):
    d = gait.demand(speed, n_phase=100)
    raw = gait.reference_curves(speed).moments_Nm_per_kg[:100, 1]
    window = d.smoothed_or_capped[:, 1] & (d.phase < 0.9)
    assert np.abs(raw[window]).max() > 0.8          # the artefact is in the data
    # soft cap of 0.3 N·m/kg, plus a little overshoot of the truncated Fourier series
    assert np.abs(d.moment("hip_abduction")[window]).max() <= 0.35


def test_heel_strike_values_kept_by_cycle_closure():
    """The end-to-start mismatch is ramped out before heel strike, so heel strike keeps
    the measured values (a plain periodic fit would land halfway across the jump)."""
    for speed in REF_SPEEDS:
        d, r = gait.demand(speed, n_phase=100), gait.reference_curves(speed)
        np.testing.assert_allclose(d.moments_Nm_per_kg[0], r.moments_Nm_per_kg[0], atol=0.08)
        assert d.hip_extension_deg[0] == pytest.approx(r.hip_extension_deg[0], abs=0.3)


def test_curves_are_periodic():
    for speed in (2.0, 3.3, 5.0):
        d = gait.demand(speed, n_phase=400)
        y = np.vstack([d.moments_Nm_per_kg, d.moments_Nm_per_kg[:1]])
        jumps = np.abs(np.diff(y, axis=0))
        assert jumps[-1].max() <= 1.5 * jumps[:-1].max(axis=0).max()
        assert np.all(jumps[-1] < 0.1)


# --- plausibility against published values --------------------------------------------

def test_peaks_at_3mps_in_published_ranges():
    """Heiderscheit et al. 2011 (Table 3, preferred speed): peak hip abduction 1.8 and knee
    extension 2.5 N·m/kg; Hamner & Delp 2013 / running GRF: ≈ 2.5 body weights."""
    d = gait.demand(3.0)
    assert 1.2 <= _stance_peak(d, "hip_abduction") <= 2.2
    assert 2.0 <= _stance_peak(d, "knee_extension") <= 3.5
    assert 2.3 <= d.grf_vertical_bw.max() <= 2.8


def test_grf_zero_in_swing_and_peaks():
    for speed, lo, hi in ((2.0, 2.0, 2.2), (3.0, 2.4, 2.7), (4.0, 2.4, 2.7), (5.0, 2.4, 2.7)):
        d = gait.demand(speed)
        assert np.all(d.grf_vertical_bw[~d.stance] == 0.0)
        assert np.all(d.grf_vertical_bw >= 0.0)
        assert lo <= d.grf_vertical_bw.max() <= hi


# --- timing ---------------------------------------------------------------------------

def test_stance_fraction_decreases_with_speed_and_matches_reference():
    for k, v in enumerate(REF_SPEEDS):
        assert gait.stance_fraction(v) == pytest.approx(P["reference"]["stance_fraction"][k])
        assert gait.demand(v).stance_fraction == pytest.approx(P["reference"]["stance_fraction"][k])
        assert gait.stride_time_s(v) == pytest.approx(P["reference"]["stride_time"][k])
    s = np.array([gait.stance_fraction(v) for v in np.linspace(2, 5, 31)])
    assert np.all(np.diff(s) <= 0.0)
    assert s[0] - s[-1] > 0.07
    c = np.array([gait.cadence_spm(v) for v in np.linspace(2, 5, 31)])
    assert np.all(np.diff(c) > 0)


def test_stance_mask_matches_stance_fraction():
    for v in (2.0, 2.7, 4.2):
        d = gait.demand(v, n_phase=128)
        np.testing.assert_array_equal(d.stance, d.phase < d.stance_fraction)


def test_timing_consistent_with_fukuchi_2017_group_means():
    """Fukuchi et al. 2017: this runner within 5 % of the group cadence and within 0.05
    of the group stance fraction (cohort SD ≈ 0.04, Malisoux et al. 2023)."""
    f = P["fukuchi2017"]
    for v, cad, stance in zip(f["speed"], f["cadence"], f["stance_fraction"]):
        assert gait.cadence_spm(v) == pytest.approx(cad, rel=0.05)
        assert abs(gait.stance_fraction(v) - stance) <= 0.05


# --- interpolation in speed -----------------------------------------------------------

@pytest.mark.parametrize("mid, lo, hi", MID_SPEEDS)
def test_intermediate_speed_lies_between_neighbours(mid, lo, hi):
    d, a, b = (gait.demand(v, n_phase=200) for v in (mid, lo, hi))
    assert min(a.stance_fraction, b.stance_fraction) <= d.stance_fraction \
        <= max(a.stance_fraction, b.stance_fraction)
    assert a.stride_time_s > d.stride_time_s > b.stride_time_s

    def peaks(x):
        return {
            # impact and terminal swing separately: at 4 m/s the larger hip extensor peak
            # is at impact, at 5 m/s in terminal swing
            "hip extensor, impact": -x.moment("hip_flexion")[x.phase < 0.15].min(),
            "hip extensor, terminal swing": -x.moment("hip_flexion")[x.phase > 0.8].min(),
            "hip flexor": x.moment("hip_flexion").max(),
            "hip abductor": _stance_peak(x, "hip_abduction"),
            "knee extensor": _stance_peak(x, "knee_extension"),
            "plantarflexor": _stance_peak(x, "ankle_plantarflexion"),
            "lumbar extensor": x.moment("lumbar_extension").max(),
            "vertical GRF": x.grf_vertical_bw.max(),
            "hip extension": x.hip_extension_deg.max(),
        }

    pd, pa, pb = peaks(d), peaks(a), peaks(b)
    for name in pd:
        tol = 0.3 if name == "hip extension" else 0.03
        assert min(pa[name], pb[name]) - tol <= pd[name] <= max(pa[name], pb[name]) + tol, name


def test_warp_maps_both_feet_events():
    """Heel strike, right toe-off, left heel strike (0.5) and left toe-off (0.5 + s)."""
    s_from, s_to = 0.444, 0.385
    events_from = np.array([0.0, s_from, 0.5, 0.5 + s_from, 1.0])
    events_to = np.array([0.0, s_to, 0.5, 0.5 + s_to, 1.0])
    np.testing.assert_allclose(gait._warp(events_from, s_from, s_to), events_to)
    x = np.linspace(0, 1, 11)
    np.testing.assert_allclose(gait._warp(gait._warp(x, s_from, s_to), s_to, s_from), x, atol=1e-12)


def test_toe_off_of_interpolated_grf_between_neighbours():
    d, a, b = (gait.demand(v, n_phase=400) for v in (2.5, 2.0, 3.0))
    last = {x: x.phase[np.flatnonzero(x.grf_vertical_bw > 0)[-1]] for x in (d, a, b)}
    assert last[b] < last[d] < last[a]
    assert b.stance_fraction < d.stance_fraction < a.stance_fraction


@pytest.mark.parametrize("mid, lo, hi", MID_SPEEDS)
def test_interpolated_events_are_aligned(mid, lo, hi):
    """With events aligned, the blended GRF falls to the 20 N detection level right at the
    target's toe-off and the knee extensor peak sits between the neighbours' peak phases."""
    d, a, b = (gait.demand(v, n_phase=400) for v in (mid, lo, hi))
    g = d.grf_vertical_bw[d.stance]
    assert g[-1] < 0.06
    assert np.all(np.diff(g[-20:]) < 0)

    def peak_phase(x):
        return x.phase[np.argmax(x.moment("knee_extension"))] / x.stance_fraction

    lo_phase, hi_phase = sorted((peak_phase(a), peak_phase(b)))
    assert lo_phase - 0.01 <= peak_phase(d) <= hi_phase + 0.01


def test_out_of_range_speed_raises():
    for bad in (1.99, 5.01, 0.0, -3.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match=r"\[2, 5\] m/s"):
            gait.demand(bad)
        with pytest.raises(ValueError):
            gait.stance_fraction(bad)
    with pytest.raises(ValueError, match="5.5"):
        gait.demand(5.5)
    with pytest.raises(ValueError, match="reference speed"):
        gait.reference_curves(3.5)


def test_bad_step_rate_and_n_phase_raise():
    for bad in (0.5, 0.84, 1.16, float("nan")):
        with pytest.raises(ValueError, match="step_rate_scale"):
            gait.demand(3.0, step_rate_scale=bad)
    for bad in (8, 15, 32.5, True):
        with pytest.raises(ValueError, match="n_phase"):
            gait.demand(3.0, n_phase=bad)
    with pytest.raises(ValueError, match="unknown DOF"):
        gait.demand(3.0).moment("hip_rotation")


# --- step rate ------------------------------------------------------------------------

def test_step_rate_changes_hip_and_knee_peaks_as_heiderscheit():
    """Heiderscheit et al. 2011, Table 3: hip abduction 1.9 / 1.8 / 1.7 and knee extension
    2.7 / 2.5 / 2.2 N·m/kg at step rate −10 % / natural / +10 %."""
    sr = P["step_rate"]
    hip_pub = np.array(sr["hip_abduction_peak"]) / sr["hip_abduction_peak"][1]
    knee_pub = np.array(sr["knee_extension_peak"]) / sr["knee_extension_peak"][1]
    nat = gait.demand(3.0)
    for i, scale in ((0, 0.9), (2, 1.1)):
        d = gait.demand(3.0, step_rate_scale=scale)
        hip = _stance_peak(d, "hip_abduction") / _stance_peak(nat, "hip_abduction")
        knee = _stance_peak(d, "knee_extension") / _stance_peak(nat, "knee_extension")
        assert hip == pytest.approx(hip_pub[i], abs=0.01)
        # a line through 1 cannot hit the knee's asymmetric 1.08 / 0.88 exactly
        assert knee == pytest.approx(knee_pub[i], abs=0.025)
    fast = gait.demand(3.0, step_rate_scale=1.1)
    assert _stance_peak(fast, "hip_abduction") < _stance_peak(nat, "hip_abduction")
    assert _stance_peak(fast, "knee_extension") < _stance_peak(nat, "knee_extension")
    # the ankle keeps its peak (only its timing follows the longer stance)
    ankle = fast.moment("ankle_plantarflexion").max() / nat.moment("ankle_plantarflexion").max()
    assert ankle == pytest.approx(1.0, abs=0.01)
    # sagittal hip excursion scales with step length (1/scale) about the stride mean
    assert fast.hip_extension_deg.max() < nat.hip_extension_deg.max() - 2.0
    mid = nat.hip_extension_deg.mean()
    assert (fast.hip_extension_deg.max() - mid) == pytest.approx(
        (nat.hip_extension_deg.max() - mid) / 1.1, rel=0.02)


def test_quicker_steps_lower_the_peak_vertical_force_as_measured():
    """Musgjerd et al. 2021: peak force −5.6 % at +7.3 % cadence. The stride's vertical
    impulse is kept (mean force = body weight), so the stance fraction rises; the lumbar
    moments follow the vertical load (``trunk_load_exponent`` 1)."""
    sr = P["step_rate"]
    nat = gait.demand(3.0, n_phase=400)
    quick = gait.demand(3.0, step_rate_scale=1.0 + sr["peak_force_step_rate_change"], n_phase=400)
    peak = quick.grf_vertical_bw.max() / nat.grf_vertical_bw.max()
    assert peak == pytest.approx(1.0 + sr["peak_force_change"], abs=0.005)
    assert quick.grf_vertical_bw.mean() == pytest.approx(nat.grf_vertical_bw.mean(), rel=1e-3)
    assert quick.stance_fraction > nat.stance_fraction
    for dof in ("lumbar_extension", "lumbar_bending"):
        ratio = np.abs(quick.moment(dof)).max() / np.abs(nat.moment(dof)).max()
        assert ratio == pytest.approx(peak, abs=0.01)
    slow = gait.demand(3.0, step_rate_scale=0.9, n_phase=400)
    assert slow.grf_vertical_bw.max() > nat.grf_vertical_bw.max()
    assert slow.stance_fraction < nat.stance_fraction
    # the quickest steps at the slowest speed keep a flight phase
    assert gait.stance_fraction(2.0, gait.STEP_RATE_SCALE_RANGE[1]) < 0.5


def test_step_rate_timing_and_swing_hip_flexor():
    nat, fast = gait.demand(3.0), gait.demand(3.0, step_rate_scale=1.1)
    assert fast.stride_time_s == pytest.approx(nat.stride_time_s / 1.1)
    assert fast.cadence_spm == pytest.approx(nat.cadence_spm * 1.1)
    # Lieberman et al. 2015: +5.8 % peak swing hip flexor moment per +5 strides/min
    d_strides = nat.cadence_spm / 2 * 0.1
    expected = 1 + 0.058 * d_strides / 5
    ratio = fast.moment("hip_flexion").max() / nat.moment("hip_flexion").max()
    assert ratio == pytest.approx(expected, abs=0.005)


def test_step_rate_scaling_keeps_curves_continuous():
    """No jumps: the largest step between samples grows at most as the event warp
    steepens the curves (stance or flight squeezed in phase) and their scale factors."""
    base = gait.demand(4.0, n_phase=400)
    j_b = np.abs(np.diff(base.moments_Nm_per_kg, axis=0, append=base.moments_Nm_per_kg[:1]))
    for scale in (0.85, 1.15):
        d = gait.demand(4.0, step_rate_scale=scale, n_phase=400)
        s0, s = base.stance_fraction, d.stance_fraction
        squeeze = max(s0 / s, (0.5 - s0) / (0.5 - s))
        amplitude = max(1.0, s0 / s, *gait.step_rate_factors(4.0, scale).values())
        j_d = np.abs(np.diff(d.moments_Nm_per_kg, axis=0, append=d.moments_Nm_per_kg[:1]))
        assert np.all(j_d.max(axis=0) <= 1.2 * squeeze * amplitude * j_b.max(axis=0) + 1e-9)


# --- hip extension --------------------------------------------------------------------

def test_hip_extension_needed_grows_with_speed():
    speeds = np.linspace(2, 5, 13)
    peaks = np.array([gait.demand(v).hip_extension_needed_deg.max() for v in speeds])
    assert np.all(np.diff(peaks) >= -0.3)
    assert peaks[-1] > peaks[0] + 5
    assert 4.0 < peaks[0] < 5.5 and 11.5 < peaks[-1] < 13.5


def test_hip_extension_needed_function_agrees_with_demand():
    d = gait.demand(3.7, n_phase=64)
    np.testing.assert_allclose(gait.hip_extension_needed_deg(3.7, d.phase),
                               d.hip_extension_needed_deg, atol=1e-12)
    np.testing.assert_allclose(gait.hip_extension_needed_deg(3.7, d.phase + 1.0),
                               d.hip_extension_needed_deg, atol=1e-9)
    assert np.all(d.hip_extension_needed_deg >= 0)
    assert d.hip_extension_needed_deg[0] == 0.0        # hip is flexed at heel strike
    peak_phase = d.phase[np.argmax(d.hip_extension_deg)]
    assert d.stance_fraction - 0.05 < peak_phase < d.stance_fraction + 0.1  # around toe-off


# --- output form ----------------------------------------------------------------------

def test_output_is_read_only_and_shaped():
    d = gait.demand(3.2, n_phase=48)
    assert d.moments_Nm_per_kg.shape == (48, gait.N_DOF)
    assert d.smoothed_or_capped.shape == (48, gait.N_DOF) and d.smoothed_or_capped.dtype == bool
    assert d.stance.dtype == bool and d.n_phase == 48 and d.dofs == gait.DOFS
    with pytest.raises(ValueError):
        d.moments_Nm_per_kg[0, 0] = 1.0
    with pytest.raises(ValueError):
        gait.reference_curves(3.0).moments_Nm_per_kg[0, 0] = 1.0


@settings(max_examples=60, deadline=None)
@given(speed=st.floats(2.0, 5.0), scale=st.floats(0.85, 1.15), n=st.integers(16, 256))
def test_any_valid_input_gives_finite_consistent_demand(speed, scale, n):
    d = gait.demand(speed, step_rate_scale=scale, n_phase=n)
    assert np.all(np.isfinite(d.moments_Nm_per_kg)) and np.all(np.isfinite(d.hip_extension_deg))
    assert np.all(np.abs(d.moments_Nm_per_kg) < 5.0)
    assert np.all(d.grf_vertical_bw[~d.stance] == 0.0) and np.all(d.grf_vertical_bw >= 0.0)
    assert 0.3 <= d.stance_fraction < 0.5                 # running keeps a flight phase
    assert d.stance_fraction == gait.stance_fraction(speed, scale)
    assert d.cadence_spm == pytest.approx(120.0 / d.stride_time_s)


def test_examples_in_docstrings_run():
    result = doctest.testmod(gait, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 20
    assert result.failed == 0
