"""Fit the slow force-depression rate, the glycogen drain scales, the heavy domain and the
reserve's force floor on running data.

Writes sim/data/energy_calibration.json (see sim/calibration/running.py for the targets).
Usage: python experiments/calibrate_running_fatigue.py
"""
from sim.running_calibration import calibrate

if __name__ == "__main__":
    data = calibrate(verbose=True)
    print(f"slow rate k_S = {data['slow_rate']:.3e} 1/s; knee-extensor losses "
          f"{data['knee_extensor_loss_fitted']} (target 0.24)")
    for v, s, e in zip(data["marathon_pace_mps"], data["drain_scale"],
                       data["store_error_at_wall"]):
        print(f"marathon pace {v:4.2f} m/s: drain scales {min(s):.3f}-{max(s):.3f}, "
              f"largest store error at 30 km {e:.4f}")
    print(f"heavy domain: A = {data['heavy_gain']}, n = {data['heavy_power']}; "
          f"reserve floor {data['reserve_floor']}")
    for row in data["heavy_anchors"]:
        if "distance_m" in row:
            print(f"  {row['distance_m'] / 1000:7.3f} km at {row['speed_mps']:.3f} m/s: Riegel "
                  f"{row['riegel_s'] / 60:6.1f} min, model {row['model_s'] / 60:6.1f} min")
        else:
            print(f"  {row['pace_ratio']:.2f} x marathon pace ({row['speed_mps']:.3f} m/s): "
                  f"reserve spent {row['reserve_spent_s'] / 60:6.1f} min, "
                  f"model {row['model_s'] / 60:6.1f} min")
    print(f"{data['seconds']} s")
