"""Validation report: files, headline numbers, honesty statements, runnable examples."""
import doctest
import re

import pytest

import sim.validate
from sim.validate import write_report


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("validation")
    return out, write_report(out)


def test_report_files(report):
    out, _ = report
    text = (out / "report.md").read_text()
    figures = re.findall(r"\]\((figures/[^)]+\.png)\)", text)
    assert len(figures) >= 5
    for rel in figures:
        assert (out / rel).stat().st_size > 10_000
    assert "not medical advice" in text
    assert "assumption" in text.lower() and "`energy.g_min_ST`" in text
    assert "Fatigue over a run, against running data" in text
    assert "Biopsies taken at the" in text and "Asp, Rohde & Richter 1997" in text
    assert "Back load over a run: published time courses" in text and "Leatt" in text
    assert "step rate +10 %" in text and "Lenhart 2014" in text


def test_headline_numbers(report):
    _, head = report
    assert head["closed_form_max_rel_error_L10"] < 0.02
    assert head["closed_form_max_rel_error_L100"] < 0.003
    assert head["calibration_worst_rel_error"] < 0.20
    assert head["capacity_3h_energy"] < head["capacity_1h_energy"] - 0.02
    assert head["exhaustion_min_at_marathon_pace"] > 42195 / 3.2 / 60
    assert head["loss_knee_extensors_marathon"] == pytest.approx(0.24, abs=0.02)
    assert head["capacity_3h_no_energy"] == pytest.approx(head["capacity_1h_no_energy"], abs=1e-3)
    rest = head["rest_multiplier_end_capacity"]
    assert all(v["r=15"] > v["r=1"] for v in rest.values())
    # glycogen keeps falling after 30 km; the per-muscle biopsy comparison is reported
    assert head["whole_muscle_store_marathon"] < head["whole_muscle_store_30km"] < 1.0
    assert len(head["biopsy_glycogen"]) == 4
    # slow-twitch fibres empty first in the prime movers, as biopsies show
    prime = head["prime_mover_stores_30km"]
    assert prime["slow_twitch"] < prime["fast_twitch"]
    assert all(0.0 <= v < 1.0 for v in head["biopsy_glycogen"].values())
    # measured spinal shrinkage slows within a run and does not speed up over 25 km: the
    # model's L5/S1 compression holds (the report says "under 1 %" and gives the 25-km
    # rise), and its superficial load (not measured over a run; the report gives the
    # number) rises more in the second half of 25 km than in the first
    assert head["compression_ratio_second_15min"] == pytest.approx(1.0, abs=0.01)
    assert head["compression_ratio_second_30min"] == pytest.approx(1.0, abs=0.01)
    assert 0.0 <= head["compression_rise_25km"] < 0.05
    assert head["superficial_rise_25km"] > 0.0
    assert (head["superficial_rise_25km_second_half"]
            > head["superficial_rise_25km_first_half"] > 0.0)
    # the report says: quicker steps lower the peak force per step as calibrated (Musgjerd
    # 2021: -5.6 % at +7.3 %), the superficial lumbar peak by about as much, its mean over
    # time little, and the gluteus maximus less than Lenhart et al. computed (-7.8 %)
    assert head["step_rate_peak_force_change_pct"] == pytest.approx(-5.6, abs=0.3)
    assert -10.0 < head["step_rate_lumbar_peak_change_pct"] < -4.0
    assert abs(head["step_rate_lumbar_mean_change_pct"]) < 3.0
    assert -7.8 < head["step_rate_gluteus_maximus_peak_change_pct"] < 0.0


def test_examples_run():
    result = doctest.testmod(sim.validate)
    assert result.attempted > 0 and result.failed == 0
