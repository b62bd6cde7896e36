"""Build the teaching lesson 'what_helps' into results/lessons/what_helps/ (see sim/teaching/lessons/what_helps.py).

Usage: python experiments/lesson_what_helps.py [OUT_DIR]   (default: results/lessons)
"""
import sys

from sim.lessons import build_all

if __name__ == "__main__":
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "results/lessons"
    for path in build_all(out_dir, only=["what_helps"]):
        print(path)
