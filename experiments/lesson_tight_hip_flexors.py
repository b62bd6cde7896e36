"""Build the teaching lesson 'tight_hip_flexors' into results/lessons/tight_hip_flexors/ (see sim/teaching/lessons/tight_hip_flexors.py).

Usage: python experiments/lesson_tight_hip_flexors.py [OUT_DIR]   (default: results/lessons)
"""
import sys

from sim.lessons import build_all

if __name__ == "__main__":
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "results/lessons"
    for path in build_all(out_dir, only=["tight_hip_flexors"]):
        print(path)
