"""Gait demand at 2–5 m/s against the raw reference curves.

Question: does the demand model (``sim.gait``) reproduce the reference running data at the
reference speeds, behave sensibly between them, and respond to step rate as published?

Writes into ``results/gait_demand/``:

- ``figures/demand_vs_reference.png``: demand (solid) vs raw reference (dots) at 2, 3, 4
  and 5 m/s; thick pale segments mark the smoothed or capped phases.
- ``figures/demand_by_speed.png``: demand from 2 to 5 m/s in 0.5 m/s steps; dotted
  vertical lines at each speed's toe-off.
- ``figures/step_rate.png``: hip and knee moments at 3 m/s for step rates −10 %, natural
  and +10 %.
- ``rms.json``: RMS difference demand − reference per speed and DOF outside the marked
  phases [N·m/kg].

Run: ``python experiments/plot_gait_demand.py``
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from sim import gait  # noqa: E402
from sim.results import save_figure, write_json, write_manifest  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "results" / "gait_demand"
LABELS = {
    "hip_flexion": "hip flexion moment\n[N·m/kg]  (+ flexor)",
    "hip_abduction": "hip abduction moment\n[N·m/kg]  (+ abductor)",
    "knee_extension": "knee extension moment\n[N·m/kg]  (+ extensor)",
    "ankle_plantarflexion": "ankle plantarflexion moment\n[N·m/kg]  (+ plantarflexor)",
    "lumbar_extension": "lumbar extension moment\n[N·m/kg]  (+ extensor)",
    "lumbar_bending": "lumbar bending moment\n[N·m/kg]  (+ toward right)",
}
SPEED_COLOURS = {2.0: "#1b9e77", 3.0: "#7570b3", 4.0: "#d95f02", 5.0: "#e7298a"}


def _panels():
    fig, axes = plt.subplots(4, 2, figsize=(11, 12), sharex=True)
    return fig, axes.ravel()


def _finish(fig, axes, title):
    for ax in axes:
        ax.axhline(0.0, color="0.6", lw=0.6)
        ax.set_xlim(0, 100)
        ax.grid(alpha=0.25)
    for ax in axes[-2:]:
        ax.set_xlabel("right gait cycle [%]  (0 = right heel strike)")
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()


def demand_vs_reference():
    fig, axes = _panels()
    rms = {}
    for v, colour in SPEED_COLOURS.items():
        d = gait.demand(v, n_phase=100)
        r = gait.reference_curves(v)
        pct = 100 * d.phase
        rms[f"{v:g} m/s"] = {}
        for j, dof in enumerate(gait.DOFS):
            ax = axes[j]
            y, mask = d.moments_Nm_per_kg[:, j], d.smoothed_or_capped[:, j]
            ax.plot(100 * r.phase, r.moments_Nm_per_kg[:, j], ".", ms=2.5, color=colour)
            ax.plot(pct, y, color=colour, lw=1.4)
            ax.plot(pct, np.where(mask, y, np.nan), color=colour, lw=6, alpha=0.25,
                    solid_capstyle="butt")
            ax.set_ylabel(LABELS[dof])
            diff = (y - r.moments_Nm_per_kg[:100, j])[~mask]
            rms[f"{v:g} m/s"][dof] = float(np.sqrt(np.mean(diff**2)))
        axes[6].plot(100 * r.phase, r.grf_vertical_bw, ".", ms=2.5, color=colour)
        axes[6].plot(pct, d.grf_vertical_bw, color=colour, lw=1.4)
        axes[7].plot(100 * r.phase, r.hip_extension_deg, ".", ms=2.5, color=colour)
        axes[7].plot(pct, d.hip_extension_deg, color=colour, lw=1.4)
    axes[6].set_ylabel("vertical GRF, right foot\n[body weights]")
    axes[7].set_ylabel("hip extension angle [deg]\n(+ extension, − flexion)")
    # legend entries for the marker meanings
    for v, colour in SPEED_COLOURS.items():
        axes[6].plot([], [], color=colour, lw=1.4, label=f"demand, {v:g} m/s")
    axes[6].plot([], [], ".", color="0.3", label="raw reference")
    axes[6].plot([], [], color="0.3", lw=6, alpha=0.25, label="smoothed or capped phases")
    axes[6].legend(fontsize=8, loc="upper right")
    _finish(fig, axes, "Gait demand (lines) vs raw reference curves (dots), "
                       "Hamner & Delp 2013 subject 01")
    save_figure(fig, OUT / "figures" / "demand_vs_reference.png")
    plt.close(fig)
    return rms


def demand_by_speed():
    fig, axes = _panels()
    speeds = np.arange(2.0, 5.01, 0.5)
    cmap = plt.get_cmap("viridis")
    for i, v in enumerate(speeds):
        d = gait.demand(v, n_phase=200)
        colour = cmap(i / (len(speeds) - 1))
        pct = 100 * d.phase
        series = [d.moments_Nm_per_kg[:, j] for j in range(gait.N_DOF)]
        series += [d.grf_vertical_bw, d.hip_extension_deg]
        for ax, y in zip(axes, series):
            ax.plot(pct, y, color=colour, lw=1.3, label=f"{v:g} m/s")
            ax.axvline(100 * d.stance_fraction, color=colour, lw=0.7, ls=":")
    for j, dof in enumerate(gait.DOFS):
        axes[j].set_ylabel(LABELS[dof])
    axes[6].set_ylabel("vertical GRF, right foot\n[body weights]")
    axes[7].set_ylabel("hip extension angle [deg]\n(+ extension, − flexion)")
    axes[6].legend(fontsize=8, ncol=2, loc="upper right")
    _finish(fig, axes, "Gait demand from 2 to 5 m/s (dotted lines: right toe-off at each speed)")
    save_figure(fig, OUT / "figures" / "demand_by_speed.png")
    plt.close(fig)


def step_rate():
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharex=True)
    styles = {0.9: ("#2166ac", "step rate −10 %"), 1.0: ("0.2", "natural step rate"),
              1.1: ("#b2182b", "step rate +10 %")}
    for scale, (colour, label) in styles.items():
        d = gait.demand(3.0, step_rate_scale=scale, n_phase=200)
        for ax, dof in zip(axes, ("hip_flexion", "hip_abduction", "knee_extension")):
            ax.plot(100 * d.phase, d.moment(dof), color=colour, lw=1.4,
                    label=f"{label} ({d.cadence_spm:.0f} steps/min)")
            ax.set_ylabel(LABELS[dof])
    for ax in axes:
        ax.axhline(0.0, color="0.6", lw=0.6)
        ax.axvline(100 * gait.stance_fraction(3.0), color="0.5", lw=0.7, ls=":")
        ax.set_xlim(0, 100)
        ax.set_xlabel("right gait cycle [%]")
        ax.grid(alpha=0.25)
    axes[2].legend(fontsize=8)
    fig.suptitle("Step rate at 3 m/s: stance hip abduction and knee extension fall "
                 "(Heiderscheit 2011); swing hip flexor peak rises (Lieberman 2015); "
                 "dotted: toe-off", fontsize=11)
    fig.tight_layout()
    save_figure(fig, OUT / "figures" / "step_rate.png")
    plt.close(fig)


def main():
    (OUT / "figures").mkdir(parents=True, exist_ok=True)
    rms = demand_vs_reference()
    demand_by_speed()
    step_rate()
    write_json(OUT / "rms.json", rms)
    write_manifest(OUT, "python experiments/plot_gait_demand.py")
    worst = max(x for per_speed in rms.values() for x in per_speed.values())
    print(f"figures in {OUT / 'figures'}; largest RMS outside marked phases {worst:.3f} N·m/kg")


if __name__ == "__main__":
    main()
