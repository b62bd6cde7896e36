"""Re-run the two-pool calibration and rewrite sim/data/fibre_calibration.json.

Usage::

    python experiments/calibrate_fibre_pools.py
"""
from sim.fatigue.calibration import CALIBRATION_PATH, calibrate


def main() -> None:
    out = calibrate(write=True)
    print(f"wrote {CALIBRATION_PATH} in {out['provenance']['run_time_s']} s")
    for joint, row in out["joint_class"].items():
        worst = max(row["max_abs_rel_error"])
        print(f"  {joint:9s} worst |ET error| over p_st grid = {100 * worst:5.1f} %")


if __name__ == "__main__":
    main()
