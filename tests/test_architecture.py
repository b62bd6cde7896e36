"""The package's shape: no import cycles, one user-facing error type, the public names.

The import graph is built statically from the source (every ``import`` and
``from ... import``, those inside functions included), so a cycle that only closes when a
function runs is found too.
"""
import ast
from pathlib import Path

import sim
from sim.errors import RunfatigueError

PKG = Path(sim.__file__).resolve().parent


def _modules() -> dict:
    out = {}
    for p in PKG.rglob("*.py"):
        parts = list(p.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def import_graph() -> dict:
    """Module -> set of package modules it imports (anywhere in its source)."""
    mods = _modules()
    graph = {}
    for name, path in mods.items():
        base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    up = base[:len(base) - (node.level - 1)]
                    mod = ".".join(up + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                for a in node.names:
                    sub = f"{mod}.{a.name}"
                    targets.add(sub if sub in mods else mod)
        graph[name] = {t for t in targets if t in mods and t != name}
    return graph


def cycles(graph: dict) -> list:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    graph = import_graph()
    assert "sim.core.engine" in graph and "sim.physics.fatigue.pools" in graph["sim.core.engine"]
    assert cycles(graph) == []


def test_every_user_facing_error_is_one_type():
    from sim.cli import UserError
    from sim.config import ConfigError
    from sim.io import DamagedRunError
    from sim.results import OutputPathError
    from sim.sweep_plots import SweepDataError

    for err in (UserError, ConfigError, DamagedRunError, OutputPathError, SweepDataError):
        assert issubclass(err, RunfatigueError), err


def test_the_command_line_maps_the_error_type_to_exit_2(tmp_path, capsys, monkeypatch):
    import sim.cli
    import sim.config

    def boom(*a, **k):
        raise RunfatigueError("some.toml: key run.speed_mps = -1: allowed 0.5-8")

    monkeypatch.setattr(sim.config, "load_config", boom)
    cfg = tmp_path / "c.toml"
    cfg.write_text("")
    assert sim.cli.main(["config", str(cfg)]) == 2
    assert capsys.readouterr().err == ("runfatigue: error: some.toml: key run.speed_mps = -1: "
                                       "allowed 0.5-8\n")


def test_every_module_the_readme_names_exists():
    import re

    text = (PKG.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(sim/[A-Za-z0-9_/]+(?:\.py|/))`", section))
    assert len(named) > 30
    missing = [n for n in named if not (PKG.parent / n).exists()]
    assert missing == [], missing
    for mod in _modules():                      # and every module has its place in it
        rel = mod.replace(".", "/")
        parents = [rel.rsplit("/", k)[0] + "/" for k in range(1, rel.count("/"))]
        if mod.endswith("__main__") or mod == "sim" or rel + "/" in named:
            continue
        assert f"{rel}.py" in named or any(p in named for p in parents[:-1]), mod


def test_each_folder_is_a_layer_and_imports_go_down():
    """Imports go from a layer to its own or a lower one (the one named exception aside)."""
    order = ["physics", "core", "sweeps", "figures", "teaching", "interface"]
    rank = {f"sim.{p}": k for k, p in enumerate(order)}

    def layer(mod):
        top = ".".join(mod.split(".")[:2])
        return rank.get(top)

    upward = sorted((m, t) for m, ts in import_graph().items() for t in ts
                    if layer(m) is not None and layer(t) is not None and layer(t) > layer(m))
    # the one exception: a sweep draws its figures when it ends (README "Architecture")
    assert upward == [("sim.sweeps.sweep", "sim.figures.plots"),
                      ("sim.sweeps.sweep", "sim.figures.sweep_plots")], upward
    base = {"sim.config", "sim.schema", "sim.results", "sim.errors", "sim.jit", "sim._aliases"}
    graph = import_graph()
    for m in base:          # the top-level modules read by every layer import no layer
        assert not [t for t in graph[m] if layer(t) is not None], (m, graph[m])


def test_old_import_paths_still_work():
    import importlib

    from sim._aliases import OLD_TO_NEW

    for old, new in OLD_TO_NEW.items():
        assert importlib.import_module("sim." + old) is importlib.import_module("sim." + new)
    from sim.fatigue import endurance_time, simulate_muscle  # noqa: F401  public names
    from sim.muscles import muscle_set

    ms = muscle_set(75.0)
    assert ms.moment_capacity() is not None and len(ms.dofs) > 0


CALIBRATION = {"sim.calibration", "sim.calibration.running", "sim.calibration.fibre_pools",
               "sim.calibration.lean", "sim.calibration.wall"}


def test_run_time_modules_only_read_calibrations():
    """Calibration code (which writes sim/data/*.json) is imported by no run-time module."""
    graph = import_graph()
    assert CALIBRATION <= set(graph)
    users = {m: sorted(graph[m] & CALIBRATION) for m in graph if m not in CALIBRATION}
    assert {m: u for m, u in users.items() if u} == {}


def test_kernels_read_parameters_by_name():
    """No ``sc[25]``, ``prm[i, 11]``, ``prm[i, :11]`` or ``state[i, [2, 6]]``: slots come from
    the declarations (kernels, their NumPy mirror in the reference engine, calibrations)."""
    import re

    def pattern(names):
        # an integer as the last index, or starting or ending a slice there, or in a list
        return re.compile(rf"\b({names})\[(?:[^\[\]]*,\s*)?(?:\d+\s*[\]+:]|:\s*\d+|\[\s*\d)")

    vectors = pattern("sc|prm|state")
    with_rows = pattern("sc|prm|state|s")     # the reference engine's ``s``: one muscle's state

    def positional(code, pat=with_rows):
        return [m.group(0) for m in pat.finditer(code)
                if m.group(0) != "prm[0]"]        # prm[0]: the first speed template

    files = {"core/engine.py": vectors, "core/engine_layout.py": vectors,
             "core/engine_stride.py": vectors, "core/engine_posture.py": vectors,
             "core/engine_blocks.py": vectors,
             "core/batch.py": vectors, "physics/fatigue/pools.py": vectors,
             "core/reference.py": with_rows, "core/reference_stride.py": with_rows,
             "core/reference_fatigue.py": with_rows}
    files.update({str(p.relative_to(PKG)): vectors for p in (PKG / "calibration").glob("*.py")})
    for rel, pat in files.items():
        text = (PKG / rel).read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines()
                         if not line.lstrip().startswith((">>>", "#")))
        assert positional(code, pat) == [], (rel, positional(code, pat))
    for code in ("sc[25]", "prm[i, 11]", "state[i, 9 + q]", "prm[i, :11]", "prm[i, 15:19]",
                 "state[i, [2, 6]]", "s[8]", "inp.prm[:, :, 8:10]", "inp.prm[0, :, 0]",
                 "state[:, 14]"):
        assert positional(code), code
    for code in ("prm[0]", "prm[0, i, P.g_min_ft]", "state[0, X.reserve]",
                 "state[i, X.MF_st + 4 * q]", "inp.prm[:, :, [P.drain_st, P.drain_ft]]"):
        assert not positional(code), code


#: A module may be up to this long without saying why (the issue's "about 400 lines").
LONG_MODULE_LINES = 420


def long_modules_without_reason() -> list:
    """Modules over LONG_MODULE_LINES whose docstring has no ``Length:`` paragraph."""
    out = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > LONG_MODULE_LINES:
            doc = ast.get_docstring(ast.parse(text)) or ""
            if "\nLength:" not in "\n" + doc:
                out.append(f"{name} ({text.count(chr(10))} lines)")
    return sorted(out)


def test_a_long_module_says_why_it_is_long():
    assert long_modules_without_reason() == []
