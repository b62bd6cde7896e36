"""Build the teaching lesson 'cascade' into results/lessons/cascade/ (see sim/teaching/lessons/cascade.py).

Usage: python experiments/lesson_cascade.py [OUT_DIR]   (default: results/lessons)
"""
import sys

from sim.lessons import build_all

if __name__ == "__main__":
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "results/lessons"
    for path in build_all(out_dir, only=["cascade"]):
        print(path)
