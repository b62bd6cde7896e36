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
