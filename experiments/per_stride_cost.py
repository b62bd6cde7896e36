import sys, time, json
from sim.bench import standard_configs
from sim.batch import run_batch
over = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
cfgs = [c.with_overrides(over) for c in standard_configs(2000, 120.0)]
run_batch(cfgs[:2])
out = []
for rep in range(3):
    t = time.perf_counter(); rows = run_batch(cfgs); dt = time.perf_counter() - t
    out.append(sum(r["strides"] for r in rows) / dt)
print(json.dumps({"over": over, "strides_per_s": out}))
