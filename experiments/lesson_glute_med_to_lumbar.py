"""Build the teaching lesson 'glute_med_to_lumbar' into results/lessons/glute_med_to_lumbar/ (see sim/teaching/lessons/glute_med_to_lumbar.py).

Usage: python experiments/lesson_glute_med_to_lumbar.py [OUT_DIR]   (default: results/lessons)
"""
import sys

from sim.lessons import build_all

if __name__ == "__main__":
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "results/lessons"
    for path in build_all(out_dir, only=["glute_med_to_lumbar"]):
        print(path)
