"""How the package compiles its numba kernels.

Two kinds of compiled function:

* ``numba.njit(cache=True)`` for the few kernels that allocate arrays (the run and batch
  kernels, the fatigue simulators that return histories);
* :func:`kernel` for everything they call in the hot path (load sharing, fibre-pool
  steps, spine loads, pace look-ups). These allocate nothing, so they are compiled
  without numba's reference-counting runtime (the ``_nrt=False`` compiler option).

Why: numba increments and decrements an atomic reference count for every array passed
into a compiled call [1]_. A load-sharing solve passes some thirty arrays through four
nested calls; that bookkeeping cost more than the arithmetic
(``experiments/profile_engine.py --compare-refcount`` measures it). The arrays stay
owned, and kept alive, by the caller, so nothing is lost by not counting them in the
callee. A function compiled with :func:`kernel` that tries to allocate fails to
compile, which keeps the rule honest.

If a numba release drops the option, :func:`kernel` falls back to plain
``njit(cache=True)``: slower, same results. The environment variable
``RUNFATIGUE_REFCOUNT=1`` does the same on purpose; give it its own ``NUMBA_CACHE_DIR``
(as ``experiments/profile_engine.py --compare-refcount`` does), since numba's on-disk
cache does not tell the two builds apart.

Optimisation level. numba asks LLVM for its highest level (3) by default. The processes the
package owns (the ``runfatigue`` command, the second process it compiles in, the test
suite) ask for :data:`OPT_LEVEL` instead (:func:`use_compile_level`): measured on 2 cores
(``experiments/compile_level.py``), a cold compile takes about a quarter less time and the
benchmark runs as fast. ``import sim`` alone leaves numba's setting as it is, since other
code in the process may rely on it; ``NUMBA_OPT=1`` gives the same build there.

Calls that are not compiled again. numba compiles a kernel together with every compiled
function it calls: the callees' optimised code is linked into the caller's module, then
optimised and turned into machine code once more. The run loop calls the load-sharing solve,
which a second process compiles first (:mod:`sim.core.warmup`); linked in, its code was about
40 % of the run loop's LLVM time (about 3 of 7 s). :func:`external` makes such a call a call
to the machine code already compiled: the caller declares the callee, with the type it
returns, under a name of its own, which is bound to the callee's address in the process
(and again whenever numba loads the caller from its cache, before it does). The binding
waits until the caller's optimised code goes to the code generator, so the caller is
compiled while another process still compiles the callee (:func:`expect`).

References
----------
.. [1] numba issue #2345, "Unnecessary refcount not removed in 2 levels function call
   causing significant performance decrease", https://github.com/numba/numba/issues/2345
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import os

from numba import njit

__all__ = ["kernel", "external", "slots", "NO_REFCOUNT", "OPT_LEVEL", "use_compile_level"]


def _no_refcount_available() -> bool:
    try:
        njit(_nrt=False)
    except KeyError:                                  # pragma: no cover - numba dropped it
        return False
    return True


_FORCED = os.environ.get("RUNFATIGUE_REFCOUNT", "") not in ("", "0")
#: True if :func:`kernel` compiles without the reference-counting runtime.
NO_REFCOUNT = _no_refcount_available() and not _FORCED

_OPTIONS = {"cache": True, "_nrt": False} if NO_REFCOUNT else {"cache": True}


#: LLVM optimisation level of the package's own processes (numba's default: 3).
OPT_LEVEL = 1


def use_compile_level(level: int = OPT_LEVEL) -> int:
    """Compile everything this process (and the processes it starts) compiles at ``level``.

    For a process the package owns, called before anything is compiled: numba reads its
    ``config.OPT`` each time it optimises a function, and a child process reads
    ``NUMBA_OPT`` from the environment set here. (The code generator's own machine-code
    level was fixed when the first kernel was declared, at ``import sim``; measured, the
    passes carry nearly all of the compile-time gain.) A level the user set in
    ``NUMBA_OPT`` is kept.

    Returns
    -------
    int
        The level in force.
    """
    from numba.core import config

    make = getattr(config, "_OptLevel", None)
    if "NUMBA_OPT" in os.environ or make is None:     # the user's choice, or numba changed
        return int(config.OPT)
    config.OPT = make(level)
    os.environ["NUMBA_OPT"] = str(level)
    return level


def kernel(fn):
    """Compile ``fn`` (which must not allocate) as a cached numba function.

    Examples
    --------
    >>> @kernel                                  # doctest: +SKIP
    ... def add(a, b):
    ...     return a + b
    """
    return njit(**_OPTIONS)(fn)


def external(dispatcher, returns):
    """A call to ``dispatcher`` (a compiled function) that a kernel makes without compiling it.

    Inside a kernel, ``external(f, returns)(*args)`` calls ``f``'s machine code for the
    argument types of the call, as ``f(*args)`` would, exceptions included; but ``f``'s
    code is not linked into the kernel, so it is neither optimised nor compiled again
    there, nor inlined. For large callees called a few times per step.

    The caller is typed and optimised without ``f``: ``returns`` (a numba type) is what
    ``f`` returns for those arguments. ``f`` is compiled, or loaded from numba's cache,
    only when the caller's code is finalised (or loaded from the cache), so another
    process may compile it meanwhile (:func:`expect`). Declared and compiled return
    types must agree, else a ``TypeError`` says so.

    Examples
    --------
    >>> _solve = external(big_solve, types.none)       # doctest: +SKIP
    >>> @kernel                                        # doctest: +SKIP
    ... def caller(a):
    ...     return _solve(a, 1e-10)
    """
    if not hasattr(dispatcher, "py_func"):         # NUMBA_DISABLE_JIT: plain Python
        return dispatcher
    module, name = dispatcher.py_func.__module__, dispatcher.py_func.__qualname__
    from numba.core import cgutils, types
    from numba.extending import intrinsic

    @intrinsic(prefer_literal=True)     # the types the callee's own callers compiled it for
    def call(typingctx, *args):
        argtypes = tuple(args)
        folded = _fold(dispatcher, argtypes)
        symbol = _symbol(module, name, folded, returns)
        sig = returns(types.StarArgTuple.from_types(argtypes))
        bind = functools.partial(_bind, module, name, argtypes, returns, symbol)

        def codegen(context, builder, signature, llargs):
            fn = cgutils.get_or_insert_function(
                builder.module, context.call_conv.get_function_type(returns, folded), symbol)
            values = list(cgutils.unpack_tuple(builder, llargs[0], len(argtypes)))
            values += [context.get_dummy_value()] * (len(folded) - len(values))  # defaults
            status, res = context.call_conv.call_function(builder, fn, returns, folded, values)
            with cgutils.if_unlikely(builder, status.is_error):
                context.call_conv.return_status_propagate(builder, status)
            _bind_later(context.active_code_library, symbol, bind)
            return res

        return sig, codegen

    return call


def expect(dispatcher, wait):
    """Before a caller's :func:`external` call to ``dispatcher`` is bound, call ``wait()``.

    For a process that compiles ``dispatcher`` into numba's on-disk cache while this one
    compiles its callers (:mod:`sim.core.warmup`): ``wait`` returns once that process is
    done (or has failed), and the callee is then loaded from the cache (or compiled here).
    ``wait=None`` forgets an expectation not met.
    """
    key = (dispatcher.py_func.__module__, dispatcher.py_func.__qualname__)
    if wait is None:
        _EXPECTED.pop(key, None)
    else:
        _EXPECTED[key] = wait


_EXPECTED = {}      # (module, name) -> wait(), for callees another process compiles


def _fold(dispatcher, argtypes: tuple) -> tuple:
    """The callee's argument types as it is compiled for them (defaults as ``Omitted``)."""
    return tuple(dispatcher.fold_argument_types(argtypes, {})[1])


