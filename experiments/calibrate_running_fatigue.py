"""Fit the slow force-depression rate and the glycogen drain scales on running data.

Writes sim/data/energy_calibration.json (see sim/running_calibration.py for the targets).
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
    print(f"{data['seconds']} s")
