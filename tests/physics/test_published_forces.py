"""Peak muscle forces of a fresh stride vs published running studies.

Data: ``sim/data/published_forces.toml`` (each case: model muscles, published peak with
its source, speed, published period of the gait cycle). For every case the model runs
at the case's speed and its first (fresh) stride is checked:

(a) the peak force lies within a factor of two of the published peak (0.5x ... 2x);
(b) the peak occurs inside the published period (stance / early swing / late swing),
    widened by the file's ``phase_windows.margin`` at both ends.

A case the model fails is marked ``xfail(strict=True)`` with the measured and published
numbers, so the failure stays visible and the mark must go when the model is fixed.
"""
import numpy as np
import pytest

import sim
from sim import params
from sim.gait import stance_fraction

DATA = params.load("published_forces")
QUANT = params.load_quantities("published_forces")
CASES = {c["id"]: c for c in DATA["case"]}
UNITS = {c["id"]: c["peak"]["unit"] for c in QUANT["case"]}
MARGIN = DATA["phase_windows"]["margin"]
G = params.load("body")["segments"]["g"]

FACTOR = 2.0

#: Known disagreements, measured when this file was written (3.0 m/s, 75 kg runner).
MAGNITUDE_FAILURES = {
    "gluteus_minimus": (
        "model peak 392 N (5.2 N/kg) in stance vs Lenhart et al. 2014 Table 1 22.97 N/kg "
        "(1723 N for 75 kg): ratio 0.23, below 0.5. The published force exceeds the "
        "model's gluteus minimus F0 (1216 N, Rajagopal et al. 2016), and the load sharing "
        "gives gluteus minimus about 1/5 of the gluteus medius force where Lenhart et al. "
        "find about 3/4. A hip rotation DOF does not change this (0.19-0.26, "
        "experiments/hip_rotation_gluteus_minimus.py)."),
}
PHASE_FAILURES: dict[str, str] = {}


def _case_params(failures):
    out = []
    for cid in CASES:
        marks = ([pytest.mark.xfail(strict=True, reason=failures[cid])]
                 if cid in failures else [])
        out.append(pytest.param(cid, id=cid, marks=marks))
    return out


@pytest.fixture(scope="module")
def runs():
    """Simulated runs keyed by speed (one short run per distinct case speed)."""
    out = {}
    for v in sorted({c["speed"] for c in CASES.values()}):
        out[v] = sim.simulate(sim.load_config(None, {"run.speed_mps": v,
                                                     "run.duration_min": 1}))
    return out


def _model_peak(run, case):
    """(peak force [N], phase of the peak [-]) of the summed case muscles, fresh stride."""
    force = np.asarray(run.stride_force_N)[0]            # (phase, muscle), fresh stride
    cols = [run.muscles.index(m) for m in case["model_muscles"]]
    total = force[:, cols].sum(axis=1)
    j = int(np.argmax(total))
    return float(total[j]), float(np.asarray(run.stride_phase)[j])


def _published_newton(run, case):
    mass = run.config.runner.mass_kg
    unit = UNITS[case["id"]]
    if unit == "N/kg":
        return case["peak"] * mass
    if unit == "BW":
        return case["peak"] * mass * G
    raise AssertionError(f"unknown unit {unit!r} for case {case['id']}")


def _window(case):
    """Published period as a phase window [lo, hi] (may extend past 0 or 1)."""
    toe = stance_fraction(case["speed"])
    mid = 0.5 * (toe + 1.0)
    lo, hi = {"stance": (0.0, toe), "early_swing": (toe, mid),
              "late_swing": (mid, 1.0)}[case["period"]]
    return lo - MARGIN, hi + MARGIN


def _in_window(phase, lo, hi):
    return (phase - lo) % 1.0 <= (hi - lo) + 1e-12


def test_cases_are_complete():
    assert len(CASES) == len(DATA["case"]), "duplicate case ids"
    muscles = set(sim.simulate(sim.load_config(None, {"run.duration_min": 1})).muscles)
    for cid, c in CASES.items():
        assert set(c["model_muscles"]) <= muscles, cid
        assert 2.0 <= c["speed"] <= 5.0, cid
        assert c["period"] in {"stance", "early_swing", "late_swing"}, cid
        assert c["reference"] in DATA["references"], cid
        assert UNITS[cid] in {"N/kg", "BW"}, cid
    assert set(MAGNITUDE_FAILURES) | set(PHASE_FAILURES) <= set(CASES)


@pytest.mark.parametrize("cid", _case_params(MAGNITUDE_FAILURES))
def test_peak_within_factor_two(runs, cid):
    case = CASES[cid]
    run = runs[case["speed"]]
    model, _ = _model_peak(run, case)
    published = _published_newton(run, case)
    ratio = model / published
    assert _within_factor(ratio), (
        f"{cid} at {case['speed']} m/s: model {model:.0f} N vs published {published:.0f} N "
        f"({case['peak']} {UNITS[cid]}), ratio {ratio:.2f}")


@pytest.mark.parametrize("cid", _case_params(PHASE_FAILURES))
def test_peak_in_published_phase(runs, cid):
    case = CASES[cid]
    _, phase = _model_peak(runs[case["speed"]], case)
    lo, hi = _window(case)
    assert _in_window(phase, lo, hi), (
        f"{cid} at {case['speed']} m/s: model peak at {100 * phase:.0f} % of the cycle, "
        f"published period {case['period']} = {100 * lo:.0f}-{100 * hi:.0f} % (with margin)")


def _within_factor(ratio):
    return 1.0 / FACTOR <= ratio <= FACTOR


def test_checks_can_fail():
    """The two checks reject a wrong magnitude and a wrong phase."""
    assert _within_factor(0.5) and _within_factor(2.0) and _within_factor(1.0)
    assert not _within_factor(0.49) and not _within_factor(2.01)
    lo, hi = _window(CASES["hamstrings"])                     # late swing
    assert _in_window(0.97, lo, hi) and _in_window(0.01, lo, hi)   # wraps past 1
    assert not _in_window(0.15, lo, hi)                       # a mid-stance peak is outside
    lo, hi = _window(CASES["gluteus_medius"])                 # stance
    assert _in_window(0.99, lo, hi) and not _in_window(0.55, lo, hi)