def _symbol(module: str, name: str, folded: tuple, returns) -> str:
    key = repr((folded, returns)).encode()
    return f"runfatigue.external.{module}.{name}.{hashlib.sha1(key).hexdigest()[:16]}"


def _bind_later(library, symbol, bind):
    """Have ``bind`` run, once per ``symbol``, before numba hands ``library``'s module to
    LLVM's code generator (after the module's optimisation, which needs only the callee's
    type), and before numba loads the library from its cache in another process (a
    library's reload functions: the name is bound to the callee as compiled there)."""
    binds = getattr(library, "_runfatigue_binds", None)
    if binds is None:
        binds = library._runfatigue_binds = {}
        finalise = library._finalize_final_module

        def bind_then_finalise():
            for b in binds.values():
                b()
            finalise()

        library._finalize_final_module = bind_then_finalise
    if symbol not in binds:
        binds[symbol] = bind
        library._reload_init.add(bind)


def _bind(module: str, name: str, argtypes: tuple, returns, symbol: str):
    """Compile (or load) ``module.name`` for ``argtypes`` and bind ``symbol`` to it.

    ``symbol`` holds the callee's argument and return types as the caller was compiled
    with them; a callee whose types have changed since is an error, not a wrong call.
    """
    import llvmlite.binding as ll

    dispatcher = getattr(importlib.import_module(module), name)
    folded = _fold(dispatcher, argtypes)
    if _symbol(module, name, folded, returns) != symbol:
        raise RuntimeError(f"numba's cache holds a kernel compiled against another version of "
                           f"{module}.{name}: delete the cache (the __pycache__ folders in "
                           f"sim/, or NUMBA_CACHE_DIR) and run again")
    if folded not in dispatcher.overloads:
        wait = _EXPECTED.pop((module, name), None)
        if wait is not None:
            wait()
        dispatcher.compile(folded)
    cres = dispatcher.overloads[folded]
    if cres.signature.return_type != returns:
        raise TypeError(f"{module}.{name} returns {cres.signature.return_type} for "
                        f"{folded}, but its external call declares {returns}")
    ll.add_symbol(symbol, cres.library.get_pointer_to_function(cres.fndesc.mangled_name))


def slots(name: str, names):
    """Named positions of a parameter or state vector, for kernels to index by name.

    ``slots("Scalars", ("mass_kg", "g")).g == 1``: a kernel reads ``sc[S.g]`` instead of
    ``sc[1]``. The positions follow the declaration ``names`` (the only place a vector's
    layout is written down); numba reads the returned named tuple of integers as
    compile-time constants, so naming a slot costs nothing at run time.

    Examples
    --------
    >>> S = slots("Scalars", ("mass_kg", "g"))
    >>> S.g, len(S)
    (1, 2)
    """
    from collections import namedtuple

    return namedtuple(name, names)(*range(len(names)))
