"""Calibrate the cost of a forward trunk lean (sim/calibration/lean.py has the targets).

Writes ``sim/data/forward_lean_calibration.json`` and ``results/calibrate_forward_lean/``
(the growth at the calibrated cost and at the ends of the search bracket, manifest).
Run: ``python experiments/calibrate_forward_lean.py``.
"""
from sim.lean_calibration import BRACKET, calibrate, lean_growth
from sim.results import results_dir, write_json, write_manifest

if __name__ == "__main__":
    out = calibrate()
    d = results_dir("calibrate_forward_lean")
    rows = [{"cost_per_rad2": c, "growth_deg": lean_growth(c)[0]}
            for c in (BRACKET[0], out["cost_per_rad2"], BRACKET[1])]
    write_json(d / "result.json", {"calibration": out, "bracket": rows})
    write_manifest(d, "python experiments/calibrate_forward_lean.py")
    print(f"cost {out['cost_per_rad2']:.4f} /rad^2: growth {out['achieved_growth_deg']:.3f} deg "
          f"(10-95 min {out['growth_first_half_deg']:.3f}, 95-180 min "
          f"{out['growth_second_half_deg']:.3f})")
    for r in rows:
        print(f"  cost {r['cost_per_rad2']:.3f}: growth {r['growth_deg']:.3f} deg")
