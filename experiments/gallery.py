"""Regenerate the README gallery (results/gallery/*.png) from fresh simulations.

Usage: python experiments/gallery.py
"""
import shutil
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import sim  # noqa: E402
from sim import plots  # noqa: E402
from sim.lessons import build_all  # noqa: E402
from sim.results import save_figure  # noqa: E402
from sim.sweep import run_sweep  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "results" / "gallery"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        d = run_sweep(ROOT / "configs" / "hip_flexor_tightness.toml", results_root=tmp,
                      progress=False)
        shutil.copyfile(d / "figures" / "onset_heatmap.png", OUT / "onset_heatmap.png")
        lessons = Path(tmp) / "lessons"
        build_all(lessons, only=["tight_hip_flexors", "what_helps"])
        for name, png in (("tight_hip_flexors", "tightness_sweep.png"),
                          ("what_helps", "interventions.png")):
            shutil.copyfile(lessons / name / png, OUT / f"lesson_{name}.png")
    tight = sim.simulate(sim.load_config(ROOT / "configs" / "tight_hip_flexors.toml",
                                         {"scenario.core_strength": 0.6}))
    base = sim.simulate(sim.load_config(ROOT / "configs" / "baseline.toml"))
    for name, fig in (("load_curves_tight_weak_core.png", plots.load_curves(tight)),
                      ("stride_forces_baseline.png", plots.stride_forces(base))):
        save_figure(fig, OUT / name, dpi=90)
        plt.close(fig)
    for p in sorted(OUT.glob("*.png")):
        print(p.relative_to(ROOT))


if __name__ == "__main__":
    main()
