"""Re-fit the energy-store drain scale against marathon pace (writes sim/data/energy_calibration.json).

Usage: python experiments/calibrate_energy.py
"""
from sim.energy import calibrate

if __name__ == "__main__":
    data = calibrate()
    for v, s, e in zip(data["marathon_pace_mps"], data["drain_scale"], data["store_at_wall"]):
        print(f"marathon pace {v:4.2f} m/s: drain scale {s:8.4f}, store at 30 km {e:.3f}")
    print(f"{data['seconds']} s")
