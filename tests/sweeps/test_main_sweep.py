"""The shipped main sweep (configs/hip_flexor_tightness.toml) at its default threshold and
10 % either side: figures are written, and whether it answers "when" (issue "The back load
that rises late", point 6) is checked against the measured outcome."""
import csv
from pathlib import Path

import numpy as np
import pytest

from sim.sweep import run_sweep

CONFIG = Path(__file__).resolve().parents[2] / "configs" / "hip_flexor_tightness.toml"
THRESHOLDS = {"default": 0.5, "-10 %": 0.45, "+10 %": 0.55}


@pytest.fixture(scope="module")
def onsets(tmp_path_factory):
    """Spike onsets [min] (NaN: not reached) of the 72 scenarios at each threshold."""
    out = {}
    for label, thr in THRESHOLDS.items():
        root = tmp_path_factory.mktemp(f"main_{thr}")
        d = run_sweep(CONFIG, overrides={"spike.superficial_threshold": thr},
                      results_root=root, progress=False)
        figs = sorted(p.name for p in (d / "figures").glob("*.png"))
        assert figs == ["onset_heatmap.png", "onset_vs_hip_flexor_tightness_deg.png",
                        "peak_shear_heatmap.png"]
        with open(d / "summary.csv", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 72
        out[label] = np.array([float(r["spike_onset_s"]) for r in rows]) / 60.0
    return out


def test_some_runs_tip_over_during_the_run_and_some_never(onsets):
    on = onsets["default"]
    spiked = np.isfinite(on)
    assert np.any(on[spiked] > 20.0) and np.any(~spiked)


@pytest.mark.xfail(strict=True, reason=(
    "measured: of the spiking runs, 6 of 36 come after 20 min at the default threshold "
    "(61-104 min, three fifteen-minute bins), 4 of 46 at -10 % and 0 of 18 at +10 % (core "
    "strength and pace set the level; within 150 min the superficial load rises by a few "
    "per cent, most of it after 75 min; README, known limits)"))
@pytest.mark.parametrize("label", list(THRESHOLDS))
def test_main_sweep_answers_when(onsets, label):
    on = onsets[label]
    spiked = np.isfinite(on)
    late = on[spiked] > 20.0
    assert late.sum() >= 0.5 * spiked.sum()
    assert len(set(np.floor(on[spiked] / 15.0))) >= 4
    assert np.any(~spiked)
