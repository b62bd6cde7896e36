"""How kernels are compiled (sim.jit): no reference counting, no allocation, a switch."""
import os
import subprocess
import sys

import numpy as np
import pytest
from numba.core.errors import TypingError

from sim.jit import NO_REFCOUNT, kernel


@kernel
def _scaled_sum(a, k):
    acc = 0.0
    for i in range(a.shape[0]):
        acc += k * a[i]
    return acc


@kernel
def _allocates(n):
    return np.zeros(n).sum()


def test_kernel_computes():
    assert _scaled_sum(np.arange(4.0), 2.0) == 12.0


@pytest.mark.skipif(not NO_REFCOUNT, reason="numba without the _nrt option")
def test_a_kernel_cannot_allocate():
    with pytest.raises(TypingError):
        _allocates(3)


def test_refcount_switch():
    code = "import sim.jit as j; print(j.NO_REFCOUNT)"
    for value, expect in (("1", "False"), ("0", str(NO_REFCOUNT))):
        env = dict(os.environ, RUNFATIGUE_REFCOUNT=value)
        out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                             capture_output=True, text=True).stdout.strip()
        assert out == expect


def test_compile_level_is_set_for_the_process_and_its_children_unless_the_user_chose():
    code = ("import os, sim.jit as j; from numba.core import config; n = j.use_compile_level(); "
            "print(n, int(config.OPT), os.environ.get('NUMBA_OPT'))")
    for user, expect in ((None, "1 1 1"), ("2", "2 2 2")):
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_OPT"}
        if user is not None:
            env["NUMBA_OPT"] = user
        out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                             capture_output=True, text=True).stdout.strip()
        assert out == expect


_CALLEE = '''
from sim.jit import kernel

@kernel
def callee(a, k, div=1):
    acc = 0
    for i in range(a.shape[0]):
        acc += int(a[i]) // div
    return acc * k, a.shape[0]
'''

_CALLER = '''
import numpy as np
from numba import types
from sim.jit import expect, external, kernel
from callee_mod import callee

_callee = external(callee, types.UniTuple(types.int64, 2))
expect(callee, lambda: print("callee compiled first:", bool(callee.overloads), flush=True))

@kernel
def caller(a, div):
    s, n = _callee(a, 2, div)        # `2` typed as a literal, `div` given, as in the run loop
    t, _ = _callee(a, 3)             # a default left out
    return s + t + n

print(caller(np.arange(5.0), 1), caller.stats.cache_hits.total(), flush=True)
if not caller.stats.cache_hits.total():      # compiled here: is the callee's code in it?
    ir = caller.inspect_llvm(caller.signatures[0])
    names = [c.fndesc.mangled_name for c in callee.overloads.values()]
    print("linked" if any(f"define " in line and n in line for n in names
                          for line in ir.splitlines()) else "not linked", flush=True)
try:
    caller(np.arange(5.0), 0)
except ZeroDivisionError:
    print("ZeroDivisionError")
'''


def _external_call(tmp_path, callee=_CALLEE, caller=_CALLER):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "callee_mod.py").write_text(callee)
    (tmp_path / "caller_mod.py").write_text(caller)
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=os.pathsep.join([str(tmp_path), os.getcwd()]))
    return lambda: subprocess.run([sys.executable, str(tmp_path / "caller_mod.py")], env=env,
                                  capture_output=True, text=True)


def test_an_external_call_computes_what_the_direct_one_does_and_survives_numba_cache(tmp_path):
    """The callee's answer and exceptions reach the caller, whose code does not hold the
    callee's; the callee is compiled only when the caller's code is finalised (after the
    caller was typed and optimised); a caller loaded from numba's cache finds the callee
    again, also when the callee itself was compiled anew."""
    run = _external_call(tmp_path)

    def caller_says():
        out = run()
        assert out.returncode == 0, out.stderr
        return out.stdout.split("\n")

    direct = 2 * 10 + 3 * 10 + 5                 # sum(0..4) = 10
    first = "callee compiled first: False"
    assert caller_says()[:4] == [first, f"{direct} 0", "not linked", "ZeroDivisionError"]
    assert caller_says()[:3] == [first, f"{direct} 1", "ZeroDivisionError"]    # from the cache
    os.utime(tmp_path / "callee_mod.py", (1, 1))                        # the callee stale
    assert caller_says()[:3] == [first, f"{direct} 1", "ZeroDivisionError"]


def test_an_external_call_stops_where_the_callee_no_longer_fits(tmp_path):
    """A callee whose return type is not the declared one, or a cached caller whose
    callee's argument types have changed, stops the call with a message that says so."""
    run = _external_call(tmp_path)
    assert run().returncode == 0                                    # caller compiled, cached
    (tmp_path / "callee_mod.py").write_text(_CALLEE.replace("return acc * k, a.shape[0]",
                                                            "return acc * k, 1.0 * a.shape[0]"))
    returns = run()                                                 # cached caller, new return
    assert returns.returncode != 0 and "but its external call declares" in returns.stderr
    (tmp_path / "callee_mod.py").write_text(_CALLEE.replace("div=1", "div=1.0"))
    args = run()                                                    # cached caller, new default
    assert args.returncode != 0 and "delete the cache" in args.stderr
    fresh = _external_call(tmp_path / "fresh", callee=_CALLEE.replace(
        "return acc * k, a.shape[0]", "return acc * k, 1.0 * a.shape[0]"))
    compiled = fresh()                                              # compiled with the wrong type
    assert compiled.returncode != 0 and "but its external call declares" in compiled.stderr
