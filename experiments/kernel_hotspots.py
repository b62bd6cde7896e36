"""Which compiled kernels does a run spend its time in? (Linux ``perf``)

Question: of the CPU time of the benchmark's runs, what share does each compiled function
take: the load-sharing solve of half a stride (:mod:`sim.physics.sharing_phases`), the
general solver it falls back to (first strides, the phases the one-step path cannot
finish, infeasible phases), the fibre pools, the spine loads, the run loop itself?

How: the kernels are compiled in this process into an empty numba cache (a kernel loaded
from the cache carries no names), every compiled function's address is written to
``/tmp/perf-<pid>.map`` (the file ``perf`` reads to name just-in-time code), and
``perf record`` samples the process while it runs the first ``--scenarios`` scenarios of
the benchmark one after another on one thread, ``--repeats`` times. A function that LLVM
inlined into its caller counts as the caller. Needs ``perf`` on the ``PATH`` (Linux) and
permission to attach to the process (``kernel.perf_event_paranoid`` at most 2 or root).

Writes ``results/kernel_hotspots/`` (``hotspots.json``: the share of every named function
of all samples and of the samples in compiled code, and a manifest).

Run: ``python experiments/kernel_hotspots.py [--scenarios 300] [--repeats 5]``
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def _write_perf_map(path):
    """Address, size and name of every function compiled in this process, for ``perf``."""
    from numba.core.registry import CPUDispatcher

    syms, seen = set(), set()
    for name, mod in list(sys.modules.items()):
        if not name.startswith("sim"):
            continue
        for obj in list(vars(mod).values()):
            if not isinstance(obj, CPUDispatcher):
                continue
            for cres in obj.overloads.values():
                lib = cres.library
                if id(lib) in seen:
                    continue
                seen.add(id(lib))
                try:
                    module = lib._final_module          # absent for a cached kernel
                except (AttributeError, RuntimeError):
                    continue
                for fn in module.functions:
                    if not fn.is_declaration:
                        addr = lib.get_pointer_to_function(fn.name)
                        if addr:
                            syms.add((addr, fn.name))
    syms = sorted(syms)
    with open(path, "w") as f:
        for k, (addr, fname) in enumerate(syms):
            size = min((syms[k + 1][0] - addr) if k + 1 < len(syms) else 1 << 16, 1 << 20)
            f.write(f"{addr:x} {size:x} {fname}\n")
    return len(syms)


def _child(n, repeats, ready):
    """Compile, write the map, signal ``ready``, then run the scenarios (profiled)."""
    from sim.jit import use_compile_level

    use_compile_level()
    from sim.bench import standard_configs
    from sim.core.run_loop import run_inputs
    from sim.core.scenario import build_inputs

    inps = [build_inputs(c) for c in standard_configs()[:n]]
    run_inputs(inps[0], store=False)
    _write_perf_map(f"/tmp/perf-{os.getpid()}.map")
    with open(ready, "w") as f:
        f.write(str(os.getpid()))
    time.sleep(1.0)                                   # perf attaches
    t0 = time.perf_counter()
    for _ in range(repeats):
        for inp in inps:
            run_inputs(inp, store=False)
    print(f"{(time.perf_counter() - t0) / (n * repeats) * 1e3:.3f}", flush=True)
    sys.stdin.read()          # the parent stops perf first: the exit's teardown is not sampled


def _short(symbol):
    """``sim.physics.sharing_phases.solve_phases_warm`` from a mangled numba name (the
    length-prefixed parts after ``_ZN``); other names unchanged."""
    if not symbol.startswith("_ZN"):
        return symbol
    parts, k = [], 3
    while k < len(symbol) and symbol[k].isdigit():
        m = re.match(r"\d+", symbol[k:])
        length, k = int(m.group(0)), k + len(m.group(0))
        parts.append(symbol[k:k + length])
        k += length
    return ".".join(parts) if parts else symbol


def profile(n=300, repeats=5) -> dict:
    if shutil.which("perf") is None:
        raise SystemExit("kernel_hotspots: needs Linux perf on the PATH")
    with tempfile.TemporaryDirectory() as tmp:
        ready, data = os.path.join(tmp, "ready"), os.path.join(tmp, "perf.data")
        env = dict(os.environ, NUMBA_CACHE_DIR=os.path.join(tmp, "cache"))
        child = subprocess.Popen([sys.executable, __file__, "--child", str(n), str(repeats),
                                  ready], env=env, stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True, cwd=os.path.dirname(HERE))
        while not os.path.exists(ready) or not open(ready).read():
            if child.poll() is not None:
                raise SystemExit("kernel_hotspots: the profiled process ended early")
            time.sleep(0.2)
        pid = open(ready).read()
        rec = subprocess.Popen(["perf", "record", "-q", "-F", "2000", "-o", data, "-p", pid],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ms = float(child.stdout.readline().strip())
        rec.send_signal(signal.SIGINT)                # perf writes its data and stops
        rec.wait()
        child.communicate("")
        rep = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort",
                              "symbol", "--stdio"], capture_output=True, text=True).stdout
    shares = {}
    for line in rep.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+\[\.\]\s+(\S+)", line)
        if m:
            key = _short(m.group(2))
            shares[key] = shares.get(key, 0.0) + float(m.group(1))
    compiled = {k: v for k, v in shares.items() if k.startswith("sim.")}
    total = sum(compiled.values())
    return {"ms_per_run_one_thread": ms, "compiled_share_of_samples": total,
            "of_compiled": {k: round(100.0 * v / total, 2) for k, v in
                            sorted(compiled.items(), key=lambda kv: -kv[1])},
            "of_all": {k: v for k, v in sorted(shares.items(), key=lambda kv: -kv[1])[:40]}}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, os.path.dirname(HERE))
        _child(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    from sim.results import results_dir, write_json, write_manifest

    out = profile(a.scenarios, a.repeats)
    d = results_dir("kernel_hotspots")
    write_json(d / "hotspots.json", out)
    write_manifest(d, "python experiments/kernel_hotspots.py " + " ".join(sys.argv[1:]))
    print(f"{out['ms_per_run_one_thread']:.2f} ms a run (one thread, profiled); "
          f"{out['compiled_share_of_samples']:.1f} % of samples in compiled code, of which:")
    for k, v in list(out["of_compiled"].items())[:20]:
        print(f"  {v:6.2f} %  {k}")


if __name__ == "__main__":
    main()
