"""Build the teaching lesson 'everything_connected' into results/lessons/everything_connected/ (see sim/teaching/lessons/everything_connected.py).

Usage: python experiments/lesson_everything_connected.py [OUT_DIR]   (default: results/lessons)
"""
import sys

from sim.lessons import build_all

if __name__ == "__main__":
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "results/lessons"
    for path in build_all(out_dir, only=["everything_connected"]):
        print(path)
