"""Cost per simulated stride of the benchmark's scenarios, for comparing two versions.

Runs the 2,000 two-hour scenarios of ``runfatigue bench`` (``sim.bench.standard_configs``)
three times through ``sim.batch.run_batch`` after a warm-up and prints the strides
simulated per second of each repetition as JSON. Runs that end in exhaustion simulate
fewer strides, so strides per second (not scenarios per second) compares versions whose
runs end at different times. Optional argument: a JSON object of config overrides, e.g.
'{"model.block_tolerance": 0.004}'.

Compare two versions by alternating them in one session (these machines are noisy), e.g.
with a checkout of the older version in ``OLD``::

    (cd OLD && PYTHONPATH=OLD python /path/to/experiments/per_stride_cost.py)
    python experiments/per_stride_cost.py
"""
import json
import sys
import time

from sim.batch import run_batch
from sim.bench import standard_configs


def main(overrides: dict, repeats: int = 3) -> dict:
    cfgs = [c.with_overrides(overrides) for c in standard_configs(2000, 120.0)]
    run_batch(cfgs[:2])                                   # compile or load the cache
    rates = []
    for _ in range(repeats):
        t = time.perf_counter()
        rows = run_batch(cfgs)
        rates.append(sum(r["strides"] for r in rows) / (time.perf_counter() - t))
    return {"over": overrides, "strides_per_s": rates}


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})))
