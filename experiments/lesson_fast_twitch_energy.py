"""Build the teaching lesson 'fast_twitch_energy' into results/lessons/fast_twitch_energy/ (see sim/teaching/lessons/fast_twitch_energy.py).

Usage: python experiments/lesson_fast_twitch_energy.py [OUT_DIR]   (default: results/lessons)
"""
import sys

from sim.lessons import build_all

if __name__ == "__main__":
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "results/lessons"
    for path in build_all(out_dir, only=["fast_twitch_energy"]):
        print(path)
